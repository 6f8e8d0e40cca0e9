/**
 * The notification SPI: how MailFerry hands a message for administrators (the batch report e-mail
 * of the Exchange migration service, sent to a batch's {@code NotificationEmails}) to whatever
 * delivers it.
 *
 * <p>A {@link io.mailferry.core.notification.NotificationSender} receives an immutable
 * {@link io.mailferry.core.notification.Notification}: recipients, subject, plain text and
 * attachments. MailFerry ships an SMTP implementation (module {@code mailferry-notification},
 * {@code SmtpNotificationSender}); a host can implement the interface to send through its own
 * mail API, a chat webhook, or a queue.
 *
 * <p>Sending is never part of a migration: a failure is reported to the caller as a
 * {@link io.mailferry.core.notification.NotificationException}, which the reporter logs and
 * records, and the batch carries on. Nothing here holds or shows a secret.
 */
package io.mailferry.core.notification;
