package io.mailferry.ews;

/**
 * Counters of everything one {@link EwsConnectorProvider} did since it was created, over all
 * endpoints and mailboxes. An immutable snapshot.
 *
 * @param requests          EWS requests sent (retries included)
 * @param retries           requests sent again after a throttling answer, timeout or broken answer
 * @param throttledWaits    waits because the server throttled ({@code ErrorServerBusy}, HTTP 503,
 *                          {@code ErrorExceededConnectionCount})
 * @param throttledMillis   milliseconds spent in those waits
 * @param syncRestarts      folders whose SyncState Exchange rejected ({@code ErrorInvalidSyncStateData})
 *                          and that were enumerated again from scratch
 * @param itemsFetched      items read (MIME or export)
 * @param bytesFetched      their bytes
 * @param itemsCreated      items created on a target
 * @param itemsMatched      items a target found already present (created by an earlier pass)
 *                          instead of creating them again
 * @param bytesCreated      bytes of the created items
 * @param itemErrors        items the server refused or could not deliver (skipped with a reason)
 * @param largeItems        items not transferred because they exceed the memory budget
 * @param foldersSkipped    folders left out because they hold no mail (calendar, contacts, tasks…)
 *                          or are hidden
 */
public record EwsStatistics(
        long requests,
        long retries,
        long throttledWaits,
        long throttledMillis,
        long syncRestarts,
        long itemsFetched,
        long bytesFetched,
        long itemsCreated,
        long itemsMatched,
        long bytesCreated,
        long itemErrors,
        long largeItems,
        long foldersSkipped) {
}
