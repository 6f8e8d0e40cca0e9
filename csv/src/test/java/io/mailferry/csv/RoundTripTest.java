package io.mailferry.csv;

import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Users written as a CSV the way spreadsheets and scripts write them come back unchanged. */
class RoundTripTest {

    private static final String TRICKY = ",\"\r\n;\t'=+-@\\/ äöü€漢字😀#%&";

    private static String tricky(Random random, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int length = min + random.nextInt(max - min + 1);
        while (sb.length() < length) {
            int pick = random.nextInt(3);
            if (pick == 0) {
                int i = random.nextInt(TRICKY.length());
                if (Character.isHighSurrogate(TRICKY.charAt(i))) {
                    sb.append(TRICKY, i, i + 2);
                } else if (!Character.isLowSurrogate(TRICKY.charAt(i))) {
                    sb.append(TRICKY.charAt(i));
                }
            } else {
                sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static List<MigrationUserEntry> entries(Random random, int count) {
        List<MigrationUserEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String email = "user" + i + (random.nextBoolean() ? "+tag" : "") + "@contoso" + random.nextInt(5) + ".com";
            String userName = "u" + tricky(random, 0, 12).strip() + "x";
            String password = tricky(random, 1, 30);
            MigrationUserEntry entry = new MigrationUserEntry(email, userName, password, null, null,
                    random.nextBoolean() ? "/users/" + tricky(random, 1, 10).strip() + "z" : null);
            if (random.nextBoolean()) {
                entry = entry.withTargetCredentials("t" + i + "@new.example", tricky(random, 1, 20));
            }
            entries.add(entry);
        }
        return entries;
    }

    private static byte[] writeInput(List<MigrationUserEntry> entries, Charset charset, byte[] bom, String eol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        try (Writer writer = new OutputStreamWriter(out, charset);
             CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setRecordSeparator(eol).get())) {
            printer.printRecord("EmailAddress", "UserName", "Password", "TargetUserName", "TargetPassword", "UserRoot");
            for (MigrationUserEntry e : entries) {
                printer.printRecord(e.emailAddress(), e.sourceUserName(), e.sourcePassword(),
                        e.targetUserName() == null ? "" : e.targetUserName(),
                        e.targetPassword() == null ? "" : e.targetPassword(),
                        e.userRoot() == null ? "" : e.userRoot());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} bom={1} eol={2}")
    @CsvSource({
            "UTF-8, '', CRLF",
            "UTF-8, EFBBBF, LF",
            "UTF-16LE, FFFE, CRLF",
            "UTF-16BE, FEFF, LF"})
    void inputRoundTrip(String charset, String bomHex, String eol) {
        Random random = new Random(charset.hashCode() * 31L + eol.hashCode());
        List<MigrationUserEntry> entries = entries(random, 300);
        byte[] bom = java.util.HexFormat.of().parseHex(bomHex);

        byte[] bytes = writeInput(entries, Charset.forName(charset), bom, eol.equals("CRLF") ? "\r\n" : "\n");
        MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).read(new java.io.ByteArrayInputStream(bytes));

        assertThat(csv.rejectedRows()).isEmpty();
        assertThat(csv.entries()).containsExactlyElementsOf(entries);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void statisticsReportRoundTrip(long seed) {
        Random random = new Random(seed);
        List<MigrationUser> users = new ArrayList<>();
        MigrationUserStatus[] statuses = MigrationUserStatus.values();
        for (int i = 0; i < 200; i++) {
            Instant last = random.nextBoolean() ? null : Instant.ofEpochSecond(random.nextInt(2_000_000_000));
            // A text that starts with a quote and a formula character reads back like an escaped one.
            String batch = "b" + tricky(random, 0, 10);
            String email = "e" + tricky(random, 0, 20) + "@x.com";
            if (random.nextInt(4) == 0) {
                email = "=+-@\t\r".charAt(random.nextInt(6)) + email;
            }
            users.add(new MigrationUser(batch, email, "login",
                    statuses[random.nextInt(statuses.length)], SyncStage.IDLE,
                    new MigrationUserStatistics(random.nextInt(1000), random.nextLong(), random.nextInt(1000),
                            random.nextInt(10), random.nextLong(), random.nextInt(50), random.nextInt(50),
                            random.nextInt(100), last),
                    null, Instant.ofEpochSecond(random.nextInt(2_000_000_000))));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MigrationReports.writeStatistics(users, out);

        List<List<String>> rows = MigrationReportsTest.parse(out.toByteArray());

        assertThat(rows).hasSize(users.size() + 1);
        for (int i = 0; i < users.size(); i++) {
            MigrationUser user = users.get(i);
            List<String> row = rows.get(i + 1);
            assertThat(unescape(row.get(0))).isEqualTo(user.emailAddress());
            assertThat(MigrationUserStatus.parse(row.get(1))).isEqualTo(user.status());
            assertThat(Long.parseLong(row.get(2))).isEqualTo(user.statistics().syncedItemCount());
            assertThat(Long.parseLong(row.get(4))).isEqualTo(user.statistics().bytesTransferred());
            assertThat(Long.parseLong(row.get(7))).isEqualTo(user.statistics().estimatedTotalTransferSize());
            assertThat(row.get(6).isEmpty() ? null : Instant.parse(row.get(6)))
                    .isEqualTo(user.statistics().lastSuccessfulSyncTime());
            assertThat(unescape(row.get(13))).isEqualTo(user.batchName());
        }
    }

    /** Undoes the formula escape: a quote before a formula character. */
    private static String unescape(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@\t\r".indexOf(cell.charAt(1)) >= 0
                ? cell.substring(1) : cell;
    }
}
