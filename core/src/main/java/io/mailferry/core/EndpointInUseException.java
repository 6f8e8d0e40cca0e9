package io.mailferry.core;

import java.util.List;

/**
 * An endpoint cannot be changed or removed because batches use it: a change is refused while a
 * batch using it is running ({@link BatchStatus#isActive()}), a removal while any batch uses it.
 * The message names the batches.
 */
public class EndpointInUseException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String endpointName;
    private final List<String> batchNames;

    /**
     * @param endpointName the endpoint, not {@code null}
     * @param batchNames   the batches in the way, not {@code null}
     * @param message      what was refused and what to do
     */
    public EndpointInUseException(String endpointName, List<String> batchNames, String message) {
        super(message);
        this.endpointName = endpointName;
        this.batchNames = List.copyOf(batchNames);
    }

    /** Returns the endpoint's name. */
    public String endpointName() {
        return endpointName;
    }

    /** Returns the batches that use it. */
    public List<String> batchNames() {
        return batchNames;
    }
}
