package io.mailferry.core.engine;

import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Delivers events to listeners in order on one daemon thread, so listeners never block copies and
 * a listener that throws is logged, not fatal.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final Object STOP = new Object();

    private final List<MigrationListener> listeners;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    EventDispatcher(List<MigrationListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.thread = new Thread(this::loop, "mailferry-events");
        this.thread.setDaemon(true);
        if (!this.listeners.isEmpty()) {
            thread.start();
        }
    }

    void publish(MigrationEvent event) {
        if (!listeners.isEmpty()) {
            queue.add(event);
        }
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
                    if (event instanceof MigrationEvent.BatchStatusChanged e) {
                        l.onBatchStatusChanged(e);
                    } else if (event instanceof MigrationEvent.UserStatusChanged e) {
                        l.onUserStatusChanged(e);
                    } else if (event instanceof MigrationEvent.FolderSynced e) {
                        l.onFolderSynced(e);
                    } else if (event instanceof MigrationEvent.ItemSkipped e) {
                        l.onItemSkipped(e);
                    } else if (event instanceof MigrationEvent.UserProgress e) {
                        l.onUserProgress(e);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Migration listener {} threw on {}; it keeps receiving events",
                            l.getClass().getName(), event.getClass().getSimpleName(), e);
                }
            }
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
