package io.mailferry.core.engine;

import io.mailferry.core.MigrationScheduler;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.store.UserRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * One user of a batch: the row with its credentials (in memory only), status, stage, counters and
 * time accounting, and what the engine is doing with it (a queued or running pass, a timer for its
 * own StartAfter or CompleteAfter, waiting for credentials). Thread-safe; status changes go
 * through {@link BatchRuntime}, which persists and publishes them.
 */
final class UserRuntime {

    /** The kinds of pass, each with its slot pool and its statuses. */
    enum PassKind {
        /** Initial sync: a MaxConcurrentMigrations slot; Syncing → Synced | Failed. */
        INITIAL,
        /** Incremental pass: a MaxConcurrentIncrementalSyncs slot; IncrementalSyncing → Synced | IncrementalFailed. */
        INCREMENTAL,
        /** Final pass of completion: an incremental slot; Completing → Completed | CompletionFailed. */
        FINAL
    }

    /** Which duration a status accumulates into. */
    private enum Bucket { NONE, QUEUED, IN_PROGRESS, SYNCED, STALLED }

    private MigrationUserEntry entry;
    /** Settings overriding the batch's; in memory only, like the passwords. */
    private final String batchName;
    private MigrationUserStatus status;
    private SyncStage stage = SyncStage.IDLE;
    private String error;
    private String statusDetail;
    private Instant lastStatusChange;
    private MigrationUserStatistics stats;

    /** The queued or running pass, or {@code null}. */
    private UserSync work;
    /** Set by a stop command; the running pass checks it between chunks. */
    private volatile boolean stopRequested;
    /** The pass this user waits to run once its credentials are back, or {@code null}. */
    private PassKind parkedFor;
    /** The pass this user waits to run at its StartAfter, or {@code null}. */
    private PassKind waitingFor;
    private MigrationScheduler.Cancellable startTimer;
    private MigrationScheduler.Cancellable completeTimer;
    /** Loaded from the store: its passwords are not in memory until addUsers hands them back. */
    private boolean secretsFromStore;

    private Bucket bucket = Bucket.NONE;
    private Instant bucketSince;

    UserRuntime(String batchName, MigrationUserEntry entry, MigrationUserStatus status,
                MigrationUserStatistics stats, String error, Instant lastStatusChange) {
        this.batchName = batchName;
        this.entry = entry;
        this.status = status;
        this.stats = stats;
        this.error = error;
        this.lastStatusChange = lastStatusChange;
    }

    static UserRuntime fromRecord(UserRecord r, Instant now) {
        UserRuntime u = new UserRuntime(r.batchName(), r.entry(), r.status(), r.statistics(), r.error(),
                r.lastStatusChange());
        u.statusDetail = r.statusDetail();
        u.secretsFromStore = true;
        u.bucketSince = now;
        u.bucket = u.bucketFor(r.status());
        return u;
    }

    synchronized String emailAddress() {
        return entry.emailAddress();
    }

    synchronized MigrationUserEntry entry() {
        return entry;
    }

    synchronized UserOverrides overrides() {
        return entry.overrides();
    }

    synchronized void overrides(UserOverrides overrides) {
        entry = entry.withOverrides(overrides);
    }

    synchronized String mailboxKey() {
        return UserRecord.mailboxKey(entry);
    }

    /**
     * Replaces the credentials the service holds in memory: passwords and target login. The
     * identity stays as first given: the e-mail address (as spelled then) and the source login and
     * user root, which make up the mailbox key of the user's checkpoints; overrides stay too.
     */
    synchronized void updateCredentials(MigrationUserEntry newEntry) {
        this.entry = new MigrationUserEntry(entry.emailAddress(), entry.sourceUserName(), newEntry.sourcePassword(),
                newEntry.targetUserName(), newEntry.targetPassword(), entry.userRoot(), entry.overrides());
        this.secretsFromStore = false;
    }

    synchronized boolean secretsFromStore() {
        return secretsFromStore;
    }


    synchronized MigrationUserStatus status() {
        return status;
    }

    synchronized SyncStage stage() {
        return stage;
    }

    synchronized MigrationUserStatistics statistics() {
        return stats;
    }

    synchronized String error() {
        return error;
    }

    // ------------------------------------------------------------------ what the engine does with it

    synchronized UserSync work() {
        return work;
    }

