package io.mailferry.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one mailbox in a batch (Exchange: {@code Get-MigrationUser} and
 * {@code Get-MigrationUserStatistics}). Immutable; ask the batch again for fresh values.
 *
 * @param batchName        the batch the user belongs to, never {@code null}
 * @param emailAddress     the target mailbox, which identifies the user, never {@code null}
 * @param sourceUserName   the source login, never {@code null}
 * @param status           the user's status, never {@code null}
 * @param stage            what the user's migration is doing now ({@code WorkflowStage}), never
 *                         {@code null}
 * @param statistics       counters and times, never {@code null}
 * @param error            why the user failed, or {@code null}; the same text goes into
 *                         {@code MigrationErrors.csv}
 * @param lastStatusChange when {@code status} last changed, never {@code null}
 * @param statusDetail     what the user waits for or why it is stalled, e.g. its StartAfter time,
 *                         missing credentials or a retry after a dropped connection; {@code null}
 *                         when there is nothing to add to the status
 * @param overrides        the user's own StartAfter, CompleteAfter and limits, never {@code null}
 */
public record MigrationUser(
        String batchName,
        String emailAddress,
        String sourceUserName,
        MigrationUserStatus status,
        SyncStage stage,
        MigrationUserStatistics statistics,
        String error,
        Instant lastStatusChange,
        String statusDetail,
        UserOverrides overrides) {

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
        Objects.requireNonNull(overrides, "overrides");
    }

    /**
     * A snapshot without status detail or overrides.
     *
     * @param batchName        see the component
     * @param emailAddress     see the component
     * @param sourceUserName   see the component
     * @param status           see the component
     * @param stage            see the component
     * @param statistics       see the component
     * @param error            see the component
     * @param lastStatusChange see the component
     */
    public MigrationUser(String batchName, String emailAddress, String sourceUserName, MigrationUserStatus status,
                         SyncStage stage, MigrationUserStatistics statistics, String error, Instant lastStatusChange) {
        this(batchName, emailAddress, sourceUserName, status, stage, statistics, error, lastStatusChange, null,
                UserOverrides.NONE);
    }
}
