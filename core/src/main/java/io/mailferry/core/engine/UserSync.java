package io.mailferry.core.engine;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SyncStage;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SessionObserver;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.store.FolderSyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of one user: connect to both sides, choose (IncludeFolders/ExcludeFolders), map and
 * create folders, sync each folder, then report the outcome to the batch, which sets the user's
 * status. Transient failures (dropped connection, throttling) reconnect and resume from the last
 * checkpoint, up to the configured retries; the wait counts as stalled time.
 *
 * <p>The target is opened only when the pass needs it: an incremental pass on a source with
 * CONDSTORE whose folders all show no change since their checkpoints (see {@link #quietMappings})
 * connects to the source alone.
 *
 * <p>A stop command sets the user's stop flag: the pass checks it between folders and between
 * chunks of messages, then ends, closing its connections; what it copied is checkpointed.
 */
final class UserSync implements SlotScheduler.Work {
    private static final Logger LOG = LoggerFactory.getLogger(UserSync.class);
    private static final int PROGRESS_EVERY = 250;
    private static final long STOP_POLL_MS = 50;

    /** How a pass ended. */
    enum Result {
        /** Every folder synced, limits kept. */
        SUCCEEDED,
        /** The user failed: wrong password, unreachable server, too many bad items… */
        FAILED,
        /** A stop command ended it. */
        STOPPED,
        /** The service closed (or the work was dropped): the status stays for a restart to resume. */
        ABANDONED
    }

    /**
     * @param result how it ended
     * @param error  why it failed, for {@link Result#FAILED}
     */
    record Outcome(Result result, String error) {
        static final Outcome SUCCESS = new Outcome(Result.SUCCEEDED, null);
        static final Outcome STOPPED = new Outcome(Result.STOPPED, null);
        static final Outcome ABANDONED = new Outcome(Result.ABANDONED, null);

        static Outcome failed(String error) {
            return new Outcome(Result.FAILED, error);
        }
    }

    private final MigrationEngine engine;
    private final BatchRuntime batch;
    private final UserRuntime user;
    private final UserRuntime.PassKind kind;
    private final MigrationEndpoint sourceEndpoint;
    private final MigrationEndpoint targetEndpoint;
    private final int priority;

    private BatchOptions options;
    private MigrationUserStatistics base;
    private long passSynced;
    private long passSkipped;
    private long passFiltered;
    private long passBytes;
    private long passFlags;
    private long passTotalItems;
    private long passListedBytes;
    private int passFolders;
    private int passFoldersCreated;
    private long lastProgressAt;
    /** With {@link io.mailferry.core.MigrationEndpoint#SKIP_CROSS_DUPLICATES}: what is copied already; else {@code null}. */
    private CopiedIdentities copiedIdentities;

    private String folderSource;
    private String folderTarget;
    private long folderMessages;
    private long folderCopied;
    private long folderSkipped;

    UserSync(MigrationEngine engine, BatchRuntime batch, UserRuntime user, UserRuntime.PassKind kind) {
        this.engine = engine;
        this.batch = batch;
        this.user = user;
        this.kind = kind;
        this.sourceEndpoint = batch.sourceEndpoint();
        this.targetEndpoint = batch.targetEndpoint();
        this.priority = batch.options().priority().ordinal();
    }

    @Override
    public MigrationEndpoint source() {
        return sourceEndpoint;
    }

    @Override
    public MigrationEndpoint target() {
        return targetEndpoint;
    }

    @Override
    public boolean incremental() {
        return kind != UserRuntime.PassKind.INITIAL;
    }

    @Override
    public int priority() {
        return priority;
    }

    UserRuntime.PassKind kind() {
        return kind;
    }

    @Override
    public void cancelled() {
        batch.passEnded(user, this, Outcome.ABANDONED);
    }

    @Override
    public void run() {
        if (!batch.passStarting(user, this)) {
            return;
        }
        Outcome outcome = Outcome.ABANDONED;
        try {
            base = user.statistics();
            options = batch.options();
            List<Duration> delays = engine.settings().retryDelays();
            for (int attempt = 0; ; attempt++) {
                try {
                    runOnce();
                    break;
                } catch (ConnectorException e) {
                    if (stopping()) {
                        // a connector unblocked by the interrupt of close(), or a stop: not the user's failure
                        throw new PassInterruptedException();
                    }
                    if (e.isTransient() && attempt < delays.size()) {
                        // a throttling server's back-off hint wins over the configured delay
                        Duration hint = e.retryAfter().orElse(Duration.ZERO);
                        Duration wait = hint.compareTo(delays.get(attempt)) > 0 ? hint : delays.get(attempt);
                        LOG.warn("User {}: {} (attempt {}); reconnecting in {} ms", user.emailAddress(),
                                e.getMessage(), attempt + 1, wait.toMillis());
                        stall(wait, describe(e));
                        continue;
                    }
                    outcome = fail(describe(e));
                    return;
                }
            }
            outcome = finishPass();
        } catch (InterruptedException | PassInterruptedException e) {
            outcome = interrupted();
        } catch (RuntimeException e) {
            if (stopping()) {
                LOG.info("User {}: pass interrupted ({}); progress is checkpointed", user.emailAddress(), e.toString());
                outcome = interrupted();
            } else {
                LOG.error("User {}: unexpected failure", user.emailAddress(), e);
                outcome = fail("Internal error: " + e);
            }
        } finally {
            user.stage(SyncStage.IDLE);
            batch.passEnded(user, this, outcome);
        }
    }

    private Outcome interrupted() {
        if (user.stopRequested() && !engine.isClosed()) {
            LOG.info("User {}: stopped; progress is checkpointed", user.emailAddress());
            user.statistics(statistics(null));
            return Outcome.STOPPED;
        }
        LOG.info("User {}: pass interrupted by the service closing; progress is checkpointed", user.emailAddress());
        user.statistics(statistics(null));
        return Outcome.ABANDONED;
    }

    /** Waits before a retry, counting the time as stalled; a stop or close ends the wait. */
    private void stall(Duration delay, String reason) throws InterruptedException {
        user.stalled(true, engine.now());
        batch.userDetail(user, "Stalled: " + reason + "; retrying in " + delay.toMillis() + " ms");
        try {
            long end = System.nanoTime() + delay.toNanos();
            while (true) {
                checkInterrupted();
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Thread.sleep(Math.min(STOP_POLL_MS, Math.max(1, left / 1_000_000)));
            }
        } finally {
            user.stalled(false, engine.now());
            batch.userDetail(user, null);
        }
    }

    /** Returns {@code true} once a stop was asked for or the service is closing. */
    private boolean stopping() {
        return user.stopRequested() || Thread.currentThread().isInterrupted() || engine.isClosed();
    }

    private static String describe(ConnectorException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void runOnce() {
        user.stage(SyncStage.CONNECTING);
        MigrationUserEntry entry = user.entry();
        MailboxAccess sourceAccess = sourceAccess(entry);
        MailboxAccess targetAccess = targetAccess(entry);
        try (SourceMailbox src = engine.connectors().require(sourceEndpoint.type()).openSource(sourceEndpoint, sourceAccess);
             LazyTarget dst = new LazyTarget(
                     () -> engine.connectors().require(targetEndpoint.type()).openTarget(targetEndpoint, targetAccess),
                     new StallObserver(SyncStage.STALLED_TARGET_THROTTLED, "target"))) {
            src.observe(new StallObserver(SyncStage.STALLED_SOURCE_THROTTLED, "source"));
            if (kind == UserRuntime.PassKind.INITIAL) {
                dst.open(); // an initial pass always writes to the target
            }
            checkInterrupted();
            copiedIdentities = CopiedIdentities.open(engine.store(), user.mailboxKey(), sourceEndpoint, src,
                    user.emailAddress());
            user.stage(SyncStage.ENUMERATING_FOLDERS);
            List<FolderInfo> sourceFolders = src.listFolders();
            foldersLeftOut(SkippedFolders.record(engine.store(), batch.name(), user.emailAddress(),
                    src.skippedFolders(), sourceFolders, FolderFilter.of(options), engine.now()));
            Map<String, SourceLook> looked = new HashMap<>();
            List<FolderMapper.Mapping> mappings = quietMappings(src, sourceFolders, looked);
            if (mappings == null) {
                List<FolderInfo> targetFolders = dst.listFolders();
                FolderMapper.Plan plan = FolderMapper.plan(sourceFolders, targetFolders, FolderFilter.of(options));
                for (String folder : plan.toCreate()) {
                    checkInterrupted();
                    dst.createFolder(folder);
                    passFoldersCreated++;
                }
                mappings = plan.mappings();
            } else {
                LOG.debug("User {}: no source folder changed since its checkpoint; the target is not opened",
                        user.emailAddress());
            }
            user.stage(kind == UserRuntime.PassKind.INITIAL ? SyncStage.COPYING_MESSAGES : SyncStage.INCREMENTAL_SYNC);
            passTotalItems = 0;
            passListedBytes = 0;
            passFolders = 0;
            for (FolderMapper.Mapping m : mappings) {
                if (!m.source().selectable()) {
                    continue;
                }
                checkInterrupted();
                if (m.note() != null) {
                    LOG.info("User {}: folder '{}' goes to '{}' ({})", user.emailAddress(), m.source().name(),
                            m.targetName(), m.note());
                }
                folderSource = m.source().name();
                folderTarget = m.targetName();
                folderMessages = 0;
                folderCopied = 0;
                folderSkipped = 0;
                SourceLook look = looked.remove(m.source().name());
                if (look != null && System.nanoTime() - look.at() > LOOK_TTL_NANOS) {
                    look = null; // too old to stand in for a fresh look (a long copy of earlier folders)
                }
                new FolderSync(this, src, dst, m.source().name(), m.targetName(), look).run();
                passFolders++;
            }
            user.stage(SyncStage.FINALIZING);
        }
    }

    /** How long a folder's state read before the folder loop may stand in for reading it again: 30 s. */
    static final long LOOK_TTL_NANOS = 30_000_000_000L;

    /**
     * A source folder's state and its checkpoint as read before the folder loop, handed to its
     * {@link FolderSync} so that neither is read twice.
     *
     * @param status the source folder's state
     * @param saved  its checkpoint, or {@code null} if it has none
     * @param at     when the state was read ({@link System#nanoTime()})
     */
    record SourceLook(FolderStatus status, FolderSyncState saved, long at) {
    }

    /**
     * For an incremental pass on a source with CONDSTORE: returns the folders to sync, each going
     * to the target folder of its checkpoint, if no source folder shows a change since its
     * checkpoint (same UIDVALIDITY and HIGHESTMODSEQ: nothing added, removed or re-flagged, RFC
     * 7162 section 3.1.1; nothing in flight), so that the pass need not open the target at all;
     * otherwise {@code null}, and the pass plans against the target's folders as usual. Every
     * folder selected by the batch's filter must have a checkpoint, and every folder that is not
     * selectable must be a parent of one (so it was created on the target with it).
     *
     * <p>Reads the folders' states (from LIST-STATUS, without a round trip, where the source
     * offers it) until the first that changed, and leaves what it read in {@code looked}.
     */
    private List<FolderMapper.Mapping> quietMappings(SourceMailbox src, List<FolderInfo> sourceFolders,
                                                     Map<String, SourceLook> looked) {
        if (kind == UserRuntime.PassKind.INITIAL || !src.capabilities().contains(ConnectorCapability.CONDSTORE)) {
            return null;
        }
        // only which folders the filter selects matters here: the target names come from the checkpoints
        FolderMapper.Plan plan = FolderMapper.plan(sourceFolders, List.of(), FolderFilter.of(options));
        List<FolderMapper.Mapping> out = new ArrayList<>();
        List<FolderInfo> parents = new ArrayList<>();
        Map<String, FolderSyncState> checkpoints = new HashMap<>();
        for (FolderSyncState st : engine.store().folderStates(user.mailboxKey())) {
            checkpoints.put(st.sourceFolder(), st); // one read for all folders
        }
        for (FolderMapper.Mapping m : plan.mappings()) {
            FolderInfo f = m.source();
            if (!f.selectable()) {
                parents.add(f);
                continue;
            }
            checkInterrupted();
            FolderSyncState saved = checkpoints.get(f.name());
            if (saved == null) {
                return null;
            }
            FolderStatus status = src.selectFolder(f.name());
            looked.put(f.name(), new SourceLook(status, saved, System.nanoTime()));
            if (saved.inFlight() != null || saved.highestModSeq() <= 0 || status.highestModSeq() <= 0
                    || status.uidValidity() != saved.sourceUidValidity()
                    || status.highestModSeq() != saved.highestModSeq()) {
                return null;
            }
            out.add(new FolderMapper.Mapping(f, saved.targetFolder(), null));
        }
        for (FolderInfo p : parents) {
            boolean parentOfOne = out.stream().anyMatch(m -> m.source().separator() == p.separator()
                    && p.separator() != FolderInfo.NO_SEPARATOR
                    && m.source().name().startsWith(p.name() + p.separator()));
            if (!parentOfOne) {
                return null;
            }
        }
        return out;
    }

    private MailboxAccess sourceAccess(MigrationUserEntry entry) {
        if (entry.sourcePassword() != null) {
            return new MailboxAccess(entry.sourceUserName(), entry.sourceCredentials().orElseThrow(), false,
                    entry.userRoot());
        }
        return sourceEndpoint.admin()
                .map(admin -> new MailboxAccess(entry.sourceUserName(), admin, true, entry.userRoot()))
                .orElseThrow(() -> new AuthenticationFailedException("No source password for " + entry.emailAddress()
                        + " and source endpoint '" + sourceEndpoint.name() + "' has no administrator credentials; "
                        + "supply the user's password again (the service does not keep passwords across restarts)"));
    }

    private MailboxAccess targetAccess(MigrationUserEntry entry) {
        if (entry.targetUserName() != null && entry.targetPassword() != null && !entry.targetPassword().isEmpty()) {
            return MailboxAccess.own(entry.targetCredentials().orElseThrow());
        }
        return targetEndpoint.admin()
                .filter(admin -> !admin.password().isEmpty())
                .map(admin -> MailboxAccess.impersonating(entry.emailAddress(), admin))
                .orElseThrow(() -> new AuthenticationFailedException("No target credentials for " + entry.emailAddress()
                        + ": give TargetUserName/TargetPassword or administrator credentials on target endpoint '"
                        + targetEndpoint.name() + "'"));
    }

    private Outcome finishPass() {
        UserOverrides own = user.overrides();
        ItemLimit badLimit = own.badItemLimit(options);
        ItemLimit largeLimit = own.largeItemLimit(options);
        List<SkippedItem> skipped = engine.store().skippedItems(batch.name(), user.emailAddress());
        // folders left out whole (NON_MAIL_FOLDER) count against neither limit
        long large = skipped.stream().filter(s -> s.kind().countsAgainstLimits() && s.kind().isLarge()).count();
        long bad = skipped.stream().filter(s -> s.kind().countsAgainstLimits() && !s.kind().isLarge()).count();
        Instant now = engine.now();
        if (badLimit.isExceededBy(bad)) {
            return fail(bad + " item(s) could not be migrated (corrupt or refused by the target), more than the "
                    + "BadItemLimit of " + badLimit + "; see the skipped items");
        }
        if (largeLimit.isExceededBy(large)) {
            return fail(large + " item(s) are larger than the maximum message size, more than the LargeItemLimit of "
                    + largeLimit + "; see the skipped items");
        }
        user.statistics(statistics(now));
        return Outcome.SUCCESS;
    }

    private MigrationUserStatistics statistics(Instant lastSuccess) {
        boolean enumerated = passTotalItems > 0 || passFolders > 0;
        long total = enumerated ? passTotalItems : base.totalItemsInSourceMailboxCount();
        long synced = base.syncedItemCount() + passSynced;
        long skipped = base.skippedItemCount() + passSkipped;
        long filtered = base.filteredItemCount() + passFiltered;
        long bytes = base.bytesTransferred() + passBytes;
        Instant last = lastSuccess != null ? lastSuccess : base.lastSuccessfulSyncTime();
        return new MigrationUserStatistics(
                total,
                Math.max(base.estimatedTotalTransferSize(), base.bytesTransferred() + passListedBytes),
                synced,
                skipped,
                bytes,
                passFolders > 0 ? passFolders : base.folderCount(),
                base.foldersCreated() + passFoldersCreated,
                base.flagsUpdatedCount() + passFlags,
                last,
                filtered,
                MigrationUserStatistics.percentage(total, synced + skipped + filtered,
                        lastSuccess != null ? lastSuccess : null),
                base.totalQueuedDuration(), base.totalInProgressDuration(), base.totalSyncedDuration(),
                base.totalStalledDuration());
    }

    private Outcome fail(String reason) {
        user.statistics(statistics(null));
        LOG.warn("User {} failed: {}", user.emailAddress(), reason);
        return Outcome.failed(reason);
    }

    // ---- called by FolderSync

    MigrationEngine engine() {
        return engine;
    }

    BatchRuntime batch() {
        return batch;
    }

    UserRuntime user() {
        return user;
    }

    /** The batch's options for this pass. */
    BatchOptions options() {
        return options;
    }

    /** The cross-folder identities already copied, or {@code null} to copy every folder in full. */
    CopiedIdentities copiedIdentities() {
        return copiedIdentities;
    }

    /** Ends the pass (between chunks) when a stop was asked for or the service is closing. */
    void checkInterrupted() {
        if (user.stopRequested() || Thread.currentThread().isInterrupted() || engine.isClosed()) {
            throw new PassInterruptedException();
        }
    }

    void folderSeen(long messages, long bytes) {
        passTotalItems += messages;
        folderMessages = messages;
    }

    /** Messages listed for copying (after the date filter), with their size. */
    void listed(long bytes) {
        passListedBytes += bytes;
    }

    /** Messages left out by the received-date filter, or as copied from another folder already. */
    void filtered(long messages) {
        passFiltered += messages;
    }

    void copied(long messages, long bytes) {
        passSynced += messages;
        passBytes += bytes;
        folderCopied += messages;
        maybeProgress();
    }

    void skipped(List<SkippedItem> items) {
        passSkipped += items.size();
        folderSkipped += items.size();
        for (SkippedItem item : items) {
            engine.publish(new MigrationEvent.ItemSkipped(batch.name(), engine.now(), item));
        }
        if (folderSource != null) {
            engine.publish(new MigrationEvent.FolderProgress(batch.name(), engine.now(), user.emailAddress(),
                    folderSource, folderTarget, folderCopied, folderSkipped, folderMessages));
        }
    }

    /** Source folders left out whole, just recorded ({@link SkippedFolders}). */
    private void foldersLeftOut(List<SkippedItem> items) {
        passSkipped += items.size();
        for (SkippedItem item : items) {
            LOG.info("User {}: folder '{}' not migrated: {}", user.emailAddress(), item.folder(), item.reason());
            engine.publish(new MigrationEvent.ItemSkipped(batch.name(), engine.now(), item));
        }
    }

    void flagsUpdated(long messages) {
        passFlags += messages;
    }

    void folderDone(String sourceFolder, String targetFolder, long copied, long skipped, long flags) {
        user.statistics(statistics(null));
        // a folder that changed nothing changes no counter worth a store write of its own (one
        // commit per folder of a no-op pass); the pass's end writes the statistics anyway
        batch.userProgress(user, copied > 0 || skipped > 0 || flags > 0);
        engine.publish(new MigrationEvent.FolderSynced(batch.name(), engine.now(), user.emailAddress(), sourceFolder,
                targetFolder, copied, skipped, flags));
    }

    private void maybeProgress() {
        long done = passSynced + passSkipped;
        if (done - lastProgressAt >= PROGRESS_EVERY) {
            lastProgressAt = done;
            user.statistics(statistics(null));
            batch.userProgress(user);
        }
    }

    /**
     * Shows a connector's throttling waits as the user's stage ("stalled: source throttled"), as its
     * status detail and in a progress event; the wait counts as stalled time
     * ({@code TotalStalledDuration}), as the engine's own retry waits do. When the wait is over the
     * previous stage and detail come back.
     */
    private final class StallObserver implements SessionObserver {
        private final SyncStage stalledStage;
        private final String side;
        private SyncStage before;

        StallObserver(SyncStage stalledStage, String side) {
            this.stalledStage = stalledStage;
            this.side = side;
        }

        @Override
        public void stalled(String reason, Duration wait) {
            SyncStage current = user.stage();
            if (current != stalledStage) {
                before = current;
            }
            LOG.info("User {}: stalled, {} throttled ({}); waiting {} ms", user.emailAddress(), side, reason,
                    wait.toMillis());
            user.stage(stalledStage);
            user.stalled(true, engine.now());
            batch.userDetail(user, "Stalled: " + side + " throttled (" + reason + "); retrying in "
                    + wait.toMillis() + " ms");
            Instant now = engine.now();
            engine.publish(new MigrationEvent.UserProgress(batch.name(), now, user.snapshot(now)));
        }

        @Override
        public void resumed(Duration waited) {
            if (before == null || user.stage() != stalledStage) {
                return;
            }
            user.stalled(false, engine.now());
            batch.userDetail(user, null);
            user.stage(before);
            Instant now = engine.now();
            engine.publish(new MigrationEvent.UserProgress(batch.name(), now, user.snapshot(now)));
        }
    }

    /** Thrown to end a pass when a stop was asked for, the thread is interrupted or the service closes. */
    static final class PassInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PassInterruptedException() {
            super("pass interrupted", null, false, false);
        }
    }
}
