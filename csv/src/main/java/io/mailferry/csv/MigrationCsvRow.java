package io.mailferry.csv;

import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.UserOverrides;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An accepted row of a migration CSV: the user to migrate, and the row's cells that override the
 * batch's settings for that user.
 *
 * <p><strong>Override rule</strong> (Exchange's, e.g. for {@code BadItemLimit}): a non-empty cell
 * overrides the batch setting for that row; an empty cell inherits it. {@link #extraCells()} therefore
 * holds only non-empty cells, and a missing key means "use the batch's setting".
 *
 * <p>{@link #toString()} shows the names of the extra cells, never their values (one may be a
 * password, e.g. the staged migration's {@code Password}).
 *
 * @param line       the 1-based physical line the row starts on
 * @param entry      the user, built from {@code EmailAddress} and the schema's
 *                   {@link CsvSchema.EntryColumns entry columns}; never {@code null}
 * @param extraCells the row's non-empty cells of every other column except {@code EmailAddress}, in
 *                   header order, keyed by the schema's spelling of the column (the file's spelling
 *                   for unknown columns allowed with
 *                   {@link MigrationCsvReader#withAllowUnknownColumns(boolean)}); values exactly as
 *                   in the file; never {@code null}
 */
public record MigrationCsvRow(long line, MigrationUserEntry entry, Map<String, String> extraCells) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code line} is below 1
     */
    public MigrationCsvRow {
        Objects.requireNonNull(entry, "entry");
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more");
        }
        extraCells = Collections.unmodifiableMap(new LinkedHashMap<>(extraCells));
    }

    /** Returns the user's target address, {@code entry().emailAddress()}. */
    public String emailAddress() {
        return entry.emailAddress();
    }

    /**
     * Returns an extra cell.
     *
     * @param column the column, matched ignoring case
     * @return the non-empty value, or empty when the row inherits the batch's setting
     */
    public Optional<String> extraCell(String column) {
        for (Map.Entry<String, String> e : extraCells.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the row's {@code BadItemLimit}, which overrides the batch's for this user.
     *
     * @return the limit, or empty to use the batch's
     * @throws IllegalArgumentException if the cell is not an item limit (cannot happen with the
     *                                  built-in schemas, which reject such rows)
     */
    public Optional<ItemLimit> badItemLimit() {
        return extraCell(CsvSchema.BAD_ITEM_LIMIT).map(ItemLimit::parse);
    }

    /**
     * Returns the row's {@code LargeItemLimit}, which overrides the batch's for this user.
     *
     * @return the limit, or empty to use the batch's
     * @throws IllegalArgumentException if the cell is not an item limit (cannot happen with the
     *                                  built-in schemas, which reject such rows)
     */
    public Optional<ItemLimit> largeItemLimit() {
        return extraCell(CsvSchema.LARGE_ITEM_LIMIT).map(ItemLimit::parse);
    }

    /**
     * Returns the row's settings that override the batch's: {@link #badItemLimit()} and
     * {@link #largeItemLimit()}. The reader has already put them into {@link #entry()}
     * ({@link MigrationUserEntry#overrides()}), so a batch built from the entries applies them.
     *
     * @return the overrides, {@link UserOverrides#NONE} when every such cell is empty or absent
     * @throws IllegalArgumentException as {@link #badItemLimit()}
     */
    public UserOverrides overrides() {
        return new UserOverrides(null, null, badItemLimit().orElse(null), largeItemLimit().orElse(null));
    }

    @Override
    public String toString() {
        return "MigrationCsvRow[line=" + line + ", entry=" + entry + ", extraCells=" + extraCells.keySet() + "]";
    }
}
