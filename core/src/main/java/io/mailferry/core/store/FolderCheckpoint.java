package io.mailferry.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A folder's progress as the engine records it after each chunk: the folder's new checkpoint
 * values and only the source-UID → target-UID pairs added since the stored state, so that a
 * checkpoint costs what is new, not what the folder holds
 * ({@link MigrationStore#saveFolderCheckpoint}).
 *
 * <p>Applied to the stored {@link FolderSyncState} ({@link #applyTo}), every component replaces
 * the stored one, except the map, which becomes the stored map plus {@code addedPairs} (an added
 * pair replaces a stored pair of the same source UID).
 *
 * @param mailboxKey        the mailbox pair (see {@link UserRecord#mailboxKey()}), never {@code null}
 * @param sourceFolder      source folder name, never {@code null}
 * @param sourceUidValidity the source folder's UIDVALIDITY
 * @param highestUid        highest source UID dealt with (see {@link FolderSyncState})
 * @param highestModSeq     source HIGHESTMODSEQ of the last flag sync, 0 without CONDSTORE
 * @param targetFolder      target folder name, never {@code null}
 * @param targetUidValidity the target folder's UIDVALIDITY of the map's target UIDs, 0 if unknown
 * @param addedPairs        pairs copied (or matched) since the stored state, possibly empty,
 *                          never {@code null}
 * @param lastSyncedAt      end of the last pass, or {@code null}
 * @param inFlight          the append about to be sent, or {@code null} (none, or the one before
 *                          is now checkpointed)
 */
public record FolderCheckpoint(
        String mailboxKey,
        String sourceFolder,
        long sourceUidValidity,
        long highestUid,
        long highestModSeq,
        String targetFolder,
        long targetUidValidity,
        UidMap addedPairs,
        Instant lastSyncedAt,
        InFlightAppend inFlight) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is {@code null}
     */
    public FolderCheckpoint {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(addedPairs, "addedPairs");
    }

    /**
     * The checkpoint that takes a state's values (all but its map) and adds pairs.
     *
     * @param state      the values to record; its map is not part of the checkpoint
     * @param addedPairs pairs added since the stored state
     * @return the checkpoint
     */
    public static FolderCheckpoint of(FolderSyncState state, UidMap addedPairs) {
        return new FolderCheckpoint(state.mailboxKey(), state.sourceFolder(), state.sourceUidValidity(),
                state.highestUid(), state.highestModSeq(), state.targetFolder(), state.targetUidValidity(), addedPairs,
                state.lastSyncedAt(), state.inFlight());
    }

    /**
     * Applies this checkpoint to the stored state.
     *
     * @param stored the stored state of the same folder, or {@code null} if none
     * @return the new state: this checkpoint's values, and the stored map plus the added pairs
     * @throws IllegalArgumentException if {@code stored} is another folder's state
     */
    public FolderSyncState applyTo(FolderSyncState stored) {
        UidMap map = addedPairs;
        if (stored != null) {
            if (!stored.mailboxKey().equals(mailboxKey) || !stored.sourceFolder().equals(sourceFolder)) {
                throw new IllegalArgumentException("checkpoint of " + mailboxKey + "/" + sourceFolder
                        + " applied to the state of " + stored.mailboxKey() + "/" + stored.sourceFolder());
            }
            map = addedPairs.isEmpty() ? stored.uidMap()
                    : stored.uidMap().isEmpty() ? addedPairs
                    : stored.uidMap().toBuilder().putAll(addedPairs).build();
        }
        return new FolderSyncState(mailboxKey, sourceFolder, sourceUidValidity, highestUid, highestModSeq,
                targetFolder, targetUidValidity, map, lastSyncedAt, inFlight);
    }
}
