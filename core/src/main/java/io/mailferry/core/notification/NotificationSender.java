package io.mailferry.core.notification;

/**
 * Delivers {@link Notification}s to their recipients: the SPI behind the batch report e-mail.
 *
 * <pre>{@code
 * NotificationSender sender = notification -> myMailApi.send(
 *         notification.recipients(), notification.subject(), notification.text(), notification.attachments());
 * }</pre>
 *
 * <p><strong>Contract.</strong>
 * <ul>
 * <li>{@link #send} delivers one notification to every recipient, or throws. It may block (e.g. for
 *     an SMTP conversation) but must give up within a bounded time (connect and read timeouts), so
 *     that a dead server cannot hold the caller forever.</li>
 * <li>A failure is a {@link NotificationException} whose message says what failed (server,
 *     response) and never contains a password or token. Other runtime exceptions are treated the
 *     same way by MailFerry's callers, but implementations should not throw them.</li>
 * <li>Callers never call {@code send} on a thread that copies mail; a failure never fails a
 *     migration.</li>
 * <li>Implementations must be thread-safe; MailFerry's reporter calls {@code send} from one thread
 *     at a time.</li>
 * </ul>
 */
@FunctionalInterface
public interface NotificationSender {

    /**
     * Sends a notification to all its recipients.
     *
     * @param notification what to send, never {@code null}
     * @throws NotificationException if it could not be delivered (to the server that accepts it for
     *                               delivery, for SMTP); the message contains no secret
     */
    void send(Notification notification);
}
