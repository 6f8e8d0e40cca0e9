package io.mailferry.csv.internal;

import io.mailferry.core.MigrationUserEntry;
import io.mailferry.csv.CellValidator;
import io.mailferry.csv.CsvProblem;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.CsvValidationException;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvRow;
import io.mailferry.csv.RejectedRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses and validates the text of a migration CSV against a schema: the file-level checks throw,
 * the row-level checks produce {@link RejectedRow}s. Stateless; one call per file.
 */
public final class CsvInputParser {

    /** RFC 4180: comma, double quote, any of CR/LF/CRLF; blank lines are records we skip ourselves. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setLenientEof(false)
            .setTrailingData(false)
            .get();

    private static final Pattern COMMONS_LINE = Pattern.compile("at line: (\\d+)");

    private final CsvSchema schema;
    private final boolean allowUnknownColumns;

    private CsvInputParser(CsvSchema schema, boolean allowUnknownColumns) {
        this.schema = schema;
        this.allowUnknownColumns = allowUnknownColumns;
    }

    /**
     * Parses a file's text.
     *
     * @param text                the decoded text, without byte order mark
     * @param utf16               whether it was UTF-16 (for the "Unicode Text" hint)
     * @param schema              the schema
     * @param allowUnknownColumns whether unknown columns are accepted and kept as extra cells
     * @return the accepted and rejected rows
     * @throws CsvValidationException if a file-level check fails
     */
    public static MigrationCsv parse(String text, boolean utf16, CsvSchema schema, boolean allowUnknownColumns) {
        return new CsvInputParser(schema, allowUnknownColumns).parse(text, utf16);
    }

