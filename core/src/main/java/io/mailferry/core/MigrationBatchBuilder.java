package io.mailferry.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a new batch (Exchange: {@code New-MigrationBatch}); obtained from
 * {@link MigrationService#newBatch(String)}. Not thread-safe.
 *
 * <pre>{@code
 * MigrationBatch batch = service.newBatch("wave-1")
 *         .sourceEndpoint(source)
 *         .targetEndpoint(target)
 *         .users(entries)
 *         .badItemLimit(ItemLimit.of(10))
 *         .autoStart(true)
 *         .create();
 * }</pre>
 */
public final class MigrationBatchBuilder {

    private final String name;
    private final Function<BatchDefinition, MigrationBatch> creator;
    private MigrationEndpoint sourceEndpoint;
    private MigrationEndpoint targetEndpoint;
    private final List<MigrationUserEntry> users = new ArrayList<>();
    private final Map<String, MigrationUserOverrides> userOverrides = new LinkedHashMap<>();
    private ItemLimit badItemLimit = BatchOptions.DEFAULTS.badItemLimit();
    private ItemLimit largeItemLimit = BatchOptions.DEFAULTS.largeItemLimit();
    private boolean autoStart;
    private long maxMessageSize = BatchOptions.DEFAULT_MAX_MESSAGE_SIZE;

    MigrationBatchBuilder(String name, Function<BatchDefinition, MigrationBatch> creator) {
        this.name = Objects.requireNonNull(name, "name");
        this.creator = creator;
    }

    /** @param endpoint where mail is copied from, not {@code null} @return this builder */
    public MigrationBatchBuilder sourceEndpoint(MigrationEndpoint endpoint) {
        this.sourceEndpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /** @param endpoint where mail is copied to, not {@code null} @return this builder */
    public MigrationBatchBuilder targetEndpoint(MigrationEndpoint endpoint) {
        this.targetEndpoint = Objects.requireNonNull(endpoint, "endpoint");
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
     * Overrides batch settings for one user, e.g. from the CSV's {@code BadItemLimit} and
     * {@code LargeItemLimit} cells. A later call for the same address replaces the earlier one.
     *
     * @param emailAddress a user of this batch (checked by {@link #definition()})
     * @param overrides    the user's settings, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder userOverrides(String emailAddress, MigrationUserOverrides overrides) {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(overrides, "overrides");
        userOverrides.keySet().removeIf(emailAddress::equalsIgnoreCase);
        userOverrides.put(emailAddress, overrides);
        return this;
    }

    /**
     * Overrides batch settings for several users, as {@link #userOverrides(String, MigrationUserOverrides)}.
     *
     * @param overrides settings by e-mail address, not {@code null}
     * @return this builder
     */
    public MigrationBatchBuilder userOverrides(Map<String, MigrationUserOverrides> overrides) {
        overrides.forEach(this::userOverrides);
        return this;
    }

    /** @param limit corrupt or refused items tolerated per user (default 0) @return this builder */
    public MigrationBatchBuilder badItemLimit(ItemLimit limit) {
        this.badItemLimit = Objects.requireNonNull(limit, "limit");
        return this;
    }

    /** @param limit too-large items tolerated per user (default 0) @return this builder */
    public MigrationBatchBuilder largeItemLimit(ItemLimit limit) {
        this.largeItemLimit = Objects.requireNonNull(limit, "limit");
        return this;
    }

    /** @param autoStart start as soon as created (default {@code false}) @return this builder */
    public MigrationBatchBuilder autoStart(boolean autoStart) {
        this.autoStart = autoStart;
        return this;
    }

    /**
     * @param bytes largest message copied, in bytes; 0 for no limit (default 150 MB)
     * @return this builder
     */
    public MigrationBatchBuilder maxMessageSize(long bytes) {
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Returns the definition without creating the batch.
     *
     * @return the definition
     * @throws InvalidBatchDefinitionException if an endpoint is missing or the definition is invalid
     */
    public BatchDefinition definition() {
        if (sourceEndpoint == null || targetEndpoint == null) {
            throw new InvalidBatchDefinitionException("Batch '" + name + "' needs a source and a target endpoint");
        }
        return new BatchDefinition(name, sourceEndpoint, targetEndpoint, users,
                new BatchOptions(badItemLimit, largeItemLimit, autoStart, maxMessageSize), userOverrides);
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
