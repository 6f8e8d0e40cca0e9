package io.mailferry.csv;

import io.mailferry.core.MigrationBatchBuilder;
import io.mailferry.core.MigrationUserEntry;

import java.util.List;
import java.util.Objects;

/**
 * A migration CSV that passed the file-level checks: its accepted rows and its rejected rows.
 * Immutable.
 *
 * @param schema       the schema it was read with, never {@code null}
 * @param header       the header's columns in file order, in the schema's spelling (the file's for
 *                     unknown columns), never {@code null}
 * @param rows         the accepted rows in file order, never {@code null}; may be empty when every
 *                     row was rejected
 * @param rejectedRows the rows that failed a per-row check, in file order, never {@code null}
 */
public record MigrationCsv(
        CsvSchema schema,
        List<String> header,
        List<MigrationCsvRow> rows,
        List<RejectedRow> rejectedRows) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public MigrationCsv {
        Objects.requireNonNull(schema, "schema");
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        rejectedRows = List.copyOf(rejectedRows);
    }

    /**
     * Returns the users of the accepted rows, for
     * {@link io.mailferry.core.MigrationBatchBuilder#users(java.util.Collection)}. A row's non-empty
     * {@code BadItemLimit}/{@code LargeItemLimit} cells are in its entry's
     * {@link MigrationUserEntry#overrides() overrides}: they override the batch's settings for that
     * user, an empty cell inherits them.
     *
     * @return the entries in file order
     */
    public List<MigrationUserEntry> entries() {
        return rows.stream().map(MigrationCsvRow::entry).toList();
    }

    /**
     * Adds the accepted rows' users, with their overrides, to a batch being described.
     *
     * <pre>{@code
     * MigrationBatch batch = csv.applyTo(service.newBatch("wave-1"))
     *         .sourceEndpoint(source).targetEndpoint(target)
     *         .badItemLimit(ItemLimit.of(10))   // rows with a BadItemLimit cell keep theirs
     *         .create();
     * }</pre>
     *
     * @param builder the batch builder, not {@code null}
     * @return {@code builder}
     */
    public MigrationBatchBuilder applyTo(MigrationBatchBuilder builder) {
        return builder.users(entries());
    }

    @Override
    public String toString() {
        return "MigrationCsv[schema=" + schema.name() + ", header=" + header + ", rows=" + rows.size()
                + ", rejectedRows=" + rejectedRows.size() + "]";
    }
}
