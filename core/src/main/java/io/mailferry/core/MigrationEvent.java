package io.mailferry.core;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened in a migration, delivered to {@link MigrationListener}s. Every event
 * carries the batch and the time (from the service's {@link java.time.Clock}); none carries a
 * secret.
 *
 * <p>Status events ({@link BatchStatusChanged}, {@link UserStatusChanged}, {@link BatchRemoved},
 * {@link UserRemoved}), {@link ItemSkipped}, {@link FolderSynced}, {@link ReportDue} and
 * {@link NotificationFailed} are always
 * delivered, in the order they happened. Progress events ({@link UserProgress},
 * {@link FolderProgress}) report counters that later events repeat; while listeners lag far
 * behind, the service drops them rather than buffer without bound.
 */
public sealed interface MigrationEvent
        permits MigrationEvent.BatchStatusChanged, MigrationEvent.UserStatusChanged,
        MigrationEvent.FolderSynced, MigrationEvent.FolderProgress, MigrationEvent.ItemSkipped,
        MigrationEvent.UserProgress, MigrationEvent.ReportDue, MigrationEvent.BatchRemoved,
        MigrationEvent.UserRemoved, MigrationEvent.NotificationFailed {

    /** Returns the batch's name. */
    String batchName();

    /** Returns when it happened. */
    Instant time();

    /** Returns {@code true} for progress events, which the service may drop while listeners lag. */
    default boolean droppable() {
        return false;
    }

    /**
     * A batch changed status. A new batch announces itself with {@code Created -> Created}.
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
     * A folder of a user is being copied: sent after each checkpointed chunk of messages.
     *
     * @param batchName     the batch
     * @param time          when
     * @param emailAddress  the user
     * @param sourceFolder  source folder name
     * @param targetFolder  target folder name
     * @param copied        messages of this folder copied so far in this pass
     * @param skipped       messages of this folder skipped so far in this pass
     * @param messagesInFolder messages in the source folder when the pass selected it
     */
    record FolderProgress(String batchName, Instant time, String emailAddress, String sourceFolder,
                          String targetFolder, long copied, long skipped, long messagesInFolder)
            implements MigrationEvent {
        @Override
        public boolean droppable() {
            return true;
        }
    }

    /**
     * A message was skipped, or a whole source folder was left out
     * ({@link SkippedItemKind#NON_MAIL_FOLDER}, once per user and folder).
     *
     * @param batchName the batch
     * @param time      when
     * @param item      the skipped item
     */
    record ItemSkipped(String batchName, Instant time, SkippedItem item) implements MigrationEvent {
    }

    /**
     * A user's statistics changed (sent every few hundred messages and at the end of each folder).
     *
     * @param batchName the batch
     * @param time      when
     * @param user      the user's snapshot
     */
    record UserProgress(String batchName, Instant time, MigrationUser user) implements MigrationEvent {
        @Override
        public boolean droppable() {
            return true;
        }
    }

    /**
     * The batch's report interval ({@link BatchOptions#reportInterval()}) has passed: a reporter
     * should send the batch's report to its notification addresses. Sent every interval from the
     * batch's creation until it is completed or removed; status changes that deserve a report
     * (Synced, Completed, Failed…) are {@link BatchStatusChanged} events.
     *
     * @param batchName          the batch
     * @param time               when
     * @param status             the batch's status
     * @param statistics         the batch's statistics
     * @param users              every user's snapshot
     * @param notificationEmails the batch's notification addresses, possibly empty
     */
    record ReportDue(String batchName, Instant time, BatchStatus status, MigrationBatchStatistics statistics,
                     List<MigrationUser> users, List<String> notificationEmails) implements MigrationEvent {
        /** Copies the lists. */
        public ReportDue {
            users = List.copyOf(users);
            notificationEmails = List.copyOf(notificationEmails);
        }
    }

    /**
     * A batch was removed ({@code Removing} → gone): the service and its store no longer know it.
     *
     * @param batchName the batch
     * @param time      when
     */
    record BatchRemoved(String batchName, Instant time) implements MigrationEvent {
    }

    /**
     * A user was removed from its batch ({@code Removing} → gone).
     *
     * @param batchName    the batch
     * @param time         when
     * @param emailAddress the user
     */
    record UserRemoved(String batchName, Instant time, String emailAddress) implements MigrationEvent {
    }

    /**
     * A batch's report e-mail (or another notification to its {@link BatchOptions#notificationEmails()})
     * could not be sent: a reporter recorded the failure with
     * {@link MigrationBatch#recordNotification}. The migration is not affected; the failure stays
     * visible as {@link MigrationBatch#lastNotification()} until a later report is sent.
     *
     * @param batchName the batch
     * @param time      when the report was made
     * @param subject   the subject of the message that was not sent
     * @param error     why, without secrets
     */
    record NotificationFailed(String batchName, Instant time, String subject, String error) implements MigrationEvent {
    }
}
