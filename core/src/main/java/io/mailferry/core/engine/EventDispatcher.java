package io.mailferry.core.engine;

import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers events to listeners in order on one daemon thread, so listeners never block copies and
 * a listener that throws is logged, not fatal. Publishing never blocks: while more than
 * {@link #PROGRESS_BACKLOG} events wait (listeners lag far behind), progress events
 * ({@link MigrationEvent#droppable()}) are dropped instead of queued, so memory stays bounded by
 * the number of status events.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final Object STOP = new Object();
    /** Waiting events beyond which progress events are dropped. */
    static final int PROGRESS_BACKLOG = 10_000;

    private final List<MigrationListener> listeners;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();

    EventDispatcher(List<MigrationListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.thread = new Thread(this::loop, "mailferry-events");
        this.thread.setDaemon(true);
        if (!this.listeners.isEmpty()) {
            thread.start();
        }
    }

    void publish(MigrationEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        if (event.droppable() && queue.size() > PROGRESS_BACKLOG) {
            if (dropped.incrementAndGet() % 10_000 == 1) {
                LOG.warn("Migration listeners lag behind by more than {} events: dropping progress events ({} so far)",
                        PROGRESS_BACKLOG, dropped.get());
            }
            return;
        }
        queue.add(event);
    }

    /** Returns how many progress events were dropped. */
    long dropped() {
        return dropped.get();
    }

    private void loop() {
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            MigrationEvent event = (MigrationEvent) next;
            for (MigrationListener l : listeners) {
                try {
                    l.onEvent(event);
                    deliver(l, event);
                } catch (RuntimeException e) {
                    LOG.warn("Migration listener {} threw on {}; it keeps receiving events",
                            l.getClass().getName(), event.getClass().getSimpleName(), e);
                }
            }
        }
    }

    private static void deliver(MigrationListener l, MigrationEvent event) {
        if (event instanceof MigrationEvent.BatchStatusChanged e) {
            l.onBatchStatusChanged(e);
        } else if (event instanceof MigrationEvent.UserStatusChanged e) {
            l.onUserStatusChanged(e);
        } else if (event instanceof MigrationEvent.FolderSynced e) {
            l.onFolderSynced(e);
        } else if (event instanceof MigrationEvent.FolderProgress e) {
            l.onFolderProgress(e);
        } else if (event instanceof MigrationEvent.ItemSkipped e) {
            l.onItemSkipped(e);
        } else if (event instanceof MigrationEvent.UserProgress e) {
            l.onUserProgress(e);
        } else if (event instanceof MigrationEvent.ReportDue e) {
            l.onReportDue(e);
        } else if (event instanceof MigrationEvent.BatchRemoved e) {
            l.onBatchRemoved(e);
        } else if (event instanceof MigrationEvent.UserRemoved e) {
            l.onUserRemoved(e);
        }
    }

    /** Delivers what is queued, then stops the thread (waits at most 5 s). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            queue.add(STOP);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
