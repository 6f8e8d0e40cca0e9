package io.mailferry.ews.internal;

import java.util.Map;
import java.util.Objects;

/**
 * What the source connector keeps per folder between sessions to emulate CONDSTORE on top of
 * SyncFolderItems.
 *
 * <p>Message UIDs are Exchange's own per-folder article numbers (PR_INTERNET_ARTICLE_NUMBER, the
 * UIDs of Exchange's IMAP service), so nothing here is needed to name a message: losing this state
 * costs one full enumeration of the folder and one full flag comparison, never a duplicate.
 *
 * @param syncState      the last SyncState Exchange returned, or {@code null} before the first page
 * @param baselineModSeq MODSEQ of every item enumerated before the state existed; a change asked for
 *                       since an older MODSEQ returns every item
 * @param highestModSeq  the folder's HIGHESTMODSEQ: changes only ever raise it
 * @param changed        ItemId → MODSEQ of the items created or changed since the baseline; unmodifiable
 * @param baselineComplete {@code true} once the first enumeration reached the end of the folder;
 *                       until then, items SyncFolderItems reports belong to the baseline
 */
public record FolderSyncData(String syncState, long baselineModSeq, long highestModSeq, Map<String, Long> changed,
                             boolean baselineComplete) {

    /** Validates and copies. */
    public FolderSyncData {
        Objects.requireNonNull(changed, "changed");
        changed = Map.copyOf(changed);
    }

    /**
     * @param modSeq the MODSEQ of "now"
     * @return a state before the first SyncFolderItems page
     */
    public static FolderSyncData fresh(long modSeq) {
        return new FolderSyncData(null, modSeq, modSeq, Map.of(), false);
    }

    /**
     * @param itemId an ItemId
     * @return the item's MODSEQ
     */
    public long modSeqOf(String itemId) {
        Long m = changed.get(itemId);
        return m != null ? m : baselineModSeq;
    }
}
