package io.mailferry.csv;

import io.mailferry.core.MigrationBatchBuilder;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserOverrides;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * {@link io.mailferry.core.MigrationBatchBuilder#users(java.util.Collection)}.
     *
     * @return the entries in file order
     */
    public List<MigrationUserEntry> entries() {
        return rows.stream().map(MigrationCsvRow::entry).toList();
    }

    /**
     * Returns the settings that rows override (non-empty {@code BadItemLimit} and
     * {@code LargeItemLimit} cells), for
     * {@link MigrationBatchBuilder#userOverrides(Map)} or
     * {@link io.mailferry.core.MigrationBatch#addUsers(java.util.Collection, Map)}.
     *
     * @return the overrides by e-mail address, in file order, only of rows that override something
     */
    public Map<String, MigrationUserOverrides> userOverrides() {
        Map<String, MigrationUserOverrides> overrides = new LinkedHashMap<>();
        for (MigrationCsvRow row : rows) {
            MigrationUserOverrides o = row.overrides();
            if (!o.isEmpty()) {
                overrides.put(row.emailAddress(), o);
            }
        }
        return Collections.unmodifiableMap(overrides);
    }

    /**
     * Adds the accepted rows' users and their overrides to a batch being described.
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
        return builder.users(entries()).userOverrides(userOverrides());
    }

    @Override
    public String toString() {
        return "MigrationCsv[schema=" + schema.name() + ", header=" + header + ", rows=" + rows.size()
                + ", rejectedRows=" + rejectedRows.size() + "]";
    }
}
