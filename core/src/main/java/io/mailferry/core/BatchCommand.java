package io.mailferry.core;

/**
 * The commands an administrator can give a batch, named after the Exchange cmdlets. Which command
 * is allowed in which status is a table in {@link BatchStatus#allowedCommands()}.
 */
public enum BatchCommand {
    /** {@code Start-MigrationBatch}: start a created batch, resume a stopped one, retry failed users. */
    START,
    /** {@code Stop-MigrationBatch}: stop active copies promptly, keeping their progress. */
    STOP,
    /** {@code Complete-MigrationBatch}: final incremental pass, then Completed. */
    COMPLETE,
    /** {@code Remove-MigrationBatch}: delete the batch and its users' records. */
    REMOVE,
    /** {@code Set-MigrationBatch -SyncNow}: run an incremental pass now for synced users. */
    SYNC_NOW,
    /** {@code Set-MigrationBatch -AddUsers}: add new rows of the same CSV format. */
    ADD_USERS,
    /** {@code Set-MigrationBatch}: change limits, notification addresses, StartAfter, CompleteAfter. */
    SET
}