    private MigrationCsv parse(String text, boolean utf16) {
        try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
            Iterator<CSVRecord> records = parser.iterator();
            long consumedLines = 0;
            Header header = null;
            List<MigrationCsvRow> rows = new ArrayList<>();
            List<RejectedRow> rejected = new ArrayList<>();
            Map<String, Long> firstLineOfAddress = new HashMap<>();
            long userRows = 0;
            long headerLine = 0;
            while (true) {
                long line = consumedLines + 1;
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException e) {
                    throw malformedQuoting(line, e.getCause());
                }
                consumedLines = parser.getCurrentLineNumber();
                List<String> cells = record.toList();
                if (isBlank(cells)) {
                    continue;
                }
                if (header == null) {
                    header = header(cells, line, utf16);
                    headerLine = line;
                    continue;
                }
                userRows++;
                if (userRows > schema.maxRows()) {
                    String max = NumberFormat.getIntegerInstance(Locale.ROOT).format(schema.maxRows());
                    throw new CsvValidationException(CsvProblem.TOO_MANY_ROWS, line, null,
                            "the file has more than " + max + " user rows, the limit of the " + schema.name()
                                    + " migration CSV: split the users into several files (batches) of at most "
                                    + max + " rows each");
                }
                checkColumnCount(cells, header, line);
                row(cells, header, line, firstLineOfAddress, rows, rejected);
            }
            if (header == null) {
                throw CsvText.emptyFile();
            }
            if (userRows == 0) {
                throw new CsvValidationException(CsvProblem.NO_USER_ROWS, headerLine + 1, null,
                        "the file has a header but no user rows: add one row per user below the header");
            }
            return new MigrationCsv(schema, header.names, rows, rejected);
        } catch (IOException e) {
            // Parsing a String does no I/O; commons-csv reports malformed input this way.
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(List<String> cells) {
        for (String cell : cells) {
            if (!cell.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private CsvValidationException malformedQuoting(long recordLine, Throwable cause) {
        String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (detail.contains("EOF reached before encapsulated token finished")) {
            return new CsvValidationException(CsvProblem.MALFORMED_QUOTING, recordLine, null,
                    "a double quote opens a quoted value in the row starting on this line, but the value is never "
                            + "closed: end the quoted value with a double quote, and write every double quote inside it "
                            + "twice (\"\")");
        }
        if (detail.contains("Invalid character between encapsulated token and delimiter")) {
            long line = recordLine;
            Matcher m = COMMONS_LINE.matcher(detail);
            if (m.find()) {
                try {
                    line = Math.max(recordLine, Long.parseLong(m.group(1)));
                } catch (NumberFormatException ignored) {
                    line = recordLine;
                }
            }
            return new CsvValidationException(CsvProblem.MALFORMED_QUOTING, line, null,
                    "a quoted value is followed by other characters before the next comma: a value in double quotes "
                            + "must end with the closing quote followed by a comma or the end of the line; write every "
                            + "double quote inside a quoted value twice (\"\")");
        }
        return new CsvValidationException(CsvProblem.MALFORMED_QUOTING, recordLine, null,
                "the quoting is malformed: enclose values that contain commas, double quotes or line breaks in double "
                        + "quotes, and write every double quote inside them twice (\"\")");
    }

    // ---------------------------------------------------------------- header

    /** The header: names in schema spelling, and where the entry's columns are. */
    private static final class Header {
        final List<String> names = new ArrayList<>();
        final List<Boolean> known = new ArrayList<>();
        int email = -1;

        int indexOf(String column) {
            if (column == null) {
                return -1;
            }
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(column)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private Header header(List<String> cells, long line, boolean utf16) {
        if (cells.size() == 1) {
            checkSeparator(cells.get(0), line, utf16);
        }
        checkLooksLikeHeader(cells, line);
        Header header = new Header();
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String raw = cells.get(i);
            int position = i + 1;
            if (raw.isEmpty()) {
                throw new CsvValidationException(CsvProblem.INVALID_COLUMN_NAME, line, null,
                        "column " + position + " of the header has no name: remove the empty column (a comma at the "
                                + "end of the header line makes one) or give it a name");
            }
            if (hasSpaceOrInvisible(raw)) {
                String stripped = withoutSpaces(raw);
                Optional<String> meant = schema.column(stripped);
                String fix = meant.map(c -> "write " + c)
                        .orElse("remove them; the columns of the " + schema.name() + " migration CSV are "
                                + String.join(", ", schema.allColumns()));
                String separatorHint = raw.indexOf('\t') >= 0
                        ? " (values must be separated by commas, not tabs)" : "";
                throw new CsvValidationException(CsvProblem.INVALID_COLUMN_NAME, line, shown(raw),
                        "the column name (column " + position + ") contains spaces or invisible characters"
                                + separatorHint + "; column names must be written exactly, without spaces: " + fix);
            }
            Optional<String> canonical = schema.column(raw);
            String name = canonical.orElse(raw);
            Integer previous = positions.putIfAbsent(name.toLowerCase(Locale.ROOT), position);
            if (previous != null) {
                throw new CsvValidationException(CsvProblem.DUPLICATE_COLUMN, line, shown(name),
                        "the column appears twice in the header (columns " + previous + " and " + position
                                + "): remove one of them");
            }
            if (canonical.isEmpty() && !allowUnknownColumns) {
                String separatorHint = raw.indexOf(';') >= 0 || raw.indexOf('|') >= 0
                        ? " (values must be separated by commas, not semicolons or pipes)" : "";
                throw new CsvValidationException(CsvProblem.UNKNOWN_COLUMN, line, shown(raw),
                        "column " + position + " is not a column of the " + schema.name() + " migration CSV"
                                + separatorHint + ", whose columns are " + String.join(", ", schema.allColumns())
                                + ": fix its spelling, remove it, or allow unknown columns (Exchange's "
                                + "AllowUnknownColumnsInCsv, MigrationCsvReader.withAllowUnknownColumns(true))");
            }
            header.names.add(name);
            header.known.add(canonical.isPresent());
        }
        List<String> missing = new ArrayList<>();
        for (String required : schema.requiredColumns()) {
            if (header.indexOf(required) < 0) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new CsvValidationException(CsvProblem.MISSING_COLUMN, line, missing.get(0),
                    "the header lacks the required column" + (missing.size() > 1 ? "s " : " ")
                            + String.join(", ", missing) + ": add " + (missing.size() > 1 ? "them" : "it")
                            + " to the first line; the " + schema.name() + " migration CSV needs "
                            + String.join(", ", schema.requiredColumns()) + " (names are matched ignoring case)");
        }
        header.email = header.indexOf(CsvSchema.EMAIL_ADDRESS);
        return header;
    }

    /**
     * A file without header would otherwise have its first user row checked as header names, and
     * the messages would quote its cells, one of which is a password.
     */
    private void checkLooksLikeHeader(List<String> cells, long line) {
        boolean anyKnown = cells.stream().anyMatch(c -> schema.column(c).isPresent());
        boolean anyAddress = cells.stream().anyMatch(c -> c.indexOf('@') >= 0);
        if (!anyKnown && anyAddress) {
            throw new CsvValidationException(CsvProblem.MISSING_COLUMN, line, CsvSchema.EMAIL_ADDRESS,
                    "the first line looks like a user row, not a header: add the header line "
                            + String.join(",", schema.requiredColumns()) + " above the users");
        }
    }

    private void checkSeparator(String only, long line, boolean utf16) {
        int tabs = count(only, '\t');
        int semicolons = count(only, ';');
        int pipes = count(only, '|');
        if (tabs == 0 && semicolons == 0 && pipes == 0) {
            return;
        }
        if (utf16 && tabs >= semicolons && tabs >= pipes) {
            throw new CsvValidationException(CsvProblem.NOT_COMMA_SEPARATED, line, null,
                    "this is Excel's 'Unicode Text' format (UTF-16, separated by tabs), but the migration CSV must be "
                            + "separated by commas: save as CSV UTF-8 instead; " + CsvText.SAVE_AS_CSV_UTF8);
        }
        String separator = tabs >= semicolons && tabs >= pipes ? "tabs" : semicolons >= pipes ? "semicolons" : "pipes";
        throw new CsvValidationException(CsvProblem.NOT_COMMA_SEPARATED, line, null,
                "the header is separated by " + separator + ", but the migration CSV must be separated by commas: "
                        + "replace the separators with commas, or " + CsvText.SAVE_AS_CSV_UTF8
                        + " (Excel writes semicolons when the system's list separator is ';')");
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static boolean isInvisible(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT;
    }

    private static boolean hasSpaceOrInvisible(String name) {
        return name.codePoints().anyMatch(CsvInputParser::isInvisible);
    }

    /** A header name for a message: at most 80 characters. */
    private static String shown(String name) {
        return name.length() <= 80 ? name : name.substring(0, 80) + "...";
    }

    private static String withoutSpaces(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().filter(cp -> !isInvisible(cp)).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    // ---------------------------------------------------------------- rows

    private static void checkColumnCount(List<String> cells, Header header, long line) {
        int expected = header.names.size();
        if (cells.size() == expected) {
            return;
        }
        String fix;
        if (cells.size() > expected && isBlank(cells.subList(expected, cells.size()))) {
            fix = "remove the extra comma" + (cells.size() - expected > 1 ? "s" : "") + " at the end of the line";
        } else if (cells.size() > expected) {
            fix = "enclose a value that contains a comma in double quotes, or remove the extra values";
        } else {
            fix = "keep the comma of an empty value (e.g. a,,c), and enclose a value that contains a line break "
                    + "in double quotes";
        }
        throw new CsvValidationException(CsvProblem.COLUMN_COUNT_MISMATCH, line, null,
                "the row has " + cells.size() + " value" + (cells.size() == 1 ? "" : "s") + " but the header has "
                        + expected + " column" + (expected == 1 ? "" : "s")
                        + ": every row needs one value per header column, in header order; " + fix);
    }

    private void row(List<String> cells, Header header, long line, Map<String, Long> firstLineOfAddress,
                     List<MigrationCsvRow> rows, List<RejectedRow> rejected) {
        List<String> reasons = new ArrayList<>();
        String email = cells.get(header.email);
        Optional<String> emailProblem = CellValidator.smtpAddress(false).check(CsvSchema.EMAIL_ADDRESS, email);
        emailProblem.ifPresent(reasons::add);
        for (int i = 0; i < cells.size(); i++) {
            if (i == header.email || !header.known.get(i)) {
                continue;
            }
            CellValidator validator = schema.validators().get(header.names.get(i));
            if (validator != null) {
                validator.check(header.names.get(i), cells.get(i)).ifPresent(reasons::add);
            }
        }
        CsvSchema.EntryColumns mapping = schema.entryColumns();
        String sourceUserName = cell(cells, header, mapping.sourceUserName());
        String sourcePassword = cell(cells, header, mapping.sourcePassword());
        String targetUserName = cell(cells, header, mapping.targetUserName());
        String targetPassword = cell(cells, header, mapping.targetPassword());
        String userRoot = cell(cells, header, mapping.userRoot());
        if (targetUserName.isEmpty() != targetPassword.isEmpty()) {
            reasons.add(mapping.targetUserName() + " and " + mapping.targetPassword() + " go together: fill both, "
                    + "or leave both empty to use the target endpoint's administrator credentials");
        }
        if (!sourceUserName.isEmpty() && sourceUserName.isBlank()) {
            reasons.add(mapping.sourceUserName() + " is blank: give the source login, or leave it empty");
        }
        if (emailProblem.isEmpty()) {
            String key = email.toLowerCase(Locale.ROOT);
            Long first = firstLineOfAddress.putIfAbsent(key, line);
            if (first != null) {
                reasons.add("EmailAddress '" + email + "' already appears on line " + first
                        + " (addresses are compared ignoring case) and only the first row of an address is used: "
                        + "remove this row or correct its address");
            }
        }
        if (!reasons.isEmpty()) {
            rejected.add(new RejectedRow(line, email.isEmpty() ? null : email, String.join("; ", reasons)));
            return;
        }
        MigrationUserEntry entry = new MigrationUserEntry(email,
                sourceUserName.isEmpty() ? email : sourceUserName,
                emptyToNull(sourcePassword),
                emptyToNull(targetUserName),
                emptyToNull(targetPassword),
                emptyToNull(userRoot));
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String name = header.names.get(i);
            if (i != header.email && !mapping.maps(name) && !cells.get(i).isEmpty()) {
                extra.put(name, cells.get(i));
            }
        }
        MigrationCsvRow row = new MigrationCsvRow(line, entry, extra);
        rows.add(row.overrides().isEmpty() ? row : new MigrationCsvRow(line, entry.withOverrides(row.overrides()), extra));
    }

    private static String cell(List<String> cells, Header header, String column) {
        int index = header.indexOf(column);
        return index < 0 ? "" : cells.get(index);
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
