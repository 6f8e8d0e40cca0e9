package io.mailferry.csv;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a user's syncs took: the durations columns of {@code MigrationStatistics.csv}, as
 * {@link SyncTimesRecorder} measures them from the service's events.
 *
 * @param passes            completed passes (initial, incremental, final), 0 or more
 * @param lastSyncDuration  how long the last completed pass took, from the user's
 *                          {@code Syncing}/{@code IncrementalSyncing}/{@code Completing} to its next
 *                          resting status; {@code null} exactly when {@code passes} is 0
 * @param totalSyncDuration the sum over all completed passes; {@link Duration#ZERO} when none
 */
public record UserSyncTimes(int passes, Duration lastSyncDuration, Duration totalSyncDuration) {

    /** No pass completed yet. */
    public static final UserSyncTimes NONE = new UserSyncTimes(0, null, Duration.ZERO);

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code totalSyncDuration} is {@code null}
     * @throws IllegalArgumentException if a count or duration is negative, or {@code lastSyncDuration}
     *                                  is {@code null} when {@code passes} is not 0 or the reverse
     */
    public UserSyncTimes {
        Objects.requireNonNull(totalSyncDuration, "totalSyncDuration");
        if (passes < 0 || totalSyncDuration.isNegative() || (lastSyncDuration != null && lastSyncDuration.isNegative())) {
            throw new IllegalArgumentException("counts and durations must not be negative");
        }
        if ((passes == 0) != (lastSyncDuration == null)) {
            throw new IllegalArgumentException("lastSyncDuration is null exactly when no pass completed");
        }
    }

    /**
     * Returns these times with one more completed pass.
     *
     * @param pass how long the pass took, not negative
     * @return the new times
     */
    public UserSyncTimes plus(Duration pass) {
        return new UserSyncTimes(passes + 1, pass, totalSyncDuration.plus(pass));
    }
}
