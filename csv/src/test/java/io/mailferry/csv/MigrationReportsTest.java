package io.mailferry.csv;

import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.SyncStage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationReportsTest {

    static final Instant T1 = Instant.parse("2024-05-01T10:15:30.123456Z");
    static final Instant T2 = Instant.parse("2024-05-02T08:00:00Z");

    static MigrationUser user(String email, MigrationUserStatus status, MigrationUserStatistics stats, String error) {
        return new MigrationUser("wave-1", email, "login-" + email, status, SyncStage.IDLE, stats, error, T2);
    }

    static MigrationUserStatistics stats(long synced, long skipped, Instant lastSync) {
        return new MigrationUserStatistics(200, 4_000_000, synced, skipped, 3_500_000, 12, 3, 7, lastSync);
    }

    static SkippedItem item(String email, String folder, String subject, long size, SkippedItemKind kind, String reason) {
        return new SkippedItem(email, folder, 42, subject, T1, size, kind, reason, T2);
    }

    static byte[] write(Consumer<ByteArrayOutputStream> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.accept(out);
        return out.toByteArray();
    }

    /** Checks the byte order mark and CRLF line ends, then parses the report. */
    static List<List<String>> parse(byte[] bytes) {
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n");
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, CSVFormat.RFC4180)) {
            for (CSVRecord record : parser) {
                int start = (int) record.getCharacterPosition();
                if (start > 0) {
                    assertThat(text.substring(start - 2, start)).as("line end before record %d", rows.size())
                            .isEqualTo("\r\n");
                }
                rows.add(record.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static List<List<String>> parse(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    @Test
    void statisticsHaveOneRowPerUserWithExchangeStatusSpelling() {
        List<MigrationUser> users = List.of(
                user("terry@contoso.edu", MigrationUserStatus.INCREMENTAL_SYNCED, stats(190, 10, T1), null),
                user("ann@contoso.edu", MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null));

        List<List<String>> rows = parse(write(out -> MigrationReports.writeStatistics(users, out)));

        assertThat(rows.get(0)).isEqualTo(MigrationReports.STATISTICS_COLUMNS);
        assertThat(rows.get(0)).startsWith("EmailAddress", "Status", "ItemsSynced", "ItemsSkipped", "BytesTransferred",
                "TotalItemsInSourceMailbox", "LastSuccessfulSyncTime");
        assertThat(rows.get(1)).containsExactly("terry@contoso.edu", "IncrementalSynced", "190", "10", "3500000", "200",
                "2024-05-01T10:15:30Z", "4000000", "100", "12", "3", "7", "2024-05-02T08:00:00Z", "wave-1", "", "", "");
        assertThat(rows.get(2)).containsExactly("ann@contoso.edu", "Queued", "0", "0", "0", "0", "", "0", "0", "0", "0",
                "0", "2024-05-02T08:00:00Z", "wave-1", "", "", "");
        assertThat(rows).hasSize(3);
    }

    @Test
    void errorsListRejectedRowsWithTheirLineAndFailedUsers() {
        List<MigrationUser> users = List.of(
                user("ok@contoso.edu", MigrationUserStatus.SYNCED, stats(1, 0, T1), null),
                user("fail@contoso.edu", MigrationUserStatus.FAILED, stats(0, 0, null),
                        "couldn't sign in to the user account on the IMAP system"),
                user("silent@contoso.edu", MigrationUserStatus.INCREMENTAL_FAILED, stats(0, 0, null), null));
        List<RejectedRow> rejected = List.of(
                new RejectedRow(4, "bad", "EmailAddress 'bad' is not a valid SMTP address: write it as name@domain"),
                new RejectedRow(7, null, "EmailAddress is empty: give the mailbox's SMTP address"));

        List<List<String>> rows = parse(write(out -> MigrationReports.writeErrors(users, rejected, out)));

        assertThat(rows).containsExactly(
                List.of("EmailAddress", "ErrorMessage"),
                List.of("bad", "CSV line 4: EmailAddress 'bad' is not a valid SMTP address: write it as name@domain"),
                List.of("", "CSV line 7: EmailAddress is empty: give the mailbox's SMTP address"),
                List.of("fail@contoso.edu", "couldn't sign in to the user account on the IMAP system"),
                List.of("silent@contoso.edu", "the user's status is IncrementalFailed; no error message was recorded"));
    }

    @Test
    void skippedItemsReport() {
        List<SkippedItem> items = List.of(
                item("terry@contoso.edu", "INBOX/Projects", "Quarterly \"numbers\", final", 52_428_800,
                        SkippedItemKind.LARGE_ITEM, "larger than 35 MB"),
                new SkippedItem("terry@contoso.edu", "Sent", 0, null, null, -1, SkippedItemKind.CORRUPT,
                        "server said NO", T2),
                item("terry@contoso.edu", "Ärger", "Grüße\r\nzweite Zeile", 10, SkippedItemKind.REFUSED_BY_TARGET,
                        "NO [OVERQUOTA]"));

        List<List<String>> rows = parse(write(out -> MigrationReports.writeSkippedItems(items, out)));

        assertThat(rows.get(0)).startsWith("EmailAddress", "Folder", "Date", "Subject", "Size", "Kind", "Reason");
        assertThat(rows.get(1)).containsExactly("terry@contoso.edu", "INBOX/Projects", "2024-05-01T10:15:30Z",
                "Quarterly \"numbers\", final", "52428800", "LargeItem", "larger than 35 MB", "42", "2024-05-02T08:00:00Z");
        assertThat(rows.get(2)).containsExactly("terry@contoso.edu", "Sent", "", "", "", "Corrupt", "server said NO", "0",
                "2024-05-02T08:00:00Z");
        assertThat(rows.get(3)).containsExactly("terry@contoso.edu", "Ärger", "2024-05-01T10:15:30Z",
                "Grüße\r\nzweite Zeile", "10", "RefusedByTarget", "NO [OVERQUOTA]", "42", "2024-05-02T08:00:00Z");
    }

    @Test
    void aFolderLeftOutWholeIsOneRowOfTheUsersSkippedItemsReport(@TempDir Path dir) throws IOException {
        MigrationUser ann = user("ann@contoso.edu", MigrationUserStatus.SYNCED, stats(3, 1, T1), null);
        SkippedItem calendar = new SkippedItem("ann@contoso.edu", "Calendar", 0, null, null, -1,
                SkippedItemKind.NON_MAIL_FOLDER, "calendar folder (FolderClass IPF.Appointment): not mail; "
                + "2 item(s) not migrated", T2);

        List<Path> written = MigrationReports.writeAll(dir, List.of(ann), List.of(),
                email -> email.equals("ann@contoso.edu") ? List.of(calendar) : List.of());

        assertThat(written).contains(dir.resolve("SkippedItems").resolve("ann@contoso.edu.csv"));
        assertThat(parse(dir.resolve("SkippedItems").resolve("ann@contoso.edu.csv"))).containsExactly(
                List.of("EmailAddress", "Folder", "Date", "Subject", "Size", "Kind", "Reason", "SourceUid", "RecordedAt"),
                List.of("ann@contoso.edu", "Calendar", "", "", "", "NonMailFolder",
                        "calendar folder (FolderClass IPF.Appointment): not mail; 2 item(s) not migrated", "0",
                        "2024-05-02T08:00:00Z"));
        assertThat(parse(dir.resolve(MigrationReports.ERRORS_FILE))).as("the user did not fail")
                .containsExactly(List.of("EmailAddress", "ErrorMessage"));
    }

    @Test
    void formulaCellsAreEscapedButNegativeNumbersStayNumbers() {
        List<SkippedItem> items = List.of(
                new SkippedItem("=HYPERLINK(\"http://evil\",\"x\")@x.com", "+folder", -7, "@SUM(A1:A9)", T1, 5,
                        SkippedItemKind.CORRUPT, "-2+3+cmd|' /C calc'!A0", T2),
                new SkippedItem("a@b.c", "\tTabbed", 1, "\rCarriage", T1, 5, SkippedItemKind.CORRUPT,
                        "-5", T2),
                new SkippedItem("a@b.c", "safe = fine", 1, "'already quoted", T1, 5, SkippedItemKind.CORRUPT,
                        "5-3", T2));
        MigrationUser negative = user("-1@x.com", MigrationUserStatus.SYNCED,
                new MigrationUserStatistics(-1, -2, -3, -4, -5, -6, -7, -8, null), "=1+1");

        List<List<String>> skipped = parse(write(out -> MigrationReports.writeSkippedItems(items, out)));
        List<List<String>> stats = parse(write(out -> MigrationReports.writeStatistics(List.of(negative), out)));
        List<List<String>> errors = parse(write(out -> MigrationReports.writeErrors(List.of(negative),
                List.of(new RejectedRow(3, "@evil", "x")), out)));

        assertThat(skipped.get(1)).containsExactly("'=HYPERLINK(\"http://evil\",\"x\")@x.com", "'+folder",
                "2024-05-01T10:15:30Z", "'@SUM(A1:A9)", "5", "Corrupt", "'-2+3+cmd|' /C calc'!A0", "-7",
                "2024-05-02T08:00:00Z");
        assertThat(skipped.get(2)).containsSubsequence("'\tTabbed", "'\rCarriage").contains("'-5");
        assertThat(skipped.get(3)).contains("safe = fine", "'already quoted", "5-3");
        assertThat(stats.get(1)).containsExactly("'-1@x.com", "Synced", "-3", "-4", "-5", "-1", "", "-2", "0", "-6",
                "-7", "-8", "2024-05-02T08:00:00Z", "wave-1", "", "", "");
        assertThat(errors).contains(List.of("'@evil", "CSV line 3: x"), List.of("'-1@x.com", "'=1+1"));
    }

    @Test
    void writeAllWritesEveryReportIntoTheDirectory(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("reports").resolve("wave-1");
        List<MigrationUser> users = List.of(
                user("Terry@Contoso.edu", MigrationUserStatus.COMPLETED_WITH_WARNINGS, stats(190, 2, T1), null),
                user("ann@contoso.edu", MigrationUserStatus.COMPLETED, stats(200, 0, T1), null),
                user("../../etc/passwd", MigrationUserStatus.FAILED, stats(0, 1, null), "couldn't connect"),
                user("terry@contoso.edu", MigrationUserStatus.COMPLETED, stats(1, 1, T1), null));
        Map<String, List<SkippedItem>> skipped = Map.of(
                "Terry@Contoso.edu", List.of(item("Terry@Contoso.edu", "INBOX", "big", 99, SkippedItemKind.LARGE_ITEM,
                        "too large"), item("Terry@Contoso.edu", "INBOX", "bad", 9, SkippedItemKind.CORRUPT, "corrupt")),
                "../../etc/passwd", List.of(item("../../etc/passwd", "INBOX", "x", 1, SkippedItemKind.CORRUPT, "x")),
                "terry@contoso.edu", List.of(item("terry@contoso.edu", "INBOX", "y", 1, SkippedItemKind.CORRUPT, "y")));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MigrationReports.STATISTICS_FILE), "stale");

        List<Path> written = MigrationReports.writeAll(dir, users, List.of(new RejectedRow(9, "x@y", "dup")),
                skipped::get);

        Path skippedDir = dir.resolve("SkippedItems");
        assertThat(written).containsExactly(dir.resolve("MigrationStatistics.csv"), dir.resolve("MigrationErrors.csv"),
                skippedDir.resolve("terry@contoso.edu.csv"), skippedDir.resolve("_.._.._etc_passwd.csv"),
                skippedDir.resolve("terry@contoso.edu-2.csv"));
        assertThat(written).allSatisfy(p -> assertThat(p).exists().startsWith(dir));
        try (var files = Files.list(skippedDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("terry@contoso.edu.csv", "_.._.._etc_passwd.csv", "terry@contoso.edu-2.csv");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(parse(written.get(0))).hasSize(5);
        assertThat(parse(written.get(1))).containsExactly(List.of("EmailAddress", "ErrorMessage"),
                List.of("x@y", "CSV line 9: dup"), List.of("../../etc/passwd", "couldn't connect"));
        assertThat(parse(written.get(2))).hasSize(3).allSatisfy(r -> assertThat(r.get(0)).isIn("EmailAddress",
                "Terry@Contoso.edu"));
    }

    @Test
    void writeAllWithoutUsersStillWritesBothBatchReports(@TempDir Path dir) throws IOException {
        List<Path> written = MigrationReports.writeAll(dir, List.of(), List.of(), email -> null);

        assertThat(written).hasSize(2);
        assertThat(parse(written.get(1))).containsExactly(List.of("EmailAddress", "ErrorMessage"));
    }

    @Test
    void fileNamesAreSafe() {
        assertThat(MigrationReports.skippedItemsFileName("Terry.Adams@Contoso.EDU")).isEqualTo("terry.adams@contoso.edu.csv");
        assertThat(MigrationReports.skippedItemsFileName("..")).isEqualTo("_...csv");
        assertThat(MigrationReports.skippedItemsFileName("")).isEqualTo("_.csv");
        assertThat(MigrationReports.skippedItemsFileName("a/b\\c:d*e?f\"g<h>i|j")).isEqualTo("a_b_c_d_e_f_g_h_i_j.csv");
        assertThat(MigrationReports.skippedItemsFileName("x".repeat(500))).hasSize(204);
        assertThat(MigrationReports.skippedItemsFileName("jürgen@exämple.de")).isEqualTo("j_rgen@ex_mple.de.csv");
    }
}
