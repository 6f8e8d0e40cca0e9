package io.mailferry.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts and times of a batch (Exchange: {@code Get-MigrationBatch}). Immutable snapshot.
 *
 * @param totalCount          users in the batch ({@code TotalCount})
 * @param activeCount         users queued or working ({@code ActiveCount})
 * @param pendingCount        users queued, waiting for a slot ({@code PendingCount})
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
 * @param initialSyncDuration how long initial sync took, or {@code null}
 * @param lastSyncedTime      end of the last pass (initial or incremental), or {@code null}
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
        Instant lastSyncedTime) {
}
