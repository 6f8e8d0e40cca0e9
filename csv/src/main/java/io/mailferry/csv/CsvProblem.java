package io.mailferry.csv;

/**
 * Why a whole migration CSV was rejected ({@link CsvValidationException#problem()}): the file-level
 * checks of the Exchange migration service, plus the encoding and quoting checks MailFerry adds.
 */
public enum CsvProblem {
    /** The file has no bytes, only a byte order mark, or only blank lines. */
    EMPTY_FILE,
    /** The file has a header but no user rows. */
    NO_USER_ROWS,
    /** The values are separated by something else than commas (semicolons, tabs, pipes). */
    NOT_COMMA_SEPARATED,
    /** The bytes are not UTF-8 (with or without BOM) or UTF-16 with a BOM, or contain NUL characters. */
    UNSUPPORTED_ENCODING,
    /** The file is not a {@code .csv} or {@code .txt} text file (e.g. an Excel workbook). */
    UNSUPPORTED_FILE_TYPE,
    /** The file is larger than the reader's limit (10 MB by default). */
    FILE_TOO_LARGE,
    /** The file has more user rows than the schema allows. */
    TOO_MANY_ROWS,
    /** A required column is missing from the header. */
    MISSING_COLUMN,
    /** A header name is empty or contains spaces or invisible characters ({@code Email Address}). */
    INVALID_COLUMN_NAME,
    /** A column appears twice in the header. */
    DUPLICATE_COLUMN,
    /** A header name is not a column of the schema, and unknown columns are not allowed. */
    UNKNOWN_COLUMN,
    /** A row has more or fewer values than the header has columns. */
    COLUMN_COUNT_MISMATCH,
    /** A quoted field is never closed, or a closing quote is followed by something else than a comma. */
    MALFORMED_QUOTING
}
