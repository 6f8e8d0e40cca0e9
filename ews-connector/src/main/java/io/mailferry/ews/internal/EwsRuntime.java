package io.mailferry.ews.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * What all sessions of one provider share: counters, the per-service-account request limits, the
 * memory budget, the folders' sync states, Autodiscover results and the MODSEQ clock.
 * Thread-safe.
 */
public final class EwsRuntime {
    private final EwsCounters counters = new EwsCounters();
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final ConcurrentMap<String, Semaphore> limiters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, MemoryBudget> budgets = new ConcurrentHashMap<>();
    private final SyncStateStore memoryStates = SyncStateStore.inMemory();
    private final ConcurrentMap<Path, SyncStateStore> directoryStates = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, URI> discovered = new ConcurrentHashMap<>();
    private final AtomicLong lastModSeq = new AtomicLong();

    /**
     * @param sleeper how to wait out back-offs
     * @param random  jitter source, thread-safe
     */
    public EwsRuntime(Sleeper sleeper, RandomGenerator random) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns a runtime that really sleeps, with thread-local random jitter. */
    public static EwsRuntime standard() {
        return new EwsRuntime(Sleeper.REAL, new RandomGenerator() {
            @Override
            public long nextLong() {
                return ThreadLocalRandom.current().nextLong();
            }
        });
    }

    /** Returns the counters. */
    public EwsCounters counters() {
        return counters;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    RandomGenerator random() {
        return random;
    }

    /** Returns the request limit of the settings' service account on its endpoint. */
    Semaphore limiter(EwsSettings s) {
        String key = s.endpointName() + "|" + s.login().toLowerCase(Locale.ROOT);
        return limiters.computeIfAbsent(key, k -> new Semaphore(s.maxConcurrentRequests(), true));
    }

    /** Returns the memory budget of the given size (one per distinct size). */
    MemoryBudget budget(long capacity) {
        return budgets.computeIfAbsent(capacity, MemoryBudget::new);
    }

    /** Returns where the settings keep their folders' sync states. */
    SyncStateStore states(EwsSettings s) {
        return s.stateDirectory() == null ? memoryStates
                : directoryStates.computeIfAbsent(s.stateDirectory().toAbsolutePath(), SyncStateStore::directory);
    }

    /** Returns the EWS URL Autodiscover found earlier for this endpoint and address, or {@code null}. */
    URI discovered(String endpointName, String address) {
        return discovered.get(endpointName + "|" + address.toLowerCase(Locale.ROOT));
    }

    void discovered(String endpointName, String address, URI url) {
        discovered.put(endpointName + "|" + address.toLowerCase(Locale.ROOT), url);
    }

    /**
     * Returns a new MODSEQ: above every earlier one, and derived from the clock (microseconds) so
     * that a state started after a restart is above the MODSEQs handed out before it.
     */
    long nextModSeq() {
        long now = System.currentTimeMillis() * 1000;
        return lastModSeq.updateAndGet(prev -> Math.max(prev + 1, now));
    }
}
