package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;
import io.mailferry.csv.MigrationReports;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.mailferry.notification.MigrationFixture.TIMEOUT;
import static io.mailferry.notification.MigrationFixture.email;
import static io.mailferry.notification.MigrationFixture.password;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report e-mail end to end: a batch read from a CSV, migrated by the service, reported by the
 * reporter through the SMTP sender to GreenMail's SMTP, and the mail read back.
 */
class ReportEmailGreenMailTest {

    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final String ADMIN = "admin@contoso.edu";
    private static final String OPS = "ops@fabrikam.test";
    private static final String REJECTED_ROW_PASSWORD = "Rejected-Row-Pw-771";

    @TempDir
    Path dir;

    private SmtpTestServer smtp;
    private final MigrationFixture fx = new MigrationFixture();
    private final ManualReportTimer timer = new ManualReportTimer(T0);
    private final BlockingQueue<ReportDelivery> deliveries = new LinkedBlockingQueue<>();
    private BatchReporter reporter;

    @BeforeEach
    void startSmtp() {
        smtp = SmtpTestServer.start();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        if (reporter != null) {
            reporter.close();
        }
        smtp.close();
    }

    private MigrationService service(SmtpSettings settings) {
        reporter = BatchReporter.builder(new SmtpNotificationSender(settings, timer.clock()))
                .settings(ReportSettings.to(ADMIN, OPS))
                .timer(timer)
                .executor(fx.reportThread)
                .onDelivery(deliveries::add)
                .build();
        MigrationService service = fx.service(timer.clock(), reporter);
        reporter.bind(service);
        return service;
    }

