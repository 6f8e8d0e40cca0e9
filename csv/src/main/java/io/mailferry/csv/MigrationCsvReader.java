package io.mailferry.csv;

import io.mailferry.csv.internal.CsvInputParser;
import io.mailferry.csv.internal.CsvText;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads a migration CSV into the users of a batch, with the Exchange migration service's checks.
 *
 * <pre>{@code
 * MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).read(Path.of("users.csv"));
 * batchBuilder.users(csv.entries());
 * csv.rejectedRows().forEach(r -> log.warn(r.message()));   // also in MigrationErrors.csv
 * }</pre>
 *
 * <p><strong>File-level checks</strong> reject the whole file with a {@link CsvValidationException}
 * naming the line and saying how to fix it: empty file; header without user rows; not
 * comma-separated (semicolons, tabs, pipes, Excel's UTF-16 "Unicode Text"); a first line that is a
 * user row instead of the header (it has an {@code @} and no column name); a header name that is
 * empty, contains spaces ({@code Email Address}) or appears twice; an unknown column unless
 * {@link #withAllowUnknownColumns(boolean) allowed}; a missing required column; a row with more or
 * fewer values than the header; more user rows than {@link CsvSchema#maxRows()}; a file larger than
 * {@link #maxFileSize()}; malformed quoting; an encoding other than the ones below; a file that is not
 * {@code .csv} or {@code .txt}. The first failing check is reported.
 *
 * <p><strong>Row checks</strong> do not stop the batch: a row with an invalid or empty
 * {@code EmailAddress}, a cell refused by the schema's {@link CsvSchema#validators() validators}
 * (IMAP: empty {@code UserName} or {@code Password}, spaces around {@code UserName}), only one of the
 * target credentials, or an address that an earlier row already has (compared ignoring case; the
 * first row wins) is returned in {@link MigrationCsv#rejectedRows()}.
 *
 * <p><strong>Format</strong> (RFC 4180 with the tolerances Excel needs): UTF-8 with or without a
 * byte order mark, or UTF-16 LE/BE with a byte order mark; CRLF, LF or CR line ends; values may be
 * enclosed in double quotes and then contain commas, line breaks and doubled double quotes
 * ({@code ""}); a double quote inside an unquoted value is kept as it is. Values are not trimmed. A
 * row whose cells are all empty or blank (a blank line, or {@code ,,} as Excel writes cleared rows)
 * is ignored wherever it is, so trailing blank lines do no harm. Line numbers are physical lines as
 * a text editor shows them, of the line the row starts on.
 *
 * <p>Immutable and thread-safe; the {@code with*} methods return new readers.
 */
public final class MigrationCsvReader {

    /** The default and Exchange's IMAP file size limit: 10 MB (10,485,760 bytes). */
    public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;

    /** Java arrays cannot hold more. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16L;

    private final CsvSchema schema;
    private final boolean allowUnknownColumns;
    private final long maxFileSize;

    private MigrationCsvReader(CsvSchema schema, boolean allowUnknownColumns, long maxFileSize) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.allowUnknownColumns = allowUnknownColumns;
        if (maxFileSize < 1 || maxFileSize > MAX_ARRAY) {
            throw new IllegalArgumentException("maxFileSize must be from 1 to " + MAX_ARRAY + " bytes");
        }
        this.maxFileSize = maxFileSize;
    }

    /**
     * Returns a reader for a schema, refusing unknown columns, with the 10 MB file size limit.
     *
     * @param schema the schema, e.g. {@link CsvSchema#IMAP}; not {@code null}
     * @return the reader
     */
    public static MigrationCsvReader of(CsvSchema schema) {
        return new MigrationCsvReader(schema, false, DEFAULT_MAX_FILE_SIZE);
    }

    /**
     * Returns a reader that accepts (or refuses) columns the schema does not know, as Exchange's
     * {@code AllowUnknownColumnsInCsv}. Their non-empty cells become
     * {@link MigrationCsvRow#extraCells() extra cells}; the rules on header names still apply.
     *
     * @param allow whether to accept unknown columns
     * @return the new reader
     */
    public MigrationCsvReader withAllowUnknownColumns(boolean allow) {
        return new MigrationCsvReader(schema, allow, maxFileSize);
    }

    /**
     * Returns a reader with another file size limit.
     *
     * @param bytes the largest accepted file in bytes (for a {@link Reader}: in characters), 1 or more
     * @return the new reader
     * @throws IllegalArgumentException if {@code bytes} is below 1 or above what an array holds
     */
    public MigrationCsvReader withMaxFileSize(long bytes) {
        return new MigrationCsvReader(schema, allowUnknownColumns, bytes);
    }

    /** Returns the schema. */
    public CsvSchema schema() {
        return schema;
    }

    /** Returns whether unknown columns are accepted. */
    public boolean allowUnknownColumns() {
        return allowUnknownColumns;
    }

    /** Returns the file size limit in bytes. */
    public long maxFileSize() {
        return maxFileSize;
    }

    /**
     * Reads a {@code .csv} or {@code .txt} file (extension in any case).
     *
     * @param file the file, not {@code null}
     * @return the accepted and rejected rows
     * @throws CsvValidationException if a file-level check fails, including another extension
     * @throws UncheckedIOException   if the file cannot be read
     */
    public MigrationCsv read(Path file) {
        Objects.requireNonNull(file, "file");
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".txt")) {
            throw new CsvValidationException(CsvProblem.UNSUPPORTED_FILE_TYPE, 0, null,
                    "the file '" + fileName + "' is not a .csv or .txt file: " + CsvText.SAVE_AS_CSV_UTF8);
        }
        try {
            long size = Files.size(file);
            if (size > maxFileSize) {
                throw tooLarge(size, "bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration CSV " + file, e);
        }
    }

    /**
     * Reads a file's bytes from a stream, which is read to its end (or past the size limit) but not
     * closed.
     *
     * @param in the bytes, not {@code null}
     * @return the accepted and rejected rows
     * @throws CsvValidationException if a file-level check fails
     * @throws UncheckedIOException   if the stream cannot be read
     */
    public MigrationCsv read(InputStream in) {
        Objects.requireNonNull(in, "in");
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) (maxFileSize + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration CSV", e);
        }
        if (bytes.length > maxFileSize) {
            throw tooLarge(-1, "bytes");
        }
        CsvText.Decoded text = CsvText.decode(bytes, bytes.length);
        return CsvInputParser.parse(text.text(), text.isUtf16(), schema, allowUnknownColumns);
    }

    /**
     * Reads a file's text from a reader, which is read to its end (or past the size limit) but not
     * closed. A leading byte order mark character is dropped. The size limit counts characters.
     *
     * @param reader the text, not {@code null}
     * @return the accepted and rejected rows
     * @throws CsvValidationException if a file-level check fails
     * @throws UncheckedIOException   if the reader fails
     */
    public MigrationCsv read(Reader reader) {
        Objects.requireNonNull(reader, "reader");
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                text.append(buffer, 0, n);
                if (text.length() > maxFileSize) {
                    throw tooLarge(-1, "characters");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration CSV", e);
        }
        CsvText.Decoded decoded = CsvText.fromChars(text);
        return CsvInputParser.parse(decoded.text(), false, schema, allowUnknownColumns);
    }

    private CsvValidationException tooLarge(long size, String unit) {
        NumberFormat f = NumberFormat.getIntegerInstance(Locale.ROOT);
        String actual = (size < 0 ? "more than " + f.format(maxFileSize) : f.format(size)) + " " + unit;
        return new CsvValidationException(CsvProblem.FILE_TOO_LARGE, 0, null,
                "the file is " + actual + ", above the limit of " + f.format(maxFileSize) + " " + unit
                        + ": split the users into several smaller files (batches)");
    }

    @Override
    public String toString() {
        return "MigrationCsvReader[schema=" + schema.name() + ", allowUnknownColumns=" + allowUnknownColumns
                + ", maxFileSize=" + maxFileSize + "]";
    }
}
