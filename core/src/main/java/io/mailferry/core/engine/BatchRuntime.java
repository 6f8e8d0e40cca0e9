package io.mailferry.core.engine;

import io.mailferry.core.BatchCommand;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.IllegalBatchCommandException;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.store.BatchRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A batch held by the engine. Every status change goes through {@link #transition}, which checks
 * the transition table, persists and publishes. Thread-safe: state is guarded by {@code this}.
 */
final class BatchRuntime implements MigrationBatch {

    private final MigrationEngine engine;
    private final String name;
    private BatchRecord record;
    private final Map<String, UserRuntime> users = new LinkedHashMap<>();

    BatchRuntime(MigrationEngine engine, BatchRecord record, List<UserRuntime> initialUsers) {
        this.engine = engine;
        this.name = record.name();
        this.record = record;
        for (UserRuntime u : initialUsers) {
            users.put(key(u.emailAddress()), u);
        }
    }

    private static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MigrationEndpoint sourceEndpoint() {
        return engine.requireEndpoint(recordSnapshot().sourceEndpoint());
    }

    @Override
    public MigrationEndpoint targetEndpoint() {
        return engine.requireEndpoint(recordSnapshot().targetEndpoint());
    }

    @Override
    public BatchOptions options() {
        return recordSnapshot().options();
    }

    synchronized BatchRecord recordSnapshot() {
        return record;
    }

    @Override
    public synchronized BatchStatus status() {
        return record.status();
    }

    @Override
    public MigrationBatchStatistics statistics() {
        BatchRecord r;
        List<MigrationUser> snapshot;
        synchronized (this) {
            r = record;
            snapshot = users();
        }
        int active = 0;
        int pending = 0;
        int synced = 0;
        int finalized = 0;
        int stopped = 0;
        int failed = 0;
        long items = 0;
        long skipped = 0;
        long bytes = 0;
        for (MigrationUser u : snapshot) {
            switch (u.status().summary()) {
                case ACTIVE -> {
                    active++;
                    if (u.status() == MigrationUserStatus.QUEUED) {
                        pending++;
                    }
                }
                case SYNCED -> synced++;
                case COMPLETED -> finalized++;
                case STOPPED -> stopped++;
                case FAILED -> failed++;
            }
            MigrationUserStatistics s = u.statistics();
            items += s.syncedItemCount();
            skipped += s.skippedItemCount();
            bytes += s.bytesTransferred();
        }
        return new MigrationBatchStatistics(snapshot.size(), active, pending, synced, finalized, stopped, failed,
                items, skipped, bytes, r.createdAt(), r.startedAt(), r.initialSyncAt(), r.initialSyncDuration(),
                r.lastSyncedAt());
    }

    @Override
    public synchronized List<MigrationUser> users() {
        List<MigrationUser> out = new ArrayList<>(users.size());
        for (UserRuntime u : users.values()) {
            out.add(u.snapshot());
        }
        return out;
    }

    synchronized List<UserRuntime> userRuntimes() {
        return new ArrayList<>(users.values());
    }

    @Override
    public synchronized Optional<MigrationUser> user(String emailAddress) {
        UserRuntime u = users.get(key(emailAddress));
        return u == null ? Optional.empty() : Optional.of(u.snapshot());
    }

    @Override
    public List<SkippedItem> skippedItems(String emailAddress) {
        return engine.store().skippedItems(name, emailAddress);
    }

    @Override
    public void start() {
        List<UserRuntime> toRun = new ArrayList<>();
        synchronized (this) {
            BatchStatus from = requireAllowed(BatchCommand.START);
            boolean retryFailedOnly = from == BatchStatus.FAILED || from == BatchStatus.SYNCED_WITH_ERRORS
                    || from == BatchStatus.COMPLETED_WITH_ERRORS;
            transition(BatchStatus.STARTING);
            record = record.withStartedAt(engine.now());
            engine.store().saveBatch(record);
            for (UserRuntime u : users.values()) {
                MigrationUserStatus s = u.status();
                boolean pick = retryFailedOnly ? s.isFailed() : !u.initialSyncDone() || s.isFailed()
                        || s == MigrationUserStatus.INCREMENTAL_STOPPED;
                if (pick && !u.scheduled()) {
                    toRun.add(u);
                }
            }
            boolean anyInitial = toRun.stream().anyMatch(u -> !u.initialSyncDone());
            transition(anyInitial || toRun.isEmpty() ? BatchStatus.SYNCING : BatchStatus.INCREMENTAL_SYNCING);
            toRun.forEach(u -> u.scheduled(true));
        }
        schedule(toRun);
    }

    @Override
    public void syncNow() {
        List<UserRuntime> toRun = new ArrayList<>();
        synchronized (this) {
            requireAllowed(BatchCommand.SYNC_NOW);
            for (UserRuntime u : users.values()) {
                MigrationUserStatus s = u.status();
                if (!u.scheduled() && (s == MigrationUserStatus.SYNCED || s == MigrationUserStatus.INCREMENTAL_SYNCED)) {
                    toRun.add(u);
                }
            }
            transition(BatchStatus.INCREMENTAL_SYNCING);
            toRun.forEach(u -> u.scheduled(true));
        }
        schedule(toRun);
    }

    @Override
    public List<MigrationUser> addUsers(Collection<MigrationUserEntry> entries) {
        List<UserRuntime> added = new ArrayList<>();
        boolean running;
        // Lock order engine -> batch, as in MigrationEngine.createBatch, which reads other batches'
        // users while holding the engine: taking the batch first deadlocked against it.
        synchronized (engine) {
            synchronized (this) {
                running = addUsersLocked(entries, added);
            }
        }
        if (running) {
            schedule(added);
        }
        return added.stream().map(UserRuntime::snapshot).toList();
    }

    /** Adds the new rows to {@code added}; returns {@code true} if they are to be scheduled now. */
    private boolean addUsersLocked(Collection<MigrationUserEntry> entries, List<UserRuntime> added) {
        requireAllowed(BatchCommand.ADD_USERS);
        List<MigrationUserEntry> fresh = new ArrayList<>();
        for (MigrationUserEntry e : entries) {
            UserRuntime existing = users.get(key(e.emailAddress()));
            if (existing != null) {
                existing.updateCredentials(e);
                engine.store().saveUser(existing.record());
                engine.secrets().remember(name, existing.entry());
            } else if (fresh.stream().noneMatch(f -> key(f.emailAddress()).equals(key(e.emailAddress())))) {
                fresh.add(e);
            }
        }
        engine.checkUsersFree(name, fresh);
        Instant now = engine.now();
        for (MigrationUserEntry e : fresh) {
            UserRuntime u = new UserRuntime(name, e, MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, now);
            users.put(key(e.emailAddress()), u);
            engine.store().saveUser(u.record());
            engine.secrets().remember(name, e);
            added.add(u);
        }
        BatchStatus s = record.status();
        if (!added.isEmpty() && (s == BatchStatus.SYNCED || s == BatchStatus.SYNCED_WITH_ERRORS)) {
            // A settled batch has no command that would start them (start is not allowed in Synced,
            // syncNow runs synced users only): go back to Syncing for the new users.
            transition(BatchStatus.SYNCING);
        }
        boolean running = record.status() == BatchStatus.SYNCING || record.status() == BatchStatus.INCREMENTAL_SYNCING;
        if (running) {
            added.forEach(u -> u.scheduled(true));
        }
        return running;
    }

    @Override
    public boolean awaitStatus(Duration timeout, Predicate<BatchStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(record.status())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long ms = Math.max(1, left / 1_000_000);
                wait(ms);
            }
            return true;
        }
    }

    private BatchStatus requireAllowed(BatchCommand command) {
        BatchStatus s = record.status();
        if (!s.allows(command)) {
            throw new IllegalBatchCommandException(name, s, command);
        }
        return s;
    }

    /** Moves the batch to a status through the transition table; caller holds the lock. */
    void transition(BatchStatus next) {
        BatchStatus previous = record.status();
        if (previous == next) {
            return;
        }
        if (!previous.canTransitionTo(next)) {
            throw new IllegalStateException("Batch '" + name + "': transition " + previous + " -> " + next
                    + " is not in the transition table");
        }
        record = record.withStatus(next);
        engine.store().saveBatch(record);
        engine.publish(new MigrationEvent.BatchStatusChanged(name, engine.now(), previous, next));
        notifyAll();
    }

    private void schedule(List<UserRuntime> toRun) {
        if (toRun.isEmpty()) {
            settleIfIdle();
            return;
        }
        for (UserRuntime u : toRun) {
            engine.schedule(this, u);
        }
    }

    /** Called by the engine when a user's pass has ended (or was dropped). */
    void userPassEnded(UserRuntime user) {
        user.scheduled(false);
        settleIfIdle();
    }

    private synchronized void settleIfIdle() {
        if (engine.isClosed()) {
            // Passes end because the service is closing: keep the active status in the store, so
            // that the next service restores the batch as Stopped instead of believing it settled.
            return;
        }
        BatchStatus s = record.status();
        if (s != BatchStatus.SYNCING && s != BatchStatus.INCREMENTAL_SYNCING && s != BatchStatus.STARTING) {
            return;
        }
        int failed = 0;
        int ok = 0;
        for (UserRuntime u : users.values()) {
            if (u.scheduled()) {
                return;
            }
            if (u.status().isFailed()) {
                failed++;
            } else {
                ok++;
            }
        }
        BatchStatus settled = failed == 0 ? BatchStatus.SYNCED
                : ok == 0 ? BatchStatus.FAILED : BatchStatus.SYNCED_WITH_ERRORS;
        if (settled == BatchStatus.FAILED && !record.status().canTransitionTo(BatchStatus.FAILED)) {
            settled = BatchStatus.SYNCED_WITH_ERRORS;
        }
        record = record.withPassEnd(engine.now());
        transition(settled);
        engine.store().saveBatch(record);
    }

    /** Persists a user and publishes its status change if there was one. */
    void userChanged(UserRuntime user, MigrationUserStatus previous) {
        engine.store().saveUser(user.record());
        MigrationUser snap = user.snapshot();
        if (previous != null && previous != snap.status()) {
            engine.publish(new MigrationEvent.UserStatusChanged(name, engine.now(), snap, previous));
        }
    }

    /** Returns {@code true} if the batch's pass can still run users (not being stopped or removed). */
    synchronized boolean accepting() {
        BatchStatus s = record.status();
        return s == BatchStatus.SYNCING || s == BatchStatus.INCREMENTAL_SYNCING || s == BatchStatus.STARTING;
    }

    /** On load: a batch stored in an active status is brought to rest for a later start. */
    synchronized void restoreAfterRestart() {
        BatchStatus s = record.status();
        if (s != BatchStatus.STARTING && s != BatchStatus.SYNCING && s != BatchStatus.INCREMENTAL_SYNCING
                && s != BatchStatus.STOPPING) {
            return;
        }
        for (UserRuntime u : users.values()) {
            MigrationUserStatus us = u.status();
            if (us.summary() == MigrationUserStatus.Summary.ACTIVE) {
                MigrationUserStatus stopped = u.initialSyncDone() ? MigrationUserStatus.INCREMENTAL_STOPPED
                        : MigrationUserStatus.STOPPED;
                MigrationUserStatus prev = u.status(stopped, "Interrupted by a restart of the migration service", engine.now());
                userChanged(u, prev);
            }
        }
        if (s != BatchStatus.STOPPING) {
            transition(BatchStatus.STOPPING);
        }
        transition(BatchStatus.STOPPED);
    }
}
