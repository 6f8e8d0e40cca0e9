package io.mailferry.core;

import java.util.Objects;

/**
 * A new endpoint failed its connection test ({@code New-MigrationEndpoint} without
 * {@code -SkipVerification}); the endpoint was not created. The {@link #result() result} says
 * how far the test got.
 */
public class EndpointVerificationException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final transient ServerAvailability result;

    /**
     * @param endpointName the endpoint, not {@code null}
     * @param result       the failed test, not {@code null}
     */
    public EndpointVerificationException(String endpointName, ServerAvailability result) {
        super("Endpoint '" + endpointName + "' was not created: its connection test failed ("
                + Objects.requireNonNull(result, "result").summary()
                + "); fix the settings, or create it with skipVerification");
        this.result = result;
    }

    /** Returns the test's result. */
    public ServerAvailability result() {
        return result;
    }
}
