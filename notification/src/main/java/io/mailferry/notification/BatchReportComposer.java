package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationAttachment;
import io.mailferry.csv.MigrationReports;
import io.mailferry.csv.RejectedRow;

import java.io.ByteArrayOutputStream;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Writes the batch report e-mail, as the Exchange migration service sends it to a batch's
 * {@code NotificationEmails}: a subject in Exchange's wording, a plain-text summary, and
 * {@value MigrationReports#STATISTICS_FILE} and {@value MigrationReports#ERRORS_FILE} attached
 * (written with {@link MigrationReports}, byte for byte as that writes the files).
 *
 * <p><strong>Subjects.</strong> A status report says what happened, e.g.
 * {@code Migration batch wave-1 has completed with errors}:
 * <table>
 * <caption>Subjects of status reports</caption>
 * <tr><th>Status</th><th>Subject</th></tr>
 * <tr><td>Synced</td><td>{@code Migration batch <name> has synced successfully}</td></tr>
 * <tr><td>SyncedWithErrors</td><td>{@code Migration batch <name> has synced with errors}</td></tr>
 * <tr><td>Completed</td><td>{@code Migration batch <name> has completed successfully}</td></tr>
 * <tr><td>CompletedWithErrors</td><td>{@code Migration batch <name> has completed with errors}</td></tr>
 * <tr><td>Failed</td><td>{@code Migration batch <name> has failed}</td></tr>
 * </table>
 * Periodic and requested reports, and any other status: {@code Migration batch <name> status
 * report: <Status>}.
 *
 * <p><strong>Text</strong> (English, times in UTC ISO-8601, numbers with thousands separators): the
 * batch's status and counts of mailboxes (synced, completed, failed, stopped, in progress), rejected
 * CSV rows, items migrated and skipped, data migrated, its times (created, started, initial sync,
 * last synced) and duration (from the first start to the report), then the failed mailboxes with
 * their errors and the rejected rows with their reasons, each list cut after
 * {@value #MAX_LISTED} entries (the attachments have them all), and what the attachments are.
 * Passwords never appear: the report holds none.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchReportComposer {

    /** The most failed users, and the most rejected rows, the text lists; the CSV files list all. */
    public static final int MAX_LISTED = 25;

    /** The longest error message the text shows for one user, in characters. */
    private static final int MAX_ERROR_LENGTH = 300;

    private BatchReportComposer() {
    }

    /**
     * Writes the e-mail of a report.
     *
     * @param report     the report
     * @param recipients who gets it
     * @return the notification: subject, text and the two CSV reports attached
     * @throws IllegalArgumentException as {@link Notification}
     */
    public static Notification compose(BatchReport report, List<String> recipients) {
        return new Notification(recipients, subject(report), text(report), attachments(report));
    }

    /**
     * Returns the subject of a report, in Exchange's wording.
     *
     * @param report the report
     * @return the subject, one line
     */
    public static String subject(BatchReport report) {
        String prefix = "Migration batch " + report.batchName();
        if (report.trigger() == ReportTrigger.STATUS) {
            switch (report.status()) {
                case SYNCED:
                    return prefix + " has synced successfully";
                case SYNCED_WITH_ERRORS:
                    return prefix + " has synced with errors";
                case COMPLETED:
                    return prefix + " has completed successfully";
                case COMPLETED_WITH_ERRORS:
                    return prefix + " has completed with errors";
                case FAILED:
                    return prefix + " has failed";
                default:
                    break;
            }
        }
        return prefix + " status report: " + report.status().displayName();
    }

    /**
     * Returns the two CSV reports of a report, {@value MigrationReports#STATISTICS_FILE} (with the
     * users' sync durations) and {@value MigrationReports#ERRORS_FILE}.
     *
     * @param report the report
     * @return the attachments, statistics first
     */
    public static List<NotificationAttachment> attachments(BatchReport report) {
        ByteArrayOutputStream statistics = new ByteArrayOutputStream();
        MigrationReports.writeStatistics(report.users(), report::syncTimes, statistics);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        MigrationReports.writeErrors(report.users(), report.rejectedRows(), errors);
        return List.of(
                new NotificationAttachment(MigrationReports.STATISTICS_FILE, NotificationAttachment.CSV_UTF8,
                        statistics.toByteArray()),
                new NotificationAttachment(MigrationReports.ERRORS_FILE, NotificationAttachment.CSV_UTF8,
                        errors.toByteArray()));
    }

    /**
     * Returns the plain-text summary of a report.
     *
     * @param report the report
     * @return the text, lines ending with LF
     */
    public static String text(BatchReport report) {
        MigrationBatchStatistics s = report.statistics();
        StringBuilder t = new StringBuilder();
        String subject = subject(report);
        t.append(subject).append(".\n\n");
        line(t, "Batch", report.batchName());
        line(t, "Status", report.status().displayName());
        line(t, "Report time", time(report.time()));
        line(t, "Mailboxes", number(s.totalCount()) + " (" + number(s.syncedCount()) + " synced, "
                + number(s.finalizedCount()) + " completed, " + number(s.failedCount()) + " failed, "
                + number(s.stoppedCount()) + " stopped, " + number(s.activeCount()) + " in progress)");
        line(t, "Rejected CSV rows", number(report.rejectedRows().size()));
        line(t, "Items migrated", number(s.syncedItemCount()));
        line(t, "Items skipped", number(s.skippedItemCount()));
        line(t, "Data migrated", size(s.bytesTransferred()));
        line(t, "Created", time(s.creationTime()));
        line(t, "Started", s.startTime() == null ? "not yet" : time(s.startTime()));
        if (s.initialSyncTime() != null) {
            line(t, "Initial sync", "finished " + time(s.initialSyncTime())
                    + (s.initialSyncDuration() == null ? "" : " after " + duration(s.initialSyncDuration())));
        }
        if (s.lastSyncedTime() != null) {
            line(t, "Last synced", time(s.lastSyncedTime()));
        }
        if (s.startTime() != null && !report.time().isBefore(s.startTime())) {
            line(t, "Duration", duration(Duration.between(s.startTime(), report.time())) + " since the batch started");
        }

        List<MigrationUser> failed = report.failedUsers();
        if (!failed.isEmpty()) {
            t.append("\nMailboxes that failed (").append(number(failed.size())).append("):\n");
            for (MigrationUser u : failed.subList(0, Math.min(MAX_LISTED, failed.size()))) {
                String error = u.error() != null ? u.error() : "status " + u.status().displayName() + ", no error recorded";
                t.append("  ").append(u.emailAddress()).append(": ").append(shortened(error)).append('\n');
            }
            more(t, failed.size());
        }
        List<RejectedRow> rejected = report.rejectedRows();
        if (!rejected.isEmpty()) {
            t.append("\nCSV rows that were rejected and not migrated (").append(number(rejected.size())).append("):\n");
            for (RejectedRow r : rejected.subList(0, Math.min(MAX_LISTED, rejected.size()))) {
                t.append("  ").append(shortened(r.message())).append('\n');
            }
            more(t, rejected.size());
        }
        t.append("\nAttached:\n");
        t.append("  ").append(MigrationReports.STATISTICS_FILE)
                .append(" - one row per mailbox: status, items synced and skipped, bytes, times and durations.\n");
        t.append("  ").append(MigrationReports.ERRORS_FILE)
                .append(" - one row per mailbox that failed and per rejected CSV row, with the reason.\n");
        t.append("\nThis report was sent by MailFerry to the notification addresses of migration batch ")
                .append(report.batchName()).append(".\n");
        return t.toString();
    }

    private static void more(StringBuilder t, int total) {
        if (total > MAX_LISTED) {
            t.append("  ... and ").append(number(total - MAX_LISTED)).append(" more; all are listed in ")
                    .append(MigrationReports.ERRORS_FILE).append(".\n");
        }
    }

    private static void line(StringBuilder t, String label, String value) {
        t.append(label).append(':');
        for (int i = label.length() + 1; i < 20; i++) {
            t.append(' ');
        }
        t.append(' ').append(value).append('\n');
    }

    private static String shortened(String text) {
        String one = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return one.length() <= MAX_ERROR_LENGTH ? one : one.substring(0, MAX_ERROR_LENGTH) + "...";
    }

    private static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Formats a size: bytes below 1 KB, else one decimal in KB, MB, GB or TB (powers of 1024), with
     * the exact number of bytes, e.g. {@code 1.2 GB (1,234,567,890 bytes)}.
     */
    static String size(long bytes) {
        if (bytes < 1024) {
            return number(bytes) + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%s bytes)", value, units[unit], number(bytes));
    }

    /** Formats a duration as days, hours, minutes and seconds, largest first, e.g. {@code 1 d 2 h 3 min}. */
    static String duration(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + " d " + hours + " h " + minutes + " min";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        return minutes > 0 ? minutes + " min " + secs + " s" : secs + " s";
    }

    static boolean isStatusReport(BatchStatus status) {
        return switch (status) {
            case SYNCED, SYNCED_WITH_ERRORS, COMPLETED, COMPLETED_WITH_ERRORS, FAILED -> true;
            default -> false;
        };
    }
}
