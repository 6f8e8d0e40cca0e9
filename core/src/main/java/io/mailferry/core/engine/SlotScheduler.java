package io.mailferry.core.engine;

import io.mailferry.core.MigrationEndpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Starts queued user passes when both their endpoints have a free slot, as the Exchange migration
 * service does: a user in initial sync holds one of the endpoint's {@code MaxConcurrentMigrations}
 * slots, a user in an incremental pass one of its {@code MaxConcurrentIncrementalSyncs} slots;
 * users beyond them wait as Queued. Several batches on the same endpoints share the slots: when a
 * slot frees, queued work of the batch with the highest {@link io.mailferry.core.BatchPriority}
 * starts first, and within one priority in the order it was queued. Work whose endpoints are free
 * starts even if work queued before it still waits for other endpoints.
 *
 * <p>Never blocks a thread waiting for a slot: {@link #dispatch()} runs whenever work is queued or
 * a slot is released. Thread-safe.
 */
final class SlotScheduler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlotScheduler.class);

    /** A user pass waiting for slots. */
    interface Work extends Runnable {
        MigrationEndpoint source();

        MigrationEndpoint target();

        boolean incremental();

        /** Returns the priority, higher first ({@link io.mailferry.core.BatchPriority#ordinal()}). */
        int priority();

        /** Called instead of {@link #run()} when the work is dropped (service closing). */
        void cancelled();
    }

    /** Queued work with its order. */
    private record Entry(Work work, int priority, long seq) {
    }

    private final Executor executor;
    private final Function<String, MigrationEndpoint> endpoints;
    /** Sorted: priority descending, then sequence. */
    private final List<Entry> queue = new ArrayList<>();
    private long sequence;
    private final Map<String, int[]> inUse = new HashMap<>();
    private boolean closed;

    SlotScheduler(Executor executor, Function<String, MigrationEndpoint> endpoints) {
        this.executor = executor;
        this.endpoints = endpoints;
    }

    /** Queues a pass; it runs when slots are free. */
    void submit(Work work) {
        synchronized (this) {
            if (!closed) {
                Entry e = new Entry(work, work.priority(), sequence++);
                int at = queue.size();
                while (at > 0 && queue.get(at - 1).priority() < e.priority()) {
                    at--;
                }
                queue.add(at, e);
                work = null;
            }
        }
        if (work != null) {
            work.cancelled(); // outside the lock: it calls back into the batch
            return;
        }
        dispatch();
    }

    /** Removes a queued pass that has not started; returns {@code true} if it was queued. */
    synchronized boolean cancel(Work work) {
        for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
            if (it.next().work() == work) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** Returns how many passes wait for slots. */
    synchronized int queued() {
        return queue.size();
    }

    /** Starts every queued pass that fits, in queue order. */
    void dispatch() {
        start(takeReady(null), null);
    }

    /** Releases a finished pass's slots and takes the passes that fit now (under the lock). */
    private List<Work> takeReady(Work finished) {
        List<Work> ready = new ArrayList<>();
        synchronized (this) {
            if (finished != null) {
                for (String name : endpointNames(finished)) {
                    int[] used = inUse.get(name);
                    if (used != null) {
                        used[finished.incremental() ? 1 : 0]--;
                    }
                }
            }
            Set<String> full = new HashSet<>();
            for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
                Work w = it.next().work();
                if (tryAcquire(w, full)) {
                    it.remove();
                    ready.add(w);
                }
            }
        }
        return ready;
    }

    /**
     * Hands ready passes to the executor; if {@code keep} is not {@code null}, the first one is
     * returned instead, for the calling worker thread to run next (so a pass ending frees its
     * thread for the next pass: the threads in use stay within the slots).
     */
    private Work start(List<Work> ready, Object keep) {
        Work mine = keep != null && !ready.isEmpty() ? ready.remove(0) : null;
        for (Work w : ready) {
            try {
                executor.execute(() -> runFrom(w));
            } catch (RejectedExecutionException e) {
                takeReadyAfter(w);
                w.cancelled();
            }
        }
        return mine;
    }

    /** Runs a pass, then the passes its slots let start, on this thread. */
    private void runFrom(Work first) {
        Work w = first;
        while (w != null) {
            try {
                w.run();
            } catch (RuntimeException e) {
                LOG.error("A migration pass failed unexpectedly", e);
            } catch (Error e) {
                start(takeReady(w), null);
                throw e;
            }
            w = start(takeReady(w), this);
        }
    }

    /** Releases the slots of a pass that will not run. */
    private void takeReadyAfter(Work w) {
        synchronized (this) {
            for (String name : endpointNames(w)) {
                int[] used = inUse.get(name);
                if (used != null) {
                    used[w.incremental() ? 1 : 0]--;
                }
            }
        }
    }

    /** Takes a slot of each endpoint of {@code w} if all have one; {@code full} remembers pools found full. */
    private boolean tryAcquire(Work w, Set<String> full) {
        List<String> names = endpointNames(w);
        int pool = w.incremental() ? 1 : 0;
        for (String name : names) {
            if (full.contains(name + "#" + pool)) {
                return false;
            }
        }
        for (String name : names) {
            MigrationEndpoint ep = endpoints.apply(name);
            int limit = ep == null ? 1 : (w.incremental() ? ep.maxConcurrentIncrementalSyncs() : ep.maxConcurrentMigrations());
            int used = inUse.getOrDefault(name, new int[2])[pool];
            if (used >= limit) {
                full.add(name + "#" + pool);
                return false;
            }
        }
        for (String name : names) {
            inUse.computeIfAbsent(name, k -> new int[2])[w.incremental() ? 1 : 0]++;
        }
        return true;
    }

    private static List<String> endpointNames(Work w) {
        String s = w.source().name();
        String t = w.target().name();
        return s.equals(t) ? List.of(s) : List.of(s, t);
    }

    /** Returns how many initial-sync and incremental slots of an endpoint are in use. */
    synchronized int[] slotsInUse(String endpointName) {
        return inUse.getOrDefault(endpointName, new int[2]).clone();
    }

    /** Drops queued work (each gets {@link Work#cancelled()}); running work is not touched. */
    void close() {
        List<Work> dropped;
        synchronized (this) {
            closed = true;
            dropped = queue.stream().map(Entry::work).toList();
            queue.clear();
        }
        dropped.forEach(Work::cancelled);
    }
}
