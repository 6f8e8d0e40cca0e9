package io.mailferry.notification;

import io.mailferry.core.notification.Notification;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A batch's report settings, as Exchange's {@code New-MigrationBatch} takes them:
 * {@code NotificationEmails}, {@code ReportInterval} and {@code SkipReports}. Immutable.
 *
 * @param notificationEmails who gets the reports: plain addresses, no duplicates (ignoring case);
 *                           empty means no report is sent (the cmdlet's default)
 * @param reportInterval     how often a periodic report goes out while the batch runs or is synced;
 *                           {@link Duration#ZERO} disables periodic reports (status reports still go
 *                           out); never negative. Default 24 hours
 * @param skipReports        {@code true} turns reporting off altogether
 */
public record ReportSettings(List<String> notificationEmails, Duration reportInterval, boolean skipReports) {

    /** Exchange's default {@code ReportInterval}: 24 hours. */
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofHours(24);

    /** No recipients: nothing is sent. */
    public static final ReportSettings NONE = new ReportSettings(List.of(), DEFAULT_REPORT_INTERVAL, false);

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if a component or address is {@code null}
     * @throws IllegalArgumentException if an address is not a single plain address or appears twice,
     *                                  or the interval is negative
     */
    public ReportSettings {
        notificationEmails = List.copyOf(notificationEmails);
        Objects.requireNonNull(reportInterval, "reportInterval");
        Set<String> seen = new LinkedHashSet<>();
        for (String address : notificationEmails) {
            Notification.checkAddress(address);
            if (!seen.add(address.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("notification address '" + address + "' appears twice");
            }
        }
        if (reportInterval.isNegative()) {
            throw new IllegalArgumentException("reportInterval must be 0 (never) or positive");
        }
    }

    /**
     * Returns settings that send to these addresses every 24 hours and on status changes.
     *
     * @param notificationEmails the recipients
     * @return the settings
     */
    public static ReportSettings to(String... notificationEmails) {
        return new ReportSettings(List.of(notificationEmails), DEFAULT_REPORT_INTERVAL, false);
    }

    /**
     * @param interval the new interval; {@link Duration#ZERO} for no periodic reports
     * @return a copy with that interval
     */
    public ReportSettings withReportInterval(Duration interval) {
        return new ReportSettings(notificationEmails, interval, skipReports);
    }

    /** Returns {@code true} if any report is sent: recipients given and reports not skipped. */
    public boolean sendsReports() {
        return !skipReports && !notificationEmails.isEmpty();
    }

    /** Returns {@code true} if periodic reports are sent. */
    public boolean sendsPeriodicReports() {
        return sendsReports() && !reportInterval.isZero();
    }
}
