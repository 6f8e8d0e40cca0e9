package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationSender;
import io.mailferry.csv.RejectedRow;
import io.mailferry.csv.SyncTimesRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends a batch's report e-mail to its notification addresses, as the Exchange migration service
 * does: when the batch reaches {@code Synced}, {@code SyncedWithErrors}, {@code Completed},
 * {@code CompletedWithErrors} or {@code Failed}, and every {@code ReportInterval} while it runs. A
 * {@link MigrationListener}: register it with the service, then {@link #bind} it to the service.
 *
 * <pre>{@code
 * BatchReporter reporter = BatchReporter.builder(new SmtpNotificationSender(smtp))
 *         .settings(batch -> ReportSettings.to("admin@contoso.edu"))      // per batch
 *         .build();
 * MigrationService service = MigrationService.builder().listener(reporter).build();
 * reporter.bind(service);
 * MigrationCsv csv = ...;
 * MigrationBatch batch = csv.applyTo(service.newBatch("wave-1"))...create();
 * reporter.rejectedRows("wave-1", csv.rejectedRows());   // listed in MigrationErrors.csv
 * // ... at the end, after the service is closed
 * reporter.close();   // waits for reports still being sent
 * }</pre>
 *
 * <p><strong>When.</strong>
 * <ul>
 * <li>A <em>status report</em> when the batch reaches {@code Synced} or {@code SyncedWithErrors} from
 *     an initial sync (including the sync of users added later, and a retry of failed users), or
 *     from an incremental pass that changed the outcome ({@code Synced} to {@code SyncedWithErrors}
 *     or back); an incremental pass that ends as the previous one did sends nothing (the periodic
 *     report covers it). Always when it reaches {@code Completed}, {@code CompletedWithErrors} or
 *     {@code Failed}.</li>
 * <li>A <em>periodic report</em> every {@link ReportSettings#reportInterval()} while the batch is
 *     starting, syncing, synced or completing, counted from the batch's start or its last report of
 *     either kind; none while it is created, waiting, stopped, failed or completed. An interval of 0
 *     sends none.</li>
 * <li>Nothing for a batch whose settings have no address or skip reports.</li>
 * </ul>
 * Each report is one message to all the batch's addresses. Its content is a {@link BatchReport}
 * snapshot taken when the report is triggered.
 *
 * <p><strong>Never in the way.</strong> Reports are written and sent on the reporter's own thread
 * (one at a time, in order), never on the service's event thread or a copying thread. A failure to
 * build or send one is logged (WARN, without secrets), recorded as a {@link ReportDelivery} (see
 * {@link #deliveries(String)} and {@link Builder#onDelivery(Consumer)}), and the next report is tried
 * as usual; the migration is never affected.
 *
 * <p>The reporter keeps its state in memory: after a restart, {@link #bind(MigrationService)} arms
 * the periodic reports of batches that are running or synced again. Thread-safe.
 */
public final class BatchReporter implements MigrationListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchReporter.class);

    /** How many deliveries per batch {@link #deliveries(String)} keeps. */
    public static final int KEPT_DELIVERIES = 20;

    /** Statuses in which periodic reports run. */
    private static final Set<BatchStatus> REPORTING = EnumSet.of(BatchStatus.STARTING, BatchStatus.SYNCING,
            BatchStatus.SYNCED, BatchStatus.SYNCED_WITH_ERRORS, BatchStatus.INCREMENTAL_SYNCING, BatchStatus.COMPLETING);

    private final NotificationSender sender;
    private final Function<MigrationBatch, ReportSettings> settings;
    private final ReportTimer timer;
    private final boolean ownTimer;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final BiFunction<BatchReport, List<String>, Notification> composer;
    private final Consumer<ReportDelivery> onDelivery;
    private final Duration closeTimeout;
    private final SyncTimesRecorder syncTimes = new SyncTimesRecorder();

    private final Object lock = new Object();
    private final Map<String, BatchState> states = new HashMap<>();
    private volatile Function<String, Optional<MigrationBatch>> batches;
    private boolean closed;

    /** What the reporter knows of one batch; guarded by {@link #lock}. */
    private static final class BatchState {
        BatchStatus lastSettled;
        ReportTimer.Scheduled periodic;
        Instant nextPeriodic;
        List<RejectedRow> rejectedRows = List.of();
        final Deque<ReportDelivery> deliveries = new ArrayDeque<>();
    }

    private BatchReporter(Builder b) {
        this.sender = b.sender;
        this.settings = b.settings;
        this.ownTimer = b.timer == null;
        this.timer = b.timer != null ? b.timer : ReportTimer.system(Clock.systemUTC());
        this.ownExecutor = b.executor == null;
        this.executor = b.executor != null ? b.executor : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mailferry-report-sender");
            t.setDaemon(true);
            return t;
        });
        this.composer = b.composer;
        this.onDelivery = b.onDelivery;
        this.closeTimeout = b.closeTimeout;
    }

    /**
     * Starts a reporter that sends through a sender.
     *
     * @param sender e.g. {@link SmtpNotificationSender}; not {@code null}
     * @return a builder; not thread-safe
     */
    public static Builder builder(NotificationSender sender) {
        return new Builder(sender);
    }

    /**
     * Binds the reporter to the service whose events it receives, and arms the periodic reports of
     * its batches that are running or synced (e.g. after a restart). Call it once, right after
     * building the service.
     *
     * @param service the service, not {@code null}
     */
    public void bind(MigrationService service) {
        Objects.requireNonNull(service, "service");
        bind(service::batch);
        for (MigrationBatch batch : service.batches()) {
            BatchStatus status = batch.status();
            ReportSettings s = settingsOf(batch);
            synchronized (lock) {
                if (closed) {
                    return;
                }
                BatchState st = state(batch.name());
                if (BatchReportComposer.isStatusReport(status)) {
                    st.lastSettled = status;
                }
                if (REPORTING.contains(status) && s.sendsPeriodicReports() && st.periodic == null) {
                    arm(batch.name(), st, timer.now().plus(s.reportInterval()));
                }
            }
        }
    }

    /**
     * Binds the reporter to a way of finding batches by name, for hosts (and tests) without a
     * {@link MigrationService} at hand. No periodic report is armed.
     *
     * @param batches finds a batch by name, not {@code null}
     */
    public void bind(Function<String, Optional<MigrationBatch>> batches) {
        this.batches = Objects.requireNonNull(batches, "batches");
    }

    /**
     * Hands over the rows a batch's CSV validation rejected, to list them in the text and in
     * {@code MigrationErrors.csv} of the batch's reports. Replaces earlier rows of that batch.
     *
     * @param batchName the batch
     * @param rows      the rows, e.g. {@link io.mailferry.csv.MigrationCsv#rejectedRows()}
     */
    public void rejectedRows(String batchName, List<RejectedRow> rows) {
        Objects.requireNonNull(batchName, "batchName");
        List<RejectedRow> copy = List.copyOf(rows);
        synchronized (lock) {
            state(batchName).rejectedRows = copy;
        }
    }

    /**
     * Returns the users' sync durations the reporter measures (they go into
     * {@code MigrationStatistics.csv}); a host can use them for its own reports.
     *
     * @return the recorder fed by this reporter's events
     */
    public SyncTimesRecorder syncTimes() {
        return syncTimes;
    }

    /**
     * Returns the latest attempts to send a batch's reports, oldest first, at most
     * {@value #KEPT_DELIVERIES}.
     *
     * @param batchName the batch
     * @return the deliveries, possibly none
     */
    public List<ReportDelivery> deliveries(String batchName) {
        synchronized (lock) {
            BatchState st = states.get(batchName);
            return st == null ? List.of() : List.copyOf(st.deliveries);
        }
    }

    /**
     * Returns when the next periodic report of a batch is due.
     *
     * @param batchName the batch
     * @return the time, or empty if none is scheduled
     */
    public Optional<Instant> nextPeriodicReport(String batchName) {
        synchronized (lock) {
            BatchState st = states.get(batchName);
            return st == null ? Optional.empty() : Optional.ofNullable(st.nextPeriodic);
        }
    }

    /**
     * Sends a batch's report now to its notification addresses (e.g. for a {@code report} command).
     *
     * @param batchName the batch
     * @return the outcome, once sent or failed
     * @throws IllegalStateException if the reporter is not bound or closed, or the batch has no
     *                               notification addresses or skips reports
     * @throws io.mailferry.core.NoSuchBatchException if there is no such batch
     */
    public CompletableFuture<ReportDelivery> sendNow(String batchName) {
        MigrationBatch batch = requireBatch(batchName);
        ReportSettings s = settingsOf(batch);
        if (!s.sendsReports()) {
            throw new IllegalStateException("batch '" + batchName + "' has no notification addresses or skips reports");
        }
        return sendNow(batch, s.notificationEmails());
    }

    /**
     * Sends a batch's report now to given addresses (Exchange: {@code Complete-MigrationBatch
     * -NotificationEmails}), whatever the batch's settings.
     *
     * @param batchName  the batch
     * @param recipients the addresses, at least one
     * @return the outcome, once sent or failed
     * @throws IllegalStateException    if the reporter is not bound or closed
     * @throws IllegalArgumentException if an address is not valid
     * @throws io.mailferry.core.NoSuchBatchException if there is no such batch
     */
    public CompletableFuture<ReportDelivery> sendNow(String batchName, List<String> recipients) {
        MigrationBatch batch = requireBatch(batchName);
        return sendNow(batch, new ReportSettings(recipients, Duration.ZERO, false).notificationEmails());
    }

    private CompletableFuture<ReportDelivery> sendNow(MigrationBatch batch, List<String> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("give at least one recipient");
        }
        CompletableFuture<ReportDelivery> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the reporter is closed");
            }
            BatchReport report = snapshot(batch, batch.status(), ReportTrigger.REQUESTED, timer.now());
            submit(report, recipients, done);
        }
        return done;
    }

    private MigrationBatch requireBatch(String batchName) {
        Function<String, Optional<MigrationBatch>> lookup = batches;
        if (lookup == null) {
            throw new IllegalStateException("the reporter is not bound to a MigrationService: call bind(service)");
        }
        return lookup.apply(batchName).orElseThrow(() -> new io.mailferry.core.NoSuchBatchException(batchName));
    }

    // ---------------------------------------------------------------- events

    @Override
    public void onUserStatusChanged(MigrationEvent.UserStatusChanged event) {
        syncTimes.onUserStatusChanged(event);
    }

    @Override
    public void onBatchStatusChanged(MigrationEvent.BatchStatusChanged event) {
        syncTimes.onBatchStatusChanged(event);
        String name = event.batchName();
        BatchStatus current = event.current();
        if (current == BatchStatus.REMOVING) {
            synchronized (lock) {
                BatchState st = states.remove(name);
                if (st != null) {
                    disarm(st);
                }
            }
            return;
        }
        Function<String, Optional<MigrationBatch>> lookup = batches;
        Optional<MigrationBatch> batch = lookup == null ? Optional.empty() : lookup.apply(name);
        if (batch.isEmpty()) {
            if (lookup == null && BatchReportComposer.isStatusReport(current)) {
                LOG.warn("Batch {} is {}, but the reporter is not bound to a MigrationService; no report is sent",
                        name, current);
            }
            return;
        }
        ReportSettings s = settingsOf(batch.get());
        synchronized (lock) {
            if (closed) {
                return;
            }
            BatchState st = state(name);
            boolean report = false;
            if (BatchReportComposer.isStatusReport(current)) {
                boolean sameOutcomeAsLastPass = event.previous() == BatchStatus.INCREMENTAL_SYNCING
                        && st.lastSettled == current;
                report = !sameOutcomeAsLastPass;
                st.lastSettled = current;
            }
            if (report && s.sendsReports()) {
                submit(snapshot(batch.get(), current, ReportTrigger.STATUS, event.time()), s.notificationEmails(), null);
            }
            if (REPORTING.contains(current) && s.sendsPeriodicReports()) {
                if (st.periodic == null || (report && s.sendsReports())) {
                    arm(name, st, timer.now().plus(s.reportInterval()));
                }
            } else {
                disarm(st);
            }
        }
    }

    private void periodic(String name) {
        Function<String, Optional<MigrationBatch>> lookup = batches;
        Optional<MigrationBatch> batch = lookup == null ? Optional.empty() : lookup.apply(name);
        ReportSettings s = batch.map(this::settingsOf).orElse(ReportSettings.NONE);
        synchronized (lock) {
            BatchState st = states.get(name);
            if (closed || st == null) {
                return;
            }
            st.periodic = null;
            st.nextPeriodic = null;
            if (batch.isEmpty()) {
                return;
            }
            BatchStatus status = batch.get().status();
            if (!REPORTING.contains(status) || !s.sendsPeriodicReports()) {
                return;
            }
            Instant now = timer.now();
            submit(snapshot(batch.get(), status, ReportTrigger.PERIODIC, now), s.notificationEmails(), null);
            arm(name, st, now.plus(s.reportInterval()));
        }
    }

    // ---------------------------------------------------------------- internals (callers hold the lock)

    private BatchState state(String name) {
        return states.computeIfAbsent(name, n -> new BatchState());
    }

    private void arm(String name, BatchState st, Instant at) {
        disarm(st);
        st.nextPeriodic = at;
        st.periodic = timer.schedule(at, () -> periodic(name));
    }

    private static void disarm(BatchState st) {
        if (st.periodic != null) {
            st.periodic.cancel();
            st.periodic = null;
        }
        st.nextPeriodic = null;
    }

    private BatchReport snapshot(MigrationBatch batch, BatchStatus status, ReportTrigger trigger, Instant time) {
        List<RejectedRow> rejected = state(batch.name()).rejectedRows;
        return BatchReport.of(batch, status, trigger, time, rejected, syncTimes.forBatch(batch.name()));
    }

    private void submit(BatchReport report, List<String> recipients, CompletableFuture<ReportDelivery> done) {
        try {
            executor.execute(() -> {
                ReportDelivery d = deliver(report, recipients);
                if (done != null) {
                    done.complete(d);
                }
            });
        } catch (RejectedExecutionException e) {
            ReportDelivery d = record(report, BatchReportComposer.subject(report), recipients,
                    "the reporter's executor refused the task: " + e.getMessage());
            if (done != null) {
                done.complete(d);
            }
        }
    }

    private ReportDelivery deliver(BatchReport report, List<String> recipients) {
        String subject = BatchReportComposer.subject(report);
        String error = null;
        try {
            Notification n = composer.apply(report, recipients);
            subject = n.subject();
            sender.send(n);
            LOG.info("Sent the report of batch {} ({}, {}) to {}", report.batchName(), report.status(),
                    report.trigger(), recipients);
        } catch (RuntimeException e) {
            error = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            LOG.warn("Could not send the report of batch {} ({}, {}) to {}: {}", report.batchName(), report.status(),
                    report.trigger(), recipients, error);
        }
        return record(report, subject, recipients, error);
    }

    private ReportDelivery record(BatchReport report, String subject, List<String> recipients, String error) {
        ReportDelivery d = new ReportDelivery(report.batchName(), report.status(), report.trigger(), subject,
                recipients, report.time(), error);
        synchronized (lock) {
            BatchState st = states.get(report.batchName());
            if (st != null) {
                st.deliveries.addLast(d);
                while (st.deliveries.size() > KEPT_DELIVERIES) {
                    st.deliveries.removeFirst();
                }
            }
        }
        try {
            onDelivery.accept(d);
        } catch (RuntimeException e) {
            LOG.warn("The delivery listener failed for batch {}", report.batchName(), e);
        }
        return d;
    }

    private ReportSettings settingsOf(MigrationBatch batch) {
        try {
            ReportSettings s = settings.apply(batch);
            return s != null ? s : ReportSettings.NONE;
        } catch (RuntimeException e) {
            LOG.warn("Could not read the report settings of batch {}; no report is sent: {}", batch.name(), e.toString());
            return ReportSettings.NONE;
        }
    }

    /**
     * Cancels the periodic reports and waits up to the close timeout for reports still being sent
     * (a status report triggered just before, e.g. the final {@code Completed} one). Events after
     * closing are ignored. Closes the timer and the executor the reporter created itself, not those a
     * host gave it.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            states.values().forEach(BatchReporter::disarm);
        }
        if (ownExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Reports still being sent after {}; giving up", closeTimeout);
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (ownTimer) {
            timer.close();
        }
    }

    @Override
    public String toString() {
        return "BatchReporter[sender=" + sender + "]";
    }

    /** Configures a {@link BatchReporter}. Not thread-safe. */
    public static final class Builder {
        private final NotificationSender sender;
        private Function<MigrationBatch, ReportSettings> settings = batch -> ReportSettings.NONE;
        private ReportTimer timer;
        private ExecutorService executor;
        private BiFunction<BatchReport, List<String>, Notification> composer = BatchReportComposer::compose;
        private Consumer<ReportDelivery> onDelivery = d -> { };
        private Duration closeTimeout = Duration.ofSeconds(60);

        private Builder(NotificationSender sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
        }

        /**
         * Sets how to find a batch's report settings, read at each report (so changes apply from the
         * next one). Default: no recipients, nothing is sent. With the batch options of the
         * lifecycle API: {@code batch -> new ReportSettings(batch.options().notificationEmails(), ...)}.
         *
         * @param settings a batch's settings; may return {@code null} for none; not {@code null}
         * @return this builder
         */
        public Builder settings(Function<MigrationBatch, ReportSettings> settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Uses the same settings for every batch.
         *
         * @param settings the settings, not {@code null}
         * @return this builder
         */
        public Builder settings(ReportSettings settings) {
            Objects.requireNonNull(settings, "settings");
            return settings(batch -> settings);
        }

        /**
         * Sets the timer of periodic reports. Default: {@link ReportTimer#system(Clock)} on the UTC
         * system clock, closed with the reporter; a given timer is not closed.
         *
         * @param timer the timer, not {@code null}
         * @return this builder
         */
        public Builder timer(ReportTimer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Runs the writing and sending of reports on the host's executor; one thread keeps them in
         * order. Default: a daemon thread of the reporter's own, shut down by {@link #close()}; a
         * given executor is not shut down.
         *
         * @param executor the executor, not {@code null}
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Replaces how a report becomes a message (default {@link BatchReportComposer#compose}).
         *
         * @param composer the composer, not {@code null}
         * @return this builder
         */
        public Builder composer(BiFunction<BatchReport, List<String>, Notification> composer) {
            this.composer = Objects.requireNonNull(composer, "composer");
            return this;
        }

        /**
         * Calls back after every attempt to send a report, sent or failed, on the sending thread
         * (e.g. to show a failure in a UI or store it with the batch). An exception it throws is
         * logged.
         *
         * @param onDelivery the callback, not {@code null}
         * @return this builder
         */
        public Builder onDelivery(Consumer<ReportDelivery> onDelivery) {
            this.onDelivery = Objects.requireNonNull(onDelivery, "onDelivery");
            return this;
        }

        /**
         * Sets how long {@link BatchReporter#close()} waits for reports still being sent (default
         * 60 s).
         *
         * @param timeout the timeout, not negative
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative");
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** @return the reporter */
        public BatchReporter build() {
            return new BatchReporter(this);
        }
    }
}
