package io.mailferry.csv;

import io.mailferry.core.ItemLimit;
import io.mailferry.csv.internal.SmtpAddressCheck;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A check of one cell of a migration CSV row. A failing check does not reject the file: the row is
 * returned as a {@link RejectedRow} with the reason, and goes to {@code MigrationErrors.csv}.
 *
 * <p>The reason says what is wrong and how to fix it, e.g. {@code "UserName is empty: give the
 * user's IMAP login"}. <strong>It must not contain the value of a secret column</strong> (a
 * password): the reader puts the reason into reports and messages as it is. The validators below
 * never repeat the value of the cell they check unless noted.
 *
 * <p>Implementations must be thread-safe and must not throw; the built-in ones are.
 */
@FunctionalInterface
public interface CellValidator {

    /**
     * Checks a cell.
     *
     * @param column the column's name as the schema spells it, not {@code null}
     * @param value  the cell's value exactly as in the file (not trimmed); empty for an empty cell,
     *               never {@code null}
     * @return why the value is not acceptable and how to fix it, or empty if it is fine
     */
    Optional<String> check(String column, String value);

    /**
     * Returns a validator that runs this one and then {@code next}, reporting the first problem.
     *
     * @param next the validator to run if this one passes, not {@code null}
     * @return the combined validator
     */
    default CellValidator and(CellValidator next) {
        Objects.requireNonNull(next, "next");
        return (column, value) -> {
            Optional<String> problem = check(column, value);
            return problem.isPresent() ? problem : next.check(column, value);
        };
    }

    /**
     * The cell must not be empty (Exchange's "not empty" rule for {@code UserName} and
     * {@code Password}).
     *
     * @param fix how to fix an empty cell, e.g. {@code "give the user's IMAP login"}
     * @return the validator
     */
    static CellValidator notEmpty(String fix) {
        Objects.requireNonNull(fix, "fix");
        return (column, value) -> value.isEmpty()
                ? Optional.of(column + " is empty: " + fix)
                : Optional.empty();
    }

    /**
     * The cell must not start or end with white space (Exchange's rule for {@code UserName}). An
     * empty cell passes. Repeats the value, so do not use it on secret columns.
     *
     * @return the validator
     */
    static CellValidator noSurroundingSpaces() {
        return (column, value) -> !value.isEmpty() && !value.strip().equals(value)
                ? Optional.of(column + " '" + shown(value.strip()) + "' has leading or trailing spaces: remove them")
                : Optional.empty();
    }

    /**
     * The cell must be an SMTP address, or empty when {@code allowEmpty}. Repeats the value (up to
     * 100 characters).
     *
     * <p>Accepted: {@code local@domain}, split at the last {@code @}, at most 254 characters in all
     * (RFC 5321 section 4.5.3.1.3) and 64 octets of UTF-8 before the {@code @} (4.5.3.1.1). The
     * local part is a dot-atom (RFC 5322 section 3.2.3: letters, digits and
     * {@code !#$%&'*+-/=?^_`{|}~}, dots only between characters) or non-ASCII letters and digits
     * (RFC 6531). The domain is one or more dot-separated labels of 1 to 63 letters, digits and
     * hyphens (RFC 1035 section 2.3.1, with non-ASCII letters allowed for internationalized domain
     * names), no label starting or ending with a hyphen, the last label not all digits, and no
     * trailing dot (the 254-character limit keeps the domain within RFC 1035's 253). A single-label
     * domain ({@code user@localhost}) is accepted.
     *
     * <p>Rejected, although RFC 5321 allows them, because no mailbox of a migration has them: quoted
     * local parts ({@code "john smith"@example.com}), address literals ({@code user@[192.0.2.1]}),
     * source routes, comments and display names ({@code Terry <terry@example.com>}). White space and
     * control characters anywhere are rejected; surrounding spaces are not trimmed.
     *
     * @param allowEmpty whether an empty cell passes
     * @return the validator
     */
    static CellValidator smtpAddress(boolean allowEmpty) {
        return (column, value) -> {
            if (value.isEmpty()) {
                return allowEmpty ? Optional.empty()
                        : Optional.of(column + " is empty: give the mailbox's SMTP address, e.g. "
                                + "terry.adams@contoso.edu");
            }
            return SmtpAddressCheck.problem(value).map(problem -> column + " '" + shown(value)
                    + "' is not a valid SMTP address (" + problem + "): write it as name@domain, e.g. "
                    + "terry.adams@contoso.edu");
        };
    }

    /**
     * The cell must be empty, {@code Unlimited} (any case) or a number from 0 to 2147483647, as
     * {@link ItemLimit#parse(String)} reads it ({@code BadItemLimit}, {@code LargeItemLimit}).
     * Repeats the value (up to 100 characters).
     *
     * @return the validator
     */
    static CellValidator itemLimit() {
        return (column, value) -> {
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                ItemLimit.parse(value);
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.of(column + " '" + shown(value) + "' is not an item limit: write Unlimited or a "
                        + "number from 0 to 2147483647, or leave the cell empty to use the batch's setting");
            }
        };
    }

    /**
     * The cell must be empty or one of the given values, ignoring case. Repeats the value (up to 100
     * characters).
     *
     * @param allowed the allowed values, at least one
     * @return the validator
     */
    static CellValidator oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("give at least one allowed value");
        }
        return (column, value) -> {
            if (value.isEmpty()) {
                return Optional.empty();
            }
            for (String a : values) {
                if (a.equalsIgnoreCase(value)) {
                    return Optional.empty();
                }
            }
            return Optional.of(column + " '" + shown(value) + "' is not allowed: write one of "
                    + String.join(", ", values) + ", or leave the cell empty");
        };
    }

    /**
     * The cell must be empty or at least {@code min} characters long; for passwords (Exchange's
     * staged migration requires 8). Never repeats the value.
     *
     * @param min the minimum length in characters (code points), 1 or more
     * @return the validator
     */
    static CellValidator minLength(int min) {
        if (min < 1) {
            throw new IllegalArgumentException("min must be 1 or more");
        }
        return (column, value) -> !value.isEmpty() && value.codePointCount(0, value.length()) < min
                ? Optional.of(column + " is shorter than " + min + " characters: give at least " + min
                        + " characters that meet the password policy, or leave the cell empty")
                : Optional.empty();
    }

    /**
     * Returns a value as messages show it: at most 100 characters.
     *
     * @param value the value
     * @return the value, shortened with {@code ...} if needed
     */
    private static String shown(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
