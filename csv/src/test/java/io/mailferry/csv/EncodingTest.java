package io.mailferry.csv;

import io.mailferry.core.MigrationUserEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Files as Excel and text editors save them, written as real files. */
class EncodingTest {

    private static final MigrationCsvReader IMAP = MigrationCsvReader.of(CsvSchema.IMAP);
    private static final String TEXT = "EmailAddress,UserName,Password\r\n"
            + "jürgen.müller@exämple.de,jürgen,Pässwörd€\r\n"
            + "李雷@例子.中国,li.lei,密码密码\r\n"
            + "zoë@example.com,zoë,\"𝄞 clef, \"\"quoted\"\"\"\r\n";

    @TempDir
    Path dir;

    static byte[] encode(String text, Charset charset, byte... bom) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bom);
        out.write(text.getBytes(charset));
        return out.toByteArray();
    }

    private MigrationCsv readFile(String name, byte[] bytes) throws IOException {
        return IMAP.read(Files.write(dir.resolve(name), bytes));
    }

    private CsvValidationException rejectFile(String name, byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), bytes);
        CsvValidationException e = catchThrowableOfType(CsvValidationException.class, () -> IMAP.read(file));
        assertThat(e).as("the file should be rejected").isNotNull();
        return e;
    }

    private static void assertUsers(MigrationCsv csv) {
        assertThat(csv.rejectedRows()).isEmpty();
        assertThat(csv.entries()).containsExactly(
                MigrationUserEntry.of("jürgen.müller@exämple.de", "jürgen", "Pässwörd€"),
                MigrationUserEntry.of("李雷@例子.中国", "li.lei", "密码密码"),
                MigrationUserEntry.of("zoë@example.com", "zoë", "𝄞 clef, \"quoted\""));
    }

    @Test
    void utf8WithoutBom() throws IOException {
        assertUsers(readFile("plain.csv", encode(TEXT, StandardCharsets.UTF_8)));
    }

    @Test
    void utf8WithBom() throws IOException {
        MigrationCsv csv = readFile("bom.csv", encode(TEXT, StandardCharsets.UTF_8, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF));
        assertUsers(csv);
        assertThat(csv.header().get(0)).isEqualTo("EmailAddress");
    }

    @Test
    void utf16LittleEndianWithBomCommaSeparated() throws IOException {
        assertUsers(readFile("le.csv", encode(TEXT, StandardCharsets.UTF_16LE, (byte) 0xFF, (byte) 0xFE)));
    }

    @Test
    void utf16BigEndianWithBomCommaSeparated() throws IOException {
        assertUsers(readFile("be.txt", encode(TEXT.replace("\r\n", "\n"), StandardCharsets.UTF_16BE,
                (byte) 0xFE, (byte) 0xFF)));
    }

    @Test
    void excelUnicodeTextIsRejectedWithSaveAsCsvUtf8() throws IOException {
        byte[] unicodeText = encode(TEXT.replace(',', '\t'), StandardCharsets.UTF_16LE, (byte) 0xFF, (byte) 0xFE);

        CsvValidationException e = rejectFile("unicode.txt", unicodeText);

        assertThat(e.problem()).isEqualTo(CsvProblem.NOT_COMMA_SEPARATED);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("line 1", "'Unicode Text'", "UTF-16", "tabs",
                "save as CSV UTF-8", "CSV UTF-8 (Comma delimited)");
    }

    @Test
    void legacyCodePageIsRejectedAtTheLineOfTheFirstBadByte() throws IOException {
        byte[] windows1252 = encode("EmailAddress,UserName,Password\r\na@b.com,a,pw\r\nj@b.com,j,Pässwörd\r\n",
                Charset.forName("windows-1252"));

        CsvValidationException e = rejectFile("ansi.csv", windows1252);

        assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_ENCODING);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("line 3", "not valid UTF-8", "Windows-1252", "CSV UTF-8 (Comma delimited)")
                .doesNotContain("P\u00e4ssw");
    }

    @Test
    void utf16WithoutBomIsRejected() throws IOException {
        CsvValidationException e = rejectFile("nobom.csv", encode(TEXT, StandardCharsets.UTF_16LE));

        assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_ENCODING);
        assertThat(e.getMessage()).contains("line 1", "NUL characters", "UTF-16 without a byte order mark", "UTF-8");
    }

    @Test
    void brokenUtf16IsRejected() throws IOException {
        byte[] bytes = encode("EmailAddress,UserName,Password\n", StandardCharsets.UTF_16LE, (byte) 0xFF, (byte) 0xFE);
        byte[] odd = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, odd, 0, bytes.length);
        odd[bytes.length] = 'x';

        CsvValidationException e = rejectFile("odd.csv", odd);

        assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_ENCODING);
        assertThat(e.getMessage()).contains("line 2", "not valid UTF-16", "save it as UTF-8");
    }

    @Test
    void utf32IsRejected() throws IOException {
        CsvValidationException e = rejectFile("utf32.csv",
                encode(TEXT, Charset.forName("UTF-32LE"), (byte) 0xFF, (byte) 0xFE, (byte) 0, (byte) 0));

        assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_ENCODING);
        assertThat(e.getMessage()).contains("line 1", "UTF-32", "save it as UTF-8");
    }

    @Test
    void secondByteOrderMarkIsAnInvisibleCharacterInTheHeader() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        CsvValidationException e = rejectFile("twice.csv", encode("\uFEFF" + TEXT, StandardCharsets.UTF_8, bom));

        assertThat(e.problem()).isEqualTo(CsvProblem.INVALID_COLUMN_NAME);
        assertThat(e.getMessage()).contains("line 1", "invisible characters", "write EmailAddress");
    }
}
