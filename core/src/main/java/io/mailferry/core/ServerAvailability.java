package io.mailferry.core;

import io.mailferry.core.spi.ConnectorException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of a connection test ({@code Test-MigrationServerAvailability}): how far the test got
 * — reached the server, negotiated TLS, logged in — what the server offers, how long it took to
 * answer and, if it failed, why. Produced by
 * {@link MigrationService#testServerAvailability(MigrationEndpoint)} and by connectors
 * ({@link io.mailferry.core.spi.ConnectorProvider#testConnection}); never only an exception.
 *
 * @param endpointName           the tested endpoint's name, never {@code null}
 * @param host                   the host tested, never {@code null}
 * @param port                   the port tested
 * @param security               the transport security asked for, never {@code null}
 * @param reachable              {@code true} if a connection was made and the server greeted
 * @param tls                    {@code true} if the connection was protected by TLS (SSL from the
 *                               first byte, or STARTTLS completed); {@code false} for
 *                               {@link Security#NONE} or when TLS failed
 * @param authenticationAttempted {@code true} if the test logged in (it needs credentials)
 * @param authenticated          {@code true} if the login succeeded
 * @param capabilities           what the server announced (for IMAP its {@code CAPABILITY} list,
 *                               after login when the test logged in), never {@code null}
 * @param latency                time from opening the connection to the server's greeting (TLS
 *                               handshake included), or {@code null} if the server was not reached
 * @param failure                why the test failed, or {@code null} if it succeeded
 * @param message                the failure's description (the server's own words where there are
 *                               any; never a secret), or {@code null} if it succeeded
 */
public record ServerAvailability(
        String endpointName,
        String host,
        int port,
        Security security,
        boolean reachable,
        boolean tls,
        boolean authenticationAttempted,
        boolean authenticated,
        List<String> capabilities,
        Duration latency,
        Failure failure,
        String message) {

    /** Why a connection test failed. */
    public enum Failure {
        /** The server could not be reached: name not resolved, connection refused, timeout. */
        CONNECTION,
        /** TLS could not be negotiated, or the certificate was not trusted. */
        TLS,
        /** The server refused the credentials. */
        AUTHENTICATION,
        /** The server asked the client to slow down or is temporarily unavailable. */
        THROTTLED,
        /** The server answered something unexpected, or the connection broke. */
        PROTOCOL,
        /** The connector cannot run this test (e.g. without credentials). */
        NOT_SUPPORTED;

        /**
         * Maps a connector failure kind.
         *
         * @param kind the kind, not {@code null}
         * @return the failure
         */
        public static Failure of(ConnectorException.Kind kind) {
            return switch (kind) {
                case CONNECTION -> CONNECTION;
                case TLS -> TLS;
                case AUTHENTICATION -> AUTHENTICATION;
                case THROTTLED -> THROTTLED;
                default -> PROTOCOL;
            };
        }
    }

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if a required component is {@code null}
     * @throws IllegalArgumentException if a failure has no message or a success has one
     */
    public ServerAvailability {
        Objects.requireNonNull(endpointName, "endpointName");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        capabilities = List.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        if ((failure == null) != (message == null)) {
            throw new IllegalArgumentException("a failure needs a message, a success has none");
        }
    }

    /**
     * A successful test.
     *
     * @param endpoint      the endpoint
     * @param tls           whether TLS protected the connection
     * @param authenticated whether the test logged in
     * @param capabilities  what the server announced
     * @param latency       time to the greeting
     * @return the result
     */
    public static ServerAvailability success(MigrationEndpoint endpoint, boolean tls, boolean authenticated,
                                             List<String> capabilities, Duration latency) {
        return new ServerAvailability(endpoint.name(), endpoint.host(), endpoint.port(), endpoint.security(), true, tls,
                authenticated, authenticated, capabilities, latency, null, null);
    }

    /**
     * A failed test.
     *
     * @param endpoint                the endpoint
     * @param reachable               whether the server was reached
     * @param tls                     whether TLS was negotiated
     * @param authenticationAttempted whether a login was tried
     * @param capabilities            what the server announced before the failure
     * @param latency                 time to the greeting, or {@code null}
     * @param failure                 why it failed
     * @param message                 what happened
     * @return the result
     */
    public static ServerAvailability failure(MigrationEndpoint endpoint, boolean reachable, boolean tls,
                                             boolean authenticationAttempted, List<String> capabilities,
                                             Duration latency, Failure failure, String message) {
        return new ServerAvailability(endpoint.name(), endpoint.host(), endpoint.port(), endpoint.security(), reachable,
                tls, authenticationAttempted, false, capabilities, latency, Objects.requireNonNull(failure, "failure"),
                Objects.requireNonNull(message, "message"));
    }

    /** Returns {@code true} if the test succeeded (reached, secured as asked, logged in if it tried). */
    public boolean isSuccess() {
        return failure == null;
    }

    /** Returns a one-line summary, e.g. {@code imap.example.org:993 reachable, TLS, authenticated, 42 ms}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(host + ":" + port);
        sb.append(reachable ? " reachable" : " not reachable");
        if (reachable) {
            sb.append(tls ? ", TLS" : security == Security.NONE ? ", plaintext" : ", no TLS");
            if (authenticationAttempted) {
                sb.append(authenticated ? ", authenticated" : ", not authenticated");
            }
        }
        if (latency != null) {
            sb.append(", ").append(latency.toMillis()).append(" ms");
        }
        if (failure != null) {
            sb.append(": ").append(failure).append(": ").append(message);
        }
        return sb.toString();
    }
}
