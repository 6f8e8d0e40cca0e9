package io.mailferry.core.engine;

import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserOverrides;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;
import io.mailferry.core.store.UserRecord;

import java.time.Instant;

/**
 * One user of a running batch: the row with its credentials (in memory only), status, stage and
 * counters. Thread-safe; changes go through {@link BatchRuntime}, which persists and publishes them.
 */
final class UserRuntime {

    private MigrationUserEntry entry;
    /** Settings overriding the batch's; in memory only, like the passwords. */
    private MigrationUserOverrides overrides = MigrationUserOverrides.NONE;
    private final String batchName;
    private MigrationUserStatus status;
    private SyncStage stage = SyncStage.IDLE;
    private String error;
    private Instant lastStatusChange;
    private MigrationUserStatistics stats;
    /** True while queued for or running a pass. */
    private boolean scheduled;

    UserRuntime(String batchName, MigrationUserEntry entry, MigrationUserStatus status,
                MigrationUserStatistics stats, String error, Instant lastStatusChange) {
        this.batchName = batchName;
        this.entry = entry;
        this.status = status;
        this.stats = stats;
        this.error = error;
        this.lastStatusChange = lastStatusChange;
    }

    static UserRuntime fromRecord(UserRecord r) {
        return new UserRuntime(r.batchName(), r.entry(), r.status(), r.statistics(), r.error(), r.lastStatusChange());
    }

    synchronized String emailAddress() {
        return entry.emailAddress();
    }

    synchronized MigrationUserEntry entry() {
        return entry;
    }

    synchronized String mailboxKey() {
        return UserRecord.mailboxKey(entry);
    }

    /**
     * Replaces the credentials the service holds in memory: passwords and target login. The
     * identity stays as first given: the e-mail address (as spelled then) and the source login and
     * user root, which make up the mailbox key of the user's checkpoints.
     */
    synchronized void updateCredentials(MigrationUserEntry newEntry) {
        this.entry = new MigrationUserEntry(entry.emailAddress(), entry.sourceUserName(), newEntry.sourcePassword(),
                newEntry.targetUserName(), newEntry.targetPassword(), entry.userRoot());
    }

    synchronized MigrationUserOverrides overrides() {
        return overrides;
    }

    synchronized void overrides(MigrationUserOverrides newOverrides) {
        this.overrides = newOverrides;
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

    synchronized boolean scheduled() {
        return scheduled;
    }

    synchronized void scheduled(boolean value) {
        this.scheduled = value;
    }

    /** Sets the status; returns the previous one. */
    synchronized MigrationUserStatus status(MigrationUserStatus newStatus, String newError, Instant now) {
        MigrationUserStatus previous = status;
        status = newStatus;
        error = newError;
        if (previous != newStatus) {
            lastStatusChange = now;
        }
        return previous;
    }

    synchronized void stage(SyncStage newStage) {
        this.stage = newStage;
    }

    synchronized void statistics(MigrationUserStatistics newStats) {
        this.stats = newStats;
    }

    /** Returns {@code true} if the user finished an initial sync at some point. */
    synchronized boolean initialSyncDone() {
        return switch (status) {
            case SYNCED, INCREMENTAL_SYNCING, INCREMENTAL_SYNCED, INCREMENTAL_FAILED, INCREMENTAL_STOPPED,
                 COMPLETING, COMPLETION_SYNCED, COMPLETED, COMPLETED_WITH_WARNINGS, COMPLETION_FAILED -> true;
            default -> stats.lastSuccessfulSyncTime() != null;
        };
    }

    synchronized MigrationUser snapshot() {
        return new MigrationUser(batchName, entry.emailAddress(), entry.sourceUserName(), status, stage, stats,
                error, lastStatusChange);
    }

    synchronized UserRecord record() {
        return new UserRecord(batchName, entry.withoutSecrets(), status, stats, error, lastStatusChange);
    }
}
