package io.mailferry.core;

/**
 * No user has the given e-mail address (in the batch, or in any batch of the service).
 */
public class NoSuchUserException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param emailAddress the address that was looked up
     * @param where        where it was looked up, e.g. {@code batch 'wave-1'}
     */
    public NoSuchUserException(String emailAddress, String where) {
        super("No migration user " + emailAddress + " in " + where);
    }
}