    synchronized void work(UserSync newWork) {
        this.work = newWork;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    void stopRequested(boolean value) {
        this.stopRequested = value;
    }

    synchronized PassKind parkedFor() {
        return parkedFor;
    }

    synchronized void parkedFor(PassKind kind) {
        this.parkedFor = kind;
    }

    synchronized PassKind waitingFor() {
        return waitingFor;
    }

    synchronized void waitingFor(PassKind kind, MigrationScheduler.Cancellable timer) {
        if (startTimer != null) {
            startTimer.cancel();
        }
        this.waitingFor = kind;
        this.startTimer = timer;
    }

    synchronized void completeTimer(MigrationScheduler.Cancellable timer) {
        if (completeTimer != null) {
            completeTimer.cancel();
        }
        this.completeTimer = timer;
    }

    /** Cancels the user's timers and forgets what it was waiting for. */
    synchronized void cancelWaits() {
        waitingFor(null, null);
        completeTimer(null);
        parkedFor = null;
    }

    /** Returns {@code true} while a pass is queued or running, or the user waits to run one. */
    synchronized boolean busy() {
        return work != null || parkedFor != null || waitingFor != null;
    }

    // ------------------------------------------------------------------ status, stage, statistics

    /** Sets the status; returns the previous one. Accounts the time spent in the previous one. */
    synchronized MigrationUserStatus status(MigrationUserStatus newStatus, String newError, Instant now) {
        MigrationUserStatus previous = status;
        status = newStatus;
        error = newError;
        if (previous != newStatus) {
            lastStatusChange = now;
        }
        rebucket(now);
        return previous;
    }

    synchronized void statusDetail(String detail) {
        this.statusDetail = detail;
    }

    synchronized String statusDetail() {
        return statusDetail;
    }

    synchronized void stage(SyncStage newStage) {
        this.stage = newStage;
    }

    synchronized void statistics(MigrationUserStatistics newStats) {
        this.stats = new MigrationUserStatistics(newStats.totalItemsInSourceMailboxCount(),
                newStats.estimatedTotalTransferSize(), newStats.syncedItemCount(), newStats.skippedItemCount(),
                newStats.bytesTransferred(), newStats.folderCount(), newStats.foldersCreated(),
                newStats.flagsUpdatedCount(), newStats.lastSuccessfulSyncTime(), newStats.filteredItemCount(),
                newStats.percentageComplete(), stats.totalQueuedDuration(), stats.totalInProgressDuration(),
                stats.totalSyncedDuration(), stats.totalStalledDuration());
    }

    /** A running pass waits to retry after a transient failure: the time counts as stalled. */
    synchronized void stalled(boolean stalledNow, Instant now) {
        close(now);
        bucket = stalledNow ? Bucket.STALLED : bucketFor(status);
        bucketSince = now;
    }

    /** Recomputes which duration the current state accumulates into (after a change of work). */
    synchronized void rebucket(Instant now) {
        Bucket next = bucketFor(status);
        if (next != bucket) {
            close(now);
            bucket = next;
            bucketSince = now;
        }
    }

    private Bucket bucketFor(MigrationUserStatus s) {
        return switch (s) {
            case QUEUED, STARTING -> work != null || parkedFor != null || waitingFor != null ? Bucket.QUEUED : Bucket.NONE;
            case SYNCING, INCREMENTAL_SYNCING, STOPPING, COMPLETING, COMPLETION_SYNCED ->
                    work != null ? Bucket.IN_PROGRESS : Bucket.NONE;
            case SYNCED, INCREMENTAL_SYNCED -> Bucket.SYNCED;
            default -> Bucket.NONE;
        };
    }

    /** Adds the open interval to its duration. */
    private void close(Instant now) {
        if (bucketSince == null || bucket == Bucket.NONE) {
            bucketSince = now;
            return;
        }
        Duration d = Duration.between(bucketSince, now);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        stats = withDuration(stats, bucket, d);
        bucketSince = now;
    }

    private static MigrationUserStatistics withDuration(MigrationUserStatistics s, Bucket b, Duration d) {
        if (d.isZero() || b == Bucket.NONE) {
            return s;
        }
        return new MigrationUserStatistics(s.totalItemsInSourceMailboxCount(), s.estimatedTotalTransferSize(),
                s.syncedItemCount(), s.skippedItemCount(), s.bytesTransferred(), s.folderCount(), s.foldersCreated(),
                s.flagsUpdatedCount(), s.lastSuccessfulSyncTime(), s.filteredItemCount(), s.percentageComplete(),
                b == Bucket.QUEUED ? s.totalQueuedDuration().plus(d) : s.totalQueuedDuration(),
                b == Bucket.IN_PROGRESS ? s.totalInProgressDuration().plus(d) : s.totalInProgressDuration(),
                b == Bucket.SYNCED ? s.totalSyncedDuration().plus(d) : s.totalSyncedDuration(),
                b == Bucket.STALLED ? s.totalStalledDuration().plus(d) : s.totalStalledDuration());
    }

    /** The statistics with the open interval counted up to {@code now}. */
    private MigrationUserStatistics statisticsAt(Instant now) {
        if (bucketSince == null || bucket == Bucket.NONE) {
            return stats;
        }
        Duration d = Duration.between(bucketSince, now);
        return withDuration(stats, bucket, d.isNegative() ? Duration.ZERO : d);
    }

    /** Returns {@code true} if the user finished an initial sync at some point. */
    synchronized boolean initialSyncDone() {
        return switch (status) {
            case SYNCED, INCREMENTAL_SYNCING, INCREMENTAL_SYNCED, INCREMENTAL_FAILED, INCREMENTAL_STOPPED,
                 COMPLETING, COMPLETION_SYNCED, COMPLETED, COMPLETED_WITH_WARNINGS, COMPLETION_FAILED -> true;
            default -> stats.lastSuccessfulSyncTime() != null;
        };
    }

    synchronized MigrationUser snapshot(Instant now) {
        return new MigrationUser(batchName, entry.emailAddress(), entry.sourceUserName(), status, stage,
                statisticsAt(now), error, lastStatusChange, statusDetail, entry.overrides());
    }

    synchronized UserRecord record(Instant now) {
        return new UserRecord(batchName, entry.withoutSecrets(), status, statisticsAt(now), error, lastStatusChange,
                statusDetail);
    }
}
