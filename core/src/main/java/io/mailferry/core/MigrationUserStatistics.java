package io.mailferry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Counters and times of one user's migration, cumulative over all passes (Exchange:
 * {@code Get-MigrationUserStatistics}). Immutable snapshot.
 *
 * @param totalItemsInSourceMailboxCount messages found in the source's migrated folders at the last
 *                                       enumeration ({@code TotalItemsInSourceMailboxCount})
 * @param estimatedTotalTransferSize     estimated bytes to transfer in all: the larger of the
 *                                       bytes transferred and the sizes listed by the last pass
 *                                       ({@code EstimatedTotalTransferSize})
 * @param syncedItemCount                messages copied to the target ({@code SyncedItemCount})
 * @param skippedItemCount               messages not copied, see {@link SkippedItem}
 *                                       ({@code SkippedItemCount})
 * @param bytesTransferred               bytes of message content copied ({@code BytesTransferred})
 * @param folderCount                    source folders synced in the last pass
 * @param foldersCreated                 target folders MailFerry created
 * @param flagsUpdatedCount              messages whose flags were brought up to date on the target
 * @param lastSuccessfulSyncTime         end of the last pass that finished without failing, or
 *                                       {@code null} if none has
 * @param filteredItemCount              messages left out by the batch's received-date filter
 *                                       (neither copied nor skipped)
 * @param percentageComplete             0–100 ({@code PercentageComplete}): 100 once a pass
 *                                       finished; before, synced plus skipped plus filtered items
 *                                       over the items in the source
 * @param totalQueuedDuration            time spent Queued or Starting, waiting for a slot
 *                                       ({@code TotalQueuedDuration}), never {@code null}
 * @param totalInProgressDuration        time spent in a running pass, stalls excluded
 *                                       ({@code TotalInProgressDuration}), never {@code null}
 * @param totalSyncedDuration            time spent synced, between passes
 *                                       ({@code TotalSyncedDuration}), never {@code null}
 * @param totalStalledDuration           time a running pass spent waiting to retry after a
 *                                       transient failure (dropped connection, throttling)
 *                                       ({@code TotalStalledDuration}), never {@code null}
 */
public record MigrationUserStatistics(
        long totalItemsInSourceMailboxCount,
        long estimatedTotalTransferSize,
        long syncedItemCount,
        long skippedItemCount,
        long bytesTransferred,
        int folderCount,
        int foldersCreated,
        long flagsUpdatedCount,
        Instant lastSuccessfulSyncTime,
        long filteredItemCount,
        int percentageComplete,
        Duration totalQueuedDuration,
        Duration totalInProgressDuration,
        Duration totalSyncedDuration,
        Duration totalStalledDuration) {

    /** Statistics of a user that has not run yet. */
    public static final MigrationUserStatistics EMPTY = new MigrationUserStatistics(0, 0, 0, 0, 0, 0, 0, 0, null);

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a duration is {@code null}
     */
    public MigrationUserStatistics {
        Objects.requireNonNull(totalQueuedDuration, "totalQueuedDuration");
        Objects.requireNonNull(totalInProgressDuration, "totalInProgressDuration");
        Objects.requireNonNull(totalSyncedDuration, "totalSyncedDuration");
        Objects.requireNonNull(totalStalledDuration, "totalStalledDuration");
    }

    /**
     * The counters of the first MailFerry versions; no filtered items, zero durations, the
     * percentage computed from the counters.
     *
     * @param totalItemsInSourceMailboxCount see the component
     * @param estimatedTotalTransferSize     see the component
     * @param syncedItemCount                see the component
     * @param skippedItemCount               see the component
     * @param bytesTransferred               see the component
     * @param folderCount                    see the component
     * @param foldersCreated                 see the component
     * @param flagsUpdatedCount              see the component
     * @param lastSuccessfulSyncTime         see the component
     */
    public MigrationUserStatistics(long totalItemsInSourceMailboxCount, long estimatedTotalTransferSize,
                                   long syncedItemCount, long skippedItemCount, long bytesTransferred, int folderCount,
                                   int foldersCreated, long flagsUpdatedCount, Instant lastSuccessfulSyncTime) {
        this(totalItemsInSourceMailboxCount, estimatedTotalTransferSize, syncedItemCount, skippedItemCount,
                bytesTransferred, folderCount, foldersCreated, flagsUpdatedCount, lastSuccessfulSyncTime, 0,
                percentage(totalItemsInSourceMailboxCount, syncedItemCount + skippedItemCount, lastSuccessfulSyncTime),
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The percentage rule of {@link #percentageComplete()}.
     *
     * @param total          items in the source
     * @param done           items synced, skipped or filtered
     * @param lastSuccessful end of the last successful pass, or {@code null}
     * @return 0–100
     */
    public static int percentage(long total, long done, Instant lastSuccessful) {
        if (lastSuccessful != null) {
            return 100;
        }
        if (total <= 0) {
            return done > 0 ? 100 : 0;
        }
        return (int) (Math.min(total, Math.max(0, done)) * 100 / total);
    }
}
