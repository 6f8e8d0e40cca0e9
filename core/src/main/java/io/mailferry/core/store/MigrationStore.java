package io.mailferry.core.store;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.SkippedItem;

import java.util.List;
import java.util.Optional;

/**
 * Where a {@link io.mailferry.core.MigrationService} keeps its state, so that migrations survive
 * restarts and passes are idempotent.
 *
 * <p>Implementations must be thread-safe: the engine calls them from many user threads. Every
 * method is one unit of work: either all of it is persisted or none of it. Secrets never reach the
 * store in clear text; endpoints arrive without administrator passwords and users without
 * passwords. A host that wants them kept across restarts gives the service a {@link SecretStore},
 * which may keep them sealed (encrypted) here.
 *
 * <p>Failures are reported as {@link io.mailferry.core.MigrationException}s.
 */
public interface MigrationStore extends AutoCloseable {

    /**
     * Saves or replaces an endpoint. Its administrator credentials, if any, carry an empty
     * password.
     *
     * @param endpoint the endpoint
     */
    void saveEndpoint(MigrationEndpoint endpoint);

    /**
     * @param name an endpoint name
     * @return the endpoint, if saved
     */
    Optional<MigrationEndpoint> findEndpoint(String name);

    /** Returns every saved endpoint, by name. */
    List<MigrationEndpoint> endpoints();

    /**
     * Deletes an endpoint; nothing happens if there is none of that name.
     *
     * @param name the endpoint name
     */
    void deleteEndpoint(String name);

    /**
     * Saves or replaces a batch.
     *
     * @param batch the batch
     */
    void saveBatch(BatchRecord batch);

    /**
     * @param name a batch name
     * @return the batch, if saved
     */
    Optional<BatchRecord> findBatch(String name);

    /**
     * Returns every saved batch, by creation time. A batch whose stored row cannot be read (e.g.
     * an unknown status written by a newer MailFerry, or damaged options) is returned with status
     * {@link io.mailferry.core.BatchStatus#CORRUPTED} and default options, so that the service can
     * show it and remove it; its other components are what could be read.
     *
     * @return the batches
     */
    List<BatchRecord> batches();

    /**
     * Deletes a batch with its users and skipped items. Folder states are kept: they belong to
     * mailboxes, not batches.
     *
     * @param name the batch name
     */
    void deleteBatch(String name);

    /**
     * Saves or replaces a user of a batch (keyed by batch and e-mail address, ignoring case).
     *
     * @param user the user
     */
    void saveUser(UserRecord user);

    /**
     * Deletes a user of a batch with its skipped items; nothing happens if there is none. Folder
     * states are kept.
     *
     * @param batchName    the batch
     * @param emailAddress the user's e-mail address, ignoring case
     */
    void deleteUser(String batchName, String emailAddress);

    /**
     * @param batchName a batch name
     * @return its users, in the order they were first saved
     */
    List<UserRecord> users(String batchName);

    /**
     * @param emailAddress a user's e-mail address
     * @return the users with that address in any batch
     */
    List<UserRecord> findUsersByEmail(String emailAddress);

    /**
     * @param batchName    a batch
     * @param emailAddress a user of it
     * @return the user's skipped items, oldest first
     */
    List<SkippedItem> skippedItems(String batchName, String emailAddress);

    /**
     * Records skipped items that belong to no folder checkpoint, in one unit of work, e.g. the one
     * item of a source folder left out whole
     * ({@link io.mailferry.core.SkippedItemKind#NON_MAIL_FOLDER}). Items skipped while a folder is
     * copied are recorded with its checkpoint instead ({@link #saveFolderCheckpoint}).
     *
     * @param batchName    the batch the items are recorded under
     * @param skippedItems the items, possibly empty; appended after the user's earlier items
     */
    void saveSkippedItems(String batchName, List<SkippedItem> skippedItems);

    /**
     * @param mailboxKey   a mailbox key ({@link UserRecord#mailboxKey()})
     * @param sourceFolder a source folder name
     * @return the folder's checkpoint, if any
     */
    Optional<FolderSyncState> folderState(String mailboxKey, String sourceFolder);

