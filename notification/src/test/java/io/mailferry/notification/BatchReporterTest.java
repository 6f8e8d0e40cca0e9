package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.NoSuchBatchException;
import io.mailferry.core.notification.Notification;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the reporter sends: status reports, periodic reports, settings, failures. */
class BatchReporterTest {

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    private final MigrationFixture fx = new MigrationFixture();
    private final ManualReportTimer timer = new ManualReportTimer(T0);
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

    private MigrationService service(ReportSettings settings) {
        reporter = BatchReporter.builder(sender).settings(settings).timer(timer).executor(fx.reportThread)
                .onDelivery(deliveries::add).build();
        MigrationService service = fx.service(timer.clock(), reporter);
        reporter.bind(service);
        return service;
    }

    @Test
    void aBatchThatSyncsWithErrorsGetsOneStatusReportThenOneReportPerInterval() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu", "ops@contoso.edu"));
        MigrationUserEntry alice = fx.user("alice", 3);
        fx.user("bob", 2);
        MigrationUserEntry bobWrong = MigrationUserEntry.of(email("bob"), "bob", "wrong-password");
        MigrationBatch batch = fx.batch(service, "wave-1", alice, bobWrong).create();

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
        assertThat(reporter.nextPeriodicReport("wave-1")).contains(T0.plus(DAY));

