package io.mailferry.notification;

import io.mailferry.core.BatchStatus;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one attempt to send a batch report: what the host reads (and shows) to learn that
 * reports go out, or why they do not. A failed delivery never affects the migration.
 *
 * @param batchName  the batch
 * @param status     the status the report was about
 * @param trigger    why it was made
 * @param subject    the subject of the message
 * @param recipients who it was for
 * @param time       when the report was triggered
 * @param error      why sending failed, without secrets; {@code null} if it was sent
 */
public record ReportDelivery(
        String batchName,
        BatchStatus status,
        ReportTrigger trigger,
        String subject,
        List<String> recipients,
        Instant time,
        String error) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component other than {@code error} is {@code null}
     */
    public ReportDelivery {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(subject, "subject");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(time, "time");
    }

    /** Returns {@code true} if the server accepted the message. */
    public boolean sent() {
        return error == null;
    }
}
