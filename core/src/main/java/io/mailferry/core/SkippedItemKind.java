package io.mailferry.core;

/**
 * Why an item was not migrated; decides which limit, if any, it counts against.
 */
public enum SkippedItemKind {
    /** The source could not deliver it (corrupt, vanished, server error). Counts against BadItemLimit. */
    CORRUPT(false, true),
    /** The target refused it (e.g. {@code NO} to APPEND). Counts against BadItemLimit. */
    REFUSED_BY_TARGET(false, true),
    /** Larger than the batch's or the target's maximum message size. Counts against LargeItemLimit. */
    LARGE_ITEM(true, true),
    /**
     * A whole source folder whose items this migration cannot move, e.g. an Exchange calendar,
     * contacts or tasks folder when the target is IMAP ({@link io.mailferry.core.spi.SkippedFolder}).
     * One item per folder, with {@link SkippedItem#sourceUid()} 0, the folder's size in
     * {@link SkippedItem#size()} when known and its item count in the reason. Counts against no
     * limit: it is a consequence of the migration's direction, not a fault of the mailbox.
     */
    NON_MAIL_FOLDER(false, false),
    /**
     * A message shown in several source folders (one per Gmail label) was copied once, but the
     * target refused to show that copy in this item's folder too
     * ({@link io.mailferry.core.spi.TargetMailbox#addLabels}, e.g. {@code NO} to Gmail's
     * {@code STORE +X-GM-LABELS}). {@link SkippedItem#folder()} and
     * {@link SkippedItem#sourceUid()} name the message in the folder whose label is missing; the
     * message itself is on the target. Counts against no limit: no mail is lost.
     */
    LABEL_NOT_ADDED(false, false);

    private final boolean large;
    private final boolean limited;

    SkippedItemKind(boolean large, boolean limited) {
        this.large = large;
        this.limited = limited;
    }

    /**
     * Returns {@code true} if this kind counts against LargeItemLimit rather than BadItemLimit
     * (when it counts against a limit at all, see {@link #countsAgainstLimits()}).
     */
    public boolean isLarge() {
        return large;
    }

    /**
     * Returns {@code true} if items of this kind count against BadItemLimit or LargeItemLimit;
     * {@code false} for {@link #NON_MAIL_FOLDER}.
     */
    public boolean countsAgainstLimits() {
        return limited;
    }
}
