package io.mailferry.core;

/**
 * No batch has the given name.
 */
public class NoSuchBatchException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param batchName the name that was looked up
     */
    public NoSuchBatchException(String batchName) {
        super("No migration batch named '" + batchName + "'");
    }
}
