package io.mailferry.core.engine;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SyncStage;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One pass of one user: connect to both sides, map and create folders, sync each folder, then
 * decide the user's status. Transient failures (dropped connection, throttling) reconnect and
 * resume from the last checkpoint, up to the configured retries.
 */
final class UserSync implements SlotScheduler.Work {
    private static final Logger LOG = LoggerFactory.getLogger(UserSync.class);
    private static final int PROGRESS_EVERY = 250;

    private final MigrationEngine engine;
    private final BatchRuntime batch;
    private final UserRuntime user;
    private final boolean incremental;
    private final MigrationEndpoint sourceEndpoint;
    private final MigrationEndpoint targetEndpoint;

    private MigrationUserStatistics base;
    private long passSynced;
    private long passSkipped;
    private long passBytes;
    private long passFlags;
    private long passTotalItems;
    private long passTotalBytes;
    private int passFolders;
    private int passFoldersCreated;
    private long lastProgressAt;

    UserSync(MigrationEngine engine, BatchRuntime batch, UserRuntime user, boolean incremental) {
        this.engine = engine;
        this.batch = batch;
        this.user = user;
        this.incremental = incremental;
        this.sourceEndpoint = batch.sourceEndpoint();
        this.targetEndpoint = batch.targetEndpoint();
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
        return incremental;
    }

    /** Marks the user as waiting for slots. */
    void queued() {
        if (!incremental) {
            setStatus(MigrationUserStatus.QUEUED, null);
        }
    }

    @Override
    public void cancelled() {
        batch.userPassEnded(user);
    }

    @Override
    public void run() {
        try {
            if (!batch.accepting() || engine.isClosed()) {
                return;
            }
            base = user.statistics();
            setStatus(incremental ? MigrationUserStatus.INCREMENTAL_SYNCING : MigrationUserStatus.SYNCING, null);
            List<Duration> delays = engine.settings().retryDelays();
            for (int attempt = 0; ; attempt++) {
                try {
                    runOnce();
                    break;
                } catch (ConnectorException e) {
                    if (stopping()) {
                        // a connector unblocked by the interrupt of close(): not the user's failure
                        throw new PassInterruptedException();
                    }
                    if (e.isTransient() && attempt < delays.size()) {
                        // a throttling server's back-off hint wins over the configured delay
                        long wait = Math.max(delays.get(attempt).toMillis(),
                                e.retryAfter().map(Duration::toMillis).orElse(0L));
                        LOG.warn("User {}: {} (attempt {}); reconnecting in {} ms", user.emailAddress(),
                                e.getMessage(), attempt + 1, wait);
                        Thread.sleep(wait);
                        continue;
                    }
                    fail(describe(e));
                    return;
                }
            }
            finishPass();
        } catch (InterruptedException | PassInterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("User {}: pass interrupted; progress is checkpointed", user.emailAddress());
        } catch (RuntimeException e) {
            if (stopping()) {
                Thread.currentThread().interrupt();
                LOG.info("User {}: pass interrupted ({}); progress is checkpointed", user.emailAddress(), e.toString());
            } else {
                LOG.error("User {}: unexpected failure", user.emailAddress(), e);
                fail("Internal error: " + e);
            }
        } finally {
            user.stage(SyncStage.IDLE);
            batch.userPassEnded(user);
        }
    }

    /** Returns {@code true} once the service is closing (its threads are interrupted). */
    private boolean stopping() {
        return Thread.currentThread().isInterrupted() || engine.isClosed();
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
             TargetMailbox dst = engine.connectors().require(targetEndpoint.type()).openTarget(targetEndpoint, targetAccess)) {
            user.stage(SyncStage.ENUMERATING_FOLDERS);
            List<FolderInfo> sourceFolders = src.listFolders();
            List<FolderInfo> targetFolders = dst.listFolders();
            FolderMapper.Plan plan = FolderMapper.plan(sourceFolders, targetFolders);
            for (String folder : plan.toCreate()) {
                checkInterrupted();
                dst.createFolder(folder);
                passFoldersCreated++;
            }
            user.stage(incremental ? SyncStage.INCREMENTAL_SYNC : SyncStage.COPYING_MESSAGES);
            passTotalItems = 0;
            passTotalBytes = 0;
            passFolders = 0;
            for (FolderMapper.Mapping m : plan.mappings()) {
                if (!m.source().selectable()) {
                    continue;
                }
                checkInterrupted();
                if (m.note() != null) {
                    LOG.info("User {}: folder '{}' goes to '{}' ({})", user.emailAddress(), m.source().name(),
                            m.targetName(), m.note());
                }
                new FolderSync(this, src, dst, m.source().name(), m.targetName()).run();
                passFolders++;
            }
            user.stage(SyncStage.FINALIZING);
        }
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

