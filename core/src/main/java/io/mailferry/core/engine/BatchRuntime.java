package io.mailferry.core.engine;

import io.mailferry.core.BatchCommand;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.IllegalBatchCommandException;
import io.mailferry.core.IllegalUserCommandException;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationScheduler;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.NoSuchUserException;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.UserCommand;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.engine.UserRuntime.PassKind;
import io.mailferry.core.notification.NotificationOutcome;
import io.mailferry.core.store.BatchRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A batch held by the engine: its commands, the scheduling of its users and its timers.
 *
 * <p>Every batch status change goes through {@link #transition}, which checks the transition table,
 * persists and publishes; every user status change through {@link #setUserStatus}. Commands check
 * the command tables first. Thread-safe: state is guarded by {@code this}; lock order is engine,
 * then batch, then user; the slot scheduler, the event dispatcher and the timer scheduler are
 * called with the batch lock held but never call back into a batch while holding their own locks.
 */
final class BatchRuntime implements MigrationBatch {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRuntime.class);

    private final MigrationEngine engine;
    private final String name;
    private BatchRecord record;
    private final Map<String, UserRuntime> users = new LinkedHashMap<>();
    private MigrationScheduler.Cancellable startTimer;
    private MigrationScheduler.Cancellable incrementalTimer;
    private MigrationScheduler.Cancellable completeTimer;
    private MigrationScheduler.Cancellable reportTimer;
    private boolean removed;

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

    // =============================================================================================
    // Reading

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

    @Override
    public Optional<NotificationOutcome> lastNotification() {
        return Optional.ofNullable(recordSnapshot().lastNotification());
    }

    @Override
    public void recordNotification(NotificationOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        synchronized (this) {
            if (removed) {
                return;
            }
            record = record.withLastNotification(outcome);
            engine.store().saveBatch(record);
        }
        if (!outcome.isSent()) {
            engine.publish(new MigrationEvent.NotificationFailed(name, outcome.time(), outcome.subject(), outcome.error()));
        }
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
                r.lastSyncedAt(), r.completedAt(), r.createdBy());
    }

    @Override
    public synchronized List<MigrationUser> users() {
        Instant now = engine.now();
        List<MigrationUser> out = new ArrayList<>(users.size());
        for (UserRuntime u : users.values()) {
            out.add(u.snapshot(now));
        }
        return out;
    }

    synchronized List<UserRuntime> userRuntimes() {
        return new ArrayList<>(users.values());
    }

    @Override
    public synchronized Optional<MigrationUser> user(String emailAddress) {
        UserRuntime u = users.get(key(emailAddress));
        return u == null ? Optional.empty() : Optional.of(u.snapshot(engine.now()));
    }

    synchronized boolean hasUser(String emailAddress) {
        return users.containsKey(key(emailAddress));
    }

    @Override
    public List<SkippedItem> skippedItems(String emailAddress) {
        return engine.store().skippedItems(name, emailAddress);
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
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    @Override
    public boolean awaitUsers(Duration timeout, Predicate<List<MigrationUser>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(users())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // users change without a batch transition (e.g. Queued -> Syncing): poll as well
                wait(Math.max(1, Math.min(20, left / 1_000_000)));
            }
            return true;
        }
    }

    // =============================================================================================
    // Batch commands

    @Override
    public void start() {
        synchronized (this) {
            BatchStatus from = requireAllowed(BatchCommand.START);
            record = record.withStartedAt(engine.now()); // saved with the transition that follows
            Instant startAfter = record.options().startAfter();
            boolean mayWait = from == BatchStatus.CREATED || from == BatchStatus.STOPPED || from == BatchStatus.FAILED;
            if (mayWait && startAfter != null && engine.now().isBefore(startAfter)) {
                transition(BatchStatus.WAITING);
                scheduleStart();
                return;
            }
            beginRun(from);
        }
    }

    /** Starts running from {@code from} (a start command, or the StartAfter timer from Waiting). */
    private void beginRun(BatchStatus from) {
        boolean retry = from == BatchStatus.FAILED || from == BatchStatus.SYNCED_WITH_ERRORS;
        boolean retryCompletion = from == BatchStatus.COMPLETED_WITH_ERRORS;
        cancel(startTimer);
        startTimer = null;
        transition(BatchStatus.STARTING);
        Map<UserRuntime, PassKind> picked = new LinkedHashMap<>();
        for (UserRuntime u : users.values()) {
            if (u.busy()) {
                continue;
            }
            MigrationUserStatus s = u.status();
            boolean pick;
            if (retryCompletion) {
                pick = s.isFailed() || s == MigrationUserStatus.QUEUED || s == MigrationUserStatus.STOPPED
                        || s == MigrationUserStatus.INCREMENTAL_STOPPED;
            } else if (retry) {
                pick = s.isFailed() || s == MigrationUserStatus.QUEUED;
            } else {
                pick = s == MigrationUserStatus.QUEUED || s == MigrationUserStatus.STARTING || s.isFailed()
                        || s == MigrationUserStatus.STOPPED || s == MigrationUserStatus.INCREMENTAL_STOPPED;
            }
            if (pick) {
                PassKind kind = s == MigrationUserStatus.COMPLETION_FAILED ? PassKind.FINAL
                        : u.initialSyncDone() ? PassKind.INCREMENTAL : PassKind.INITIAL;
                picked.put(u, kind);
            }
        }
        BatchStatus running;
        if (retryCompletion) {
            running = BatchStatus.COMPLETING;
        } else {
            boolean anyInitial = picked.values().stream().anyMatch(k -> k == PassKind.INITIAL);
            running = anyInitial || picked.isEmpty() ? BatchStatus.SYNCING : BatchStatus.INCREMENTAL_SYNCING;
        }
        transition(running);
        scheduleReports();
        picked.forEach(this::resume);
        settle();
    }

    @Override
    public void stop() {
        synchronized (this) {
            requireAllowed(BatchCommand.STOP);
            cancelBatchTimers();
            transition(BatchStatus.STOPPING);
            for (UserRuntime u : users.values()) {
                stopUserLocked(u);
            }
            settle();
        }
    }

    @Override
    public void complete() {
        synchronized (this) {
            requireAllowed(BatchCommand.COMPLETE);
            beginCompletion();
        }
    }

    /** Completing: a final pass for every user that has synced. */
    private void beginCompletion() {
        cancel(incrementalTimer);
        cancel(completeTimer);
        incrementalTimer = null;
        completeTimer = null;
        transition(BatchStatus.COMPLETING);
        for (UserRuntime u : users.values()) {
            if (u.busy()) {
                continue;
            }
            switch (u.status()) {
                case SYNCED, INCREMENTAL_SYNCED, INCREMENTAL_FAILED, INCREMENTAL_STOPPED, COMPLETION_FAILED ->
                        runUser(u, PassKind.FINAL, MigrationUserStatus.COMPLETING);
                default -> {
                    // never synced (Failed, Stopped, Queued) or already completed: left as it is
                }
            }
        }
        settle();
    }

    @Override
    public void remove() {
        synchronized (engine) {
            synchronized (this) {
                requireAllowed(BatchCommand.REMOVE);
                transition(BatchStatus.REMOVING);
                removeLocked();
            }
        }
        engine.publish(new MigrationEvent.BatchRemoved(name, engine.now()));
    }

    /** Deletes the batch from the store and the engine; caller holds the engine and batch locks. */
    void removeLocked() {
        cancelBatchTimers();
        cancel(reportTimer);
        reportTimer = null;
        Instant now = engine.now();
        for (UserRuntime u : users.values()) {
            u.cancelWaits();
            UserSync w = u.work();
            if (w != null) {
                engine.cancelQueued(w);
                u.work(null);
            }
            MigrationUserStatus previous = u.status(MigrationUserStatus.REMOVING, u.error(), now);
            publishUserStatus(u, previous);
            engine.secrets().forget(name, u.emailAddress());
        }
        engine.store().deleteBatch(name);
        removed = true;
        engine.forget(name);
        notifyAll();
    }

    @Override
    public void syncNow() {
        synchronized (this) {
            requireAllowed(BatchCommand.SYNC_NOW);
            runIncremental();
        }
    }

    /** An incremental pass for every synced user (sync-now, or the incremental interval). */
    private void runIncremental() {
        cancel(incrementalTimer);
        incrementalTimer = null;
        transition(BatchStatus.INCREMENTAL_SYNCING);
        for (UserRuntime u : users.values()) {
            MigrationUserStatus s = u.status();
            if (!u.busy() && (s == MigrationUserStatus.SYNCED || s == MigrationUserStatus.INCREMENTAL_SYNCED
                    || s == MigrationUserStatus.INCREMENTAL_FAILED)) {
                runUser(u, PassKind.INCREMENTAL, null);
            }
        }
        settle();
    }

    @Override
    public List<MigrationUser> addUsers(Collection<MigrationUserEntry> entries) {
        Objects.requireNonNull(entries, "users");
        List<UserRuntime> added = new ArrayList<>();
        // Lock order engine -> batch, as in MigrationEngine.createBatch, which reads other batches'
        // users while holding the engine: taking the batch first deadlocked against it.
        synchronized (engine) {
            synchronized (this) {
                addUsersLocked(entries, added);
            }
        }
        Instant now = engine.now();
        return added.stream().map(u -> u.snapshot(now)).toList();
    }

    private void addUsersLocked(Collection<MigrationUserEntry> entries, List<UserRuntime> added) {
        List<MigrationUserEntry> fresh = new ArrayList<>();
        List<UserRuntime> refreshed = new ArrayList<>();
        for (MigrationUserEntry e : entries) {
            UserRuntime existing = users.get(key(e.emailAddress()));
            if (existing != null) {
                refreshed.add(existing);
            } else if (fresh.stream().noneMatch(f -> key(f.emailAddress()).equals(key(e.emailAddress())))) {
                fresh.add(e);
            }
        }
        if (!fresh.isEmpty()) {
            requireAllowed(BatchCommand.ADD_USERS);
            engine.checkUsersFree(name, fresh);
        }
        // Credentials of users already in the batch: allowed in every status.
        Instant now = engine.now();
        for (MigrationUserEntry e : entries) {
            UserRuntime existing = users.get(key(e.emailAddress()));
            if (existing != null && refreshed.contains(existing)) {
                existing.updateCredentials(e);
                engine.store().saveUser(existing.record(now));
                engine.secrets().remember(name, existing.entry());
            }
        }
        for (MigrationUserEntry e : fresh) {
            UserRuntime u = new UserRuntime(name, e, MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, now);
            users.put(key(e.emailAddress()), u);
            engine.store().saveUser(u.record(now));
            engine.secrets().remember(name, e);
            added.add(u);
        }
        BatchStatus s = record.status();
        if (!added.isEmpty() && (s == BatchStatus.SYNCED || s == BatchStatus.SYNCED_WITH_ERRORS)) {
            // A settled batch has no command that would start them (start is not allowed in Synced,
            // syncNow runs synced users only): go back to Syncing for the new users.
            cancel(incrementalTimer);
            incrementalTimer = null;
            transition(BatchStatus.SYNCING);
        }
        if (isRunning()) {
            added.forEach(u -> resume(u, PassKind.INITIAL));
        }
        credentialsChanged();
    }

    @Override
    public BatchOptions set(UnaryOperator<BatchOptions.Builder> change) {
        Objects.requireNonNull(change, "change");
        synchronized (this) {
            requireAllowed(BatchCommand.SET);
            BatchOptions next = change.apply(record.options().toBuilder()).build();
            record = record.withOptions(next);
            engine.store().saveBatch(record);
            BatchStatus s = record.status();
            if (s == BatchStatus.WAITING) {
                Instant startAfter = next.startAfter();
                if (startAfter == null || !engine.now().isBefore(startAfter)) {
                    beginRun(BatchStatus.WAITING);
                } else {
                    scheduleStart();
                }
            } else if (s == BatchStatus.SYNCED || s == BatchStatus.SYNCED_WITH_ERRORS) {
                afterSynced();
            }
            scheduleReports();
            return next;
        }
    }

    // =============================================================================================
    // User commands

    private UserRuntime requireUser(String emailAddress, UserCommand command) {
        Objects.requireNonNull(emailAddress, "emailAddress");
        UserRuntime u = users.get(key(emailAddress));
        if (u == null) {
            throw new NoSuchUserException(emailAddress, "batch '" + name + "'");
        }
        BatchStatus bs = record.status();
        MigrationUserStatus us = u.status();
        if (!bs.allowedUserCommands().contains(command) || !us.allows(command)) {
            throw new IllegalUserCommandException(name, u.emailAddress(), bs, us, command);
        }
        return u;
    }

    @Override
    public void startUser(String emailAddress) {
        synchronized (this) {
            UserRuntime u = requireUser(emailAddress, UserCommand.START);
            MigrationUserStatus s = u.status();
            PassKind kind = s == MigrationUserStatus.COMPLETION_FAILED ? PassKind.FINAL
                    : u.initialSyncDone() ? PassKind.INCREMENTAL : PassKind.INITIAL;
            BatchStatus bs = record.status();
            if (!isRunning()) {
                // a batch at rest runs again, for this user
                if (bs == BatchStatus.SYNCED || bs == BatchStatus.SYNCED_WITH_ERRORS) {
                    cancel(incrementalTimer);
                    incrementalTimer = null;
                    transition(kind == PassKind.INITIAL ? BatchStatus.SYNCING : BatchStatus.INCREMENTAL_SYNCING);
                } else {
                    transition(BatchStatus.STARTING);
                    record = record.withStartedAt(engine.now());
                    transition(bs == BatchStatus.COMPLETED_WITH_ERRORS ? BatchStatus.COMPLETING
                            : kind == PassKind.INITIAL ? BatchStatus.SYNCING : BatchStatus.INCREMENTAL_SYNCING);
                    scheduleReports();
                }
            }
            resume(u, kind);
            settle();
        }
    }

    @Override
    public void stopUser(String emailAddress) {
        synchronized (this) {
            UserRuntime u = requireUser(emailAddress, UserCommand.STOP);
            MigrationUserStatus s = u.status();
            if ((s == MigrationUserStatus.SYNCED || s == MigrationUserStatus.INCREMENTAL_SYNCED) && !u.busy()) {
                u.completeTimer(null);
                setUserStatus(u, MigrationUserStatus.INCREMENTAL_STOPPED, null);
            } else {
                stopUserLocked(u);
            }
            settle();
        }
    }

    @Override
    public void syncUserNow(String emailAddress) {
        synchronized (this) {
            UserRuntime u = requireUser(emailAddress, UserCommand.SYNC_NOW);
            if (u.busy()) {
                return; // a pass is queued or running already
            }
            BatchStatus bs = record.status();
            if (bs == BatchStatus.SYNCED || bs == BatchStatus.SYNCED_WITH_ERRORS) {
                cancel(incrementalTimer);
                incrementalTimer = null;
                transition(BatchStatus.INCREMENTAL_SYNCING);
            }
            runUser(u, PassKind.INCREMENTAL, null);
            settle();
        }
    }

    @Override
    public void removeUser(String emailAddress) {
        String removedEmail;
        synchronized (this) {
            UserRuntime u = requireUser(emailAddress, UserCommand.REMOVE);
            u.cancelWaits();
            UserSync w = u.work();
            if (w != null) {
                engine.cancelQueued(w);
                u.work(null);
            }
            setUserStatus(u, MigrationUserStatus.REMOVING, u.error());
            users.remove(key(emailAddress));
            engine.store().deleteUser(name, u.emailAddress());
            engine.secrets().forget(name, u.emailAddress());
            removedEmail = u.emailAddress();
            settle();
            notifyAll();
        }
        engine.publish(new MigrationEvent.UserRemoved(name, engine.now(), removedEmail));
    }

    @Override
    public MigrationUser setUser(String emailAddress, UnaryOperator<UserOverrides> change) {
        Objects.requireNonNull(change, "change");
        synchronized (this) {
            UserRuntime u = requireUser(emailAddress, UserCommand.SET);
            UserOverrides next = Objects.requireNonNull(change.apply(u.overrides()), "overrides");
            u.overrides(next);
            Instant now = engine.now();
            engine.store().saveUser(u.record(now));
            PassKind waiting = u.waitingFor();
            if (waiting != null) {
                // waiting for its own StartAfter: wait for the new one
                u.waitingFor(null, null);
                runUser(u, waiting);
            }
            MigrationUserStatus s = u.status();
            if (!u.busy() && (s == MigrationUserStatus.SYNCED || s == MigrationUserStatus.INCREMENTAL_SYNCED)) {
                maybeCompleteUser(u);
            }
            settle();
            return u.snapshot(now);
        }
    }

    // =============================================================================================
    // Scheduling users

    /** Returns {@code true} while the batch runs passes (users may be queued). */
    private boolean isRunning() {
        BatchStatus s = record.status();
        return s == BatchStatus.STARTING || s == BatchStatus.SYNCING || s == BatchStatus.INCREMENTAL_SYNCING
                || s == BatchStatus.COMPLETING;
    }

    /** A start command picked a user: Queued (never run) or Starting (resumed), then its pass. */
    private void resume(UserRuntime u, PassKind kind) {
        u.stopRequested(false);
        MigrationUserStatus s = u.status();
        if (kind == PassKind.FINAL) {
            runUser(u, kind, MigrationUserStatus.COMPLETING);
        } else if (s == MigrationUserStatus.QUEUED && u.statistics().lastSuccessfulSyncTime() == null && u.error() == null) {
            runUser(u, kind, MigrationUserStatus.QUEUED);
        } else {
            runUser(u, kind, MigrationUserStatus.STARTING);
        }
    }

    private void runUser(UserRuntime u, PassKind kind) {
        runUser(u, kind, null);
    }

    /**
     * Runs a pass of a user unless it has to wait: for its own StartAfter (a timer), or for
     * credentials the service does not hold (after a restart).
     *
     * @param status the status to show while it waits or is queued, or {@code null} to keep the current
     */
    private void runUser(UserRuntime u, PassKind kind, MigrationUserStatus status) {
        Instant startAfter = u.overrides().startAfter();
        Instant now = engine.now();
        if (kind == PassKind.INITIAL && startAfter != null && now.isBefore(startAfter)) {
            if (status != null) {
                setUserStatus(u, status, null);
            }
            MigrationScheduler.Cancellable timer = engine.schedule(startAfter, () -> userStartAfterReached(u));
            u.waitingFor(kind, timer);
            u.rebucket(now);
            userDetail(u, "Waiting for its StartAfter time " + startAfter);
            return;
        }
        String missing = engine.missingCredentials(this, u);
        if (missing != null) {
            if (status != null) {
                setUserStatus(u, status, null);
            }
            u.parkedFor(kind);
            u.rebucket(now);
            userDetail(u, missing);
            LOG.info("Batch '{}': user {} waits: {}", name, u.emailAddress(), missing);
            return;
        }
        submit(u, kind, status);
    }

    /** Queues a pass for slots; {@code status} is shown while it waits (or the current one is kept). */
    private void submit(UserRuntime u, PassKind kind, MigrationUserStatus status) {
        u.stopRequested(false);
        UserSync work = new UserSync(engine, this, u, kind);
        u.work(work);
        if (status != null) {
            setUserStatus(u, status, null);
        }
        u.rebucket(engine.now());
        userDetail(u, null);
        engine.submit(work);
    }

    private synchronized void userStartAfterReached(UserRuntime u) {
        PassKind kind = u.waitingFor();
        if (kind == null || removed || !users.containsValue(u)) {
            return;
        }
        u.waitingFor(null, null);
        if (isRunning()) {
            runUser(u, kind);
        }
        settle();
    }

    /**
     * Stops a user as part of a stop command: a queued pass is dropped (Stopped, or back to its
     * status for an incremental one), a running pass is asked to stop (Stopping).
     */
    private void stopUserLocked(UserRuntime u) {
        u.completeTimer(null);
        boolean waited = u.waitingFor() != null || u.parkedFor() != null;
        u.waitingFor(null, null);
        u.parkedFor(null);
        UserSync w = u.work();
        MigrationUserStatus s = u.status();
        if (w != null) {
            if (engine.cancelQueued(w)) {
                u.work(null);
                stoppedStatus(u, s);
            } else {
                u.stopRequested(true);
                setUserStatus(u, MigrationUserStatus.STOPPING, null);
            }
        } else if (waited || s == MigrationUserStatus.QUEUED || s == MigrationUserStatus.STARTING || s.isRunning()) {
            // (running statuses without a pass: loaded from the store by a service that did not resume)
            stoppedStatus(u, s);
        }
        userDetail(u, null);
    }

    private void stoppedStatus(UserRuntime u, MigrationUserStatus current) {
        switch (current) {
            case QUEUED, STARTING, SYNCING, INCREMENTAL_SYNCING, STOPPING ->
                    setUserStatus(u, u.initialSyncDone() ? MigrationUserStatus.INCREMENTAL_STOPPED
                            : MigrationUserStatus.STOPPED, null);
            default -> u.rebucket(engine.now()); // e.g. Synced waiting for an incremental slot: stays Synced
        }
    }

    /** Called by a pass before it connects; {@code false} if it was cancelled or stopped meanwhile. */
    synchronized boolean passStarting(UserRuntime u, UserSync work) {
        if (u.work() != work || removed) {
            return false;
        }
        if (u.stopRequested() || engine.isClosed()) {
            passEnded(u, work, engine.isClosed() ? UserSync.Outcome.ABANDONED : UserSync.Outcome.STOPPED);
            return false;
        }
        MigrationUserStatus running = switch (work.kind()) {
            case INITIAL -> MigrationUserStatus.SYNCING;
            case INCREMENTAL -> MigrationUserStatus.INCREMENTAL_SYNCING;
            case FINAL -> MigrationUserStatus.COMPLETING;
        };
        setUserStatus(u, running, null);
        userDetail(u, null);
        return true;
    }

    /** Called when a pass has ended (or was dropped); sets the user's status and moves the batch on. */
    synchronized void passEnded(UserRuntime u, UserSync work, UserSync.Outcome outcome) {
        if (u.work() != work) {
            return; // cancelled by a command, which set the status
        }
        u.work(null);
        u.stopRequested(false);
        if (removed || !users.containsValue(u)) {
            return;
        }
        Instant now = engine.now();
        switch (outcome.result()) {
            case ABANDONED -> {
                // the service is closing: keep the active status in the store, so that the next
                // service resumes the user instead of believing it settled
                u.rebucket(now);
                engine.store().saveUser(u.record(now));
                return;
            }
            case STOPPED -> stoppedStatus(u, u.status());
            case FAILED -> setUserStatus(u, switch (work.kind()) {
                case INITIAL -> MigrationUserStatus.FAILED;
                case INCREMENTAL -> MigrationUserStatus.INCREMENTAL_FAILED;
                case FINAL -> MigrationUserStatus.COMPLETION_FAILED;
            }, outcome.error());
            case SUCCEEDED -> {
                if (work.kind() == PassKind.FINAL) {
                    setUserStatus(u, MigrationUserStatus.COMPLETION_SYNCED, null);
                    // IMAP has nothing to finalize beyond the final pass
                    setUserStatus(u, u.statistics().skippedItemCount() > 0 ? MigrationUserStatus.COMPLETED_WITH_WARNINGS
                            : MigrationUserStatus.COMPLETED, null);
                } else {
                    setUserStatus(u, MigrationUserStatus.SYNCED, null);
                    if (record.status() == BatchStatus.COMPLETING) {
                        runUser(u, PassKind.FINAL, MigrationUserStatus.COMPLETING);
                    } else {
                        maybeCompleteUser(u);
                    }
                }
            }
        }
        settle();
    }

    /**
     * Completes a synced user by itself when AutoComplete or its own CompleteAfter says so: at
     * once if the time has come, else with a timer.
     */
    private void maybeCompleteUser(UserRuntime u) {
        BatchOptions o = record.options();
        Instant own = u.overrides().completeAfter();
        if (!o.autoComplete() && own == null) {
            return;
        }
        Instant due = own != null ? own : o.completeAfter();
        Instant now = engine.now();
        if (due == null || !now.isBefore(due)) {
            u.completeTimer(null);
            BatchStatus bs = record.status();
            if (bs == BatchStatus.SYNCED || bs == BatchStatus.SYNCED_WITH_ERRORS) {
                cancel(incrementalTimer);
                incrementalTimer = null;
                transition(BatchStatus.INCREMENTAL_SYNCING);
            }
            if (isRunning()) {
                runUser(u, PassKind.FINAL, MigrationUserStatus.COMPLETING);
            }
        } else {
            u.completeTimer(engine.schedule(due, () -> userCompleteAfterReached(u)));
        }
    }

    private synchronized void userCompleteAfterReached(UserRuntime u) {
        if (removed || !users.containsValue(u) || u.busy()) {
            return;
        }
        MigrationUserStatus s = u.status();
        BatchStatus bs = record.status();
        boolean batchAllows = bs == BatchStatus.SYNCED || bs == BatchStatus.SYNCED_WITH_ERRORS || isRunning();
        if (batchAllows && (s == MigrationUserStatus.SYNCED || s == MigrationUserStatus.INCREMENTAL_SYNCED)) {
            maybeCompleteUser(u);
            settle();
        }
    }

    /** Credentials may have arrived: users waiting for them run. */
    synchronized void credentialsChanged() {
        boolean any = false;
        for (UserRuntime u : users.values()) {
            PassKind kind = u.parkedFor();
            if (kind == null) {
                continue;
            }
            String missing = engine.missingCredentials(this, u);
            if (missing != null) {
                userDetail(u, missing);
            } else {
                u.parkedFor(null);
                if (isRunning() || record.status() == BatchStatus.SYNCED
                        || record.status() == BatchStatus.SYNCED_WITH_ERRORS) {
                    submit(u, kind, null);
                    any = true;
                } else {
                    userDetail(u, null);
                }
            }
        }
        if (any) {
            settle();
        }
    }

    // =============================================================================================
    // Settling

    /** Moves the batch on when its passes are over: Synced, SyncedWithErrors, Failed, Stopped, Completed… */
    private void settle() {
        if (engine.isClosed() || removed) {
            return;
        }
        BatchStatus s = record.status();
        switch (s) {
            case STOPPING -> {
                if (users.values().stream().noneMatch(u -> u.work() != null)) {
                    transition(BatchStatus.STOPPED);
                }
            }
            case STARTING, SYNCING, INCREMENTAL_SYNCING -> {
                if (users.values().stream().noneMatch(UserRuntime::busy)) {
                    settleRun(s);
                }
            }
            case COMPLETING -> {
                if (users.values().stream().noneMatch(UserRuntime::busy)) {
                    finishCompletion();
                }
            }
            default -> {
                // at rest
            }
        }
    }

    private void settleRun(BatchStatus from) {
        Instant now = engine.now();
        int failed = 0;
        int ok = 0;
        int completed = 0;
        for (UserRuntime u : users.values()) {
            MigrationUserStatus us = u.status();
            if (us.summary() == MigrationUserStatus.Summary.COMPLETED) {
                completed++;
            }
            if (us.isFailed()) {
                failed++;
            } else {
                ok++;
            }
        }
        if (!users.isEmpty() && completed + countOf(MigrationUserStatus.COMPLETION_FAILED) == users.size()) {
            // every user completed by itself (AutoComplete, own CompleteAfter)
            transition(BatchStatus.COMPLETING);
            finishCompletion();
            return;
        }
        if (from == BatchStatus.SYNCING || from == BatchStatus.STARTING) {
            record = record.withPassEnd(now);
        } else {
            record = record.withLastSyncedAt(now);
        }
        if (from != BatchStatus.INCREMENTAL_SYNCING && !record.options().allowIncrementalSyncs()) {
            transition(BatchStatus.STOPPED);
            return;
        }
        BatchStatus settled = failed == 0 ? BatchStatus.SYNCED
                : ok == 0 ? BatchStatus.FAILED : BatchStatus.SYNCED_WITH_ERRORS;
        transition(settled);
        if (settled != BatchStatus.FAILED) {
            afterSynced();
        }
    }

    private int countOf(MigrationUserStatus status) {
        return (int) users.values().stream().filter(u -> u.status() == status).count();
    }

    /** At rest in Synced or SyncedWithErrors: the next incremental pass, and CompleteAfter. */
    private void afterSynced() {
        BatchOptions o = record.options();
        Instant now = engine.now();
        cancel(incrementalTimer);
        incrementalTimer = null;
        cancel(completeTimer);
        completeTimer = null;
        if (o.completeAfter() != null && !now.isBefore(o.completeAfter())) {
            beginCompletion();
            return;
        }
        if (o.completeAfter() != null) {
            completeTimer = engine.schedule(o.completeAfter(), this::completeAfterReached);
        }
        if (o.allowIncrementalSyncs()) {
            Instant last = record.lastSyncedAt() != null ? record.lastSyncedAt() : now;
            incrementalTimer = engine.schedule(last.plus(o.incrementalSyncInterval()), this::incrementalDue);
        }
        // users completed by themselves (AutoComplete, their own CompleteAfter) whose timers a stop
        // or a restart cleared
        for (UserRuntime u : users.values()) {
            MigrationUserStatus us = u.status();
            if (!u.busy() && (us == MigrationUserStatus.SYNCED || us == MigrationUserStatus.INCREMENTAL_SYNCED)
                    && (o.autoComplete() || u.overrides().completeAfter() != null)) {
                maybeCompleteUser(u);
            }
        }
    }

    private synchronized void incrementalDue() {
        BatchStatus s = record.status();
        if (removed || (s != BatchStatus.SYNCED && s != BatchStatus.SYNCED_WITH_ERRORS)) {
            return;
        }
        LOG.info("Batch '{}': incremental interval passed; running an incremental pass", name);
        runIncremental();
    }

    private synchronized void completeAfterReached() {
        BatchStatus s = record.status();
        if (removed || (s != BatchStatus.SYNCED && s != BatchStatus.SYNCED_WITH_ERRORS)) {
            return; // still syncing: settling checks CompleteAfter again
        }
        LOG.info("Batch '{}': CompleteAfter passed; completing", name);
        beginCompletion();
    }

    private synchronized void startAfterReached() {
        if (removed || record.status() != BatchStatus.WAITING) {
            return;
        }
        Instant startAfter = record.options().startAfter();
        if (startAfter != null && engine.now().isBefore(startAfter)) {
            scheduleStart(); // moved later meanwhile
            return;
        }
        LOG.info("Batch '{}': StartAfter passed; starting", name);
        beginRun(BatchStatus.WAITING);
    }

    private void finishCompletion() {
        boolean all = users.values().stream()
                .allMatch(u -> u.status().summary() == MigrationUserStatus.Summary.COMPLETED);
        record = record.withCompletedAt(engine.now());
        transition(all ? BatchStatus.COMPLETED : BatchStatus.COMPLETED_WITH_ERRORS);
        cancel(reportTimer);
        reportTimer = null;
        for (UserRuntime u : users.values()) {
            u.completeTimer(null);
        }
    }

    // =============================================================================================
    // Timers

    private void scheduleStart() {
        cancel(startTimer);
        startTimer = engine.schedule(record.options().startAfter(), this::startAfterReached);
    }

    /** Schedules the next ReportDue event: every report interval counted from the batch's creation. */
    /** Starts the timers of a new batch. */
    synchronized void created() {
        scheduleReports();
    }

    private void scheduleReports() {
        cancel(reportTimer);
        reportTimer = null;
        Duration interval = record.options().reportInterval();
        BatchStatus s = record.status();
        if (interval.isZero() || s == BatchStatus.COMPLETED || s == BatchStatus.COMPLETED_WITH_ERRORS
                || s == BatchStatus.REMOVING || s == BatchStatus.CORRUPTED || removed) {
            return;
        }
        Instant now = engine.now();
        Instant created = record.createdAt();
        long elapsed = Math.max(0, Duration.between(created, now).toNanos());
        long n = elapsed / Math.max(1, interval.toNanos()) + 1;
        Instant next = created.plus(interval.multipliedBy(n));
        reportTimer = engine.schedule(next, this::reportDue);
    }

    private void reportDue() {
        MigrationEvent.ReportDue event;
        synchronized (this) {
            BatchStatus s = record.status();
            if (removed || s == BatchStatus.COMPLETED || s == BatchStatus.COMPLETED_WITH_ERRORS) {
                return;
            }
            event = new MigrationEvent.ReportDue(name, engine.now(), s, statistics(), users(),
                    record.options().notificationEmails());
            scheduleReports();
        }
        engine.publish(event);
    }

    private void cancelBatchTimers() {
        cancel(startTimer);
        cancel(incrementalTimer);
        cancel(completeTimer);
        startTimer = null;
        incrementalTimer = null;
        completeTimer = null;
    }

    private static void cancel(MigrationScheduler.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    // =============================================================================================
    // Status changes

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

    /** Sets a user's status, persists and publishes it; caller holds the lock. */
    private void setUserStatus(UserRuntime u, MigrationUserStatus status, String error) {
        MigrationUserStatus previous = u.status(status, error, engine.now());
        engine.store().saveUser(u.record(engine.now()));
        publishUserStatus(u, previous);
        notifyAll();
    }

    private void publishUserStatus(UserRuntime u, MigrationUserStatus previous) {
        if (previous != u.status()) {
            engine.publish(new MigrationEvent.UserStatusChanged(name, engine.now(), u.snapshot(engine.now()), previous));
        }
    }

    /** Sets what a user waits for (shown with its status). */
    synchronized void userDetail(UserRuntime u, String detail) {
        if (!Objects.equals(u.statusDetail(), detail)) {
            u.statusDetail(detail);
            if (!removed && users.containsValue(u)) {
                engine.store().saveUser(u.record(engine.now()));
            }
            notifyAll();
        }
    }

    /** A pass moved a user's counters: persist and publish them. */
    void userProgress(UserRuntime u) {
        userProgress(u, true);
    }

    /**
     * Publishes a user's progress; with {@code persist} also writes it to the store (a pass leaves
     * out the write after a folder that changed nothing: the counters it would save are recounted
     * by the pass and written when it ends).
     */
    void userProgress(UserRuntime u, boolean persist) {
        Instant now = engine.now();
        if (persist) {
            engine.store().saveUser(u.record(now));
        }
        engine.publish(new MigrationEvent.UserProgress(name, now, u.snapshot(now)));
    }

    // =============================================================================================
    // Restart

    /**
     * On load: brings the batch back where it was. A running batch continues: its active users run
     * again from their checkpoints (waiting for credentials the store does not hold); a batch
     * being stopped becomes Stopped; a batch at rest gets its timers back.
     */
    synchronized void restoreAfterRestart() {
        BatchStatus s = record.status();
        switch (s) {
            case STARTING, SYNCING, INCREMENTAL_SYNCING, COMPLETING -> {
                if (s == BatchStatus.STARTING) {
                    transition(BatchStatus.SYNCING);
                }
                for (UserRuntime u : users.values()) {
                    PassKind kind = resumeKind(u);
                    if (kind != null) {
                        MigrationUserStatus shown = switch (u.status()) {
                            case SYNCING, STOPPING -> MigrationUserStatus.QUEUED;
                            case COMPLETION_SYNCED -> MigrationUserStatus.COMPLETING;
                            case INCREMENTAL_SYNCING -> MigrationUserStatus.SYNCED;
                            default -> u.status();
                        };
                        runUser(u, kind, shown);
                    }
                }
                scheduleReports();
                settle();
            }
            case STOPPING -> {
                for (UserRuntime u : users.values()) {
                    if (u.status().summary() == MigrationUserStatus.Summary.ACTIVE) {
                        stoppedStatus(u, u.status());
                    }
                }
                transition(BatchStatus.STOPPED);
                scheduleReports();
            }
            case WAITING -> {
                scheduleReports();
                Instant startAfter = record.options().startAfter();
                if (startAfter == null || !engine.now().isBefore(startAfter)) {
                    beginRun(BatchStatus.WAITING);
                } else {
                    scheduleStart();
                }
            }
            case SYNCED, SYNCED_WITH_ERRORS -> {
                normalizeRestingUsers();
                scheduleReports();
                afterSynced();
            }
            case CREATED, STOPPED, FAILED -> {
                normalizeRestingUsers();
                scheduleReports();
            }
            default -> {
                // Completed, CompletedWithErrors, Corrupted: nothing runs
            }
        }
    }

    /** Users left active in a batch at rest (a crash between two writes) become stopped. */
    private void normalizeRestingUsers() {
        for (UserRuntime u : users.values()) {
            MigrationUserStatus us = u.status();
            if (us.isRunning()) {
                stoppedStatus(u, us);
            }
        }
    }

    /** Which pass a user of a running batch resumes with after a restart, or {@code null}. */
    private PassKind resumeKind(UserRuntime u) {
        return switch (u.status()) {
            case QUEUED, STARTING, SYNCING, STOPPING -> u.initialSyncDone() ? PassKind.INCREMENTAL : PassKind.INITIAL;
            case INCREMENTAL_SYNCING -> PassKind.INCREMENTAL;
            case COMPLETING, COMPLETION_SYNCED -> PassKind.FINAL;
            case SYNCED, INCREMENTAL_SYNCED -> record.status() == BatchStatus.COMPLETING ? PassKind.FINAL : null;
            default -> null;
        };
    }

    /** Marks a batch whose users cannot be read: it can only be removed. */
    synchronized void corrupted(String why) {
        LOG.warn("Batch '{}' cannot be read from the store ({}): it is Corrupted and can only be removed", name, why);
        record = record.withStatus(BatchStatus.CORRUPTED);
    }

    synchronized boolean isRemoved() {
        return removed;
    }

    @Override
    public String toString() {
        return "MigrationBatch[" + name + ", " + status() + "]";
    }
}
