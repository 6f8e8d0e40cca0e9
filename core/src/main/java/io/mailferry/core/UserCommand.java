package io.mailferry.core;

import java.util.Locale;

/**
 * The commands an administrator can give one user of a batch, named after the Exchange cmdlets.
 * A user command is allowed when both the batch's status
 * ({@link BatchStatus#allowedUserCommands()}) and the user's status
 * ({@link MigrationUserStatus#allowedCommands()}) allow it; otherwise it throws
 * {@link IllegalUserCommandException}.
 */
public enum UserCommand {
    /**
     * {@code Start-MigrationUser} ({@link MigrationBatch#startUser}): resume a stopped user or
     * retry a failed one. User statuses: Stopped, IncrementalStopped, Failed, IncrementalFailed,
     * CompletionFailed.
     */
    START,
    /**
     * {@code Stop-MigrationUser} ({@link MigrationBatch#stopUser}): stop the user's copy promptly,
     * or its incremental passes. User statuses: Queued, Starting, Syncing, Synced,
     * IncrementalSyncing, IncrementalSynced.
     */
    STOP,
    /**
     * {@code Set-MigrationUser -SyncNow} ({@link MigrationBatch#syncUserNow}): an incremental pass
     * now. User statuses: Synced, IncrementalSynced, IncrementalFailed.
     */
    SYNC_NOW,
    /**
     * {@code Remove-MigrationUser} ({@link MigrationBatch#removeUser}): take the user out of the
     * batch; its folder checkpoints are kept, so adding it again copies nothing twice. User
     * statuses: Queued, Synced, IncrementalSynced, IncrementalFailed, IncrementalStopped, Stopped,
     * Completed, CompletedWithWarnings, CompletionFailed, Failed.
     */
    REMOVE,
    /**
     * {@code Set-MigrationUser} ({@link MigrationBatch#setUser}): per-user StartAfter,
     * CompleteAfter, BadItemLimit, LargeItemLimit. User statuses: all but Completing,
     * CompletionSynced, Completed, CompletedWithWarnings, CompletionFailed, Removing.
     */
    SET;

    /** Returns the command as the CLI and messages spell it, e.g. {@code sync-now}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
