package io.mailferry.core.spi;

import io.mailferry.core.MigrationException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A connector could not do what was asked. The {@link Kind} tells the engine what to do about it;
 * the message tells the administrator what happened (the server's own words where there are any)
 * and never contains a secret.
 */
public class ConnectorException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Kind {
        /** The server cannot be reached (DNS, refused, timeout). Retried, then the user fails. */
        CONNECTION(true),
        /** TLS could not be negotiated or the certificate was not trusted. The user fails. */
        TLS(false),
        /** The server refused the credentials. The user fails at once. */
        AUTHENTICATION(false),
        /** The folder does not exist. */
        FOLDER_NOT_FOUND(false),
        /** The server refused an operation ({@code NO}). */
        REFUSED(false),
        /** The mailbox is over quota. The user fails. */
        QUOTA(false),
        /** The server asks the client to slow down or is temporarily unavailable. Retried. */
        THROTTLED(true),
        /** The server said something unexpected, or the connection broke mid-command. Retried. */
        PROTOCOL(true);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** Returns {@code true} if retrying later may succeed. */
        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    /**
     * @param kind    the kind of failure
     * @param message what happened
     */
    public ConnectorException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = null;
    }

    /**
     * A failure that names how long to wait before trying again (a throttling server's back-off
     * hint, e.g. Microsoft 365's "Suggested Backoff Time").
     *
     * @param kind       the kind of failure, normally {@link Kind#THROTTLED}
     * @param message    what happened
     * @param retryAfter how long the server asked the client to wait, or {@code null}
     */
    public ConnectorException(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter == null || retryAfter.isNegative() ? null : retryAfter;
    }

    /**
     * @param kind    the kind of failure
     * @param message what happened
     * @param cause   the underlying exception
     */
    public ConnectorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = null;
    }

    /**
     * Returns how long the server asked to wait before the next attempt, if it said so. The engine
     * waits at least this long before it reconnects.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Returns the kind of failure. */
    public Kind kind() {
        return kind;
    }

    /** Returns {@code true} if retrying later may succeed. */
    public boolean isTransient() {
        return kind.isTransient();
    }
}
