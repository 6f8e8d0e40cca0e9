package io.mailferry.csv;

import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** No password from the input appears in a rejected row, an exception, a toString() or a report. */
class SecretsTest {

    private static final List<String> PASSWORDS = List.of("Pw1-alpha!", "Pw2-bravo!", "Pw3-charlie", "Pw4-delta",
            "Pw5-echo", "Pw6-foxtrot", "Pw7-golf", "Pw8-hotel", "Pw9 india with space", "StagedPw10!", "Tiny11");

    private static final String IMAP_CSV = """
            EmailAddress,UserName,Password,TargetUserName,TargetPassword
            good@contoso.com,good,Pw1-alpha!,,
            not-an-address,x,Pw2-bravo!,,
            empty.user@contoso.com,,Pw3-charlie,,
            spaces@contoso.com, spaced ,Pw4-delta,,
            GOOD@contoso.com,dup,Pw5-echo,,
            half@contoso.com,half,Pw6-foxtrot,,Pw7-golf
            target@contoso.com,target,Pw8-hotel,t@new.example,"Pw9 india with space"
            """;

    private static MigrationCsv read(MigrationCsvReader reader, String text) {
        return reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertNoPassword(String text) {
        for (String password : PASSWORDS) {
            assertThat(text).doesNotContain(password);
        }
    }

    @Test
    void rejectedRowsToStringsAndReportsShowNoPassword(@TempDir Path dir) throws IOException {
        MigrationCsv imap = read(MigrationCsvReader.of(CsvSchema.IMAP), IMAP_CSV);
        MigrationCsv staged = read(MigrationCsvReader.of(CsvSchema.STAGED),
                "EmailAddress,Password\nok@contoso.com,StagedPw10!\nshort@contoso.com,Tiny11\n");

        assertThat(imap.rows()).hasSize(2);
        assertThat(imap.rejectedRows()).hasSize(5);
        assertThat(staged.rejectedRows()).hasSize(1);
        List<String> texts = new ArrayList<>();
        for (MigrationCsv csv : List.of(imap, staged)) {
            texts.add(csv.toString());
            csv.rows().forEach(r -> texts.add(r.toString()));
            csv.entries().forEach(e -> texts.add(e.toString()));
            csv.rejectedRows().forEach(r -> texts.add(r.message()));
            csv.rejectedRows().forEach(r -> texts.add(r.toString()));
        }
        texts.forEach(SecretsTest::assertNoPassword);

        List<MigrationUser> users = imap.entries().stream()
                .map(e -> new MigrationUser("wave", e.emailAddress(), e.sourceUserName(), MigrationUserStatus.FAILED,
                        SyncStage.IDLE, MigrationUserStatistics.EMPTY, "couldn't sign in", Instant.EPOCH))
                .toList();
        List<RejectedRow> rejected = new ArrayList<>(imap.rejectedRows());
        rejected.addAll(staged.rejectedRows());
        for (Path file : MigrationReports.writeAll(dir, users, rejected, email -> List.of())) {
            assertNoPassword(Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    static Stream<Arguments> rejectedFiles() {
        MigrationCsvReader imap = MigrationCsvReader.of(CsvSchema.IMAP);
        String header = "EmailAddress,UserName,Password\n";
        return Stream.of(
                Arguments.of("extra value", imap, header + "a@b.com,a,Pw1-alpha!,Pw2-bravo!\n"),
                Arguments.of("missing value", imap, header + "a@b.com,Pw1-alpha!\n"),
                Arguments.of("too many rows", MigrationCsvReader.of(CsvSchema.IMAP.withMaxRows(1)),
                        header + "a@b.com,a,Pw1-alpha!\nb@b.com,b,Pw2-bravo!\n"),
                Arguments.of("unclosed quote", imap, header + "a@b.com,a,\"Pw1-alpha!\nb@b.com,b,Pw2-bravo!\n"),
                Arguments.of("text after quote", imap, header + "a@b.com,a,\"Pw1-alpha!\"Pw2-bravo!\n"),
                Arguments.of("no header", imap, "a@b.com,a,Pw1-alpha!\n"),
                Arguments.of("no header, unknown columns allowed", imap.withAllowUnknownColumns(true),
                        "a@b.com,a,Pw9 india with space\n"),
                Arguments.of("no header, password first", imap.withAllowUnknownColumns(true),
                        "Pw9 india with space,a@b.com\n"),
                Arguments.of("semicolons", imap, "EmailAddress;UserName;Password\na@b.com;a;Pw1-alpha!\n"),
                Arguments.of("NUL in a password", imap, header + "a@b.com,a,Pw1-alpha!\0\n"),
                Arguments.of("too large", imap.withMaxFileSize(40), header + "a@b.com,a,Pw1-alpha!\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedFiles")
    void fileLevelMessagesShowNoPassword(String name, MigrationCsvReader reader, String text) {
        CsvValidationException e = catchThrowableOfType(CsvValidationException.class, () -> read(reader, text));

        assertThat(e).as(name).isNotNull();
        assertNoPassword(e.getMessage());
        assertNoPassword(String.valueOf(e.column()));
    }

    @Test
    void legacyEncodedPasswordIsNotShown() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("EmailAddress,UserName,Password\na@b.com,a,Pw1-alpha!".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xE9);
        bytes.write("\n".getBytes(StandardCharsets.US_ASCII));

        CsvValidationException e = catchThrowableOfType(CsvValidationException.class,
                () -> MigrationCsvReader.of(CsvSchema.IMAP).read(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_ENCODING);
        assertNoPassword(e.getMessage());
    }
}
