package io.mailferry.notification;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.ManualScheduler;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.NoSuchBatchException;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationOutcome;
import io.mailferry.csv.MigrationReports;
import io.mailferry.csv.RejectedRow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.mailferry.notification.MigrationFixture.TIMEOUT;
import static io.mailferry.notification.MigrationFixture.email;
import static io.mailferry.notification.MigrationFixture.reportsTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the reporter sends, driven by the service's events on a manual clock: status reports,
 * ReportDue (periodic) reports, recipients from the batch options, failures recorded on the batch.
 */
class BatchReporterTest {

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    private final MigrationFixture fx = new MigrationFixture();
    private final ManualScheduler time = new ManualScheduler(T0);
    private final RecordingSender sender = new RecordingSender();
    private final BlockingQueue<ReportDelivery> deliveries = new LinkedBlockingQueue<>();
    private BatchReporter reporter;

    @AfterEach
    void tearDown() {
        fx.close();
        if (reporter != null) {
            reporter.close();
        }
    }

    private MigrationService service() {
        reporter = BatchReporter.builder(sender).executor(fx.reportThread).clock(time.clock())
                .onDelivery(deliveries::add).build();
        MigrationService service = fx.service(time, reporter);
        reporter.bind(service);
        return service;
    }

    /** Moves the clock to the next ReportDue and waits until the reporter has sent its report. */
    private void nextReportDue(Duration by) throws Exception {
        time.advance(by);
        fx.probe.awaitReportDue();
        fx.flushReports();
    }

