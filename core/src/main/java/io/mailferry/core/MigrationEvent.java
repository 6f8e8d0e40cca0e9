package io.mailferry.core;

import java.time.Instant;

/**
 * Something that happened in a migration, delivered to {@link MigrationListener}s. Every event
 * carries the batch and the time (from the service's {@link java.time.Clock}); none carries a
 * secret.
 */
public sealed interface MigrationEvent
        permits MigrationEvent.BatchStatusChanged, MigrationEvent.UserStatusChanged,
        MigrationEvent.FolderSynced, MigrationEvent.ItemSkipped, MigrationEvent.UserProgress {

    /** Returns the batch's name. */
    String batchName();

    /** Returns when it happened. */
    Instant time();

    /**
     * A batch changed status.
     *
     * @param batchName the batch
     * @param time      when
     * @param previous  status before, never {@code null}
     * @param current   status now, never {@code null}
     */
    record BatchStatusChanged(String batchName, Instant time, BatchStatus previous, BatchStatus current)
            implements MigrationEvent {
    }

    /**
     * A user changed status.
     *
     * @param batchName the batch
     * @param time      when
     * @param user      the user's snapshot after the change (status {@code current})
     * @param previous  status before, never {@code null}
     */
    record UserStatusChanged(String batchName, Instant time, MigrationUser user, MigrationUserStatus previous)
            implements MigrationEvent {
    }

    /**
     * A folder of a user finished a pass.
     *
     * @param batchName    the batch
     * @param time         when
     * @param emailAddress the user
     * @param sourceFolder source folder name
     * @param targetFolder target folder name
     * @param copied       messages copied in this pass
     * @param skipped      messages skipped in this pass
     * @param flagsUpdated messages whose flags were updated in this pass
     */
    record FolderSynced(String batchName, Instant time, String emailAddress, String sourceFolder,
                        String targetFolder, long copied, long skipped, long flagsUpdated)
            implements MigrationEvent {
    }

    /**
     * A message was skipped.
     *
     * @param batchName the batch
     * @param time      when
     * @param item      the skipped item
     */
    record ItemSkipped(String batchName, Instant time, SkippedItem item) implements MigrationEvent {
    }

    /**
     * A user's counters moved (sent at most every few hundred messages, and at folder ends).
     *
     * @param batchName the batch
     * @param time      when
     * @param user      the user's snapshot
     */
    record UserProgress(String batchName, Instant time, MigrationUser user) implements MigrationEvent {
    }
}
