package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationAttachment;
import io.mailferry.csv.MigrationReports;
import io.mailferry.csv.RejectedRow;
import io.mailferry.csv.UserSyncTimes;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchReportComposerTest {

    private static final Instant CREATED = Instant.parse("2024-05-01T08:00:00Z");
    private static final Instant STARTED = Instant.parse("2024-05-01T08:05:00Z");
    private static final Instant NOW = Instant.parse("2024-05-03T10:07:09.5Z");

    private static MigrationUser user(String email, MigrationUserStatus status, long synced, String error) {
        return new MigrationUser("wave-1", email, email, status, SyncStage.IDLE,
                new MigrationUserStatistics(synced, 1000, synced, 0, synced * 1000, 3, 1, 0, STARTED), error, STARTED);
    }

    private static MigrationBatchStatistics stats(int total, int synced, int failed) {
        return new MigrationBatchStatistics(total, 0, 0, synced, 0, 0, failed, 1_234_567, 12, 1_288_490_189L, CREATED,
                STARTED, STARTED.plusSeconds(3723), Duration.ofSeconds(3723), NOW.minusSeconds(60));
    }

    private static BatchReport report(BatchStatus status, ReportTrigger trigger, List<MigrationUser> users,
                                      List<RejectedRow> rejected) {
        int failed = (int) users.stream().filter(u -> u.status().isFailed()).count();
        return new BatchReport("wave-1", status, trigger, NOW, stats(users.size(), users.size() - failed, failed), users,
                rejected, Map.of("Terry@contoso.edu", new UserSyncTimes(1, Duration.ofSeconds(42), Duration.ofSeconds(42))));
    }

    @Test
    void subjectsUseExchangesWording() {
        assertThat(subject(BatchStatus.SYNCED, ReportTrigger.STATUS)).isEqualTo("Migration batch wave-1 has synced successfully");
        assertThat(subject(BatchStatus.SYNCED_WITH_ERRORS, ReportTrigger.STATUS))
                .isEqualTo("Migration batch wave-1 has synced with errors");
        assertThat(subject(BatchStatus.COMPLETED, ReportTrigger.STATUS))
                .isEqualTo("Migration batch wave-1 has completed successfully");
        assertThat(subject(BatchStatus.COMPLETED_WITH_ERRORS, ReportTrigger.STATUS))
                .isEqualTo("Migration batch wave-1 has completed with errors");
        assertThat(subject(BatchStatus.FAILED, ReportTrigger.STATUS)).isEqualTo("Migration batch wave-1 has failed");
        assertThat(subject(BatchStatus.SYNCED, ReportTrigger.PERIODIC)).isEqualTo("Migration batch wave-1 status report: Synced");
        assertThat(subject(BatchStatus.INCREMENTAL_SYNCING, ReportTrigger.REQUESTED))
                .isEqualTo("Migration batch wave-1 status report: IncrementalSyncing");
        assertThat(subject(BatchStatus.SYNCING, ReportTrigger.STATUS)).isEqualTo("Migration batch wave-1 status report: Syncing");
    }

    private static String subject(BatchStatus status, ReportTrigger trigger) {
        return BatchReportComposer.subject(report(status, trigger, List.of(), List.of()));
    }

    @Test
    void theTextSummarisesCountsFailuresRejectedRowsAndDuration() {
        List<MigrationUser> users = List.of(
                user("Terry@contoso.edu", MigrationUserStatus.COMPLETED, 10, null),
                user("ann@contoso.edu", MigrationUserStatus.FAILED, 0, "couldn't sign in to the user account\r\non the IMAP system"),
                user("bo@contoso.edu", MigrationUserStatus.COMPLETION_FAILED, 0, null));
        List<RejectedRow> rejected = List.of(new RejectedRow(4, "x", "EmailAddress 'x' is not a valid SMTP address"));

        String text = BatchReportComposer.text(report(BatchStatus.COMPLETED_WITH_ERRORS, ReportTrigger.STATUS, users, rejected));

        assertThat(text).startsWith("Migration batch wave-1 has completed with errors.\n\n").contains(
                "Batch:               wave-1\n",
                "Status:              CompletedWithErrors\n",
                "Report time:         2024-05-03T10:07:09Z\n",
                "Mailboxes:           3 (1 synced, 0 completed, 2 failed, 0 stopped, 0 in progress)\n",
                "Rejected CSV rows:   1\n",
                "Items migrated:      1,234,567\n",
                "Items skipped:       12\n",
                "Data migrated:       1.2 GB (1,288,490,189 bytes)\n",
                "Created:             2024-05-01T08:00:00Z\n",
                "Started:             2024-05-01T08:05:00Z\n",
                "Initial sync:        finished 2024-05-01T09:07:03Z after 1 h 2 min\n",
                "Last synced:         2024-05-03T10:06:09Z\n",
                "Duration:            2 d 2 h 2 min since the batch started\n",
                "Mailboxes that failed (2):\n"
                        + "  ann@contoso.edu: couldn't sign in to the user account on the IMAP system\n"
                        + "  bo@contoso.edu: status CompletionFailed, no error recorded\n",
                "CSV rows that were rejected and not migrated (1):\n"
                        + "  line 4: EmailAddress 'x' is not a valid SMTP address\n",
                "MigrationStatistics.csv", "MigrationErrors.csv")
                .doesNotContain("Terry@contoso.edu:").doesNotContain("\r");
    }

    @Test
    void longListsAreCutAndPointToTheErrorReport() {
        List<MigrationUser> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(user("u" + i + "@contoso.edu", MigrationUserStatus.FAILED, 0, "x".repeat(400)));
        }
        String text = BatchReportComposer.text(report(BatchStatus.FAILED, ReportTrigger.STATUS, users, List.of()));

        assertThat(text).contains("  u24@contoso.edu: " + "x".repeat(300) + "...\n")
                .doesNotContain("u25@contoso.edu").contains("  ... and 5 more; all are listed in MigrationErrors.csv.\n")
                .doesNotContain("Rejected rows that");
    }

    @Test
    void attachmentsAreTheTwoCsvReportsAsMigrationReportsWritesThem() {
        List<MigrationUser> users = List.of(user("Terry@contoso.edu", MigrationUserStatus.SYNCED, 10, null),
                user("=cmd@contoso.edu", MigrationUserStatus.FAILED, 0, "@SUM(1)"));
        List<RejectedRow> rejected = List.of(new RejectedRow(9, null, "EmailAddress is empty"));
        BatchReport report = report(BatchStatus.SYNCED_WITH_ERRORS, ReportTrigger.STATUS, users, rejected);

        Notification n = BatchReportComposer.compose(report, List.of("admin@contoso.edu"));

        ByteArrayOutputStream stats = new ByteArrayOutputStream();
        MigrationReports.writeStatistics(users, report::syncTimes, stats);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        MigrationReports.writeErrors(users, rejected, errors);
        assertThat(n.attachments()).containsExactly(
                new NotificationAttachment("MigrationStatistics.csv", "text/csv; charset=UTF-8", stats.toByteArray()),
                new NotificationAttachment("MigrationErrors.csv", "text/csv; charset=UTF-8", errors.toByteArray()));
        assertThat(stats.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Terry@contoso.edu,Synced").contains(",42,42,1\r\n").contains("'=cmd@contoso.edu");
        assertThat(n.recipients()).containsExactly("admin@contoso.edu");
        assertThat(n.subject()).isEqualTo("Migration batch wave-1 has synced with errors");
    }

    @Test
    void sizesAndDurationsReadWell() {
        assertThat(BatchReportComposer.size(0)).isEqualTo("0 bytes");
        assertThat(BatchReportComposer.size(1023)).isEqualTo("1,023 bytes");
        assertThat(BatchReportComposer.size(1536)).isEqualTo("1.5 KB (1,536 bytes)");
        assertThat(BatchReportComposer.size(5L * 1024 * 1024 * 1024 * 1024)).isEqualTo("5.0 TB (5,497,558,138,880 bytes)");
        assertThat(BatchReportComposer.duration(Duration.ofSeconds(9))).isEqualTo("9 s");
        assertThat(BatchReportComposer.duration(Duration.ofSeconds(61))).isEqualTo("1 min 1 s");
        assertThat(BatchReportComposer.duration(Duration.ofSeconds(3600))).isEqualTo("1 h 0 min");
        assertThat(BatchReportComposer.duration(Duration.ofDays(3).plusMinutes(5))).isEqualTo("3 d 0 h 5 min");
        assertThat(BatchReportComposer.duration(Duration.ofSeconds(-5))).isEqualTo("0 s");
    }
}