        timer.advance(DAY.minusSeconds(1));
        fx.flushReports();
        assertThat(sender.sent).hasSize(1);
        timer.advance(Duration.ofSeconds(1));
        fx.flushReports();
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced with errors",
                "Migration batch wave-1 status report: SyncedWithErrors");
        timer.advance(DAY.multipliedBy(2));
        fx.flushReports();
        assertThat(sender.sent).hasSize(4);
        assertThat(reporter.deliveries("wave-1")).extracting(ReportDelivery::trigger).containsExactly(
                ReportTrigger.STATUS, ReportTrigger.PERIODIC, ReportTrigger.PERIODIC, ReportTrigger.PERIODIC);
        assertThat(reporter.deliveries("wave-1")).extracting(ReportDelivery::time).containsExactly(
                T0, T0.plus(DAY), T0.plus(DAY.multipliedBy(2)), T0.plus(DAY.multipliedBy(3)));
        assertThat(timer.scheduled()).isEqualTo(1);
    }

    @Test
    void anIncrementalPassThatEndsAsThePreviousOneSendsNothingButAChangedOutcomeDoes() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 2), fx.user("bob", 2)).create();
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
    void aStatusReportRestartsTheIntervalAndUsersAddedLaterGetAStatusReportToo() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);
        timer.advance(Duration.ofHours(20));

        batch.addUsers(List.of(fx.user("carol", 1)));
        fx.probe.await("wave-1", BatchStatus.SYNCED);
        fx.flushReports();

        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced successfully",
                "Migration batch wave-1 has synced successfully");
        assertThat(reporter.nextPeriodicReport("wave-1")).contains(T0.plus(Duration.ofHours(20)).plus(DAY));
        timer.advance(Duration.ofHours(23));
        fx.flushReports();
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void aFailedBatchGetsItsReportAndNoPeriodicOnes() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        fx.user("alice", 1);
        MigrationBatch batch = fx.batch(service, "wave-1",
                MigrationUserEntry.of(email("alice"), "alice", "wrong")).create();

        fx.startAndAwait(batch, BatchStatus.FAILED);
        fx.flushReports();
        timer.advance(DAY.multipliedBy(3));
        fx.flushReports();

        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has failed");
        assertThat(reporter.nextPeriodicReport("wave-1")).isEmpty();
        assertThat(timer.scheduled()).isZero();
    }

    @Test
    void completedAndCompletedWithErrorsAreReportedAndEndThePeriodicReports() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();
        fx.startAndAwait(batch, BatchStatus.SYNCED);
        assertThat(reporter.nextPeriodicReport("wave-1")).isPresent();

        // The lifecycle API's complete() is not there yet: the events it will publish.
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", timer.now(), BatchStatus.SYNCED,
                BatchStatus.COMPLETING));
        assertThat(reporter.nextPeriodicReport("wave-1")).as("still running").isPresent();
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", timer.now(),
                BatchStatus.COMPLETING, BatchStatus.COMPLETED_WITH_ERRORS));
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", timer.now(),
                BatchStatus.COMPLETED_WITH_ERRORS, BatchStatus.STARTING));
        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", timer.now(),
                BatchStatus.COMPLETING, BatchStatus.COMPLETED));
        fx.flushReports();

        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 has synced successfully",
                "Migration batch wave-1 has completed with errors", "Migration batch wave-1 has completed successfully");
        assertThat(reporter.nextPeriodicReport("wave-1")).isEmpty();
        assertThat(timer.scheduled()).isZero();
    }

    @Test
    void anIntervalOfZeroSendsOnlyStatusReportsAndSkipReportsOrNoAddressSendsNothing() throws Exception {
        reporter = BatchReporter.builder(sender).timer(timer).executor(fx.reportThread).settings(batch -> switch (batch.name()) {
            case "never-periodic" -> ReportSettings.to("admin@contoso.edu").withReportInterval(Duration.ZERO);
            case "skipped" -> new ReportSettings(List.of("admin@contoso.edu"), DAY, true);
            default -> ReportSettings.NONE;
        }).build();
        MigrationService service = fx.service(timer.clock(), reporter);
        reporter.bind(service);
        for (String name : List.of("never-periodic", "skipped", "nobody")) {
            fx.startAndAwait(fx.batch(service, name, fx.user(name, 1)).create(), BatchStatus.SYNCED);
        }
        timer.advance(DAY.multipliedBy(2));
        fx.flushReports();

        assertThat(sender.subjects()).containsExactly("Migration batch never-periodic has synced successfully");
        assertThat(timer.scheduled()).isZero();
    }

    @Test
    void aSendFailureIsRecordedAndTheNextReportIsSentAsUsual() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 2)).create();
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

        sender.failing = null;
        timer.advance(DAY);
        ReportDelivery next = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).isNotNull();
        assertThat(next.sent()).isTrue();
        assertThat(sender.subjects()).containsExactly("Migration batch wave-1 status report: Synced");
    }

    @Test
    void aComposerOrListenerThatThrowsIsRecordedToo() throws Exception {
        reporter = BatchReporter.builder(sender).settings(ReportSettings.to("admin@contoso.edu")).timer(timer)
                .executor(fx.reportThread)
                .composer((report, to) -> {
                    throw new IllegalStateException("composer bug");
                })
                .onDelivery(d -> {
                    deliveries.add(d);
                    throw new IllegalStateException("listener bug");
                })
                .build();
        MigrationService service = fx.service(timer.clock(), reporter);
        reporter.bind(service);
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        ReportDelivery d = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(d).isNotNull();
        assertThat(d.error()).isEqualTo("composer bug");
        assertThat(d.subject()).isEqualTo("Migration batch wave-1 has synced successfully");
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void rejectedCsvRowsGoIntoTheTextAndTheErrorReport() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();
        reporter.rejectedRows("wave-1", List.of(new RejectedRow(3, "not-an-address",
                "EmailAddress 'not-an-address' is not a valid SMTP address")));

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        fx.flushReports();

        Notification n = sender.sent.get(0);
        assertThat(n.text()).contains("Rejected CSV rows:   1", "line 3: EmailAddress 'not-an-address'");
        assertThat(new String(n.attachments().get(1).content(), StandardCharsets.UTF_8))
                .contains("not-an-address,CSV line 3: EmailAddress 'not-an-address' is not a valid SMTP address");
    }

    @Test
    void sendNowSendsTheCurrentReportToTheBatchsOrToGivenAddresses() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();

        ReportDelivery created = reporter.sendNow("wave-1").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        fx.startAndAwait(batch, BatchStatus.SYNCED);
        ReportDelivery other = reporter.sendNow("wave-1", List.of("auditor@contoso.edu"))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(created.subject()).isEqualTo("Migration batch wave-1 status report: Created");
        assertThat(created.trigger()).isEqualTo(ReportTrigger.REQUESTED);
        assertThat(other.sent()).isTrue();
        assertThat(sender.sent).extracting(Notification::recipients).containsExactly(List.of("admin@contoso.edu"),
                List.of("admin@contoso.edu"), List.of("auditor@contoso.edu"));
        assertThatThrownBy(() -> reporter.sendNow("nope")).isInstanceOf(NoSuchBatchException.class);
        assertThatThrownBy(() -> reporter.sendNow("wave-1", List.of("not an address")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removingABatchCancelsItsReportsAndBindingAgainArmsThoseOfSyncedBatches() throws Exception {
        MigrationService service = service(ReportSettings.to("admin@contoso.edu"));
        fx.startAndAwait(fx.batch(service, "wave-1", fx.user("alice", 1)).create(), BatchStatus.SYNCED);
        fx.startAndAwait(fx.batch(service, "wave-2", fx.user("bob", 1)).create(), BatchStatus.SYNCED);
        assertThat(timer.scheduled()).isEqualTo(2);

        reporter.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-2", timer.now(), BatchStatus.SYNCED,
                BatchStatus.REMOVING));
        assertThat(timer.scheduled()).isEqualTo(1);
        assertThat(reporter.deliveries("wave-2")).isEmpty();

        // A new reporter for the same service (as after a restart): the synced batches get their periodic reports.
        reporter.close();
        assertThat(timer.scheduled()).isZero();
        reporter = BatchReporter.builder(sender).settings(ReportSettings.to("admin@contoso.edu")).timer(timer)
                .executor(fx.reportThread).build();
        reporter.bind(service);
        assertThat(reporter.nextPeriodicReport("wave-1")).contains(timer.now().plus(DAY));
        assertThat(timer.scheduled()).isEqualTo(2);
    }

    @Test
    void anUnboundOrClosedReporterSendsNothing() throws Exception {
        reporter = BatchReporter.builder(sender).settings(ReportSettings.to("admin@contoso.edu")).timer(timer)
                .executor(fx.reportThread).build();
        MigrationService service = fx.service(timer.clock(), reporter);
        MigrationBatch batch = fx.batch(service, "wave-1", fx.user("alice", 1)).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED);
        assertThatThrownBy(() -> reporter.sendNow("wave-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bind");
        reporter.bind(service);
        reporter.close();
        batch.syncNow();
        fx.probe.await("wave-1", BatchStatus.SYNCED);
        fx.flushReports();

        assertThat(sender.sent).isEmpty();
        assertThat(timer.scheduled()).isZero();
        assertThatThrownBy(() -> reporter.sendNow("wave-1")).isInstanceOf(IllegalStateException.class);
    }
}
