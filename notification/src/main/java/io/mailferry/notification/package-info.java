/**
 * The batch report e-mail of the Exchange migration service: who gets it, when, what it says, and an
 * SMTP sender.
 *
 * <ul>
 * <li>{@link io.mailferry.notification.BatchReporter} listens to a
 *     {@link io.mailferry.core.MigrationService} and decides when a batch's report goes out: when the
 *     batch reaches {@code Synced}/{@code SyncedWithErrors}, {@code Completed}/{@code CompletedWithErrors}
 *     or {@code Failed}, and every {@code ReportInterval}, to its {@code NotificationEmails}
 *     ({@link io.mailferry.notification.ReportSettings}). A failure to send is logged and recorded
 *     ({@link io.mailferry.notification.ReportDelivery}), never fails a migration.</li>
 * <li>{@link io.mailferry.notification.BatchReportComposer} writes the message: subject in Exchange's
 *     wording ({@code Migration batch wave-1 has completed with errors}), a plain-text summary, and
 *     {@code MigrationStatistics.csv} and {@code MigrationErrors.csv} attached.</li>
 * <li>{@link io.mailferry.notification.SmtpNotificationSender} implements
 *     {@link io.mailferry.core.notification.NotificationSender} with Angus Mail (STARTTLS, TLS, AUTH);
 *     a host can use any other sender instead.</li>
 * <li>{@link io.mailferry.notification.ReportTimer} is the clock and timer of periodic reports, so
 *     tests can move time instead of waiting.</li>
 * </ul>
 *
 * <pre>{@code
 * SmtpSettings smtp = SmtpSettings.builder("smtp.contoso.edu")
 *         .credentials(new Credentials("reports@contoso.edu", smtpPassword))
 *         .from("reports@contoso.edu").build();
 * BatchReporter reporter = BatchReporter.builder(new SmtpNotificationSender(smtp))
 *         .settings(ReportSettings.to("admin@contoso.edu"))
 *         .build();
 * MigrationService service = MigrationService.builder().listener(reporter).build();
 * reporter.bind(service);
 * }</pre>
 *
 * <p>No secret ever appears in a message, a report, a log line or an exception of this package.
 */
package io.mailferry.notification;