    @Test
    void aBatchThatSyncsWithErrorsGetsOneStatusReportThenOneReportPerInterval() throws Exception {
        MigrationService service = service();
        MigrationUserEntry alice = fx.user("alice", 3);
        fx.user("bob", 2);
        MigrationUserEntry bobWrong = MigrationUserEntry.of(email("bob"), "bob", "wrong-password");
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu", "ops@contoso.edu").build(),
                alice, bobWrong).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED_WITH_ERRORS);
        fx.flushReports();

        assertThat(sender.sent).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("Migration batch wave-1 has synced with errors");
            assertThat(n.recipients()).containsExactly("admin@contoso.edu", "ops@contoso.edu");
            assertThat(n.text()).contains("Mailboxes:", "2 (1 synced, 0 completed, 1 failed", "Items migrated:      3",
                    email("bob") + ": ");
            assertThat(n.attachments()).extracting(a -> a.fileName())
                    .containsExactly(MigrationReports.STATISTICS_FILE, MigrationReports.ERRORS_FILE);
        });
        assertThat(reporter.deliveries("wave-1")).singleElement().satisfies(d -> {
            assertThat(d.sent()).isTrue();
            assertThat(d.trigger()).isEqualTo(ReportTrigger.STATUS);
            assertThat(d.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        });
        assertThat(batch.lastNotification()).contains(NotificationOutcome.sent(T0,
                "Migration batch wave-1 has synced with errors"));

        time.advance(DAY.minusSeconds(1));
        fx.flushReports();
        assertThat(fx.probe.pendingReportsDue()).isZero();
        assertThat(sender.sent).hasSize(1);
        nextReportDue(Duration.ofSeconds(1));
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced with errors",
                "Migration batch wave-1 status report: SyncedWithErrors");
        assertThat(sender.sent.get(1).recipients()).containsExactly("admin@contoso.edu", "ops@contoso.edu");
        nextReportDue(DAY);
        nextReportDue(DAY);
        assertThat(sender.sent).hasSize(4);
        assertThat(reporter.deliveries("wave-1")).extracting(ReportDelivery::trigger).containsExactly(
                ReportTrigger.STATUS, ReportTrigger.PERIODIC, ReportTrigger.PERIODIC, ReportTrigger.PERIODIC);
        assertThat(reporter.deliveries("wave-1")).extracting(ReportDelivery::time).containsExactly(
                T0, T0.plus(DAY), T0.plus(DAY.multipliedBy(2)), T0.plus(DAY.multipliedBy(3)));
        assertThat(batch.lastNotification()).map(NotificationOutcome::time).contains(T0.plus(DAY.multipliedBy(3)));
    }

    @Test
    void theRecipientsAreTheBatchsNotificationEmailsAtEachReport() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);

        batch.set(b -> b.notificationEmails(List.of("ops@contoso.edu", "OPS@contoso.edu", "audit@contoso.edu")));
        nextReportDue(DAY);

        assertThat(sender.sent).extracting(Notification::recipients).containsExactly(List.of("admin@contoso.edu"),
                List.of("ops@contoso.edu", "audit@contoso.edu"));
    }

    @Test
    void anIncrementalPassThatEndsAsThePreviousOneSendsNothingButAChangedOutcomeDoes() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 2), fx.user("bob", 2)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);

        batch.syncNow();
        fx.probe.await("wave-1", BatchStatus.SYNCED);
        fx.flushReports();
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced successfully");

        fx.source.password("bob", "changed-by-bob");
        batch.syncNow();
        fx.probe.await("wave-1", BatchStatus.SYNCED_WITH_ERRORS);
        fx.flushReports();
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced successfully",
                "Migration batch wave-1 has synced with errors");
        assertThat(sender.sent.get(1).text()).contains(email("bob"));
    }

    @Test
    void usersAddedLaterGetAStatusReportToo() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);

        batch.addUsers(List.of(fx.user("carol", 1)));
        fx.probe.await("wave-1", BatchStatus.SYNCED);
        fx.flushReports();

        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced successfully",
                "Migration batch wave-1 has synced successfully");
        assertThat(sender.sent.get(1).text()).contains("Mailboxes:           2 (2 synced");
    }

    @Test
    void aFailedBatchGetsItsReportAndThenTheServicesDailyReports() throws Exception {
        MigrationService service = service();
        fx.user("alice", 1);
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                MigrationUserEntry.of(email("alice"), "alice", "wrong")).create();

        fx.startAndAwait(batch, BatchStatus.FAILED);
        nextReportDue(DAY);

        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has failed",
                "Migration batch wave-1 status report: Failed");
    }

    @Test
    void completedAndCompletedWithErrorsAreReportedAndEndThePeriodicReports() throws Exception {
        MigrationService service = service();
        MigrationBatch good = fx.batch(service, "good", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        fx.user("bob", 1);
        MigrationBatch bad = fx.batch(service, "bad", reportsTo("admin@contoso.edu").build(),
                fx.user("carol", 1), MigrationUserEntry.of(email("bob"), "bob", "wrong")).create();
        fx.startAndAwait(good, BatchStatus.SYNCED);
        fx.startAndAwait(bad, BatchStatus.SYNCED_WITH_ERRORS);

        good.complete();
        fx.probe.await("good", BatchStatus.COMPLETED);
        bad.complete();
        fx.probe.await("bad", BatchStatus.COMPLETED_WITH_ERRORS);
        time.advance(DAY.multipliedBy(3));
        fx.flushReports();

        assertThat(fx.probe.pendingReportsDue()).isZero();
        assertThat(sender.subjects()).containsExactly("Migration batch good has synced successfully",
                "Migration batch bad has synced with errors", "Migration batch good has completed successfully",
                "Migration batch bad has completed with errors");
    }

    @Test
    void anIntervalOfZeroSendsOnlyStatusReportsAndABatchWithoutAddressesNothing() throws Exception {
        MigrationService service = service();
        fx.startAndAwait(fx.batch(service, "never-periodic",
                reportsTo("admin@contoso.edu").reportInterval(Duration.ZERO).build(), fx.user("alice", 1)).create(),
                BatchStatus.SYNCED);
        fx.startAndAwait(fx.batch(service, "nobody", BatchOptions.DEFAULTS, fx.user("bob", 1)).create(),
                BatchStatus.SYNCED);

        nextReportDue(DAY); // the batch without addresses
        time.advance(DAY);
        fx.probe.awaitReportDue();
        fx.flushReports();

        assertThat(fx.probe.pendingReportsDue()).isZero();
        assertThat(sender.subjects()).containsExactly("Migration batch never-periodic has synced successfully");
    }

    @Test
    void aSendFailureIsRecordedOnTheBatchAndTheNextReportIsSentAsUsual() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 2)).create();
        sender.failing = "Could not send the e-mail through smtp.contoso.edu:587 (STARTTLS): cannot connect";

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        ReportDelivery failed = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(failed).isNotNull();
        assertThat(failed.sent()).isFalse();
        assertThat(failed.error()).contains("cannot connect");
        assertThat(failed.subject()).isEqualTo("Migration batch wave-1 has synced successfully");
        assertThat(failed.recipients()).containsExactly("admin@contoso.edu");
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(batch.user(email("alice")).orElseThrow().statistics().syncedItemCount()).isEqualTo(2);
        assertThat(reporter.deliveries("wave-1")).containsExactly(failed);
        assertThat(batch.lastNotification()).contains(NotificationOutcome.failed(T0,
                "Migration batch wave-1 has synced successfully", sender.failing));
        MigrationEvent.NotificationFailed event = fx.probe.notificationsFailed.poll(TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        assertThat(event).isEqualTo(new MigrationEvent.NotificationFailed("wave-1", T0,
                "Migration batch wave-1 has synced successfully", sender.failing));

        sender.failing = null;
        time.advance(DAY);
        ReportDelivery next = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).isNotNull();
        assertThat(next.sent()).isTrue();
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 status report: Synced");
        assertThat(batch.lastNotification()).hasValueSatisfying(n -> assertThat(n.isSent()).isTrue());
    }

    @Test
    void aComposerOrListenerThatThrowsIsRecordedToo() throws Exception {
        reporter = BatchReporter.builder(sender).executor(fx.reportThread)
                .composer((report, to) -> {
                    throw new IllegalStateException("composer bug");
                })
                .onDelivery(d -> {
                    deliveries.add(d);
                    throw new IllegalStateException("listener bug");
                })
                .build();
        MigrationService service = fx.service(time, reporter);
        reporter.bind(service);
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        ReportDelivery d = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(d).isNotNull();
        assertThat(d.error()).isEqualTo("composer bug");
        assertThat(d.subject()).isEqualTo("Migration batch wave-1 has synced successfully");
        assertThat(sender.sent).isEmpty();
        assertThat(batch.lastNotification()).map(NotificationOutcome::error).contains("composer bug");
    }

    @Test
    void rejectedCsvRowsGoIntoTheTextAndTheErrorReport() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        reporter.rejectedRows("wave-1", List.of(new RejectedRow(3, "not-an-address",
                "EmailAddress 'not-an-address' is not a valid SMTP address")));

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        nextReportDue(DAY);

        for (Notification n : sender.sent) {
            assertThat(n.text()).contains("Rejected CSV rows:   1", "line 3: EmailAddress 'not-an-address'");
            assertThat(new String(n.attachments().get(1).content(), StandardCharsets.UTF_8))
                    .contains("not-an-address,CSV line 3: EmailAddress 'not-an-address' is not a valid SMTP address");
        }
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void sendNowSendsTheCurrentReportToTheBatchsOrToGivenAddresses() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        fx.batch(service, "silent", BatchOptions.DEFAULTS, fx.user("bob", 1)).create();

        ReportDelivery created = reporter.sendNow("wave-1").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        fx.startAndAwait(batch, BatchStatus.SYNCED);
        ReportDelivery other = reporter.sendNow("wave-1", List.of("auditor@contoso.edu"))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(created.subject()).isEqualTo("Migration batch wave-1 status report: Created");
        assertThat(created.trigger()).isEqualTo(ReportTrigger.REQUESTED);
        assertThat(created.time()).isEqualTo(T0);
        assertThat(other.sent()).isTrue();
        assertThat(sender.sent).extracting(Notification::recipients).containsExactly(List.of("admin@contoso.edu"),
                List.of("admin@contoso.edu"), List.of("auditor@contoso.edu"));
        assertThatThrownBy(() -> reporter.sendNow("nope")).isInstanceOf(NoSuchBatchException.class);
        assertThatThrownBy(() -> reporter.sendNow("silent")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no notification addresses");
        assertThatThrownBy(() -> reporter.sendNow("wave-1", List.of("not an address")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReporterBoundAfterARestartKnowsTheLastOutcomeAndARemovedBatchIsForgotten() throws Exception {
        MigrationService service = service();
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);
        fx.flushReports();

        // A new reporter for the same service (as after a restart): the same outcome again sends nothing.
        reporter.close();
        RecordingSender second = new RecordingSender();
        reporter = BatchReporter.builder(second).executor(fx.reportThread).build();
        reporter.bind(service);
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", time.now(),
                BatchStatus.INCREMENTAL_SYNCING, BatchStatus.SYNCED));
        fx.flushReports();
        assertThat(second.sent).isEmpty();

        reporter.sendNow("wave-1").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reporter.deliveries("wave-1")).hasSize(1);
        reporter.onBatchRemoved(new MigrationEvent.BatchRemoved("wave-1", time.now()));
        assertThat(reporter.deliveries("wave-1")).isEmpty();
    }

    @Test
    void anUnboundReporterSendsOnlyPeriodicReportsAndAClosedOneNothing() throws Exception {
        reporter = BatchReporter.builder(sender).executor(fx.reportThread).build();
        MigrationService service = fx.service(time, reporter);
        MigrationBatch batch = fx.batch(service, "wave-1", reportsTo("admin@contoso.edu").build(),
                fx.user("alice", 1)).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        assertThatThrownBy(() -> reporter.sendNow("wave-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bind");
        nextReportDue(DAY);
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 status report: Synced");
        assertThat(batch.lastNotification()).as("nothing to record it on").isEmpty();

        reporter.bind(service);
        reporter.close();
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", time.now(),
                BatchStatus.COMPLETING, BatchStatus.COMPLETED));
        nextReportDue(DAY);

        assertThat(sender.sent).hasSize(1);
        assertThatThrownBy(() -> reporter.sendNow("wave-1")).isInstanceOf(IllegalStateException.class);
    }
}
