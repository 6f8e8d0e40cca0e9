package io.mailferry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a new batch (Exchange: {@code New-MigrationBatch}); obtained from
 * {@link MigrationService#newBatch(String)}. Not thread-safe.
 *
 * <pre>{@code
 * MigrationBatch batch = service.newBatch("wave-1")
 *         .sourceEndpoint("old-host")            // an endpoint the service knows, or a MigrationEndpoint
 *         .targetEndpoint(target)
 *         .users(entries)
 *         .badItemLimit(ItemLimit.of(10))
 *         .excludeFolders(List.of("#JunkEmail#", "#DeletedItems#/*"))
 *         .notificationEmails(List.of("admin@example.org"))
 *         .autoStart(true)
 *         .create();
 * }</pre>
 */
public final class MigrationBatchBuilder {

    private final String name;
    private final Function<BatchDefinition, MigrationBatch> creator;
    private final Function<String, MigrationEndpoint> endpoints;
    private MigrationEndpoint sourceEndpoint;
    private MigrationEndpoint targetEndpoint;
    private String sourceEndpointName;
    private String targetEndpointName;
    private final List<MigrationUserEntry> users = new ArrayList<>();
    private BatchOptions.Builder options = BatchOptions.builder();
    private String createdBy;

    MigrationBatchBuilder(String name, Function<BatchDefinition, MigrationBatch> creator,
                          Function<String, MigrationEndpoint> endpoints) {
        this.name = Objects.requireNonNull(name, "name");
        this.creator = creator;
        this.endpoints = endpoints;
    }

    /**
     * Sets the source endpoint; the service creates it if it does not know it, or updates it.
     *
     * @param endpoint where mail is copied from, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder sourceEndpoint(MigrationEndpoint endpoint) {
        this.sourceEndpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.sourceEndpointName = null;
        return this;
    }

    /**
     * Uses an endpoint the service already has as source.
     *
     * @param endpointName the endpoint's name, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder sourceEndpoint(String endpointName) {
        this.sourceEndpointName = Objects.requireNonNull(endpointName, "endpointName");
        this.sourceEndpoint = null;
        return this;
    }

    /**
     * Sets the target endpoint; the service creates it if it does not know it, or updates it.
     *
     * @param endpoint where mail is copied to, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder targetEndpoint(MigrationEndpoint endpoint) {
        this.targetEndpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.targetEndpointName = null;
        return this;
    }

    /**
     * Uses an endpoint the service already has as target.
     *
     * @param endpointName the endpoint's name, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder targetEndpoint(String endpointName) {
        this.targetEndpointName = Objects.requireNonNull(endpointName, "endpointName");
        this.targetEndpoint = null;
        return this;
    }

    /** @param users users to add, not {@code null} @return this builder */
    public MigrationBatchBuilder users(Collection<MigrationUserEntry> users) {
        this.users.addAll(users);
        return this;
    }

    /** @param user a user to add, not {@code null} @return this builder */
    public MigrationBatchBuilder user(MigrationUserEntry user) {
        this.users.add(Objects.requireNonNull(user, "user"));
        return this;
    }

    /**
     * Replaces every option.
     *
     * @param options the options, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder options(BatchOptions options) {
        this.options = options.toBuilder();
        return this;
    }

    /** @param limit corrupt or refused items tolerated per user (default 0) @return this builder */
    public MigrationBatchBuilder badItemLimit(ItemLimit limit) {
        options.badItemLimit(limit);
        return this;
    }

    /** @param limit too-large items tolerated per user (default 0) @return this builder */
    public MigrationBatchBuilder largeItemLimit(ItemLimit limit) {
        options.largeItemLimit(limit);
        return this;
    }

    /** @param autoStart start as soon as created (default {@code false}) @return this builder */
    public MigrationBatchBuilder autoStart(boolean autoStart) {
        options.autoStart(autoStart);
        return this;
    }

    /** @param autoComplete complete each user once synced (default {@code false}) @return this builder */
    public MigrationBatchBuilder autoComplete(boolean autoComplete) {
        options.autoComplete(autoComplete);
        return this;
    }

    /**
     * @param bytes largest message copied, in bytes; 0 for no limit (default 150 MB)
     * @return this builder
     */
    public MigrationBatchBuilder maxMessageSize(long bytes) {
        options.maxMessageSize(bytes);
        return this;
    }

    /** @param time no data moves before this time, or {@code null} @return this builder */
    public MigrationBatchBuilder startAfter(Instant time) {
        options.startAfter(time);
        return this;
    }

    /** @param time complete by itself once synced and past this time, or {@code null} @return this builder */
    public MigrationBatchBuilder completeAfter(Instant time) {
        options.completeAfter(time);
        return this;
    }

    /** @param allow incremental passes after initial sync (default {@code true}) @return this builder */
    public MigrationBatchBuilder allowIncrementalSyncs(boolean allow) {
        options.allowIncrementalSyncs(allow);
        return this;
    }

    /** @param interval time between automatic incremental passes (default 24 h) @return this builder */
    public MigrationBatchBuilder incrementalSyncInterval(Duration interval) {
        options.incrementalSyncInterval(interval);
        return this;
    }

    /**
     * @param patterns {@link FolderPattern}s of the folders to copy (default: all)
     * @return this builder
     * @throws IllegalArgumentException if a pattern is invalid
     */
    public MigrationBatchBuilder includeFolders(List<String> patterns) {
        options.includeFolders(patterns);
        return this;
    }

    /**
     * @param patterns {@link FolderPattern}s of the folders not to copy
     * @return this builder
     * @throws IllegalArgumentException if a pattern is invalid
     */
    public MigrationBatchBuilder excludeFolders(List<String> patterns) {
        options.excludeFolders(patterns);
        return this;
    }

    /** @param time copy only messages received at or after this time, or {@code null} @return this builder */
    public MigrationBatchBuilder receivedAfter(Instant time) {
        options.receivedAfter(time);
        return this;
    }

    /** @param time copy only messages received before this time, or {@code null} @return this builder */
    public MigrationBatchBuilder receivedBefore(Instant time) {
        options.receivedBefore(time);
        return this;
    }

    /** @param addresses report recipients @return this builder */
    public MigrationBatchBuilder notificationEmails(List<String> addresses) {
        options.notificationEmails(addresses);
        return this;
    }

    /** @param interval report interval (default 24 h, zero for never) @return this builder */
    public MigrationBatchBuilder reportInterval(Duration interval) {
        options.reportInterval(interval);
        return this;
    }

    /** @param priority the batch's priority (default normal) @return this builder */
    public MigrationBatchBuilder priority(BatchPriority priority) {
        options.priority(priority);
        return this;
    }

    /** @param who who creates the batch, shown in its statistics, or {@code null} @return this builder */
    public MigrationBatchBuilder createdBy(String who) {
        this.createdBy = who;
        return this;
    }

    /**
     * Returns the definition without creating the batch.
     *
     * @return the definition
     * @throws InvalidBatchDefinitionException if an endpoint is missing or unknown, or the
     *                                         definition is invalid
     */
    public BatchDefinition definition() {
        MigrationEndpoint source = resolve(sourceEndpoint, sourceEndpointName);
        MigrationEndpoint target = resolve(targetEndpoint, targetEndpointName);
        if (source == null || target == null) {
            throw new InvalidBatchDefinitionException("Batch '" + name + "' needs a source and a target endpoint");
        }
        BatchOptions built;
        try {
            built = options.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidBatchDefinitionException("Batch '" + name + "': " + e.getMessage());
        }
        return new BatchDefinition(name, source, target, users, built, createdBy);
    }

    private MigrationEndpoint resolve(MigrationEndpoint given, String byName) {
        if (given != null) {
            return given;
        }
        if (byName == null) {
            return null;
        }
        MigrationEndpoint found = endpoints.apply(byName);
        if (found == null) {
            throw new InvalidBatchDefinitionException("Batch '" + name + "': no endpoint named '" + byName + "'");
        }
        return found;
    }

    /**
     * Creates the batch in status {@code Created} (and starts it if {@link #autoStart(boolean)}).
     *
     * @return the batch
     * @throws InvalidBatchDefinitionException if the definition is invalid, the name is taken, a
     *                                         user belongs to another batch, or no connector serves
     *                                         an endpoint
     */
    public MigrationBatch create() {
        return creator.apply(definition());
    }
}