    /** alice and carol migrate; bob's password is wrong; one row is rejected by validation. */
    private MigrationCsv csv() {
        fx.user("alice", 3);
        fx.user("bob", 2);
        fx.user("carol", 1);
        String text = "EmailAddress,UserName,Password\r\n"
                + email("alice") + ",alice," + password("alice") + "\r\n"
                + email("bob") + ",bob,Wrong-Bob-Pw-123\r\n"
                + "not-an-address,dave," + REJECTED_ROW_PASSWORD + "\r\n"
                + email("carol") + ",carol," + password("carol") + "\r\n";
        return MigrationCsvReader.of(CsvSchema.IMAP).read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> secrets() {
        return List.of(password("alice"), password("carol"), "Wrong-Bob-Pw-123", REJECTED_ROW_PASSWORD,
                MigrationFixture.TARGET_ADMIN_PASSWORD, SmtpTestServer.PASSWORD);
    }

    @Test
    void eachRecipientGetsOneMessagePerEventWithTheReportsAttached() throws Exception {
        MigrationService service = service(smtp.settings().build());
        MigrationCsv csv = csv();
        MigrationBatch batch = csv.applyTo(fx.batch(service, "wave-1")).create();
        reporter.rejectedRows("wave-1", csv.rejectedRows());

        fx.startAndAwait(batch, BatchStatus.SYNCED_WITH_ERRORS);
        fx.flushReports();
        List<MimeMessage> first = smtp.awaitMessages(2);

        assertThat(smtp.inbox(ADMIN)).hasSize(1);
        assertThat(smtp.inbox(OPS)).hasSize(1);
        Path files = dir.resolve("reports");
        MigrationReports.writeAll(files, batch.users(), csv.rejectedRows(), batch::skippedItems,
                reporter.syncTimes().forBatch("wave-1"));
        for (MimeMessage m : first) {
            assertThat(m.getSubject()).isEqualTo("Migration batch wave-1 has synced with errors");
            Map<String, byte[]> attachments = attachments(m);
            assertThat(attachments.keySet()).containsExactly("MigrationStatistics.csv", "MigrationErrors.csv");
            assertThat(attachments.get("MigrationStatistics.csv"))
                    .isEqualTo(Files.readAllBytes(files.resolve("MigrationStatistics.csv")));
            assertThat(attachments.get("MigrationErrors.csv"))
                    .isEqualTo(Files.readAllBytes(files.resolve("MigrationErrors.csv")));

            List<CSVRecord> stats = parse(attachments.get("MigrationStatistics.csv"));
            assertThat(stats).extracting(r -> r.get("EmailAddress") + " " + r.get("Status") + " " + r.get("ItemsSynced"))
                    .containsExactly(email("alice") + " Synced 3", email("bob") + " Failed 0", email("carol") + " Synced 1");
            assertThat(stats.get(0).get("SyncPasses")).isEqualTo("1");
            List<CSVRecord> errors = parse(attachments.get("MigrationErrors.csv"));
            assertThat(errors).extracting(r -> r.get("EmailAddress")).containsExactly("not-an-address", email("bob"));
            assertThat(errors.get(0).get("ErrorMessage")).startsWith("CSV line 4: EmailAddress 'not-an-address'");

            String text = text(m);
            assertThat(text).contains("Mailboxes:           3 (2 synced, 0 completed, 1 failed",
                    "Rejected CSV rows:   1", "Items migrated:      4", email("bob") + ": ");
            String raw = SmtpTestServer.raw(m);
            for (String secret : secrets()) {
                assertThat(raw).as("no password in the mail").doesNotContain(secret);
            }
        }

        // A day later: the periodic report, again one per recipient.
        timer.advance(Duration.ofHours(24));
        fx.flushReports();
        List<MimeMessage> all = smtp.awaitMessages(4);
        assertThat(all).hasSize(4);
        assertThat(smtp.subjects(ADMIN)).containsExactly("Migration batch wave-1 has synced with errors",
                        "Migration batch wave-1 status report: SyncedWithErrors");
        assertThat(smtp.subjects(OPS)).isEqualTo(smtp.subjects(ADMIN));
        assertThat(reporter.deliveries("wave-1")).hasSize(2).allMatch(ReportDelivery::sent);
        for (MimeMessage m : all) {
            String raw = SmtpTestServer.raw(m);
            for (String secret : secrets()) {
                assertThat(raw).doesNotContain(secret);
            }
        }

        // A batch that fails: its own report.
        fx.user("erin", 1);
        MigrationBatch failing = fx.batch(service, "wave-2",
                MigrationUserEntry.of(email("erin"), "erin", "Wrong-Erin-Pw-456")).create();
        fx.startAndAwait(failing, BatchStatus.FAILED);
        fx.flushReports();
        assertThat(smtp.awaitMessages(6)).hasSize(6);
        assertThat(smtp.subjects(ADMIN)).isEqualTo(smtp.subjects(OPS));
        assertThat(smtp.subjects(OPS)).containsExactly("Migration batch wave-1 has synced with errors",
                        "Migration batch wave-1 status report: SyncedWithErrors", "Migration batch wave-2 has failed");
    }

    @Test
    void anSmtpServerThatIsDownDoesNotDisturbTheBatch() throws Exception {
        MigrationService service = service(smtp.settings().port(SmtpTestServer.closedPort())
                .connectTimeout(Duration.ofSeconds(5)).build());
        MigrationCsv csv = csv();
        MigrationBatch batch = csv.applyTo(fx.batch(service, "wave-1")).create();

        fx.startAndAwait(batch, BatchStatus.SYNCED_WITH_ERRORS);
        ReportDelivery failed = deliveries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(failed).isNotNull();
        assertThat(failed.sent()).isFalse();
        assertThat(failed.error()).contains("cannot connect", "127.0.0.1:");
        assertThat(failed.recipients()).containsExactly(ADMIN, OPS);
        for (String secret : secrets()) {
            assertThat(failed.error()).doesNotContain(secret);
        }
        assertThat(reporter.deliveries("wave-1")).containsExactly(failed);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        assertThat(batch.statistics().syncedItemCount()).isEqualTo(4);
        assertThat(batch.user(email("alice")).orElseThrow().error()).isNull();

        // The batch goes on as usual: an incremental pass, and users added later.
        batch.syncNow();
        fx.probe.await("wave-1", BatchStatus.SYNCED_WITH_ERRORS);
        fx.user("frank", 2);
        batch.addUsers(List.of(MigrationUserEntry.of(email("frank"), "frank", password("frank"))));
        fx.probe.await("wave-1", BatchStatus.SYNCED_WITH_ERRORS);
        assertThat(batch.user(email("frank")).orElseThrow().statistics().syncedItemCount()).isEqualTo(2);
    }

    private static Map<String, byte[]> attachments(MimeMessage m) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Multipart mixed = (Multipart) m.getContent();
        for (int i = 0; i < mixed.getCount(); i++) {
            Part p = mixed.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                files.put(p.getFileName(), p.getInputStream().readAllBytes());
            }
        }
        return files;
    }

    private static String text(MimeMessage m) throws Exception {
        return (String) ((Multipart) m.getContent()).getBodyPart(0).getContent();
    }

    private static List<CSVRecord> parse(byte[] csv) {
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF");
        try (CSVParser parser = CSVParser.parse(text.substring(1),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return new ArrayList<>(parser.getRecords());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
