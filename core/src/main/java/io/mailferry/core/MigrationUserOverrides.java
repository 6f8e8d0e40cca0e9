package io.mailferry.core;

/**
 * Settings of one user that override the batch's (Exchange: a non-empty {@code BadItemLimit} or
 * {@code LargeItemLimit} cell of the migration CSV overrides the batch setting for that row; an empty
 * cell inherits it). A {@code null} component inherits the batch's {@link BatchOptions}.
 *
 * <pre>{@code
 * service.newBatch("wave-1")
 *         .users(entries)
 *         .badItemLimit(ItemLimit.ZERO)
 *         .userOverrides("terry@contoso.edu", new MigrationUserOverrides(ItemLimit.of(50), null))
 *         .create();
 * }</pre>
 *
 * <p>Like passwords, overrides are held in the service's memory, not in the store: after a restart of
 * the service hand them back with the users' passwords
 * ({@link MigrationBatch#addUsers(java.util.Collection, java.util.Map)}).
 *
 * @param badItemLimit   the user's {@code BadItemLimit}, or {@code null} for the batch's
 * @param largeItemLimit the user's {@code LargeItemLimit}, or {@code null} for the batch's
 */
public record MigrationUserOverrides(ItemLimit badItemLimit, ItemLimit largeItemLimit) {

    /** Nothing overridden: the user has the batch's settings. */
    public static final MigrationUserOverrides NONE = new MigrationUserOverrides(null, null);

    /** Returns {@code true} if nothing is overridden. */
    public boolean isEmpty() {
        return badItemLimit == null && largeItemLimit == null;
    }

    /**
     * Returns the {@code BadItemLimit} that applies to the user.
     *
     * @param batch the batch's options, not {@code null}
     * @return this user's limit if set, else the batch's
     */
    public ItemLimit badItemLimit(BatchOptions batch) {
        return badItemLimit != null ? badItemLimit : batch.badItemLimit();
    }

    /**
     * Returns the {@code LargeItemLimit} that applies to the user.
     *
     * @param batch the batch's options, not {@code null}
     * @return this user's limit if set, else the batch's
     */
    public ItemLimit largeItemLimit(BatchOptions batch) {
        return largeItemLimit != null ? largeItemLimit : batch.largeItemLimit();
    }
}
