package io.mailferry.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts and times of a batch (Exchange: {@code Get-MigrationBatch}). Immutable snapshot. Each
 * user counts in exactly one of active, synced, finalized, stopped and failed, by its status's
 * {@link MigrationUserStatus#summary() summary}.
 *
 * @param totalCount          users in the batch ({@code TotalCount})
 * @param activeCount         users queued or working ({@code ActiveCount})
 * @param pendingCount        of those, users queued: waiting for a slot, their StartAfter or
 *                            credentials ({@code PendingCount})
 * @param syncedCount         users synced ({@code SyncedCount})
 * @param finalizedCount      users completed ({@code FinalizedCount})
 * @param stoppedCount        users stopped ({@code StoppedCount})
 * @param failedCount         users failed ({@code FailedCount})
 * @param syncedItemCount     messages copied, all users
 * @param skippedItemCount    messages skipped, all users
 * @param bytesTransferred    bytes copied, all users
 * @param creationTime        when the batch was created, never {@code null}
 * @param startTime           when it was first started, or {@code null}
 * @param initialSyncTime     when the whole batch finished initial sync, or {@code null}
 * @param initialSyncDuration how long that took from the first start, or {@code null}
 * @param lastSyncedTime      end of the last pass (initial or incremental), or {@code null}
 * @param completedTime       when the batch was completed ({@code FinalizedTime}), or {@code null}
 * @param createdBy           who created the batch ({@code SubmittedByUser}), or {@code null} if
 *                            the host did not say
 */
public record MigrationBatchStatistics(
        int totalCount,
        int activeCount,
        int pendingCount,
        int syncedCount,
        int finalizedCount,
        int stoppedCount,
        int failedCount,
        long syncedItemCount,
        long skippedItemCount,
        long bytesTransferred,
        Instant creationTime,
        Instant startTime,
        Instant initialSyncTime,
        Duration initialSyncDuration,
        Instant lastSyncedTime,
        Instant completedTime,
        String createdBy) {

    /**
     * Statistics without completion time and creator.
     *
     * @param totalCount          see the component
     * @param activeCount         see the component
     * @param pendingCount        see the component
     * @param syncedCount         see the component
     * @param finalizedCount      see the component
     * @param stoppedCount        see the component
     * @param failedCount         see the component
     * @param syncedItemCount     see the component
     * @param skippedItemCount    see the component
     * @param bytesTransferred    see the component
     * @param creationTime        see the component
     * @param startTime           see the component
     * @param initialSyncTime     see the component
     * @param initialSyncDuration see the component
     * @param lastSyncedTime      see the component
     */
    public MigrationBatchStatistics(int totalCount, int activeCount, int pendingCount, int syncedCount,
                                    int finalizedCount, int stoppedCount, int failedCount, long syncedItemCount,
                                    long skippedItemCount, long bytesTransferred, Instant creationTime,
                                    Instant startTime, Instant initialSyncTime, Duration initialSyncDuration,
                                    Instant lastSyncedTime) {
        this(totalCount, activeCount, pendingCount, syncedCount, finalizedCount, stoppedCount, failedCount,
                syncedItemCount, skippedItemCount, bytesTransferred, creationTime, startTime, initialSyncTime,
                initialSyncDuration, lastSyncedTime, null, null);
    }

    /** Returns the share of users synced or finalized, 0–100 (the EAC's "percentage synced"). */
    public int percentageSynced() {
        return totalCount == 0 ? 0 : (syncedCount + finalizedCount) * 100 / totalCount;
    }
}
