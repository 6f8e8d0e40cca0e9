package io.mailferry.ews;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EwsConnectorProvider#testExchange} found out about an Exchange endpoint, step by
 * step, the way {@code Test-MigrationServerAvailability} reports it. Immutable; never holds a
 * secret.
 *
 * @param url            the EWS URL used (given, built from the host, or found by Autodiscover),
 *                       or {@code null} if none was found
 * @param reachable      a TCP connection (and, for HTTPS, a TLS handshake) succeeded
 * @param tls            {@code true} if the connection is HTTPS with a verified certificate (or an
 *                       accepted untrusted one, see {@code acceptUntrustedCertificates}); {@code false}
 *                       for plain HTTP or a failed handshake
 * @param authenticated  EWS accepted the credentials
 * @param impersonation  {@link Check#PASSED} if the service account may impersonate the test
 *                       mailbox (ApplicationImpersonation), {@link Check#NOT_TESTED} without
 *                       impersonation
 * @param serverVersion  the version Exchange reported (e.g. {@code 15.1.2507.6 (V2017_07_11)}), or
 *                       {@code null}
 * @param latency        the duration of one simple request, or {@code null}
 * @param errorKind      what failed first, or {@code null} when everything passed
 * @param errorMessage   the server's or the client's words on it, or {@code null}
 * @param steps          the steps in order, each with its outcome
 */
public record EwsConnectionTest(String url, boolean reachable, boolean tls, boolean authenticated, Check impersonation,
                                String serverVersion, Duration latency, String errorKind, String errorMessage,
                                List<Step> steps) {

    /** The outcome of a check that may not apply. */
    public enum Check {
        /** It passed. */
        PASSED,
        /** It failed. */
        FAILED,
        /** It did not apply or could not be reached. */
        NOT_TESTED
    }

    /**
     * One step of the test.
     *
     * @param name    e.g. {@code autodiscover}, {@code connect}, {@code authenticate}, {@code impersonate}
     * @param outcome its outcome
     * @param detail  what happened
     */
    public record Step(String name, Check outcome, String detail) {
        /** Validates. */
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Copies the steps. */
    public EwsConnectionTest {
        Objects.requireNonNull(impersonation, "impersonation");
        steps = List.copyOf(steps);
    }

    /** Returns {@code true} if every step that applied passed. */
    public boolean successful() {
        return errorKind == null;
    }
}
