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
 * @param uidMap            source UID → target UID of every copied message, never {@code null};
 *                          it may hold pairs above {@code highestUid} (messages matched to
 *                          messages already on the target, or resolved after an interrupted
 *                          append), which a pass then does not copy again
 * @param lastSyncedAt      end of the last pass over this folder, or {@code null}
 * @param inFlight          an append that was started and not yet checkpointed, or {@code null}:
 *                          its messages may or may not be on the target (see
 *                          {@link InFlightAppend})
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
        Instant lastSyncedAt,
        InFlightAppend inFlight) {

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
     * A state without an in-flight append.
     *
     * @param mailboxKey        the mailbox pair
     * @param sourceFolder      source folder
     * @param sourceUidValidity its UIDVALIDITY
     * @param highestUid        highest source UID dealt with
     * @param highestModSeq     HIGHESTMODSEQ of the last flag sync, or 0
     * @param targetFolder      target folder
     * @param targetUidValidity target UIDVALIDITY of the map's target UIDs, or 0
     * @param uidMap            the copied messages
     * @param lastSyncedAt      end of the last pass, or {@code null}
     * @throws NullPointerException if a required component is {@code null}
     */
    public FolderSyncState(String mailboxKey, String sourceFolder, long sourceUidValidity, long highestUid,
                           long highestModSeq, String targetFolder, long targetUidValidity, UidMap uidMap,
                           Instant lastSyncedAt) {
        this(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq, targetFolder, targetUidValidity,
                uidMap, lastSyncedAt, null);
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
                UidMap.EMPTY, null, null);
    }

    /**
     * @param highestUid new highest UID dealt with
     * @param uidMap     new map
     * @param targetUidValidity target UIDVALIDITY of the map's target UIDs
     * @return a copy with copy progress
     */
    public FolderSyncState withProgress(long highestUid, UidMap uidMap, long targetUidValidity) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, uidMap, lastSyncedAt, inFlight);
    }

    /**
     * @param highestModSeq source HIGHESTMODSEQ up to which flags are in sync
     * @param lastSyncedAt  end of the pass
     * @return a copy marking the end of a pass
     */
    public FolderSyncState withPassEnd(long highestModSeq, Instant lastSyncedAt) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, uidMap, lastSyncedAt, inFlight);
    }

    /**
     * @param append the append about to be sent, or {@code null} once it is checkpointed
     * @return a copy with that in-flight append
     */
    public FolderSyncState withInFlight(InFlightAppend append) {
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, uidMap, lastSyncedAt, append);
    }
}
