package io.mailferry.notification;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.NoSuchBatchException;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationOutcome;
import io.mailferry.core.notification.NotificationSender;
import io.mailferry.csv.RejectedRow;
import io.mailferry.csv.SyncTimesRecorder;
import io.mailferry.csv.UserSyncTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * Sends a batch's report e-mail to its {@link BatchOptions#notificationEmails() NotificationEmails},
 * as the Exchange migration service does, driven by the service's events: a {@link MigrationListener}.
 * Register it with the service, then {@link #bind} it to the service.
 *
 * <pre>{@code
 * BatchReporter reporter = BatchReporter.builder(new SmtpNotificationSender(smtp)).build();
 * MigrationService service = MigrationService.builder().listener(reporter).build();
 * reporter.bind(service);
 * MigrationCsv csv = ...;
 * MigrationBatch batch = csv.applyTo(service.newBatch("wave-1"))
 *         .options(BatchOptions.builder().notificationEmails(List.of("admin@contoso.edu")).build())...create();
 * reporter.rejectedRows("wave-1", csv.rejectedRows());   // listed in MigrationErrors.csv
 * // ... at the end: close the service first (it delivers its last events), then the reporter
 * service.close();
 * reporter.close();   // waits for reports still being sent
 * }</pre>
 *
 * <p><strong>When.</strong>
 * <ul>
 * <li>A <em>status report</em> ({@link MigrationEvent.BatchStatusChanged}) when the batch reaches
 *     {@code Synced} or {@code SyncedWithErrors} from an initial sync (including the sync of users
 *     added later, and a retry of failed users), or from an incremental pass that changed the
 *     outcome ({@code Synced} to {@code SyncedWithErrors} or back); an incremental pass that ends as
 *     the previous one did sends nothing (the periodic report covers it). Always when it reaches
 *     {@code Completed}, {@code CompletedWithErrors} or {@code Failed}.</li>
 * <li>A <em>periodic report</em> for every {@link MigrationEvent.ReportDue} event: the service
 *     publishes one every {@link BatchOptions#reportInterval() ReportInterval} from the batch's
 *     creation until it is completed or removed, none when the interval is 0. The report is the
 *     event's snapshot.</li>
 * <li>Nothing for a batch without notification addresses.</li>
 * </ul>
 * The recipients are read from the batch's options at each report, so {@code Set-MigrationBatch
 * -NotificationEmails} applies from the next one. Each report is one message to all of them.
 *
 * <p><strong>Never in the way.</strong> Reports are written and sent on the reporter's own thread
 * (one at a time, in order), never on the service's event thread or a copying thread. Each attempt,
 * sent or failed, is recorded on the batch ({@link MigrationBatch#recordNotification}, persisted;
 * a failure is also published as {@link MigrationEvent.NotificationFailed}), kept in
 * {@link #deliveries(String)} and handed to {@link Builder#onDelivery(Consumer)}. A failure is
 * logged (WARN, without secrets) and the next report is tried as usual; the migration is never
 * affected.
 *
 * <p>The reporter keeps its state in memory: after a restart, {@link #bind(MigrationService)} reads
 * the batches' statuses again. Thread-safe.
 */
public final class BatchReporter implements MigrationListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchReporter.class);

    /** How many deliveries per batch {@link #deliveries(String)} keeps. */
    public static final int KEPT_DELIVERIES = 20;

    private final NotificationSender sender;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final BiFunction<BatchReport, List<String>, Notification> composer;
    private final Consumer<ReportDelivery> onDelivery;
    private final Duration closeTimeout;
    private final Clock clock;
    private final SyncTimesRecorder syncTimes = new SyncTimesRecorder();

    private final Object lock = new Object();
    private final Map<String, BatchState> states = new HashMap<>();
    private volatile Function<String, Optional<MigrationBatch>> batches;
    private boolean closed;

    /** What the reporter knows of one batch; guarded by {@link #lock}. */
    private static final class BatchState {
        BatchStatus lastSettled;
        List<RejectedRow> rejectedRows = List.of();
        final Deque<ReportDelivery> deliveries = new ArrayDeque<>();
    }

    private BatchReporter(Builder b) {
        this.sender = b.sender;
        this.ownExecutor = b.executor == null;
        this.executor = b.executor != null ? b.executor : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mailferry-report-sender");
            t.setDaemon(true);
            return t;
        });
        this.composer = b.composer;
        this.onDelivery = b.onDelivery;
        this.closeTimeout = b.closeTimeout;
        this.clock = b.clock;
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
     * Binds the reporter to the service whose events it receives, and reads its batches' statuses
     * (e.g. after a restart, so that an incremental pass that ends as the last one did sends no
     * status report). Call it once, right after building the service.
     *
     * @param service the service, not {@code null}
     */
    public void bind(MigrationService service) {
        Objects.requireNonNull(service, "service");
        bind(service::batch);
        for (MigrationBatch batch : service.batches()) {
            BatchStatus status = batch.status();
            synchronized (lock) {
                if (BatchReportComposer.isStatusReport(status)) {
                    state(batch.name()).lastSettled = status;
                }
            }
        }
    }

    /**
     * Binds the reporter to a way of finding batches by name, for hosts (and tests) without a
     * {@link MigrationService} at hand. Without a binding the reporter sends only periodic
     * reports (their event carries the batch's snapshot) and records nothing on the batch.
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
     * Sends a batch's report now to its notification addresses (e.g. for a {@code report} command).
     *
     * @param batchName the batch
     * @return the outcome, once sent or failed
     * @throws IllegalStateException if the reporter is not bound or closed, or the batch has no
     *                               notification addresses
     * @throws NoSuchBatchException  if there is no such batch
     */
    public CompletableFuture<ReportDelivery> sendNow(String batchName) {
        MigrationBatch batch = requireBatch(batchName);
        List<String> recipients = recipients(batch.options().notificationEmails());
        if (recipients.isEmpty()) {
            throw new IllegalStateException("batch '" + batchName + "' has no notification addresses");
        }
        return sendNow(batch, recipients);
    }

    /**
     * Sends a batch's report now to given addresses (Exchange: {@code Complete-MigrationBatch
     * -NotificationEmails}), whatever the batch's settings.
     *
     * @param batchName  the batch
     * @param recipients the addresses, at least one
     * @return the outcome, once sent or failed
     * @throws IllegalStateException    if the reporter is not bound or closed
     * @throws IllegalArgumentException if there is no address or one is not valid
     * @throws NoSuchBatchException     if there is no such batch
     */
    public CompletableFuture<ReportDelivery> sendNow(String batchName, List<String> recipients) {
        MigrationBatch batch = requireBatch(batchName);
        recipients.forEach(Notification::checkAddress);
        List<String> to = recipients(recipients);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("give at least one recipient");
        }
        return sendNow(batch, to);
    }

    private CompletableFuture<ReportDelivery> sendNow(MigrationBatch batch, List<String> recipients) {
        CompletableFuture<ReportDelivery> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the reporter is closed");
            }
            BatchReport report = snapshot(batch, batch.status(), ReportTrigger.REQUESTED, clock.instant());
            submit(report, recipients, done);
        }
        return done;
    }

    private MigrationBatch requireBatch(String batchName) {
        Function<String, Optional<MigrationBatch>> lookup = batches;
        if (lookup == null) {
            throw new IllegalStateException("the reporter is not bound to a MigrationService: call bind(service)");
        }
        return lookup.apply(batchName).orElseThrow(() -> new NoSuchBatchException(batchName));
    }

    /** The addresses without duplicates (ignoring case), in order. */
    private static List<String> recipients(List<String> addresses) {
        Set<String> seen = new LinkedHashSet<>();
        return addresses.stream().filter(a -> seen.add(a.toLowerCase(Locale.ROOT))).toList();
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
        if (!BatchReportComposer.isStatusReport(current)) {
            return;
        }
        Function<String, Optional<MigrationBatch>> lookup = batches;
        Optional<MigrationBatch> batch = lookup == null ? Optional.empty() : lookup.apply(name);
        synchronized (lock) {
            if (closed) {
                return;
            }
            BatchState st = state(name);
            boolean sameOutcomeAsLastPass = event.previous() == BatchStatus.INCREMENTAL_SYNCING
                    && st.lastSettled == current;
            st.lastSettled = current;
            if (sameOutcomeAsLastPass) {
                return;
            }
            if (batch.isEmpty()) {
                if (lookup == null) {
                    LOG.warn("Batch {} is {}, but the reporter is not bound to a MigrationService; no report is sent",
                            name, current);
                }
                return;
            }
            List<String> to = recipients(batch.get().options().notificationEmails());
            if (!to.isEmpty()) {
                submit(snapshot(batch.get(), current, ReportTrigger.STATUS, event.time()), to, null);
            }
        }
    }

    @Override
    public void onReportDue(MigrationEvent.ReportDue event) {
        List<String> to = recipients(event.notificationEmails());
        if (to.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            BatchState st = state(event.batchName());
            BatchReport report = new BatchReport(event.batchName(), event.status(), ReportTrigger.PERIODIC, event.time(),
                    event.statistics(), event.users(), st.rejectedRows,
                    times(event.users(), knownTimes(event.batchName())));
            submit(report, to, null);
        }
    }

    @Override
    public void onBatchRemoved(MigrationEvent.BatchRemoved event) {
        synchronized (lock) {
            states.remove(event.batchName());
        }
    }

    // ---------------------------------------------------------------- internals

    private BatchState state(String name) {
        return states.computeIfAbsent(name, n -> new BatchState());
    }

    /** Caller holds the lock. */
    private BatchReport snapshot(MigrationBatch batch, BatchStatus status, ReportTrigger trigger, Instant time) {
        List<RejectedRow> rejected = state(batch.name()).rejectedRows;
        return BatchReport.of(batch, status, trigger, time, rejected, knownTimes(batch.name()));
    }

    /**
     * The users' sync times this reporter measured; unknown (empty cells) for users none of whose
     * passes it saw, e.g. passes run by an earlier process, rather than zero passes.
     */
    private Function<String, UserSyncTimes> knownTimes(String batchName) {
        Function<String, UserSyncTimes> times = syncTimes.forBatch(batchName);
        return email -> {
            UserSyncTimes t = times.apply(email);
            return t == null || t.passes() == 0 ? null : t;
        };
    }

    private static Map<String, UserSyncTimes> times(List<MigrationUser> users, Function<String, UserSyncTimes> times) {
        Map<String, UserSyncTimes> out = new LinkedHashMap<>();
        for (MigrationUser u : users) {
            UserSyncTimes t = times.apply(u.emailAddress());
            if (t != null) {
                out.put(u.emailAddress(), t);
            }
        }
        return out;
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
            BatchState st = state(report.batchName());
            st.deliveries.addLast(d);
            while (st.deliveries.size() > KEPT_DELIVERIES) {
                st.deliveries.removeFirst();
            }
        }
        recordOnBatch(d);
        try {
            onDelivery.accept(d);
        } catch (RuntimeException e) {
            LOG.warn("The delivery listener failed for batch {}", report.batchName(), e);
        }
        return d;
    }

    /** Records the outcome on the batch, so that the host (and its store) sees it. */
    private void recordOnBatch(ReportDelivery d) {
        Function<String, Optional<MigrationBatch>> lookup = batches;
        if (lookup == null) {
            return;
        }
        try {
            lookup.apply(d.batchName()).ifPresent(b -> b.recordNotification(d.sent()
                    ? NotificationOutcome.sent(d.time(), d.subject())
                    : NotificationOutcome.failed(d.time(), d.subject(), d.error())));
        } catch (RuntimeException e) {
            LOG.warn("Could not record the report outcome on batch {}: {}", d.batchName(), e.toString());
        }
    }

    /**
     * Waits up to the close timeout for reports still being sent (e.g. the final {@code Completed}
     * one; close the service first, so that it delivers its last events). Events after closing are
     * ignored. Shuts down the executor the reporter created itself, not one a host gave it.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
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
    }

    @Override
    public String toString() {
        return "BatchReporter[sender=" + sender + "]";
    }

    /** Configures a {@link BatchReporter}. Not thread-safe. */
    public static final class Builder {
        private final NotificationSender sender;
        private ExecutorService executor;
        private BiFunction<BatchReport, List<String>, Notification> composer = BatchReportComposer::compose;
        private Consumer<ReportDelivery> onDelivery = d -> { };
        private Duration closeTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder(NotificationSender sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
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
         * Calls back after every attempt to send a report, sent or failed, on the sending thread,
         * after the outcome is recorded on the batch. An exception it throws is logged.
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

        /**
         * Sets the clock that times reports requested with {@link BatchReporter#sendNow} (status
         * and periodic reports take their event's time). Default: the UTC system clock; give the
         * service's clock.
         *
         * @param clock the clock, not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return the reporter */
        public BatchReporter build() {
            return new BatchReporter(this);
        }
    }
}
