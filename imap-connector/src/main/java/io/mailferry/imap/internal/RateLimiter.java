package io.mailferry.imap.internal;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.ConnectorException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces the messages and bytes moved to or from one endpoint ({@code imap.rate.*}): every
 * {@link #acquire} reserves its share of the endpoint's budget and waits until the reservation's
 * time has come, so the long-run rate never exceeds the limit whatever the number of mailboxes
 * migrated at once in this JVM. The first request of an idle endpoint goes at once. Thread-safe.
 */
final class RateLimiter {

    /** A limiter that never waits. */
    static final RateLimiter NONE = new RateLimiter(0, 0, System::nanoTime, RateLimiter::sleep);

    private static final Map<String, RateLimiter> BY_ENDPOINT = new ConcurrentHashMap<>();

    /** Waits; replaceable in tests. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double bytesPerNano;
    private final double messagesPerNano;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    /** When the budget is next free, in {@link #clock} nanoseconds. */
    private long nextFree = Long.MIN_VALUE;

    RateLimiter(long bytesPerSecond, double messagesPerSecond, LongSupplier clock, Sleeper sleeper) {
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.messagesPerNano = messagesPerSecond / 1e9;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The endpoint's limiter, shared by all its sessions in this JVM; {@link #NONE} without limits. */
    static RateLimiter of(MigrationEndpoint endpoint, ImapSettings settings) {
        if (settings.bytesPerSecond() <= 0 && settings.messagesPerSecond() <= 0) {
            return NONE;
        }
        String key = endpoint.name() + "|" + endpoint.host() + ":" + endpoint.port() + "|" + settings.bytesPerSecond()
                + "|" + settings.messagesPerSecond();
        return BY_ENDPOINT.computeIfAbsent(key, k -> new RateLimiter(settings.bytesPerSecond(),
                settings.messagesPerSecond(), System::nanoTime, RateLimiter::sleep));
    }

    /** Returns {@code true} if this limiter never waits. */
    boolean unlimited() {
        return bytesPerNano <= 0 && messagesPerNano <= 0;
    }

    /**
     * Reserves the budget for some messages and waits for it.
     *
     * @param messages messages about to be moved
     * @param bytes    their bytes
     * @return the nanoseconds waited
     * @throws ConnectorException if interrupted while waiting (the interrupt flag is kept)
     */
    long acquire(long messages, long bytes) {
        if (unlimited()) {
            return 0;
        }
        double cost = Math.max(bytesPerNano > 0 ? bytes / bytesPerNano : 0,
                messagesPerNano > 0 ? messages / messagesPerNano : 0);
        long wait;
        synchronized (this) {
            long now = clock.getAsLong();
            long start = nextFree == Long.MIN_VALUE || nextFree < now ? now : nextFree;
            nextFree = start + (long) Math.ceil(cost);
            wait = start - now;
        }
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "Interrupted while pacing to the "
                        + "endpoint's rate limit");
            }
        }
        return Math.max(0, wait);
    }

    private static void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
