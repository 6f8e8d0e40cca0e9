package io.mailferry.core;

/**
 * Root of MailFerry's exceptions. Unchecked; messages say what went wrong and what to do, and
 * never contain a password or token.
 */
public class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, for the administrator
     */
    public MigrationException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for the administrator
     * @param cause   the underlying problem
     */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
