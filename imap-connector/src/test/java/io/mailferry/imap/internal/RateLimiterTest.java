package io.mailferry.imap.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private long now;
    private final List<Long> slept = new ArrayList<>();

    private RateLimiter limiter(long bytesPerSecond, double messagesPerSecond) {
        return new RateLimiter(bytesPerSecond, messagesPerSecond, () -> now, nanos -> {
            slept.add(nanos);
            now += nanos;
        });
    }

    @Test
    void theFirstRequestGoesAtOnceAndTheNextWaitsForTheBudgetOfTheFirst() {
        RateLimiter r = limiter(1000, 0);

        assertThat(r.acquire(1, 500)).isZero();
        assertThat(r.acquire(1, 1000)).isEqualTo(500_000_000L);
        assertThat(r.acquire(1, 10)).isEqualTo(1_000_000_000L);
        assertThat(slept).containsExactly(500_000_000L, 1_000_000_000L);
    }

    @Test
    void theStricterOfTheTwoLimitsWins() {
        RateLimiter r = limiter(1_000_000, 4);

        r.acquire(2, 100);
        assertThat(r.acquire(1, 100)).as("2 messages at 4/s").isEqualTo(500_000_000L);
    }

    @Test
    void anIdleEndpointBuildsUpNoCredit() {
        RateLimiter r = limiter(0, 10);
        r.acquire(1, 0);
        now += 5_000_000_000L;

        assertThat(r.acquire(10, 0)).isZero();
        assertThat(r.acquire(1, 0)).isEqualTo(1_000_000_000L);
    }

    @Test
    void withoutLimitsNothingWaits() {
        assertThat(RateLimiter.NONE.unlimited()).isTrue();
        assertThat(RateLimiter.NONE.acquire(1000, 1L << 40)).isZero();
    }
}
