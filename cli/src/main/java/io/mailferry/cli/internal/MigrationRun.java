package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.BatchCommand;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointInUseException;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import io.mailferry.csv.MigrationReports;
import io.mailferry.csv.RejectedRow;
import io.mailferry.notification.BatchReporter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code mailferry migrate} and {@code mailferry demo} both do: read the CSV, open the state,
 * create the batch (or find it from an earlier run and hand it the credentials again), run a pass
 * for every user, print the table, write the reports.
 *
 * <p>A first run starts the batch (initial sync). A later run with the same state resumes a
 * stopped or interrupted batch, retries failed users, and runs an incremental pass for users that
 * are already synced, so it copies only what is new and brings flags up to date.
 */
public final class MigrationRun {

    /**
     * Everything a run needs.
     *
     * @param batchName  batch name (≤ 64 characters)
     * @param source     source endpoint (with secrets)
     * @param target     target endpoint (with secrets)
     * @param users      users from the CSV
     * @param rejected   CSV rows rejected by validation (they go to MigrationErrors.csv)
     * @param options    batch options for a new batch
     * @param stateDir   directory of the durable state
     * @param reportDir  directory for the CSV reports
     * @param progress   whether to print progress while waiting
     */
    public record Request(String batchName, MigrationEndpoint source, MigrationEndpoint target,
                          List<MigrationUserEntry> users, List<RejectedRow> rejected,
                          BatchOptions options, Path stateDir, Path reportDir, boolean progress) {
        public Request {
            Objects.requireNonNull(batchName, "batchName");
            users = List.copyOf(users);
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * The outcome.
     *
     * @param exitCode the process exit code
     * @param users    final snapshot of the batch's users
     * @param reports  report files written
     * @param batch    the batch's final status
     */
    public record Result(int exitCode, List<MigrationUser> users, List<Path> reports, BatchStatus batch) {
    }

    private final PrintWriter out;
    private final Clock clock;
    private final BatchReporter reporter;

    public MigrationRun(PrintWriter out, Clock clock) {
        this(out, clock, null);
    }

    /**
     * @param out      where to print
     * @param clock    the service's clock
     * @param reporter sends the batch's report e-mails to its NotificationEmails, or {@code null};
     *                 closed by {@link #execute} after the service
     */
    public MigrationRun(PrintWriter out, Clock clock, BatchReporter reporter) {
        this.out = out;
        this.clock = clock;
        this.reporter = reporter;
    }

    public Result execute(Request req) throws IOException, InterruptedException {
        Files.createDirectories(req.stateDir());
        try (MigrationStore store = JdbcMigrationStore.h2File(req.stateDir())) {
            return execute(req, store);
        }
    }

    /**
     * Runs on a store the caller opened (and closes), instead of the state directory's H2 database:
     * for tests on PostgreSQL.
     *
     * @param req   the request; its state directory is only named in messages
     * @param store the store
     * @return the outcome
     * @throws IOException          if the reports cannot be written
     * @throws InterruptedException if interrupted while waiting for the batch
     */
    public Result execute(Request req, MigrationStore store) throws IOException, InterruptedException {
        try (BatchReporter closedLast = reporter; MigrationService service = service(store)) {
            Thread hook = new Thread(service::close, "mailferry-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return run(service, req);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: the JVM is exiting
                }
            }
        }
    }

    private MigrationService service(MigrationStore store) {
        MigrationService.Builder b = MigrationService.builder().store(store).clock(clock);
        CliTokenProvider tokens = CliTokenProvider.register(b);
        if (reporter != null) {
            b.listener(reporter);
        }
        MigrationService service = b.build();
        tokens.bind(service);
        if (reporter != null) {
            reporter.bind(service);
        }
        return service;
    }

    private Result run(MigrationService service, Request req) throws IOException, InterruptedException {
        saveEndpoint(service, req.source());
        saveEndpoint(service, req.target());
        MigrationBatch batch = service.batch(req.batchName()).orElse(null);
        if (batch == null) {
            batch = service.newBatch(req.batchName())
                    .sourceEndpoint(req.source())
                    .targetEndpoint(req.target())
                    .users(req.users())
                    .badItemLimit(req.options().badItemLimit())
                    .largeItemLimit(req.options().largeItemLimit())
                    .maxMessageSize(req.options().maxMessageSize())
                    .notificationEmails(req.options().notificationEmails())
                    .reportInterval(req.options().reportInterval())
                    .createdBy(System.getProperty("user.name"))
                    .create();
            out.printf("Created batch '%s' with %d user(s).%n", batch.name(), req.users().size());
        } else {
            if (!batch.sourceEndpoint().name().equals(req.source().name())
                    || !batch.targetEndpoint().name().equals(req.target().name())) {
                throw new MigrationException("Batch '" + batch.name() + "' in " + req.stateDir()
                        + " uses other endpoints; choose another --batch name or --state directory");
            }
            List<MigrationUser> added;
            try {
                // hands the passwords back (the store keeps none): users waiting for them continue
                added = batch.addUsers(req.users());
            } catch (MigrationException e) {
                throw new MigrationException("Batch '" + batch.name() + "' is " + batch.status().displayName()
                        + " and cannot run again: " + e.getMessage(), e);
            }
            out.printf("Continuing batch '%s' (%s)%s.%n", batch.name(), batch.status().displayName(),
                    added.isEmpty() ? "" : ", " + added.size() + " new user(s)");
        }
        out.flush();
        if (reporter != null) {
            reporter.rejectedRows(batch.name(), req.rejected());
        }

        Instant runStart = clock.instant();
        ProgressReporter progress = req.progress() ? new ProgressReporter(out, System.console() != null) : null;
        if (batch.status().isActive() || batch.status() == BatchStatus.WAITING) {
            // a batch an interrupted run left running continues where it was
            await(batch, progress);
        }
        if (batch.status().allows(BatchCommand.START)) {
            batch.start();
            await(batch, progress);
        }
        boolean someNotPassed = batch.users().stream().anyMatch(u -> needsPass(u, runStart));
        if (someNotPassed && batch.status().allows(BatchCommand.SYNC_NOW)) {
            batch.syncNow();
            await(batch, progress);
        }
        if (progress != null) {
            progress.finish();
        }

        List<MigrationUser> users = batch.users();
        MigrationBatch finalBatch = batch;
        List<Path> reports = MigrationReports.writeAll(req.reportDir(), users, req.rejected(),
                finalBatch::skippedItems);
        out.println();
        UserTable.print(out, users);
        out.println();
        var stats = batch.statistics();
        out.printf("Batch '%s' is %s: %d of %d user(s) synced, %d failed; %,d items copied (%s), %,d skipped.%n",
                batch.name(), batch.status().displayName(), stats.syncedCount(), stats.totalCount(),
                stats.failedCount(), stats.syncedItemCount(), Format.bytes(stats.bytesTransferred()),
                stats.skippedItemCount());
        if (!req.rejected().isEmpty()) {
            out.printf("%d CSV row(s) were rejected; see MigrationErrors.csv.%n", req.rejected().size());
        }
        out.printf("Reports: %s%n", req.reportDir().toAbsolutePath());
        out.flush();
        boolean allSynced = !users.isEmpty() && users.stream()
                .allMatch(u -> u.status().summary() == MigrationUserStatus.Summary.SYNCED);
        int exit = allSynced && req.rejected().isEmpty() ? MailFerryCli.EXIT_OK : MailFerryCli.EXIT_USERS_FAILED;
        return new Result(exit, users, reports, batch.status());
    }

    /**
     * Saves an endpoint; if a batch that an interrupted run left running uses it with other
     * settings (e.g. a new port), stops that batch first (its progress is kept), as an
     * administrator would before changing an endpoint.
     */
    private void saveEndpoint(MigrationService service, MigrationEndpoint endpoint) throws InterruptedException {
        try {
            service.saveEndpoint(endpoint);
        } catch (EndpointInUseException e) {
            for (String name : e.batchNames()) {
                MigrationBatch b = service.getBatch(name);
                if (b.status().allows(BatchCommand.STOP)) {
                    out.printf("Stopping batch '%s' to change endpoint '%s'.%n", name, endpoint.name());
                    b.stop();
                }
                b.awaitStatus(Duration.ofMinutes(10), BatchStatus::isSettled);
            }
            service.saveEndpoint(endpoint);
        }
    }

    static boolean needsPass(MigrationUser u, Instant runStart) {
        if (u.status().summary() != MigrationUserStatus.Summary.SYNCED) {
            return false;
        }
        Instant last = u.statistics().lastSuccessfulSyncTime();
        return last == null || last.isBefore(runStart);
    }

    private static void await(MigrationBatch batch, ProgressReporter progress) throws InterruptedException {
        while (!batch.awaitStatus(Duration.ofSeconds(1), BatchStatus::isSettled)) {
            if (progress != null) {
                progress.tick(batch);
            }
        }
        if (progress != null) {
            progress.tick(batch);
        }
    }
}
