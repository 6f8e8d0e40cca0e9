package io.mailferry.ews.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before sending a request again, per {@link EwsFault}:
 * <ul>
 *   <li>{@code ErrorServerBusy}: the server's {@code BackOffMilliseconds} (capped at the maximum
 *       delay) plus up to 10% jitter, never less than asked;</li>
 *   <li>HTTP 503, {@code ErrorExceededConnectionCount}, timeouts, broken answers: exponential
 *       back-off from the initial delay, doubling per attempt up to the maximum delay, with "equal
 *       jitter" (half fixed, half random) so that many mailboxes do not retry in step;</li>
 *   <li>everything else: no retry.</li>
 * </ul>
 * Immutable and thread-safe (the random generator must be, e.g. {@link java.util.concurrent.ThreadLocalRandom}).
 */
public final class RetryPolicy {

    /**
     * @param maxAttempts  retries after the first try
     * @param initialDelay first exponential delay
     * @param maxDelay     longest delay
     */
    public record Settings(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        /** Validates. */
        public Settings {
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
        }
    }

    private final Settings settings;
    private final RandomGenerator random;

    /**
     * @param settings the limits
     * @param random   jitter source
     */
    public RetryPolicy(Settings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns the limits. */
    public Settings settings() {
        return settings;
    }

    /**
     * @param fault   what went wrong
     * @param attempt how many retries were already made (0 after the first failure)
     * @return the wait before the next try, or empty to give up
     */
    public Optional<Duration> delay(EwsFault fault, int attempt) {
        if (!fault.retryable() || attempt >= settings.maxAttempts()) {
            return Optional.empty();
        }
        long max = settings.maxDelay().toMillis();
        if (fault.kind() == EwsFault.Kind.THROTTLED && fault.backOff() != null) {
            long asked = Math.min(fault.backOff().toMillis(), max);
            long jitter = asked / 10 <= 0 ? 0 : random.nextLong(asked / 10 + 1);
            return Optional.of(Duration.ofMillis(asked + jitter));
        }
        long base = settings.initialDelay().toMillis();
        long exp = base << Math.min(attempt, 30);
        if (exp <= 0 || exp > max) {
            exp = max;
        }
        long half = exp / 2;
        return Optional.of(Duration.ofMillis(half + (half <= 0 ? 0 : random.nextLong(half + 1))));
    }
}
