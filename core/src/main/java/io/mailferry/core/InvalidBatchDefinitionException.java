package io.mailferry.core;

/**
 * A batch cannot be created as described: name too long or taken, endpoint missing, duplicate or
 * conflicting users.
 */
public class InvalidBatchDefinitionException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it
     */
    public InvalidBatchDefinitionException(String message) {
        super(message);
    }
}
