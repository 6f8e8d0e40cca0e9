package io.mailferry.core.store;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A batch as persisted.
 *
 * @param name                the batch's unique name, never {@code null}
 * @param sourceEndpoint      the source endpoint's name, never {@code null}
 * @param targetEndpoint      the target endpoint's name, never {@code null}
 * @param options             the batch's options, never {@code null}
 * @param status              its status, never {@code null}
 * @param createdAt           creation time, never {@code null}
 * @param startedAt           first start, or {@code null}
 * @param initialSyncAt       when every user had finished initial sync, or {@code null}
 * @param initialSyncDuration how long that took, or {@code null}
 * @param lastSyncedAt        end of the last pass, or {@code null}
 * @param completedAt         when the batch was completed, or {@code null}
 * @param createdBy           who created it, or {@code null}
 */
public record BatchRecord(
        String name,
        String sourceEndpoint,
        String targetEndpoint,
        BatchOptions options,
        BatchStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant initialSyncAt,
        Duration initialSyncDuration,
        Instant lastSyncedAt,
        Instant completedAt,
        String createdBy) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a required component is {@code null}
     */
    public BatchRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceEndpoint, "sourceEndpoint");
        Objects.requireNonNull(targetEndpoint, "targetEndpoint");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * A record without completion time and creator.
     *
     * @param name                see the component
     * @param sourceEndpoint      see the component
     * @param targetEndpoint      see the component
     * @param options             see the component
     * @param status              see the component
     * @param createdAt           see the component
     * @param startedAt           see the component
     * @param initialSyncAt       see the component
     * @param initialSyncDuration see the component
     * @param lastSyncedAt        see the component
     */
    public BatchRecord(String name, String sourceEndpoint, String targetEndpoint, BatchOptions options,
                       BatchStatus status, Instant createdAt, Instant startedAt, Instant initialSyncAt,
                       Duration initialSyncDuration, Instant lastSyncedAt) {
        this(name, sourceEndpoint, targetEndpoint, options, status, createdAt, startedAt, initialSyncAt,
                initialSyncDuration, lastSyncedAt, null, null);
    }

    /**
     * @param newStatus the new status
     * @return a copy with that status
     */
    public BatchRecord withStatus(BatchStatus newStatus) {
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, options, newStatus, createdAt, startedAt,
                initialSyncAt, initialSyncDuration, lastSyncedAt, completedAt, createdBy);
    }

    /**
     * @param newOptions the new options
     * @return a copy with them
     */
    public BatchRecord withOptions(BatchOptions newOptions) {
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, newOptions, status, createdAt, startedAt,
                initialSyncAt, initialSyncDuration, lastSyncedAt, completedAt, createdBy);
    }

    /**
     * @param started first start time
     * @return a copy with it (kept if already set)
     */
    public BatchRecord withStartedAt(Instant started) {
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, options, status, createdAt,
                startedAt != null ? startedAt : started, initialSyncAt, initialSyncDuration, lastSyncedAt, completedAt,
                createdBy);
    }

    /**
     * @param passEnd end of a pass; also records initial sync time and duration the first time
     * @return a copy with the times
     */
    public BatchRecord withPassEnd(Instant passEnd) {
        Instant initial = initialSyncAt != null ? initialSyncAt : passEnd;
        Duration duration = initialSyncDuration != null ? initialSyncDuration
                : (startedAt != null ? Duration.between(startedAt, passEnd) : null);
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, options, status, createdAt, startedAt,
                initial, duration, passEnd, completedAt, createdBy);
    }

    /**
     * @param passEnd end of a pass that did not finish initial sync (e.g. with failed users)
     * @return a copy with the last synced time only
     */
    public BatchRecord withLastSyncedAt(Instant passEnd) {
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, options, status, createdAt, startedAt,
                initialSyncAt, initialSyncDuration, passEnd, completedAt, createdBy);
    }

    /**
     * @param completed completion time
     * @return a copy with it
     */
    public BatchRecord withCompletedAt(Instant completed) {
        return new BatchRecord(name, sourceEndpoint, targetEndpoint, options, status, createdAt, startedAt,
                initialSyncAt, initialSyncDuration, lastSyncedAt, completed, createdBy);
    }
}
