package io.mailferry.core;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything needed to create a batch; built by {@link MigrationBatchBuilder}.
 *
 * @param name           unique name, 1–64 characters
 * @param sourceEndpoint where mail is copied from
 * @param targetEndpoint where mail is copied to
 * @param users          the users, with distinct e-mail addresses (ignoring case); may be empty
 * @param options        the batch's options
 * @param userOverrides  settings of single users that override {@code options}, keyed by e-mail
 *                       address (matched ignoring case); every key is one of {@code users}; empty
 *                       overrides are dropped. Never {@code null}
 */
public record BatchDefinition(String name, MigrationEndpoint sourceEndpoint, MigrationEndpoint targetEndpoint,
                              List<MigrationUserEntry> users, BatchOptions options,
                              Map<String, MigrationUserOverrides> userOverrides) {

    /**
     * A definition without per-user overrides.
     *
     * @param name           unique name, 1–64 characters
     * @param sourceEndpoint where mail is copied from
     * @param targetEndpoint where mail is copied to
     * @param users          the users
     * @param options        the batch's options
     * @throws NullPointerException            if a component is {@code null}
     * @throws InvalidBatchDefinitionException as the canonical constructor
     */
    public BatchDefinition(String name, MigrationEndpoint sourceEndpoint, MigrationEndpoint targetEndpoint,
                           List<MigrationUserEntry> users, BatchOptions options) {
        this(name, sourceEndpoint, targetEndpoint, users, options, Map.of());
    }

    /**
     * Validates the definition.
     *
     * @throws NullPointerException            if a component is {@code null}
     * @throws InvalidBatchDefinitionException if the name is blank or too long, an e-mail
     *                                         address appears twice, or an override names no user
     *                                         of the batch
     */
    public BatchDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceEndpoint, "sourceEndpoint");
        Objects.requireNonNull(targetEndpoint, "targetEndpoint");
        Objects.requireNonNull(options, "options");
        users = List.copyOf(Objects.requireNonNull(users, "users"));
        if (name.isBlank()) {
            throw new InvalidBatchDefinitionException("A batch name must not be blank");
        }
        if (name.length() > MigrationBatch.MAX_NAME_LENGTH) {
            throw new InvalidBatchDefinitionException("Batch name '" + name + "' has " + name.length()
                    + " characters; at most " + MigrationBatch.MAX_NAME_LENGTH + " are allowed");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidBatchDefinitionException("Batch name must not contain control characters");
        }
        Set<String> seen = new HashSet<>();
        for (MigrationUserEntry u : users) {
            if (!seen.add(u.emailAddress().toLowerCase(Locale.ROOT))) {
                throw new InvalidBatchDefinitionException("User " + u.emailAddress()
                        + " appears more than once in batch '" + name + "'");
            }
        }
        Map<String, MigrationUserOverrides> overrides = new LinkedHashMap<>();
        Objects.requireNonNull(userOverrides, "userOverrides").forEach((email, o) -> {
            Objects.requireNonNull(email, "userOverrides key");
            Objects.requireNonNull(o, "userOverrides of " + email);
            if (!seen.contains(email.toLowerCase(Locale.ROOT))) {
                throw new InvalidBatchDefinitionException("Overrides are given for " + email
                        + ", who is not a user of batch '" + name + "'");
            }
            if (!o.isEmpty()) {
                overrides.put(email, o);
            }
        });
        userOverrides = Collections.unmodifiableMap(overrides);
    }

    /**
     * Returns a user's overrides.
     *
     * @param emailAddress the user's e-mail address, matched ignoring case
     * @return the overrides, or {@link MigrationUserOverrides#NONE}
     */
    public MigrationUserOverrides overridesFor(String emailAddress) {
        for (Map.Entry<String, MigrationUserOverrides> e : userOverrides.entrySet()) {
            if (e.getKey().equalsIgnoreCase(emailAddress)) {
                return e.getValue();
            }
        }
        return MigrationUserOverrides.NONE;
    }
}
