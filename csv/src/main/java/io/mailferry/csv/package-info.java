/**
 * Migration CSV files, as the Exchange migration service reads and writes them.
 *
 * <p><strong>Input.</strong> {@link io.mailferry.csv.MigrationCsvReader} reads the users of a batch
 * from a CSV file described by a {@link io.mailferry.csv.CsvSchema} (IMAP, staged, remote,
 * offboarding, Google Workspace, or a host's own) and applies the service's checks: file-level
 * problems throw {@link io.mailferry.csv.CsvValidationException} with the line and the fix; row-level
 * problems become {@link io.mailferry.csv.RejectedRow}s and the other rows are used.
 * A non-empty {@code BadItemLimit} or {@code LargeItemLimit} cell overrides the batch's setting for
 * that user (the entry's {@link io.mailferry.core.MigrationUserEntry#overrides() overrides};
 * {@link io.mailferry.csv.MigrationCsv#applyTo(io.mailferry.core.MigrationBatchBuilder)}).
 * {@link io.mailferry.csv.AdminLogin} builds the administrator login formats of IMAP servers.
 *
 * <p><strong>Reports.</strong> {@link io.mailferry.csv.MigrationReports} writes
 * {@code MigrationStatistics.csv}, {@code MigrationErrors.csv} and per-user skipped-items reports,
 * safe to open in a spreadsheet; {@link io.mailferry.csv.SyncTimesRecorder} measures the users' sync
 * durations for the statistics report.
 *
 * <pre>{@code
 * MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).read(Path.of("users.csv"));
 * MigrationBatch batch = csv.applyTo(service.newBatch("wave-1"))   // users and their overrides
 *         .sourceEndpoint(source).targetEndpoint(target)
 *         .create();
 * // ... later
 * MigrationReports.writeAll(Path.of("reports"), batch.users(), csv.rejectedRows(), batch::skippedItems);
 * }</pre>
 *
 * <p>Passwords never appear in exception messages, {@code toString()} or reports. Everything here
 * is immutable or stateless, and thread-safe.
 */
package io.mailferry.csv;
