package io.mailferry.csv.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * Writes report CSVs the way spreadsheets open them safely: UTF-8 with a byte order mark, CRLF line
 * ends, RFC 4180 quoting, and text cells that a spreadsheet would run as a formula prefixed with a
 * single quote (OWASP "CSV Injection"). Not thread-safe; one per file.
 */
public final class ReportCsv implements AutoCloseable {

    /** Characters that make a spreadsheet treat a cell as a formula (OWASP). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setRecordSeparator("\r\n")
            .setQuoteMode(QuoteMode.MINIMAL)
            .get();

    private final CSVPrinter printer;

    /**
     * Starts a report: writes the byte order mark and the header.
     *
     * @param out    the stream; flushed by {@link #close()} but not closed
     * @param header the column names
     */
    public ReportCsv(OutputStream out, List<String> header) {
        Writer writer = new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8);
        try {
            writer.write('\uFEFF');
            printer = new CSVPrinter(writer, FORMAT);
            printer.printRecord(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a row of cells prepared with {@link #text}, {@link #number} and {@link #time}.
     *
     * @param cells the cells
     */
    public void row(String... cells) {
        try {
            printer.printRecord((Object[]) cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prepares a text cell: {@code null} becomes empty, and a value starting with {@code = + - @},
     * tab or CR is prefixed with a single quote so that spreadsheets show it instead of running it.
     *
     * @param value the text, or {@code null}
     * @return the cell
     */
    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    /**
     * Prepares a numeric cell; never escaped, so negative numbers stay numbers.
     *
     * @param value the number
     * @return the cell
     */
    public static String number(long value) {
        return Long.toString(value);
    }

    /**
     * Prepares a time cell: ISO-8601 in UTC to the second ({@code 2024-05-01T10:15:30Z}), or empty.
     *
     * @param value the instant, or {@code null}
     * @return the cell
     */
    public static String time(Instant value) {
        return value == null ? "" : DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a file through a temporary file in the same directory and an atomic move, so readers
     * never see half a report.
     *
     * @param file    the file
     * @param content writes the content
     */
    public static void writeAtomically(Path file, IoConsumer<OutputStream> content) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    content.accept(out);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Something that writes to a stream.
     *
     * @param <T> the stream type
     */
    @FunctionalInterface
    public interface IoConsumer<T> {
        /**
         * @param value the stream
         * @throws IOException if writing fails
         */
        void accept(T value) throws IOException;
    }

    /** Keeps the caller's stream open when the printer is closed. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
