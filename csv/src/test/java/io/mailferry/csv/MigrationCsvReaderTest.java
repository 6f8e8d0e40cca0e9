package io.mailferry.csv;

import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationUserEntry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MigrationCsvReaderTest {

    private static final MigrationCsvReader IMAP = MigrationCsvReader.of(CsvSchema.IMAP);

    static MigrationCsv read(MigrationCsvReader reader, String text) {
        return reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static CsvValidationException rejected(MigrationCsvReader reader, String text) {
        CsvValidationException e = catchThrowableOfType(CsvValidationException.class, () -> read(reader, text));
        assertThat(e).as("the file should be rejected").isNotNull();
        return e;
    }

    @Nested
    class Mapping {

        @Test
        void imapRowsBecomeEntries() {
            MigrationCsv csv = read(IMAP, """
                    EmailAddress,UserName,Password
                    terrya@contoso.edu,contoso\\terry.adams,1091990
                    annb@contoso.edu,ann.beebe,p4ss
                    """);

            assertThat(csv.rejectedRows()).isEmpty();
            assertThat(csv.header()).containsExactly("EmailAddress", "UserName", "Password");
            assertThat(csv.entries()).containsExactly(
                    MigrationUserEntry.of("terrya@contoso.edu", "contoso\\terry.adams", "1091990"),
                    MigrationUserEntry.of("annb@contoso.edu", "ann.beebe", "p4ss"));
            assertThat(csv.rows()).extracting(MigrationCsvRow::line).containsExactly(2L, 3L);
        }

        @Test
        void optionalImapColumnsMapToTargetCredentialsAndUserRoot() {
            MigrationCsv csv = read(IMAP, """
                    emailaddress,USERNAME,Password,UserRoot,TargetUserName,TargetPassword
                    terry@contoso.edu,mailadmin,adminpw,/users/terry.adams,terry@new.example,newpw
                    ann@contoso.edu,ann,annpw,,,
                    """);

            assertThat(csv.header()).containsExactly("EmailAddress", "UserName", "Password", "UserRoot",
                    "TargetUserName", "TargetPassword");
            assertThat(csv.entries()).containsExactly(
                    new MigrationUserEntry("terry@contoso.edu", "mailadmin", "adminpw", "terry@new.example", "newpw",
                            "/users/terry.adams"),
                    new MigrationUserEntry("ann@contoso.edu", "ann", "annpw", null, null, null));
            assertThat(csv.rows()).allSatisfy(r -> assertThat(r.extraCells()).isEmpty());
        }

        @Test
        void extraCellsHoldNonEmptyCellsOfOtherColumnsSoEmptyCellsInheritTheBatchSetting() {
            MigrationCsv csv = read(MigrationCsvReader.of(CsvSchema.REMOTE), """
                    EmailAddress,BadItemLimit,LargeItemLimit,MailboxType
                    a@contoso.com,10,unlimited,PrimaryOnly
                    b@contoso.com,,,
                    """);

            MigrationCsvRow a = csv.rows().get(0);
            MigrationCsvRow b = csv.rows().get(1);
            assertThat(a.extraCells()).containsExactly(Map.entry("BadItemLimit", "10"),
                    Map.entry("LargeItemLimit", "unlimited"), Map.entry("MailboxType", "PrimaryOnly"));
            assertThat(a.badItemLimit()).contains(ItemLimit.of(10));
            assertThat(a.largeItemLimit()).contains(ItemLimit.UNLIMITED);
            assertThat(a.extraCell("mailboxtype")).contains("PrimaryOnly");
            assertThat(b.extraCells()).isEmpty();
            assertThat(b.badItemLimit()).isEmpty();
            assertThat(b.entry()).isEqualTo(new MigrationUserEntry("b@contoso.com", "b@contoso.com", null, null, null,
                    null));
        }

        @Test
        void stagedPasswordIsAnExtraCellNotASourceCredential() {
            MigrationCsv csv = read(MigrationCsvReader.of(CsvSchema.STAGED), """
                    EmailAddress,Password,ForceChangePassword
                    a@contoso.com,Welcome-2024!,True
                    b@contoso.com,tiny7,False
                    c@contoso.com,,maybe
                    """);

            assertThat(csv.rows()).hasSize(1);
            MigrationCsvRow a = csv.rows().get(0);
            assertThat(a.entry().sourceCredentials()).isEmpty();
            assertThat(a.extraCells()).containsEntry("Password", "Welcome-2024!").containsEntry("ForceChangePassword", "True");
            assertThat(a.toString()).doesNotContain("Welcome-2024!");
            assertThat(csv.rejectedRows()).extracting(RejectedRow::line).containsExactly(3L, 4L);
            assertThat(csv.rejectedRows().get(0).reason()).contains("shorter than 8 characters").doesNotContain("tiny7");
            assertThat(csv.rejectedRows().get(1).reason()).contains("ForceChangePassword 'maybe'", "True, False");
        }

        @Test
        void offboardingRequiresTargetDatabaseColumnButAnEmptyCellInheritsTheBatchSetting() {
            MigrationCsvReader reader = MigrationCsvReader.of(CsvSchema.OFFBOARDING);
            MigrationCsv csv = read(reader, """
                    EmailAddress,TargetDatabase,TargetArchiveDatabase,BadItemLimit,LargeItemLimit,MailboxType
                    a@contoso.com,DB01,ARCH01,5,0,PrimaryAndArchive
                    b@contoso.com,,,,,
                    c@contoso.com,DB02,,lots,,Everything
                    """);

            assertThat(csv.rows().get(0).extraCells()).containsEntry("TargetDatabase", "DB01")
                    .containsEntry("TargetArchiveDatabase", "ARCH01");
            assertThat(csv.rows().get(1).extraCell("TargetDatabase")).isEmpty();
            assertThat(csv.rejectedRows()).singleElement().satisfies(r -> {
                assertThat(r.line()).isEqualTo(4);
                assertThat(r.reason()).contains("BadItemLimit 'lots' is not an item limit", "Unlimited",
                        "MailboxType 'Everything'", "PrimaryOnly, ArchiveOnly, PrimaryAndArchive");
            });
            assertThat(rejected(reader, "EmailAddress,BadItemLimit\na@b.com,1\n").problem())
                    .isEqualTo(CsvProblem.MISSING_COLUMN);
        }

        @Test
        void googleUsernameBecomesTheSourceLoginWhenGiven() {
            MigrationCsv csv = read(MigrationCsvReader.of(CsvSchema.GOOGLE_WORKSPACE), """
                    EmailAddress,Username
                    terry@contoso.com,terry.adams@gmail.com
                    ann@contoso.com,
                    bob@contoso.com,not an address
                    """);

            assertThat(csv.entries()).extracting(MigrationUserEntry::sourceUserName)
                    .containsExactly("terry.adams@gmail.com", "ann@contoso.com");
            assertThat(csv.entries()).allSatisfy(e -> assertThat(e.sourcePassword()).isNull());
            assertThat(csv.rejectedRows()).singleElement().satisfies(r -> assertThat(r.reason())
                    .contains("Username 'not an address' is not a valid SMTP address"));
        }

        @Test
        void unknownColumnsWhenAllowedAreExtraCells() {
            MigrationCsv csv = read(IMAP.withAllowUnknownColumns(true), """
                    EmailAddress,UserName,Password,Department,BadItemLimit
                    a@contoso.com,a,pw,Sales,3
                    """);

            assertThat(csv.header()).containsExactly("EmailAddress", "UserName", "Password", "Department",
                    "BadItemLimit");
            assertThat(csv.rows().get(0).extraCells()).containsExactly(Map.entry("Department", "Sales"),
                    Map.entry("BadItemLimit", "3"));
            assertThat(csv.rows().get(0).badItemLimit()).contains(ItemLimit.of(3));
        }

        @Test
        void aHostSchemaExtendsABuiltInOne() {
            CsvSchema schema = CsvSchema.IMAP
                    .withOptionalColumns(CsvSchema.BAD_ITEM_LIMIT, "CostCenter")
                    .withValidator(CsvSchema.BAD_ITEM_LIMIT, CellValidator.itemLimit())
                    .withValidator("costcenter", CellValidator.oneOf("A", "B"))
                    .withMaxRows(2);
            MigrationCsv csv = read(MigrationCsvReader.of(schema), """
                    EmailAddress,UserName,Password,BadItemLimit,CostCenter
                    a@contoso.com,a,pw,7,A
                    b@contoso.com,b,pw,x,C
                    """);

            assertThat(csv.rows()).singleElement().satisfies(r -> assertThat(r.badItemLimit()).contains(ItemLimit.of(7)));
            assertThat(csv.rejectedRows().get(0).reason()).contains("BadItemLimit 'x'", "CostCenter 'C'");
            assertThat(rejected(MigrationCsvReader.of(schema), """
                    EmailAddress,UserName,Password
                    a@contoso.com,a,pw
                    b@contoso.com,b,pw
                    c@contoso.com,c,pw
                    """).problem()).isEqualTo(CsvProblem.TOO_MANY_ROWS);
        }
    }

    @Nested
    class FileChecks {

        @ParameterizedTest
        @ValueSource(strings = {"", "\n", "\r\n\r\n", "  \n\t\n", ",,\n,,\n"})
        void emptyFileIsRejected(String text) {
            CsvValidationException e = rejected(IMAP, text);

            assertThat(e.problem()).isEqualTo(CsvProblem.EMPTY_FILE);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.getMessage()).contains("line 1", "empty", "first line must be the header");
        }

        @Test
        void onlyAByteOrderMarkIsEmpty() {
            CsvValidationException e = catchThrowableOfType(CsvValidationException.class,
                    () -> IMAP.read(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})));
            assertThat(e.problem()).isEqualTo(CsvProblem.EMPTY_FILE);
        }

        @Test
        void headerWithoutUserRowsIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password\r\n\r\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.NO_USER_ROWS);
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.getMessage()).contains("line 2", "add one row per user");
        }

        @Test
        void semicolonSeparatedFileIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress;UserName;Password\na@b.com;a;pw\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.NOT_COMMA_SEPARATED);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.getMessage()).contains("line 1", "separated by semicolons", "must be separated by commas",
                    "CSV UTF-8 (Comma delimited)");
        }

        @Test
        void tabSeparatedFileIsRejected() {
            CsvValidationException e = rejected(IMAP, "\n\nEmailAddress\tUserName\tPassword\na@b.com\ta\tpw\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.NOT_COMMA_SEPARATED);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).contains("line 3", "separated by tabs", "replace the separators with commas");
        }

        @Test
        void semicolonsInsideACommaHeaderAreNamed() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName;Password\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.UNKNOWN_COLUMN);
            assertThat(e.column()).isEqualTo("UserName;Password");
            assertThat(e.getMessage()).contains("line 1", "not semicolons");
        }

        @Test
        void missingRequiredColumnIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName\na@b.com,a\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.MISSING_COLUMN);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo("Password");
            assertThat(e.getMessage()).contains("line 1", "lacks the required column Password", "add it",
                    "EmailAddress, UserName, Password");
        }

        @Test
        void fileWithoutHeaderIsRejectedWithoutQuotingItsFirstRow() {
            CsvValidationException e = rejected(IMAP.withAllowUnknownColumns(true),
                    "terry@contoso.edu,terry,secret pw\nann@contoso.edu,ann,pw2\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.MISSING_COLUMN);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.getMessage()).contains("line 1", "looks like a user row, not a header",
                    "add the header line EmailAddress,UserName,Password").doesNotContain("terry", "secret");
        }

        @Test
        void headerNameWithSpacesIsRejectedWithTheCorrectSpelling() {
            CsvValidationException e = rejected(IMAP, "Email Address,UserName,Password\na@b.com,a,pw\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.INVALID_COLUMN_NAME);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo("Email Address");
            assertThat(e.getMessage()).contains("line 1", "column 'Email Address'", "contains spaces",
                    "write EmailAddress");
        }

        @Test
        void headerNameWithSurroundingSpaceOrInvisibleCharacterIsRejected() {
            assertThat(rejected(IMAP, "EmailAddress, UserName,Password\n").getMessage())
                    .contains("line 1", "write UserName");
            assertThat(rejected(IMAP, "EmailAddress,UserName\u200B,Password\n").problem())
                    .isEqualTo(CsvProblem.INVALID_COLUMN_NAME);
        }

        @Test
        void emptyHeaderNameIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password,\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.INVALID_COLUMN_NAME);
            assertThat(e.getMessage()).contains("line 1", "column 4", "has no name", "remove the empty column");
        }

        @Test
        void duplicateColumnIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password,username\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.DUPLICATE_COLUMN);
            assertThat(e.column()).isEqualTo("UserName");
            assertThat(e.getMessage()).contains("line 1", "columns 2 and 4", "remove one of them");
        }

        @Test
        void unknownColumnIsRejectedUnlessAllowed() {
            String text = "EmailAddress,UserName,Password,Department\na@b.com,a,pw,Sales\n";
            CsvValidationException e = rejected(IMAP, text);

            assertThat(e.problem()).isEqualTo(CsvProblem.UNKNOWN_COLUMN);
            assertThat(e.column()).isEqualTo("Department");
            assertThat(e.getMessage()).contains("line 1", "column 4 is not a column of the IMAP migration CSV",
                    "AllowUnknownColumnsInCsv", "withAllowUnknownColumns(true)");
            assertThat(read(IMAP.withAllowUnknownColumns(true), text).rows()).hasSize(1);
        }

        @Test
        void rowWithTooManyValuesIsRejected() {
            CsvValidationException e = rejected(IMAP, """
                    EmailAddress,UserName,Password
                    a@b.com,a,pw
                    c@b.com,c,p,w
                    """);

            assertThat(e.problem()).isEqualTo(CsvProblem.COLUMN_COUNT_MISMATCH);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).contains("line 3", "has 4 values but the header has 3 columns",
                    "enclose a value that contains a comma in double quotes");
        }

        @Test
        void rowWithTooFewValuesIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password\r\na@b.com,a\r\n");

            assertThat(e.line()).isEqualTo(2);
            assertThat(e.getMessage()).contains("line 2", "has 2 values", "keep the comma of an empty value");
        }

        @Test
        void trailingCommaIsNamed() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password\na@b.com,a,pw,\n");

            assertThat(e.getMessage()).contains("line 2", "remove the extra comma at the end of the line");
        }

        @Test
        void lineNumbersCountPhysicalLinesIncludingQuotedLineBreaksAndBlankLines() {
            CsvValidationException e = rejected(IMAP,
                    "EmailAddress,UserName,Password\n\na@b.com,\"multi\nline\",pw\r\n\rc@b.com,c\n");

            assertThat(e.line()).isEqualTo(6);
        }

        @Test
        void tooManyRowsIsRejectedAtTheFirstRowOverTheLimit() {
            StringBuilder text = new StringBuilder("EmailAddress\n");
            for (int i = 0; i < CsvSchema.STAGED_MAX_ROWS + 1; i++) {
                text.append("user").append(i).append("@contoso.com\n");
            }
            CsvValidationException e = rejected(MigrationCsvReader.of(CsvSchema.STAGED), text.toString());

            assertThat(e.problem()).isEqualTo(CsvProblem.TOO_MANY_ROWS);
            assertThat(e.line()).isEqualTo(2002);
            assertThat(e.getMessage()).contains("line 2002", "more than 2,000 user rows",
                    "split the users into several files");
            assertThat(read(MigrationCsvReader.of(CsvSchema.STAGED), text.substring(0, text.lastIndexOf("user")))
                    .rows()).hasSize(2000);
        }

        @Test
        void imapAllowsFiftyThousandRows() {
            StringBuilder text = new StringBuilder("EmailAddress,UserName,Password\n");
            for (int i = 0; i < CsvSchema.IMAP_MAX_ROWS; i++) {
                text.append('u').append(i).append("@c.com,u").append(i).append(",p\n");
            }
            assertThat(read(IMAP, text.toString()).rows()).hasSize(50_000);
            text.append("x@c.com,x,p\n");
            assertThat(rejected(IMAP, text.toString()).getMessage()).contains("line 50002", "more than 50,000");
        }

        @Test
        void fileOverTheSizeLimitIsRejected(@TempDir Path dir) throws IOException {
            String text = "EmailAddress,UserName,Password\na@b.com,a,pw\n";
            MigrationCsvReader small = IMAP.withMaxFileSize(20);
            Path file = dir.resolve("users.csv");
            Files.writeString(file, text);

            for (CsvValidationException e : new CsvValidationException[] {
                    rejected(small, text),
                    catchThrowableOfType(CsvValidationException.class, () -> small.read(file)),
                    catchThrowableOfType(CsvValidationException.class, () -> small.read(new StringReader(text)))}) {
                assertThat(e.problem()).isEqualTo(CsvProblem.FILE_TOO_LARGE);
                assertThat(e.line()).isZero();
                assertThat(e.getMessage()).contains("above the limit of 20", "split the users into several smaller files");
            }
            assertThat(IMAP.maxFileSize()).isEqualTo(10L * 1024 * 1024);
            assertThat(IMAP.withMaxFileSize(text.length()).read(file).rows()).hasSize(1);
        }

        @Test
        void defaultLimitIsTenMegabytes() {
            StringBuilder text = new StringBuilder("EmailAddress,UserName,Password\n");
            String row = "user@contoso.com,u," + "p".repeat(1000) + "\n";
            while (text.length() <= MigrationCsvReader.DEFAULT_MAX_FILE_SIZE) {
                text.append(row);
            }
            assertThat(rejected(IMAP, text.toString()).getMessage()).contains("10,485,760 bytes");
        }

        @Test
        void unclosedQuoteIsRejectedAtTheLineWhereItsRowStarts() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password\na@b.com,a,pw\nc@b.com,\"c,pw\nd@b.com,d,pw\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.MALFORMED_QUOTING);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).contains("line 3", "never closed", "end the quoted value with a double quote");
        }

        @Test
        void textAfterClosingQuoteIsRejected() {
            CsvValidationException e = rejected(IMAP, "EmailAddress,UserName,Password\na@b.com,\"a\"x,pw\n");

            assertThat(e.problem()).isEqualTo(CsvProblem.MALFORMED_QUOTING);
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.getMessage()).contains("line 2", "followed by a comma or the end of the line");
        }

        @Test
        void otherExtensionsAreRejectedAndTxtIsAccepted(@TempDir Path dir) throws IOException {
            String text = "EmailAddress,UserName,Password\na@b.com,a,pw\n";
            Path xlsx = Files.writeString(dir.resolve("users.xlsx"), text);
            Path txt = Files.writeString(dir.resolve("USERS.TXT"), text);

            CsvValidationException e = catchThrowableOfType(CsvValidationException.class, () -> IMAP.read(xlsx));
            assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_FILE_TYPE);
            assertThat(e.getMessage()).contains("users.xlsx", "not a .csv or .txt file", "CSV UTF-8");
            assertThat(IMAP.read(txt).rows()).hasSize(1);
        }

        @Test
        void workbookBytesAreRejected() {
            byte[] zip = {'P', 'K', 3, 4, 20, 0, 6, 0};
            CsvValidationException e = catchThrowableOfType(CsvValidationException.class,
                    () -> IMAP.read(new ByteArrayInputStream(zip)));
            assertThat(e.problem()).isEqualTo(CsvProblem.UNSUPPORTED_FILE_TYPE);
            assertThat(e.getMessage()).contains("Excel workbook", "CSV UTF-8");
        }

        @Test
        void missingFileIsAnIoError(@TempDir Path dir) {
            assertThatThrownBy(() -> IMAP.read(dir.resolve("missing.csv")))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("missing.csv");
        }
    }

    @Nested
    class RowChecks {

        @Test
        void badRowsAreRejectedAndTheOthersKept() {
            MigrationCsv csv = read(IMAP, """
                    EmailAddress,UserName,Password
                    good@contoso.com,good,pw1
                    not-an-address,x,pw2
                    ,y,pw3
                    empty.user@contoso.com,,pw4
                    spaces@contoso.com, terry ,pw5
                    nopass@contoso.com,nopass,
                    GOOD@Contoso.com,dup,pw6
                    last@contoso.com,last,pw7
                    """);

            assertThat(csv.entries()).extracting(MigrationUserEntry::emailAddress)
                    .containsExactly("good@contoso.com", "last@contoso.com");
            assertThat(csv.rejectedRows()).extracting(RejectedRow::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(csv.rejectedRows()).extracting(RejectedRow::emailAddress).containsExactly("not-an-address", null,
                    "empty.user@contoso.com", "spaces@contoso.com", "nopass@contoso.com", "GOOD@Contoso.com");
            assertThat(csv.rejectedRows()).extracting(RejectedRow::message).satisfiesExactly(
                    m -> assertThat(m).contains("line 3", "EmailAddress 'not-an-address' is not a valid SMTP address",
                            "no @", "write it as name@domain"),
                    m -> assertThat(m).contains("line 4", "EmailAddress is empty", "give the mailbox's SMTP address"),
                    m -> assertThat(m).contains("line 5", "UserName is empty", "give the user's IMAP login"),
                    m -> assertThat(m).contains("line 6", "UserName 'terry' has leading or trailing spaces", "remove them"),
                    m -> assertThat(m).contains("line 7", "Password is empty", "give the user's IMAP password"),
                    m -> assertThat(m).contains("line 8", "already appears on line 2", "ignoring case",
                            "remove this row or correct its address"));
        }

        @Test
        void allProblemsOfARowAreReported() {
            MigrationCsv csv = read(IMAP, "EmailAddress,UserName,Password\nbad,,\n");

            assertThat(csv.rows()).isEmpty();
            assertThat(csv.rejectedRows().get(0).reason()).contains("EmailAddress 'bad'", "UserName is empty",
                    "Password is empty");
        }

        @Test
        void targetCredentialsGoTogether() {
            MigrationCsv csv = read(IMAP, """
                    EmailAddress,UserName,Password,TargetUserName,TargetPassword
                    a@contoso.com,a,pw,a@new.example,
                    b@contoso.com,b,pw,,newpw
                    """);

            assertThat(csv.rows()).isEmpty();
            assertThat(csv.rejectedRows()).allSatisfy(r -> assertThat(r.reason())
                    .contains("TargetUserName and TargetPassword go together", "fill both"));
        }

        @Test
        void blankRowsAnywhereAreIgnored() {
            MigrationCsv csv = read(IMAP, "\n\nEmailAddress,UserName,Password\n\na@b.com,a,pw\n,,\n   \n\nb@b.com,b,pw\n\n\n\n");

            assertThat(csv.rows()).extracting(MigrationCsvRow::line).containsExactly(5L, 9L);
            assertThat(csv.rejectedRows()).isEmpty();
        }

        @Test
        void valuesAreKeptExactlyIncludingSpacesInPasswords() {
            MigrationCsv csv = read(IMAP, "EmailAddress,UserName,Password\na@b.com,a,\" pass word \"\n");

            assertThat(csv.entries().get(0).sourcePassword()).isEqualTo(" pass word ");
        }
    }

    @Nested
    class Quoting {

        @Test
        void quotedFieldsMayContainCommasQuotesAndLineBreaks() {
            MigrationCsv csv = read(IMAP, "\"EmailAddress\",\"UserName\",\"Password\"\r\n"
                    + "\"a@b.com\",\"domain\\user, jr.\",\"p\"\"w,\r\nx\"\r\n"
                    + "c@b.com,c,un\"quoted\r\n");

            assertThat(csv.entries()).extracting(MigrationUserEntry::sourceUserName)
                    .containsExactly("domain\\user, jr.", "c");
            assertThat(csv.entries()).extracting(MigrationUserEntry::sourcePassword)
                    .containsExactly("p\"w,\r\nx", "un\"quoted");
            assertThat(csv.rows()).extracting(MigrationCsvRow::line).containsExactly(2L, 4L);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\n", "\r\n", "\r"})
        void anyLineEndWorks(String eol) {
            String text = String.join(eol, "EmailAddress,UserName,Password", "a@b.com,a,pw", "b@b.com,b,pw", "");
            MigrationCsv csv = read(IMAP, text);

            assertThat(csv.rows()).extracting(MigrationCsvRow::line).containsExactly(2L, 3L);
        }

        @Test
        void lastLineWithoutLineEndIsRead() {
            assertThat(read(IMAP, "EmailAddress,UserName,Password\na@b.com,a,pw").rows()).hasSize(1);
        }
    }

    @Test
    void readerAndInputStreamAndPathGiveTheSameResult(@TempDir Path dir) throws IOException {
        String text = "EmailAddress,UserName,Password\r\nterry@contoso.edu,terry,pässwörd\r\n";
        Path file = Files.writeString(dir.resolve("users.csv"), text);

        MigrationCsv fromPath = IMAP.read(file);
        MigrationCsv fromReader = IMAP.read(new StringReader("\uFEFF" + text));
        MigrationCsv fromStream = read(IMAP, text);

        assertThat(fromPath).usingRecursiveComparison().isEqualTo(fromStream);
        assertThat(fromReader).usingRecursiveComparison().isEqualTo(fromStream);
        assertThat(fromStream.entries().get(0).sourcePassword()).isEqualTo("pässwörd");
    }

    @Test
    void toStringsShowNoCellValuesOfSecrets() {
        MigrationCsv csv = read(IMAP.withAllowUnknownColumns(true),
                "EmailAddress,UserName,Password,Note\na@b.com,a,S3cr3t!,hello\n");

        assertThat(csv.toString()).contains("IMAP", "rows=1").doesNotContain("S3cr3t!");
        assertThat(csv.rows().get(0).toString()).contains("a@b.com", "Note").doesNotContain("S3cr3t!", "hello");
        assertThat(IMAP.toString()).contains("IMAP");
    }
}