    private void finishPass() {
        BatchOptions options = batch.options();
        List<SkippedItem> skipped = engine.store().skippedItems(batch.name(), user.emailAddress());
        long large = skipped.stream().filter(s -> s.kind().isLarge()).count();
        long bad = skipped.size() - large;
        Instant now = engine.now();
        MigrationUserStatistics s = statistics(now);
        user.statistics(s);
        if (options.badItemLimit().isExceededBy(bad)) {
            fail(bad + " item(s) could not be migrated (corrupt or refused by the target), more than the batch's "
                    + "BadItemLimit of " + options.badItemLimit() + "; see the skipped items");
        } else if (options.largeItemLimit().isExceededBy(large)) {
            fail(large + " item(s) are larger than the maximum message size, more than the batch's LargeItemLimit of "
                    + options.largeItemLimit() + "; see the skipped items");
        } else {
            setStatus(MigrationUserStatus.SYNCED, null);
        }
    }

    private MigrationUserStatistics statistics(Instant lastSuccess) {
        return new MigrationUserStatistics(
                passTotalItems > 0 || passFolders > 0 ? passTotalItems : base.totalItemsInSourceMailboxCount(),
                Math.max(passTotalBytes, base.bytesTransferred() + passBytes),
                base.syncedItemCount() + passSynced,
                base.skippedItemCount() + passSkipped,
                base.bytesTransferred() + passBytes,
                passFolders > 0 ? passFolders : base.folderCount(),
                base.foldersCreated() + passFoldersCreated,
                base.flagsUpdatedCount() + passFlags,
                lastSuccess != null ? lastSuccess : base.lastSuccessfulSyncTime());
    }

    private void fail(String reason) {
        user.statistics(statistics(null));
        setStatus(incremental ? MigrationUserStatus.INCREMENTAL_FAILED : MigrationUserStatus.FAILED, reason);
        LOG.warn("User {} failed: {}", user.emailAddress(), reason);
    }

    private void setStatus(MigrationUserStatus status, String error) {
        MigrationUserStatus previous = user.status(status, error, engine.now());
        batch.userChanged(user, previous);
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

    void checkInterrupted() {
        if (Thread.currentThread().isInterrupted() || engine.isClosed()) {
            throw new PassInterruptedException();
        }
    }

    void folderSeen(long messages, long bytes) {
        passTotalItems += messages;
        passTotalBytes += bytes;
    }

    void copied(long messages, long bytes) {
        passSynced += messages;
        passBytes += bytes;
        maybeProgress();
    }

    void skipped(List<SkippedItem> items) {
        passSkipped += items.size();
        for (SkippedItem item : items) {
            engine.publish(new MigrationEvent.ItemSkipped(batch.name(), engine.now(), item));
        }
    }

    void flagsUpdated(long messages) {
        passFlags += messages;
    }

    void folderDone(String sourceFolder, String targetFolder, long copied, long skipped, long flags) {
        user.statistics(statistics(null));
        batch.userChanged(user, null);
        engine.publish(new MigrationEvent.FolderSynced(batch.name(), engine.now(), user.emailAddress(), sourceFolder,
                targetFolder, copied, skipped, flags));
        engine.publish(new MigrationEvent.UserProgress(batch.name(), engine.now(), user.snapshot()));
    }

    private void maybeProgress() {
        long done = passSynced + passSkipped;
        if (done - lastProgressAt >= PROGRESS_EVERY) {
            lastProgressAt = done;
            user.statistics(statistics(null));
            engine.publish(new MigrationEvent.UserProgress(batch.name(), engine.now(), user.snapshot()));
        }
    }

    /** Thrown to end a pass when the thread is interrupted or the service closes. */
    static final class PassInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PassInterruptedException() {
            super("pass interrupted", null, false, false);
        }
    }
}
