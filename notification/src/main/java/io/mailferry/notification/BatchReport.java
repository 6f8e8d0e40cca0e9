package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationUser;
import io.mailferry.csv.RejectedRow;
import io.mailferry.csv.UserSyncTimes;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a batch report says: a snapshot of the batch taken when the report was triggered. Immutable;
 * holds no secret ({@link MigrationUser} and {@link RejectedRow} hold none).
 *
 * @param batchName    the batch
 * @param status       the status the report is about (for a status report, the status the batch
 *                     reached, even if it has moved on since)
 * @param trigger      why the report was made
 * @param time         when it was triggered (the service's or the timer's clock)
 * @param statistics   the batch's counts and times
 * @param users        every user, in batch order
 * @param rejectedRows the rows the batch's CSV validation rejected, if the host handed them over
 * @param syncTimes    users' sync durations by lower-cased e-mail address (only users with known
 *                     times)
 */
public record BatchReport(
        String batchName,
        BatchStatus status,
        ReportTrigger trigger,
        Instant time,
        MigrationBatchStatistics statistics,
        List<MigrationUser> users,
        List<RejectedRow> rejectedRows,
        Map<String, UserSyncTimes> syncTimes) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public BatchReport {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(statistics, "statistics");
        users = List.copyOf(users);
        rejectedRows = List.copyOf(rejectedRows);
        Map<String, UserSyncTimes> times = new LinkedHashMap<>();
        syncTimes.forEach((k, v) -> times.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, "syncTimes")));
        syncTimes = Collections.unmodifiableMap(times);
    }

    /**
     * Takes a snapshot of a batch.
     *
     * @param batch        the batch
     * @param status       the status the report is about
     * @param trigger      why
     * @param time         when
     * @param rejectedRows the CSV's rejected rows, or an empty list
     * @param syncTimes    the users' sync times by e-mail address (may return {@code null})
     * @return the report
     */
    public static BatchReport of(MigrationBatch batch, BatchStatus status, ReportTrigger trigger, Instant time,
                                 List<RejectedRow> rejectedRows, Function<String, UserSyncTimes> syncTimes) {
        List<MigrationUser> users = batch.users();
        Map<String, UserSyncTimes> times = new LinkedHashMap<>();
        for (MigrationUser u : users) {
            UserSyncTimes t = syncTimes.apply(u.emailAddress());
            if (t != null) {
                times.put(u.emailAddress(), t);
            }
        }
        return new BatchReport(batch.name(), status, trigger, time, batch.statistics(), users, rejectedRows, times);
    }

    /**
     * Returns a user's sync times, for {@link io.mailferry.csv.MigrationReports}.
     *
     * @param emailAddress the user, any case
     * @return the times, or {@code null} if unknown
     */
    public UserSyncTimes syncTimes(String emailAddress) {
        return syncTimes.get(emailAddress.toLowerCase(Locale.ROOT));
    }

    /** Returns the users whose status is a failed one, in batch order. */
    public List<MigrationUser> failedUsers() {
        return users.stream().filter(u -> u.status().isFailed()).toList();
    }

    @Override
    public String toString() {
        return "BatchReport[batchName=" + batchName + ", status=" + status + ", trigger=" + trigger + ", time=" + time
                + ", users=" + users.size() + ", rejectedRows=" + rejectedRows.size() + "]";
    }
}
