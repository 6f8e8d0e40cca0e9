package io.mailferry.core.spi;

/**
 * The server refused the credentials (wrong password, unknown user, no right to impersonate).
 */
public class AuthenticationFailedException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what the server said, without the password
     */
    public AuthenticationFailedException(String message) {
        super(Kind.AUTHENTICATION, message);
    }

    /**
     * @param message what the server said, without the password
     * @param cause   the underlying exception
     */
    public AuthenticationFailedException(String message, Throwable cause) {
        super(Kind.AUTHENTICATION, message, cause);
    }
}
