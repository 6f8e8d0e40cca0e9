package io.mailferry.core;

import java.time.Instant;

/**
 * One user's own settings, overriding the batch's (Exchange: {@code Set-MigrationUser}
 * {@code -StartAfter -CompleteAfter -BadItemLimit -LargeItemLimit}, and the per-row columns of the
 * migration CSV). A {@code null} component means "as the batch says".
 *
 * @param startAfter     no data of this user moves before this time, or {@code null}
 * @param completeAfter  this user is completed by itself once synced and past this time (without
 *                       waiting for the batch to complete), or {@code null}
 * @param badItemLimit   this user's BadItemLimit, or {@code null}
 * @param largeItemLimit this user's LargeItemLimit, or {@code null}
 */
public record UserOverrides(Instant startAfter, Instant completeAfter, ItemLimit badItemLimit,
                            ItemLimit largeItemLimit) {

    /** No override: everything as the batch says. */
    public static final UserOverrides NONE = new UserOverrides(null, null, null, null);

    /** Returns {@code true} if nothing is overridden. */
    public boolean isEmpty() {
        return startAfter == null && completeAfter == null && badItemLimit == null && largeItemLimit == null;
    }

    /** @param time the user's StartAfter, or {@code null} @return a copy with it */
    public UserOverrides withStartAfter(Instant time) {
        return new UserOverrides(time, completeAfter, badItemLimit, largeItemLimit);
    }

    /** @param time the user's CompleteAfter, or {@code null} @return a copy with it */
    public UserOverrides withCompleteAfter(Instant time) {
        return new UserOverrides(startAfter, time, badItemLimit, largeItemLimit);
    }

    /** @param limit the user's BadItemLimit, or {@code null} @return a copy with it */
    public UserOverrides withBadItemLimit(ItemLimit limit) {
        return new UserOverrides(startAfter, completeAfter, limit, largeItemLimit);
    }

    /** @param limit the user's LargeItemLimit, or {@code null} @return a copy with it */
    public UserOverrides withLargeItemLimit(ItemLimit limit) {
        return new UserOverrides(startAfter, completeAfter, badItemLimit, limit);
    }

    /**
     * @param batch the batch's options
     * @return the BadItemLimit that applies to this user
     */
    public ItemLimit badItemLimit(BatchOptions batch) {
        return badItemLimit != null ? badItemLimit : batch.badItemLimit();
    }

    /**
     * @param batch the batch's options
     * @return the LargeItemLimit that applies to this user
     */
    public ItemLimit largeItemLimit(BatchOptions batch) {
        return largeItemLimit != null ? largeItemLimit : batch.largeItemLimit();
    }

    /**
     * @param batch the batch's options
     * @return the StartAfter that applies to this user, or {@code null}
     */
    public Instant startAfter(BatchOptions batch) {
        return startAfter != null ? startAfter : batch.startAfter();
    }
}
