package io.mailferry.ews.internal;

import io.mailferry.ews.EwsStatistics;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link EwsStatistics}. Thread-safe. */
public final class EwsCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder throttledWaits = new LongAdder();
    final LongAdder throttledMillis = new LongAdder();
    final LongAdder syncRestarts = new LongAdder();
    final LongAdder itemsFetched = new LongAdder();
    final LongAdder bytesFetched = new LongAdder();
    final LongAdder itemsCreated = new LongAdder();
    final LongAdder itemsMatched = new LongAdder();
    final LongAdder bytesCreated = new LongAdder();
    final LongAdder itemErrors = new LongAdder();
    final LongAdder largeItems = new LongAdder();
    final LongAdder foldersSkipped = new LongAdder();

    /** Returns a snapshot. */
    public EwsStatistics snapshot() {
        return new EwsStatistics(requests.sum(), retries.sum(), throttledWaits.sum(), throttledMillis.sum(),
                syncRestarts.sum(), itemsFetched.sum(), bytesFetched.sum(), itemsCreated.sum(), itemsMatched.sum(),
                bytesCreated.sum(), itemErrors.sum(), largeItems.sum(), foldersSkipped.sum());
    }
}
