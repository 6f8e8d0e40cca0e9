package io.mailferry.core.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of the latest attempt to send a batch's notification (its report e-mail to the
 * batch's {@code NotificationEmails}), as recorded on the batch with
 * {@link io.mailferry.core.MigrationBatch#recordNotification} and persisted with it. Immutable;
 * holds no secret.
 *
 * @param time    when the report was made (the service's clock), never {@code null}
 * @param subject the subject of the message, one line, at most {@value #MAX_TEXT} characters
 *                (longer ones are cut), never {@code null}
 * @param error   why sending failed, without secrets (e.g. {@code Could not send the e-mail through
 *                smtp.contoso.edu:587 (STARTTLS): connection refused}), one line, at most
 *                {@value #MAX_TEXT} characters (longer ones are cut); {@code null} if the message was
 *                accepted for delivery
 */
public record NotificationOutcome(Instant time, String subject, String error) {

    /** The longest subject or error kept, in characters. */
    public static final int MAX_TEXT = 1000;

    /**
     * Validates the components, puts line breaks as spaces and cuts long texts.
     *
     * @throws NullPointerException if {@code time} or {@code subject} is {@code null}
     */
    public NotificationOutcome {
        Objects.requireNonNull(time, "time");
        subject = oneLine(Objects.requireNonNull(subject, "subject"));
        error = error == null ? null : oneLine(error);
    }

    /**
     * @param time    when
     * @param subject the subject
     * @return the outcome of a message the server accepted
     */
    public static NotificationOutcome sent(Instant time, String subject) {
        return new NotificationOutcome(time, subject, null);
    }

    /**
     * @param time    when
     * @param subject the subject
     * @param error   why it failed, without secrets
     * @return the outcome of a message that could not be sent
     */
    public static NotificationOutcome failed(Instant time, String subject, String error) {
        return new NotificationOutcome(time, subject, Objects.requireNonNull(error, "error"));
    }

    /** Returns {@code true} if the message was accepted for delivery. */
    public boolean isSent() {
        return error == null;
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT - 3) + "..." : s;
    }
}
