package io.mailferry.core;

import java.time.Instant;

/**
 * Counters of one user's migration, cumulative over all passes (Exchange:
 * {@code Get-MigrationUserStatistics}). Immutable snapshot.
 *
 * @param totalItemsInSourceMailboxCount messages found in the source's migrated folders at the last
 *                                       enumeration ({@code TotalItemsInSourceMailboxCount})
 * @param estimatedTotalTransferSize     their total size in bytes
 * @param syncedItemCount                messages copied to the target ({@code SyncedItemCount})
 * @param skippedItemCount               messages not copied, see {@link SkippedItem}
 *                                       ({@code SkippedItemCount})
 * @param bytesTransferred               bytes of message content copied ({@code BytesTransferred})
 * @param folderCount                    source folders synced in the last pass
 * @param foldersCreated                 target folders MailFerry created
 * @param flagsUpdatedCount              messages whose flags were brought up to date on the target
 * @param lastSuccessfulSyncTime         end of the last pass that finished without failing, or
 *                                       {@code null} if none has
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
        Instant lastSuccessfulSyncTime) {

    /** Statistics of a user that has not run yet. */
    public static final MigrationUserStatistics EMPTY = new MigrationUserStatistics(0, 0, 0, 0, 0, 0, 0, 0, null);

    /**
     * Returns how much of the source is on the target, 0–100: synced plus skipped items over the
     * items in the source; 100 when the source is empty.
     *
     * @return the percentage
     */
    public int percentageComplete() {
        if (totalItemsInSourceMailboxCount <= 0) {
            return syncedItemCount > 0 || lastSuccessfulSyncTime != null ? 100 : 0;
        }
        long done = Math.min(totalItemsInSourceMailboxCount, syncedItemCount + skippedItemCount);
        return (int) (done * 100 / totalItemsInSourceMailboxCount);
    }
}
