package io.mailferry.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One mailbox to migrate, as given to a batch: a row of the migration CSV.
 *
 * <p>The source mailbox is opened with {@code sourceUserName}/{@code sourcePassword} (for an IMAP
 * migration the CSV's {@code UserName} and {@code Password}, which may already be an administrator
 * login string such as {@code terry.adams*mailadmin}). When {@code sourcePassword} is {@code null}
 * the source endpoint's administrator credentials impersonate {@code sourceUserName}.
 *
 * <p>The target mailbox is {@code emailAddress}. It is opened with {@code targetUserName}/
 * {@code targetPassword} when given; otherwise the target endpoint's administrator credentials
 * impersonate {@code emailAddress}.
 *
 * <p>{@link #toString()} masks both passwords.
 *
 * @param emailAddress   the target mailbox's SMTP address; identifies the user in its batch; never
 *                       {@code null}
 * @param sourceUserName login name on the source, never {@code null} or blank
 * @param sourcePassword password on the source, or {@code null} to use the source endpoint's
 *                       administrator credentials
 * @param targetUserName login name on the target, or {@code null} to impersonate
 *                       {@code emailAddress} with the target endpoint's administrator credentials
 * @param targetPassword password on the target; {@code null} exactly when {@code targetUserName} is
 * @param userRoot       path of the user's mailbox in a shared-folder tree (Exchange's
 *                       {@code UserRoot} column, e.g. {@code /users/terry.adams}), or {@code null}
 * @param overrides      the user's own StartAfter, CompleteAfter and item limits (a CSV row's
 *                       non-empty cells), never {@code null}; {@link UserOverrides#NONE} for none
 */
public record MigrationUserEntry(
        String emailAddress,
        String sourceUserName,
        String sourcePassword,
        String targetUserName,
        String targetPassword,
        String userRoot,
        UserOverrides overrides) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code emailAddress}, {@code sourceUserName} or
     *                                  {@code overrides} is {@code null}
     * @throws IllegalArgumentException if a name is blank or only one of the target credentials is given
     */
    public MigrationUserEntry {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(sourceUserName, "sourceUserName");
        Objects.requireNonNull(overrides, "overrides");
        if (emailAddress.isBlank()) {
            throw new IllegalArgumentException("emailAddress must not be blank");
        }
        if (sourceUserName.isBlank()) {
            throw new IllegalArgumentException("sourceUserName must not be blank (user " + emailAddress + ")");
        }
        if ((targetUserName == null) != (targetPassword == null)) {
            throw new IllegalArgumentException(
                    "targetUserName and targetPassword must be given together (user " + emailAddress + ")");
        }
    }

    /**
     * An entry without overrides.
     *
     * @param emailAddress   see the component
     * @param sourceUserName see the component
     * @param sourcePassword see the component
     * @param targetUserName see the component
     * @param targetPassword see the component
     * @param userRoot       see the component
     */
    public MigrationUserEntry(String emailAddress, String sourceUserName, String sourcePassword, String targetUserName,
                              String targetPassword, String userRoot) {
        this(emailAddress, sourceUserName, sourcePassword, targetUserName, targetPassword, userRoot, UserOverrides.NONE);
    }

    /**
     * A user logging in to the source with their own credentials, reached on the target through the
     * target endpoint's administrator credentials.
     *
     * @param emailAddress   the target mailbox
     * @param sourceUserName source login
     * @param sourcePassword source password
     * @return the entry
     */
    public static MigrationUserEntry of(String emailAddress, String sourceUserName, String sourcePassword) {
        return new MigrationUserEntry(emailAddress, sourceUserName, sourcePassword, null, null, null);
    }

    /**
     * Returns a copy with target credentials.
     *
     * @param userName target login
     * @param password target password
     * @return the new entry
     */
    public MigrationUserEntry withTargetCredentials(String userName, String password) {
        return new MigrationUserEntry(emailAddress, sourceUserName, sourcePassword, userName, password, userRoot,
                overrides);
    }

    /**
     * Returns a copy with the user's own settings.
     *
     * @param newOverrides the overrides, not {@code null}
     * @return the new entry
     */
    public MigrationUserEntry withOverrides(UserOverrides newOverrides) {
        return new MigrationUserEntry(emailAddress, sourceUserName, sourcePassword, targetUserName, targetPassword,
                userRoot, newOverrides);
    }

    /** Returns the source credentials, or empty when the source endpoint's administrator is used. */
    public Optional<Credentials> sourceCredentials() {
        return sourcePassword == null ? Optional.empty() : Optional.of(new Credentials(sourceUserName, sourcePassword));
    }

    /** Returns the target credentials, or empty when the target endpoint's administrator is used. */
    public Optional<Credentials> targetCredentials() {
        return targetUserName == null ? Optional.empty() : Optional.of(new Credentials(targetUserName, targetPassword));
    }

    /** Returns this entry without passwords, as it is persisted. */
    public MigrationUserEntry withoutSecrets() {
        return new MigrationUserEntry(emailAddress, sourceUserName, null, targetUserName,
                targetUserName == null ? null : "", userRoot, overrides);
    }

    @Override
    public String toString() {
        return "MigrationUserEntry[emailAddress=" + emailAddress
                + ", sourceUserName=" + sourceUserName
                + ", sourcePassword=" + (sourcePassword == null ? "(endpoint admin)" : "****")
                + ", targetUserName=" + (targetUserName == null ? "(endpoint admin)" : targetUserName)
                + (userRoot == null ? "" : ", userRoot=" + userRoot)
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides) + "]";
    }
}
