package io.mailferry.core;

/**
 * No endpoint has the given name.
 */
public class NoSuchEndpointException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpointName the name that was looked up
     */
    public NoSuchEndpointException(String endpointName) {
        super("No migration endpoint named '" + endpointName + "'");
    }
}
