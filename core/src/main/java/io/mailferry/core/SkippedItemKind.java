package io.mailferry.core;

/**
 * Why an item was not migrated; decides which limit it counts against.
 */
public enum SkippedItemKind {
    /** The source could not deliver it (corrupt, vanished, server error). Counts against BadItemLimit. */
    CORRUPT(false),
    /** The target refused it (e.g. {@code NO} to APPEND). Counts against BadItemLimit. */
    REFUSED_BY_TARGET(false),
    /** Larger than the batch's or the target's maximum message size. Counts against LargeItemLimit. */
    LARGE_ITEM(true);

    private final boolean large;

    SkippedItemKind(boolean large) {
        this.large = large;
    }

    /** Returns {@code true} if this kind counts against LargeItemLimit rather than BadItemLimit. */
    public boolean isLarge() {
        return large;
    }
}
