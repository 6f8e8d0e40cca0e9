package io.mailferry.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one mailbox in a batch (Exchange: {@code Get-MigrationUser}). Immutable; ask the
 * batch again for fresh values.
 *
 * @param batchName       the batch the user belongs to, never {@code null}
 * @param emailAddress    the target mailbox, which identifies the user, never {@code null}
 * @param sourceUserName  the source login, never {@code null}
 * @param status          the user's status, never {@code null}
 * @param stage           what the user's migration is doing now, never {@code null}
 * @param statistics      counters, never {@code null}
 * @param error           why the user failed, or {@code null}; the same text goes into
 *                        {@code MigrationErrors.csv}
 * @param lastStatusChange when {@code status} last changed, never {@code null}
 */
public record MigrationUser(
        String batchName,
        String emailAddress,
        String sourceUserName,
        MigrationUserStatus status,
        SyncStage stage,
        MigrationUserStatistics statistics,
        String error,
        Instant lastStatusChange) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is {@code null}
     */
    public MigrationUser {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(sourceUserName, "sourceUserName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(lastStatusChange, "lastStatusChange");
    }
}
