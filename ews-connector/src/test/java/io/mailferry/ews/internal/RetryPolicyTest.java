package io.mailferry.ews.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(new RetryPolicy.Settings(5, Duration.ofSeconds(1),
            Duration.ofMinutes(2)), RandomGenerator.of("L64X128MixRandom"));

    @Test
    void serverBusyWaitsAtLeastTheBackOffAndAtMostTenPercentMore() {
        EwsFault busy = EwsFault.fromCode("ErrorServerBusy", "busy", Duration.ofMillis(30_000));
        for (int i = 0; i < 100; i++) {
            assertThat(policy.delay(busy, 0).orElseThrow().toMillis()).isBetween(30_000L, 33_000L);
        }
        EwsFault huge = EwsFault.fromCode("ErrorServerBusy", "busy", Duration.ofHours(1));
        assertThat(policy.delay(huge, 0).orElseThrow()).isLessThanOrEqualTo(Duration.ofSeconds(132));
    }

    @Test
    void otherTransientFaultsBackOffExponentiallyWithJitterUpToTheMaximum() {
        EwsFault busy = EwsFault.fromCode("ErrorExceededConnectionCount", "too many", null);
        for (int attempt = 0; attempt < 5; attempt++) {
            long ceiling = Math.min(1000L << attempt, 120_000);
            assertThat(policy.delay(busy, attempt).orElseThrow().toMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(policy.delay(busy, 5)).as("attempts spent").isEmpty();
    }

    @Test
    void permanentFaultsAreNotRetried() {
        assertThat(policy.delay(EwsFault.fromCode("ErrorItemNotFound", "gone", null), 0)).isEmpty();
        assertThat(policy.delay(EwsFault.fromCode("ErrorInvalidSyncStateData", "stale", null), 0)).isEmpty();
        assertThat(policy.delay(EwsFault.fromCode("ErrorImpersonateUserDenied", "no", null), 0)).isEmpty();
    }

    @Test
    void faultsAreClassifiedByWhatToDoAboutThem() {
        assertThat(EwsFault.fromCode("ErrorServerBusy", "", null).kind()).isEqualTo(EwsFault.Kind.THROTTLED);
        assertThat(EwsFault.fromCode("ErrorExceededConnectionCount", "", null).notProcessed()).isTrue();
        assertThat(EwsFault.fromCode("ErrorTimeoutExpired", "", null).notProcessed()).as("may have been done").isFalse();
        assertThat(EwsFault.fromCode("ErrorQuotaExceeded", "", null).toException("x", null).kind())
                .isEqualTo(io.mailferry.core.spi.ConnectorException.Kind.QUOTA);
        assertThat(EwsFault.fromCode("ErrorFolderNotFound", "", null).toException("x", null).kind())
                .isEqualTo(io.mailferry.core.spi.ConnectorException.Kind.FOLDER_NOT_FOUND);
        assertThat(EwsFault.classify(new java.net.SocketTimeoutException("Read timed out")).kind())
                .isEqualTo(EwsFault.Kind.TRANSIENT);
        assertThat(EwsFault.classify(new javax.net.ssl.SSLHandshakeException("PKIX")).kind())
                .isEqualTo(EwsFault.Kind.TLS);
    }
}
