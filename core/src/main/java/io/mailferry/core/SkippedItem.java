package io.mailferry.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A message that was not migrated, and why (Exchange: "Skipped item details").
 *
 * @param emailAddress the user's target mailbox, never {@code null}
 * @param folder       source folder name (Unicode, source hierarchy separator), never {@code null}
 * @param sourceUid    the message's UID in the source folder, or 0 when it has none
 * @param subject      the message's Subject, or {@code null} if unknown
 * @param date         the message's INTERNALDATE, or {@code null} if unknown
 * @param size         the message's size in bytes, or -1 if unknown
 * @param kind         the kind of problem, never {@code null}
 * @param reason       a human-readable reason, e.g. the server's answer; never {@code null}
 * @param recordedAt   when it was recorded, never {@code null}
 */
public record SkippedItem(
        String emailAddress,
        String folder,
        long sourceUid,
        String subject,
        Instant date,
        long size,
        SkippedItemKind kind,
        String reason,
        Instant recordedAt) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is {@code null}
     */
    public SkippedItem {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