    /**
     * @param mailboxKey a mailbox key
     * @return the checkpoints of all its folders
     */
    List<FolderSyncState> folderStates(String mailboxKey);

    /**
     * Saves a folder's checkpoint together with the items skipped since the last one, in one unit
     * of work: after a crash either both are stored or neither is.
     *
     * @param batchName    the batch the skipped items are recorded under
     * @param state        the new checkpoint, replacing the old one
     * @param skippedItems items skipped since the previous checkpoint, possibly empty
     */
    void saveFolderState(String batchName, FolderSyncState state, List<SkippedItem> skippedItems);

    /**
     * Records a folder's progress: the checkpoint's values replace the stored ones, its pairs are
     * added to the stored map, and the skipped items are recorded, in one unit of work: after a
     * crash all of it is stored or none of it. Without a stored state for the folder the
     * checkpoint becomes its state, with the added pairs as its map.
     *
     * <p>This is what the engine calls after every chunk it copies, and before every append (to
     * record the {@linkplain FolderCheckpoint#inFlight() in-flight append}). A durable store should
     * write only what the checkpoint adds, so that a checkpoint costs what is new and not what the
     * folder holds (the JDBC store appends the pairs as a segment and compacts the segments into the
     * folder's map now and then). The default applies the checkpoint to {@link #folderState} and
     * saves the result with {@link #saveFolderState}: correct for a store whose folder states are
     * written by one thread at a time, but it rewrites the whole map each time.
     *
     * @param batchName    the batch the skipped items are recorded under
     * @param checkpoint   the folder's new values and added pairs
     * @param skippedItems items skipped since the previous checkpoint, possibly empty
     */
    default void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems) {
        FolderSyncState stored = folderState(checkpoint.mailboxKey(), checkpoint.sourceFolder()).orElse(null);
        saveFolderState(batchName, checkpoint.applyTo(stored), skippedItems);
    }

    /**
     * Records a folder's progress like {@link #saveFolderCheckpoint(String, FolderCheckpoint, List)}
     * and, in the same unit of work, adds cross-folder identities
     * ({@link io.mailferry.core.spi.MessageInfo#crossFolderId()}) to the mailbox's set of identities
     * copied ({@link #copiedIdentities}): after a crash the pairs and the identities of the same
     * messages are both stored or neither is, so a message is never copied into a second folder
     * because its first copy was recorded without its identity.
     *
     * <p>The default delegates to the three-argument method when {@code addedIdentities} is empty
     * and otherwise refuses: a store that does not keep identities must not lose them silently.
     *
     * @param batchName       the batch the skipped items are recorded under
     * @param checkpoint      the folder's new values and added pairs
     * @param skippedItems    items skipped since the previous checkpoint, possibly empty
     * @param addedIdentities non-zero identities to add to the checkpoint's mailbox (see
     *                        {@link FolderCheckpoint#mailboxKey()}), possibly empty; identities
     *                        already recorded may be given again
     * @throws UnsupportedOperationException if identities are given and this store does not keep them
     */
    default void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems,
                                      long[] addedIdentities) {
        if (addedIdentities.length > 0) {
            throw new UnsupportedOperationException(getClass().getName() + " does not keep cross-folder identities");
        }
        saveFolderCheckpoint(batchName, checkpoint, skippedItems);
    }

    /**
     * As {@link #saveFolderCheckpoint(String, FolderCheckpoint, List, long[])}, with where the
     * messages carrying the identities are on the target: {@code targetUids[i]} is the UID of the
     * message with {@code addedIdentities[i]} in the checkpoint's
     * {@linkplain FolderCheckpoint#targetFolder() target folder}, or 0 if unknown (the target did
     * not report it). {@link #firstCopies} gives them back; the engine adds the other folders of a
     * message shown in several to that copy ({@link io.mailferry.core.spi.TargetMailbox#addLabels}).
     *
     * <p>The default keeps only the identities (the four-argument method): the engine then treats
     * their locations as unknown and copies nothing twice, but adds no folders to earlier copies.
     *
     * @param batchName       the batch the skipped items are recorded under
     * @param checkpoint      the folder's new values and added pairs
     * @param skippedItems    items skipped since the previous checkpoint, possibly empty
     * @param addedIdentities non-zero identities to add, possibly empty; an identity recorded
     *                        already keeps its first location
     * @param targetUids      one target UID (0 to 4294967295) per identity, same length
     * @throws IllegalArgumentException      if the arrays differ in length
     * @throws UnsupportedOperationException if identities are given and this store does not keep them
     */
    default void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems,
                                      long[] addedIdentities, long[] targetUids) {
        if (addedIdentities.length != targetUids.length) {
            throw new IllegalArgumentException(addedIdentities.length + " identities but " + targetUids.length
                    + " target UIDs");
        }
        saveFolderCheckpoint(batchName, checkpoint, skippedItems, addedIdentities);
    }

    /**
     * Returns the cross-folder identities recorded as copied for a mailbox with where their first
     * copies are on the target (see
     * {@link #saveFolderCheckpoint(String, FolderCheckpoint, List, long[], long[])}). The default
     * gives {@link #copiedIdentities} without locations.
     *
     * @param mailboxKey a mailbox key ({@link UserRecord#mailboxKey()})
     * @return the identities; {@link FirstCopies#EMPTY} if none
     * @throws UnsupportedOperationException if this store does not keep cross-folder identities
     */
    default FirstCopies firstCopies(String mailboxKey) {
        return FirstCopies.withoutLocations(copiedIdentities(mailboxKey));
    }

    /**
     * Returns the cross-folder identities recorded as copied for a mailbox (see
     * {@link #saveFolderCheckpoint(String, FolderCheckpoint, List, long[])}): the engine copies a
     * message with one of them into no other folder when the source endpoint has
     * {@link io.mailferry.core.MigrationEndpoint#SKIP_CROSS_DUPLICATES}. The default refuses.
     *
     * @param mailboxKey a mailbox key ({@link UserRecord#mailboxKey()})
     * @return the identities, each once, in no particular order; empty if none
     * @throws UnsupportedOperationException if this store does not keep cross-folder identities
     */
    default long[] copiedIdentities(String mailboxKey) {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep cross-folder identities");
    }

    /**
     * Deletes the checkpoints of a mailbox, with its cross-folder identities (it will be matched
     * afresh on the next pass).
     *
     * @param mailboxKey the mailbox key
     */
    void deleteFolderStates(String mailboxKey);

    /**
     * Saves a secret sealed by a {@link SecretStore} (e.g. {@link EncryptingSecretStore}), replacing
     * one of the same name. The bytes are opaque to the store. The default refuses: a store that
     * cannot hold sealed secrets leaves secrets to the host.
     *
     * @param name   the secret's name, e.g. {@code endpoint/source/admin}
     * @param sealed the sealed bytes, not {@code null}
     * @throws UnsupportedOperationException if this store does not hold sealed secrets
     */
    default void saveSealedSecret(String name, byte[] sealed) {
        throw new UnsupportedOperationException(getClass().getName() + " does not hold sealed secrets");
    }

    /**
     * @param name a secret's name
     * @return the sealed bytes saved under that name, if any
     * @throws UnsupportedOperationException if this store does not hold sealed secrets
     */
    default Optional<byte[]> sealedSecret(String name) {
        throw new UnsupportedOperationException(getClass().getName() + " does not hold sealed secrets");
    }

    /**
     * Deletes a sealed secret; nothing happens if there is none of that name.
     *
     * @param name the secret's name
     * @throws UnsupportedOperationException if this store does not hold sealed secrets
     */
    default void deleteSealedSecret(String name) {
        throw new UnsupportedOperationException(getClass().getName() + " does not hold sealed secrets");
    }

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {
    }
}
