package io.mailferry.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The checkpoint of one source folder of one mailbox: what has been copied, so the next pass copies
 * only what is new and brings flags up to date (DESIGN "The sync").
 *
 * <p>Invariant: every source message with a UID up to {@code highestUid} under
 * {@code sourceUidValidity} has been dealt with: copied (then it is in {@code uidMap}) or recorded
 * as a skipped item.
 *
 * @param mailboxKey        identifies the source/target mailbox pair (see
 *                          {@link UserRecord#mailboxKey()}), never {@code null}
 * @param sourceFolder      source folder name, never {@code null}
 * @param sourceUidValidity the source folder's UIDVALIDITY these UIDs belong to
 * @param highestUid        highest source UID dealt with, 0 if none
 * @param highestModSeq     the source folder's HIGHESTMODSEQ when flags were last brought up to
 *                          date, 0 without CONDSTORE
 * @param targetFolder      target folder name, never {@code null}
 * @param targetUidValidity the target folder's UIDVALIDITY the target UIDs in {@code uidMap}
 *                          belong to, 0 if unknown
 * @param uidMap            source UID → target UID of every copied message, never {@code null}
 * @param lastSyncedAt      end of the last pass over this folder, or {@code null}
 */
public record FolderSyncState(
        String mailboxKey,
        String sourceFolder,
        long sourceUidValidity,
        long highestUid,
        long highestModSeq,
        String targetFolder,
        long targetUidValidity,
        UidMap uidMap,
        Instant lastSyncedAt) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is {@code null}
     */
    public FolderSyncState {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(uidMap, "uidMap");
    }

    /**
     * A folder never synced.
     *
     * @param mailboxKey        the mailbox pair
     * @param sourceFolder      source folder
     * @param sourceUidValidity its UIDVALIDITY
     * @param targetFolder      target folder
     * @return an empty state
     */
    public static FolderSyncState initial(String mailboxKey, String sourceFolder, long sourceUidValidity,
                                          String targetFolder) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, 0, 0, targetFolder, 0,
                UidMap.EMPTY, null);
    }

    /**
     * @param highestUid new highest UID dealt with
     * @param uidMap     new map
     * @param targetUidValidity target UIDVALIDITY of the map's target UIDs
     * @return a copy with copy progress
     */
    public FolderSyncState withProgress(long highestUid, UidMap uidMap, long targetUidValidity) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, uidMap, lastSyncedAt);
    }

    /**
     * @param highestModSeq source HIGHESTMODSEQ up to which flags are in sync
     * @param lastSyncedAt  end of the pass
     * @return a copy marking the end of a pass
     */
    public FolderSyncState withPassEnd(long highestModSeq, Instant lastSyncedAt) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, uidMap, lastSyncedAt);
    }
}
