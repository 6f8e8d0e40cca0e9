package io.mailferry.core;

/**
 * Receives {@link MigrationEvent}s. All methods have empty defaults; override what you need.
 *
 * <p>Events are delivered in order on one dispatcher thread of the service, never on the threads
 * that copy mail, so a slow listener delays other listeners but never the migration (while
 * listeners lag far behind, progress events are dropped, see {@link MigrationEvent}). A listener
 * that throws is logged and keeps receiving events.
 */
public interface MigrationListener {

    /**
     * Called for every event, before the specific method.
     *
     * @param event the event, never {@code null}
     */
    default void onEvent(MigrationEvent event) {
    }

    /** @param event a batch status change */
    default void onBatchStatusChanged(MigrationEvent.BatchStatusChanged event) {
    }

    /** @param event a user status change */
    default void onUserStatusChanged(MigrationEvent.UserStatusChanged event) {
    }

    /** @param event a folder that finished a pass */
    default void onFolderSynced(MigrationEvent.FolderSynced event) {
    }

    /** @param event progress within a folder */
    default void onFolderProgress(MigrationEvent.FolderProgress event) {
    }

    /** @param event a skipped message */
    default void onItemSkipped(MigrationEvent.ItemSkipped event) {
    }

    /** @param event a user's statistics update */
    default void onUserProgress(MigrationEvent.UserProgress event) {
    }

    /** @param event a batch whose report interval has passed */
    default void onReportDue(MigrationEvent.ReportDue event) {
    }

    /** @param event a removed batch */
    default void onBatchRemoved(MigrationEvent.BatchRemoved event) {
    }

    /** @param event a user removed from its batch */
    default void onUserRemoved(MigrationEvent.UserRemoved event) {
    }
}
