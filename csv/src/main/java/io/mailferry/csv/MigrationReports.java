package io.mailferry.csv;

import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.csv.internal.ReportCsv;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a batch's CSV reports, as the Exchange migration service offers them:
 * {@value #STATISTICS_FILE}, {@value #ERRORS_FILE} and a per-user skipped-items report.
 *
 * <pre>{@code
 * List<Path> written = MigrationReports.writeAll(Path.of("reports/wave-1"),
 *         batch.users(), csv.rejectedRows(), batch::skippedItems);
 * }</pre>
 *
 * <p><strong>File format</strong> (chosen for spreadsheets, where administrators open reports):
 * <ul>
 * <li>UTF-8 with a byte order mark: without it Excel reads UTF-8 as the legacy code page and
 *     garbles non-ASCII names; other tools skip the mark.</li>
 * <li>CRLF line ends and RFC 4180 quoting (only where needed), the form RFC 4180 and Excel use.</li>
 * <li>Times in ISO-8601, UTC, to the second ({@code 2024-05-01T10:15:30Z}); empty when unknown.</li>
 * <li>Counts and sizes are plain integers. Text cells starting with {@code =}, {@code +},
 *     {@code -}, {@code @}, tab or CR, which a spreadsheet would run as a formula, are prefixed with a
 *     single quote as OWASP recommends against CSV injection; numeric columns are never prefixed, so
 *     a negative number stays a number.</li>
 * </ul>
 *
 * <p>No report ever contains a password: the writers take {@link MigrationUser}s and
 * {@link RejectedRow}s, which hold none. Stream methods flush but do not close the stream; path
 * methods create missing directories and replace the file atomically. Thread-safe (stateless).
 */
public final class MigrationReports {

    /** The statistics report's file name. */
    public static final String STATISTICS_FILE = "MigrationStatistics.csv";
    /** The error report's file name. */
    public static final String ERRORS_FILE = "MigrationErrors.csv";
    /** The directory, inside the report directory, of the per-user skipped-items reports. */
    public static final String SKIPPED_ITEMS_DIRECTORY = "SkippedItems";

    /**
     * Columns of {@value #STATISTICS_FILE}: Exchange's (EmailAddress, Status, ItemsSynced,
     * ItemsSkipped), then bytes, source size, last successful sync, and the rest of
     * {@link MigrationUserStatistics}: EstimatedTotalTransferSize (bytes), PercentageComplete (0-100),
     * FolderCount, FoldersCreated, FlagsUpdated, then LastStatusChange and BatchName, then the
     * durations of {@link UserSyncTimes} in whole seconds: LastSyncDurationSeconds (empty when no
     * pass has completed or the times are not known) and TotalSyncDurationSeconds (empty when not
     * known), and SyncPasses.
     */
    public static final List<String> STATISTICS_COLUMNS = List.of(
            "EmailAddress", "Status", "ItemsSynced", "ItemsSkipped", "BytesTransferred",
            "TotalItemsInSourceMailbox", "LastSuccessfulSyncTime", "EstimatedTotalTransferSize",
            "PercentageComplete", "FolderCount", "FoldersCreated", "FlagsUpdated", "LastStatusChange", "BatchName",
            "LastSyncDurationSeconds", "TotalSyncDurationSeconds", "SyncPasses");

    /** Columns of {@value #ERRORS_FILE}. */
    public static final List<String> ERRORS_COLUMNS = List.of("EmailAddress", "ErrorMessage");

    /**
     * Columns of a skipped-items report: Exchange's "Skipped item details" (Date, Subject, Kind,
     * Folder) plus the user, size in bytes (empty when unknown), reason, the source UID (0 when none)
     * and when the item was recorded.
     */
    public static final List<String> SKIPPED_ITEMS_COLUMNS = List.of(
            "EmailAddress", "Folder", "Date", "Subject", "Size", "Kind", "Reason", "SourceUid", "RecordedAt");

    private MigrationReports() {
    }

    /**
     * Writes {@value #STATISTICS_FILE}: one row per user, in the given order, whatever the status,
     * with empty duration cells. Status is Exchange's spelling
     * ({@link io.mailferry.core.MigrationUserStatus#displayName()}).
     *
     * @param users the users, not {@code null}
     * @param out   where to write; flushed, not closed
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeStatistics(Collection<MigrationUser> users, OutputStream out) {
        writeStatistics(users, email -> null, out);
    }

    /**
     * Writes {@value #STATISTICS_FILE} with the users' sync durations, e.g. from
     * {@link SyncTimesRecorder#forBatch(String)}.
     *
     * @param users the users, not {@code null}
     * @param times a user's times by e-mail address; may return {@code null} when unknown (empty
     *              cells); not {@code null}
     * @param out   where to write; flushed, not closed
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeStatistics(Collection<MigrationUser> users, Function<String, UserSyncTimes> times,
                                       OutputStream out) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(times, "times");
        try (ReportCsv csv = new ReportCsv(out, STATISTICS_COLUMNS)) {
            for (MigrationUser user : users) {
                MigrationUserStatistics s = user.statistics();
                UserSyncTimes t = times.apply(user.emailAddress());
                csv.row(ReportCsv.text(user.emailAddress()),
                        ReportCsv.text(user.status().displayName()),
                        ReportCsv.number(s.syncedItemCount()),
                        ReportCsv.number(s.skippedItemCount()),
                        ReportCsv.number(s.bytesTransferred()),
                        ReportCsv.number(s.totalItemsInSourceMailboxCount()),
                        ReportCsv.time(s.lastSuccessfulSyncTime()),
                        ReportCsv.number(s.estimatedTotalTransferSize()),
                        ReportCsv.number(s.percentageComplete()),
                        ReportCsv.number(s.folderCount()),
                        ReportCsv.number(s.foldersCreated()),
                        ReportCsv.number(s.flagsUpdatedCount()),
                        ReportCsv.time(user.lastStatusChange()),
                        ReportCsv.text(user.batchName()),
                        t == null || t.lastSyncDuration() == null ? "" : ReportCsv.number(t.lastSyncDuration().toSeconds()),
                        t == null ? "" : ReportCsv.number(t.totalSyncDuration().toSeconds()),
                        t == null ? "" : ReportCsv.number(t.passes()));
            }
        }
    }

    /**
     * Writes {@value #STATISTICS_FILE} to a file, with empty duration cells.
     *
     * @param users the users
     * @param file  the file, replaced atomically
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeStatistics(Collection<MigrationUser> users, Path file) {
        ReportCsv.writeAtomically(file, out -> writeStatistics(users, out));
    }

    /**
     * Writes {@value #STATISTICS_FILE} to a file, with the users' sync durations.
     *
     * @param users the users
     * @param times a user's times by e-mail address, or {@code null} for unknown
     * @param file  the file, replaced atomically
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeStatistics(Collection<MigrationUser> users, Function<String, UserSyncTimes> times,
                                       Path file) {
        ReportCsv.writeAtomically(file, out -> writeStatistics(users, times, out));
    }

    /**
     * Writes {@value #ERRORS_FILE}: first one row per row the CSV validation rejected, its
     * ErrorMessage starting with the line ({@code CSV line 5: Password is empty: ...}); then one row
     * per user that has an {@link MigrationUser#error() error} or a failed status, with the error
     * (or, when none was recorded, the status).
     *
     * @param users        the batch's users, not {@code null}
     * @param rejectedRows the rows CSV validation rejected, not {@code null}
     * @param out          where to write; flushed, not closed
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeErrors(Collection<MigrationUser> users, Collection<RejectedRow> rejectedRows,
                                   OutputStream out) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(rejectedRows, "rejectedRows");
        try (ReportCsv csv = new ReportCsv(out, ERRORS_COLUMNS)) {
            for (RejectedRow row : rejectedRows) {
                csv.row(ReportCsv.text(row.emailAddress()), ReportCsv.text("CSV " + row.message()));
            }
            for (MigrationUser user : users) {
                if (user.error() != null || user.status().isFailed()) {
                    String message = user.error() != null ? user.error()
                            : "the user's status is " + user.status().displayName() + "; no error message was recorded";
                    csv.row(ReportCsv.text(user.emailAddress()), ReportCsv.text(message));
                }
            }
        }
    }

    /**
     * Writes {@value #ERRORS_FILE} to a file.
     *
     * @param users        the batch's users
     * @param rejectedRows the rows CSV validation rejected
     * @param file         the file, replaced atomically
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeErrors(Collection<MigrationUser> users, Collection<RejectedRow> rejectedRows, Path file) {
        ReportCsv.writeAtomically(file, out -> writeErrors(users, rejectedRows, out));
    }

    /**
     * Writes a skipped-items report, one row per item in the given order. Kind is written in
     * Exchange's style: {@code Corrupt}, {@code RefusedByTarget}, {@code LargeItem}, and
     * {@code NonMailFolder} for a whole source folder left out (one row per folder, SourceUid 0, its
     * item count in the Reason).
     *
     * @param items the items, usually of one user; not {@code null}
     * @param out   where to write; flushed, not closed
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeSkippedItems(Collection<SkippedItem> items, OutputStream out) {
        Objects.requireNonNull(items, "items");
        try (ReportCsv csv = new ReportCsv(out, SKIPPED_ITEMS_COLUMNS)) {
            for (SkippedItem item : items) {
                csv.row(ReportCsv.text(item.emailAddress()),
                        ReportCsv.text(item.folder()),
                        ReportCsv.time(item.date()),
                        ReportCsv.text(item.subject()),
                        item.size() < 0 ? "" : ReportCsv.number(item.size()),
                        ReportCsv.text(kindName(item.kind())),
                        ReportCsv.text(item.reason()),
                        ReportCsv.number(item.sourceUid()),
                        ReportCsv.time(item.recordedAt()));
            }
        }
    }

    /**
     * Writes a skipped-items report to a file.
     *
     * @param items the items
     * @param file  the file, replaced atomically
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static void writeSkippedItems(Collection<SkippedItem> items, Path file) {
        ReportCsv.writeAtomically(file, out -> writeSkippedItems(items, out));
    }

    /**
     * Writes every report of a batch into a directory: {@value #STATISTICS_FILE} and
     * {@value #ERRORS_FILE} (always, even with only a header), and for each user with at least one
     * skipped item {@value #SKIPPED_ITEMS_DIRECTORY}{@code /}{@link #skippedItemsFileName(String)}.
     * Files of the same names are replaced; other files are left alone.
     *
     * @param directory    the report directory, created if missing
     * @param users        the batch's users
     * @param rejectedRows the rows CSV validation rejected ({@link MigrationCsv#rejectedRows()}), or an
     *                     empty list
     * @param skippedItems a user's skipped items by e-mail address; may return {@code null} or an empty
     *                     list for none
     * @return the files written, statistics first, then errors, then skipped items in user order
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static List<Path> writeAll(Path directory, List<MigrationUser> users, List<RejectedRow> rejectedRows,
                                      Function<String, List<SkippedItem>> skippedItems) {
        return writeAll(directory, users, rejectedRows, skippedItems, email -> null);
    }

    /**
     * Writes every report of a batch into a directory, as
     * {@link #writeAll(Path, List, List, Function)}, with the users' sync durations in
     * {@value #STATISTICS_FILE}.
     *
     * @param directory    the report directory, created if missing
     * @param users        the batch's users
     * @param rejectedRows the rows CSV validation rejected, or an empty list
     * @param skippedItems a user's skipped items by e-mail address; may return {@code null} or an empty
     *                     list for none
     * @param times        a user's sync times by e-mail address (e.g.
     *                     {@link SyncTimesRecorder#forBatch(String)}); may return {@code null} for unknown
     * @return the files written, statistics first, then errors, then skipped items in user order
     * @throws java.io.UncheckedIOException if writing fails
     */
    public static List<Path> writeAll(Path directory, List<MigrationUser> users, List<RejectedRow> rejectedRows,
                                      Function<String, List<SkippedItem>> skippedItems,
                                      Function<String, UserSyncTimes> times) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(rejectedRows, "rejectedRows");
        Objects.requireNonNull(skippedItems, "skippedItems");
        List<Path> written = new ArrayList<>();
        Path statistics = directory.resolve(STATISTICS_FILE);
        writeStatistics(users, times, statistics);
        written.add(statistics);
        Path errors = directory.resolve(ERRORS_FILE);
        writeErrors(users, rejectedRows, errors);
        written.add(errors);
        Set<String> usedNames = new HashSet<>();
        for (MigrationUser user : users) {
            List<SkippedItem> items = skippedItems.apply(user.emailAddress());
            if (items == null || items.isEmpty()) {
                continue;
            }
            String name = skippedItemsFileName(user.emailAddress());
            String unique = name;
            for (int n = 2; !usedNames.add(unique.toLowerCase(Locale.ROOT)); n++) {
                unique = name.substring(0, name.length() - ".csv".length()) + "-" + n + ".csv";
            }
            Path file = directory.resolve(SKIPPED_ITEMS_DIRECTORY).resolve(unique);
            writeSkippedItems(items, file);
            written.add(file);
        }
        return List.copyOf(written);
    }

    /**
     * Returns the file name of a user's skipped-items report: the address in lower case with every
     * character other than {@code a-z 0-9 @ . _ + -} replaced by {@code _}, never starting with a dot,
     * at most 200 characters, plus {@code .csv}; e.g. {@code terry.adams@contoso.edu.csv}. Safe on
     * every file system ({@link #writeAll} adds {@code -2}, {@code -3} to names that collide).
     *
     * @param emailAddress the user's address, not {@code null}
     * @return the file name
     */
    public static String skippedItemsFileName(String emailAddress) {
        String lower = emailAddress.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lower.length() && sb.length() < 200; i++) {
            char c = lower.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "@._+-".indexOf(c) >= 0;
            sb.append(safe ? c : '_');
        }
        if (sb.length() == 0 || sb.charAt(0) == '.') {
            sb.insert(0, '_');
        }
        return sb + ".csv";
    }

    private static String kindName(SkippedItemKind kind) {
        StringBuilder sb = new StringBuilder();
        for (String word : kind.name().split("_")) {
            sb.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
