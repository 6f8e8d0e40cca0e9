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
 * store; endpoints arrive without administrator passwords and users without passwords.
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
     * Deletes the checkpoints of a mailbox (it will be matched afresh on the next pass).
     *
     * @param mailboxKey the mailbox key
     */
    void deleteFolderStates(String mailboxKey);

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {
    }
}
