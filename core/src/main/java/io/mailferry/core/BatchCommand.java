package io.mailferry.core;

import java.util.Locale;

/**
 * The commands an administrator can give a batch, named after the Exchange cmdlets. Which command
 * is allowed in which status is a table in {@link BatchStatus#allowedCommands()}; a command given
 * in another status throws {@link IllegalBatchCommandException}.
 */
public enum BatchCommand {
    /**
     * {@code Start-MigrationBatch} ({@link MigrationBatch#start()}): start a created batch, resume a
     * stopped one, retry failed users. Allowed in Created, Stopped, Failed, SyncedWithErrors,
     * CompletedWithErrors.
     */
    START,
    /**
     * {@code Stop-MigrationBatch} ({@link MigrationBatch#stop()}): stop active copies promptly,
     * keeping their progress. Allowed in Waiting, Starting, Syncing, Synced, SyncedWithErrors,
     * IncrementalSyncing.
     */
    STOP,
    /**
     * {@code Complete-MigrationBatch} ({@link MigrationBatch#complete()}): final incremental pass,
     * then Completed. Allowed in Synced, SyncedWithErrors.
     */
    COMPLETE,
    /**
     * {@code Remove-MigrationBatch} ({@link MigrationBatch#remove()}): delete the batch and its
     * users' records. Allowed in Created, Waiting, Synced, SyncedWithErrors, Stopped, Completed,
     * CompletedWithErrors, Failed, Corrupted.
     */
    REMOVE,
    /**
     * {@code Set-MigrationBatch -SyncNow} ({@link MigrationBatch#syncNow()}): run an incremental
     * pass now for synced users. Allowed in Synced, SyncedWithErrors.
     */
    SYNC_NOW,
    /**
     * {@code Set-MigrationBatch -AddUsers} ({@link MigrationBatch#addUsers}): add new rows of the
     * same CSV format. Allowed in Created, Waiting, Syncing, Synced, SyncedWithErrors,
     * IncrementalSyncing, Stopped, Failed. (Handing credentials of users already in the batch back
     * is allowed in every status.)
     */
    ADD_USERS,
    /**
     * {@code Set-MigrationBatch} ({@link MigrationBatch#set}): change limits, notification
     * addresses, StartAfter, CompleteAfter and the other options. Allowed in Created, Waiting,
     * Syncing, Synced, SyncedWithErrors, IncrementalSyncing, Stopped, Failed.
     */
    SET;

    /** Returns the command as the CLI and messages spell it, e.g. {@code sync-now}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
