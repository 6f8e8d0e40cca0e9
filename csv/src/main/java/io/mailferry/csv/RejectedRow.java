package io.mailferry.csv;

import java.util.Objects;

/**
 * A row of a migration CSV that failed a per-row check (invalid or duplicate address, empty login or
 * password, a cell a validator refused). It does not stop the batch: the other rows are used, and
 * this one is listed in {@code MigrationErrors.csv} (see {@link MigrationReports}).
 *
 * @param line         the 1-based physical line the row starts on, 2 or more (line 1 is the header)
 * @param emailAddress the row's {@code EmailAddress} cell as written, even when invalid, or
 *                     {@code null} when the cell is empty
 * @param reason       what is wrong and how to fix it, without the line number; never contains a
 *                     password; never {@code null}
 */
public record RejectedRow(long line, String emailAddress, String reason) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code reason} is {@code null}
     * @throws IllegalArgumentException if {@code line} is below 1 or {@code emailAddress} is empty
     */
    public RejectedRow {
        Objects.requireNonNull(reason, "reason");
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more");
        }
        if (emailAddress != null && emailAddress.isEmpty()) {
            emailAddress = null;
        }
    }

    /** Returns the reason prefixed with the line, e.g. {@code line 5: Password is empty: ...}. */
    public String message() {
        return "line " + line + ": " + reason;
    }
}
