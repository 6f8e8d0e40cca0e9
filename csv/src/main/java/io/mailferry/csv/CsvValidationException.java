package io.mailferry.csv;

import io.mailferry.core.MigrationException;

import java.util.Objects;

/**
 * A migration CSV was rejected as a whole: the Exchange migration service's file-level checks (empty
 * file, not comma-separated, missing or misspelt header, unknown column, a row with the wrong number
 * of values, too many rows, file too large) and MailFerry's encoding and quoting checks.
 *
 * <p>The message names the line (and column, where there is one), says what is wrong and how to fix
 * it, e.g. {@code line 7: the row has 4 values but the header has 3 columns: ...}. It never contains
 * a cell value of the file except header names, so no password can leak through it (a first line
 * that looks like a user row rather than a header is reported without quoting it).
 *
 * <p>Problems of single rows (an invalid address, an empty password, a duplicate) do not throw: they
 * are returned as {@link RejectedRow}s and the other rows are used.
 */
public class CsvValidationException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final CsvProblem problem;
    private final long line;
    private final String column;

    /**
     * @param problem what kind of check failed, not {@code null}
     * @param line    the 1-based physical line the problem is on, or 0 when it concerns the whole file
     * @param column  the column concerned (its header name), or {@code null}
     * @param detail  what is wrong and how to fix it, without the line prefix; not {@code null}
     */
    public CsvValidationException(CsvProblem problem, long line, String column, String detail) {
        super(prefix(line, column) + Objects.requireNonNull(detail, "detail"));
        this.problem = Objects.requireNonNull(problem, "problem");
        if (line < 0) {
            throw new IllegalArgumentException("line must be 0 or more");
        }
        this.line = line;
        this.column = column;
    }

    private static String prefix(long line, String column) {
        if (line > 0 && column != null) {
            return "line " + line + ", column '" + column + "': ";
        }
        if (line > 0) {
            return "line " + line + ": ";
        }
        return column == null ? "" : "column '" + column + "': ";
    }

    /** Returns the kind of check that failed. */
    public CsvProblem problem() {
        return problem;
    }

    /**
     * Returns the 1-based physical line of the file the problem is on (as a text editor counts lines,
     * CR, LF and CRLF each ending one line), or 0 when it concerns the whole file (empty, too large,
     * wrong encoding before any line could be read).
     */
    public long line() {
        return line;
    }

    /**
     * Returns the header name of the column concerned (as written in the file, or the schema's
     * spelling of a missing column; names longer than 80 characters are cut), or {@code null} if the
     * problem has no column.
     */
    public String column() {
        return column;
    }
}
