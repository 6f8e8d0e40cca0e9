package io.mailferry.core;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 * @param createdBy      who creates the batch (Exchange's {@code SubmittedByUser}, shown in its
 *                       statistics), or {@code null}
 */
public record BatchDefinition(String name, MigrationEndpoint sourceEndpoint, MigrationEndpoint targetEndpoint,
                              List<MigrationUserEntry> users, BatchOptions options, String createdBy) {

    /**
     * Validates the definition.
     *
     * @throws NullPointerException            if a component is {@code null}
     * @throws InvalidBatchDefinitionException if the name is blank or too long, or an e-mail
     *                                         address appears twice
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
        if (createdBy != null && createdBy.isBlank()) {
            createdBy = null;
        }
        Set<String> seen = new HashSet<>();
        for (MigrationUserEntry u : users) {
            if (!seen.add(u.emailAddress().toLowerCase(Locale.ROOT))) {
                throw new InvalidBatchDefinitionException("User " + u.emailAddress()
                        + " appears more than once in batch '" + name + "'");
            }
        }
    }

    /**
     * A definition without creator.
     *
     * @param name           see the component
     * @param sourceEndpoint see the component
     * @param targetEndpoint see the component
     * @param users          see the component
     * @param options        see the component
     */
    public BatchDefinition(String name, MigrationEndpoint sourceEndpoint, MigrationEndpoint targetEndpoint,
                           List<MigrationUserEntry> users, BatchOptions options) {
        this(name, sourceEndpoint, targetEndpoint, users, options, null);
    }
}
