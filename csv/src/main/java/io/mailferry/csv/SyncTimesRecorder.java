package io.mailferry.csv;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationUserStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Measures how long each user's syncs take, from the service's events, for the durations columns of
 * {@code MigrationStatistics.csv} ({@link MigrationReports#writeStatistics(java.util.Collection,
 * Function, java.io.OutputStream)}).
 *
 * <pre>{@code
 * SyncTimesRecorder times = new SyncTimesRecorder();
 * MigrationService service = MigrationService.builder().listener(times).build();
 * // ...
 * MigrationReports.writeAll(dir, batch.users(), rejected, batch::skippedItems, times.forBatch(batch.name()));
 * }</pre>
 *
 * <p>A pass starts when a user's status becomes {@code Syncing}, {@code IncrementalSyncing} or
 * {@code Completing}, and ends at the user's next status outside the active ones (e.g.
 * {@code Synced}, {@code Failed}, {@code Stopped}); its duration is the difference of the two events'
 * times (the service's clock). Passes cut short by the service closing have no end and are not
 * counted. The times are kept in memory, for the life of the recorder; users of removed batches are
 * dropped. Thread-safe.
 */
public final class SyncTimesRecorder implements MigrationListener {

    private final Map<String, Instant> passStarts = new HashMap<>();
    private final Map<String, UserSyncTimes> times = new HashMap<>();

    private static String key(String batchName, String emailAddress) {
        return batchName + "\n" + emailAddress.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void onUserStatusChanged(MigrationEvent.UserStatusChanged event) {
        String key = key(event.batchName(), event.user().emailAddress());
        MigrationUserStatus status = event.user().status();
        switch (status) {
            case SYNCING, INCREMENTAL_SYNCING, COMPLETING -> passStarts.put(key, event.time());
            default -> {
                if (status.summary() != MigrationUserStatus.Summary.ACTIVE) {
                    Instant start = passStarts.remove(key);
                    if (start != null) {
                        Duration pass = Duration.between(start, event.time());
                        times.merge(key, UserSyncTimes.NONE.plus(pass.isNegative() ? Duration.ZERO : pass),
                                (old, one) -> old.plus(one.lastSyncDuration()));
                    }
                }
            }
        }
    }

    @Override
    public synchronized void onBatchStatusChanged(MigrationEvent.BatchStatusChanged event) {
        if (event.current() == BatchStatus.REMOVING) {
            String prefix = event.batchName() + "\n";
            passStarts.keySet().removeIf(k -> k.startsWith(prefix));
            times.keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    /**
     * Returns a user's times.
     *
     * @param batchName    the batch
     * @param emailAddress the user, matched ignoring case
     * @return the times, {@link UserSyncTimes#NONE} if no pass of the user has completed
     */
    public synchronized UserSyncTimes times(String batchName, String emailAddress) {
        return times.getOrDefault(key(batchName, emailAddress), UserSyncTimes.NONE);
    }

    /**
     * Returns the times of a batch's users by e-mail address, for {@link MigrationReports}.
     *
     * @param batchName the batch
     * @return a function that reads this recorder's current values
     */
    public Function<String, UserSyncTimes> forBatch(String batchName) {
        return email -> times(batchName, email);
    }
}
