package io.mailferry.core.store;

import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A batch's user as persisted: the CSV row without passwords, status and statistics.
 *
 * @param batchName        the batch, never {@code null}
 * @param entry            the user's row, with passwords removed
 *                         ({@link MigrationUserEntry#withoutSecrets()}), never {@code null}
 * @param status           the user's status, never {@code null}
 * @param statistics       cumulative counters, never {@code null}
 * @param error            why the user failed, or {@code null}
 * @param lastStatusChange when the status last changed, never {@code null}
 * @param statusDetail     what the user waited for when it was saved (e.g. credentials), or
 *                         {@code null}
 */
public record UserRecord(
        String batchName,
        MigrationUserEntry entry,
        MigrationUserStatus status,
        MigrationUserStatistics statistics,
        String error,
        Instant lastStatusChange,
        String statusDetail) {

    /**
     * Validates the components and checks that the entry holds no password.
     *
     * @throws NullPointerException     if a required component is {@code null}
     * @throws IllegalArgumentException if the entry still holds a password
     */
    public UserRecord {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(lastStatusChange, "lastStatusChange");
        if (entry.sourcePassword() != null || (entry.targetPassword() != null && !entry.targetPassword().isEmpty())) {
            throw new IllegalArgumentException("a persisted user must not hold passwords: use entry.withoutSecrets()");
        }
    }

    /**
     * A record without status detail.
     *
     * @param batchName        see the component
     * @param entry            see the component
     * @param status           see the component
     * @param statistics       see the component
     * @param error            see the component
     * @param lastStatusChange see the component
     */
    public UserRecord(String batchName, MigrationUserEntry entry, MigrationUserStatus status,
                      MigrationUserStatistics statistics, String error, Instant lastStatusChange) {
        this(batchName, entry, status, statistics, error, lastStatusChange, null);
    }

    /** Returns the user's e-mail address (the target mailbox). */
    public String emailAddress() {
        return entry.emailAddress();
    }

    /**
     * Returns the key of this user's folder states: the pair of target mailbox and source login.
     * It does not depend on the batch, so a mailbox moved to another batch, or migrated again by a
     * new batch, continues from its checkpoints instead of being copied twice.
     */
    public String mailboxKey() {
        return mailboxKey(entry);
    }

    /**
     * @param entry a user row
     * @return its mailbox key: lower-cased e-mail address and source login
     */
    public static String mailboxKey(MigrationUserEntry entry) {
        return entry.emailAddress().trim().toLowerCase(Locale.ROOT) + "|" + entry.sourceUserName().trim();
    }
}
