package io.mailferry.core.notification;

import io.mailferry.core.MigrationException;

/**
 * A {@link Notification} could not be sent. The message says what failed and where (e.g.
 * {@code Could not send the e-mail through smtp.example.org:587 (STARTTLS): connection refused}) and
 * never contains a password or token. Sending is never part of a migration: whoever catches this logs
 * and records it, and the batch carries on.
 */
public class NotificationException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without secrets
     */
    public NotificationException(String message) {
        super(message);
    }

    /**
     * @param message what failed, without secrets
     * @param cause   the underlying problem, or {@code null}; its message must not contain secrets either
     */
    public NotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
