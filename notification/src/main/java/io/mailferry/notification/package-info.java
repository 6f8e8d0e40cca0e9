/**
 * The batch report e-mail of the Exchange migration service: who gets it, when, what it says, and an
 * SMTP sender.
 *
 * <ul>
 * <li>{@link io.mailferry.notification.BatchReporter} listens to a
 *     {@link io.mailferry.core.MigrationService} and sends a batch's report when the batch reaches
 *     {@code Synced}/{@code SyncedWithErrors}, {@code Completed}/{@code CompletedWithErrors} or
 *     {@code Failed}, and at every {@link io.mailferry.core.MigrationEvent.ReportDue} (the service's
 *     {@code ReportInterval} timer), to the batch's {@code NotificationEmails}
 *     ({@link io.mailferry.core.BatchOptions}). A failure to send is logged and recorded on the batch
 *     ({@link io.mailferry.core.MigrationBatch#lastNotification()},
 *     {@link io.mailferry.core.MigrationEvent.NotificationFailed}) and as a
 *     {@link io.mailferry.notification.ReportDelivery}; it never fails a migration.</li>
 * <li>{@link io.mailferry.notification.BatchReportComposer} writes the message: subject in Exchange's
 *     wording ({@code Migration batch wave-1 has completed with errors}), a plain-text summary, and
 *     {@code MigrationStatistics.csv} and {@code MigrationErrors.csv} attached.</li>
 * <li>{@link io.mailferry.notification.SmtpNotificationSender} implements
 *     {@link io.mailferry.core.notification.NotificationSender} with Angus Mail (STARTTLS, TLS, AUTH);
 *     a host can use any other sender instead.</li>
 * </ul>
 *
 * <pre>{@code
 * SmtpSettings smtp = SmtpSettings.builder("smtp.contoso.edu")
 *         .credentials(new Credentials("reports@contoso.edu", smtpPassword))
 *         .from("reports@contoso.edu").build();
 * BatchReporter reporter = BatchReporter.builder(new SmtpNotificationSender(smtp)).build();
 * MigrationService service = MigrationService.builder().listener(reporter).build();
 * reporter.bind(service);
 * }</pre>
 *
 * <p>No secret ever appears in a message, a report, a log line or an exception of this package.
 */
package io.mailferry.notification;
