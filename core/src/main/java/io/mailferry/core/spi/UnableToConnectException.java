package io.mailferry.core.spi;

/**
 * The server could not be reached, or the secure connection could not be established.
 */
public class UnableToConnectException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param kind    {@link Kind#CONNECTION} or {@link Kind#TLS}
     * @param message what happened, naming host and port
     * @param cause   the underlying exception
     */
    public UnableToConnectException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
