package io.mailferry.csv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The columns and rules of one kind of migration CSV, as data: the built-in schemas follow the
 * Exchange migration service's CSV formats, and a host can extend one ({@link #withOptionalColumns},
 * {@link #withValidator}, {@link #withMaxRows}) or build its own.
 *
 * <p>Column names are matched ignoring case ({@code Username} and {@code UserName} are the same
 * column) but otherwise exactly: no spaces, no other spelling. Every schema has the key column
 * {@value #EMAIL_ADDRESS} (the target mailbox), which the reader always checks as an SMTP address and
 * for duplicates.
 *
 * @param name            a name for messages, e.g. {@code IMAP}; never {@code null} or blank
 * @param requiredColumns columns the header must contain, in their canonical spelling; includes
 *                        {@value #EMAIL_ADDRESS}
 * @param optionalColumns columns the header may contain
 * @param maxRows         the most user rows a file may have (header and blank lines not counted), 1
 *                        or more
 * @param validators      per-column checks of the cells, keyed by column name (any case); a column
 *                        without an entry is not checked. Failing rows are rejected, not the file
 * @param secretColumns   columns holding secrets (passwords); their values never appear in
 *                        messages, {@code toString()} or reports. The entry's password columns are
 *                        always added
 * @param entryColumns    which columns become which part of a
 *                        {@link io.mailferry.core.MigrationUserEntry}
 */
public record CsvSchema(
        String name,
        List<String> requiredColumns,
        List<String> optionalColumns,
        int maxRows,
        Map<String, CellValidator> validators,
        Set<String> secretColumns,
        EntryColumns entryColumns) {

    /** The target mailbox's SMTP address; the key column of every schema. */
    public static final String EMAIL_ADDRESS = "EmailAddress";
    /** IMAP: the source login ({@code user}, {@code domain\\user} or an {@link AdminLogin} format). */
    public static final String USER_NAME = "UserName";
    /** IMAP: the source password; staged: the new cloud mailbox's password. */
    public static final String PASSWORD = "Password";
    /** IMAP: the user's mailbox path in a shared-folder tree, e.g. {@code /users/terry.adams}. */
    public static final String USER_ROOT = "UserRoot";
    /** MailFerry: login on the target, for targets without administrator credentials. */
    public static final String TARGET_USER_NAME = "TargetUserName";
    /** MailFerry: password on the target; given exactly when {@value #TARGET_USER_NAME} is. */
    public static final String TARGET_PASSWORD = "TargetPassword";
    /** Staged: {@code True} or {@code False}, whether the user must change the password at first sign-in. */
    public static final String FORCE_CHANGE_PASSWORD = "ForceChangePassword";
    /** Per-user {@code BadItemLimit}: {@code Unlimited} or 0 to 2147483647. */
    public static final String BAD_ITEM_LIMIT = "BadItemLimit";
    /** Per-user {@code LargeItemLimit}: {@code Unlimited} or 0 to 2147483647. */
    public static final String LARGE_ITEM_LIMIT = "LargeItemLimit";
    /** {@code PrimaryOnly}, {@code ArchiveOnly} or {@code PrimaryAndArchive}. */
    public static final String MAILBOX_TYPE = "MailboxType";
    /** Offboarding: the on-premises mailbox database. */
    public static final String TARGET_DATABASE = "TargetDatabase";
    /** Offboarding: the on-premises archive database. */
    public static final String TARGET_ARCHIVE_DATABASE = "TargetArchiveDatabase";
    /** Google Workspace: the Gmail address when it differs from {@value #EMAIL_ADDRESS}. */
    public static final String GOOGLE_USERNAME = "Username";

    /** Exchange's IMAP limit: 50,000 rows. Also MailFerry's limit where Exchange states none. */
    public static final int IMAP_MAX_ROWS = 50_000;
    /** Exchange Online's staged limit: 2,000 rows per batch (the 2013 documentation says 1,000). */
    public static final int STAGED_MAX_ROWS = 2_000;

    /**
     * IMAP migration: {@code EmailAddress, UserName, Password}, optional {@code UserRoot}, and
     * MailFerry's optional {@code TargetUserName, TargetPassword} for targets without administrator
     * credentials. At most 50,000 rows.
     *
     * <p>Rows are rejected when {@code UserName} is empty or has leading or trailing spaces, when
     * {@code Password} is empty, and when only one of the target credentials is given.
     *
     * <p>{@code UserName} may be the user's own login or an administrator login built with
     * {@link AdminLogin} (then {@code Password} is the administrator's password). For servers
     * without administrator logins (Courier, Oracle), set up virtual shared folders, put the
     * administrator's login in {@code UserName} and the user's folder path in {@code UserRoot},
     * e.g. {@code /users/terry.adams}: the connector then migrates that subtree as the user's
     * mailbox.
     */
    public static final CsvSchema IMAP = new CsvSchema("IMAP",
            List.of(EMAIL_ADDRESS, USER_NAME, PASSWORD),
            List.of(USER_ROOT, TARGET_USER_NAME, TARGET_PASSWORD),
            IMAP_MAX_ROWS,
            orderedMap(
                    USER_NAME, CellValidator.notEmpty("give the user's IMAP login, or an administrator login such as "
                            + "terry.adams*mailadmin").and(CellValidator.noSurroundingSpaces()),
                    PASSWORD, CellValidator.notEmpty("give the user's IMAP password, or the administrator's password "
                            + "when UserName is an administrator login"),
                    TARGET_USER_NAME, CellValidator.noSurroundingSpaces(),
                    USER_ROOT, CellValidator.noSurroundingSpaces()),
            Set.of(PASSWORD, TARGET_PASSWORD),
            EntryColumns.IMAP);

    /**
     * Staged Exchange migration: {@code EmailAddress}, optional {@code Password} (at least 8
     * characters, set on the new mailbox) and {@code ForceChangePassword} ({@code True}/{@code False}).
     * At most 2,000 rows. The source mailbox is reached with the endpoint's administrator
     * credentials; the password and flag are {@link MigrationCsvRow#extraCells() extra cells}.
     */
    public static final CsvSchema STAGED = new CsvSchema("Staged",
            List.of(EMAIL_ADDRESS),
            List.of(PASSWORD, FORCE_CHANGE_PASSWORD),
            STAGED_MAX_ROWS,
            orderedMap(
                    PASSWORD, CellValidator.minLength(8),
                    FORCE_CHANGE_PASSWORD, CellValidator.oneOf("True", "False")),
            Set.of(PASSWORD),
            EntryColumns.ADMIN_ONLY);

    /**
     * EWS / remote move onboarding: {@code EmailAddress}, optional {@code BadItemLimit},
     * {@code LargeItemLimit} and {@code MailboxType}. Exchange states no row limit; MailFerry applies
     * 50,000.
     */
    public static final CsvSchema REMOTE = new CsvSchema("Remote",
            List.of(EMAIL_ADDRESS),
            List.of(BAD_ITEM_LIMIT, LARGE_ITEM_LIMIT, MAILBOX_TYPE),
            IMAP_MAX_ROWS,
            limitsAndMailboxType(),
            Set.of(),
            EntryColumns.ADMIN_ONLY);

    /**
     * Offboarding (and cross-forest): {@code EmailAddress, TargetDatabase}, optional
     * {@code TargetArchiveDatabase}, {@code BadItemLimit}, {@code LargeItemLimit},
     * {@code MailboxType}. An empty {@code TargetDatabase} cell uses the batch's target database.
     * MailFerry applies 50,000 rows.
     */
    public static final CsvSchema OFFBOARDING = new CsvSchema("Offboarding",
            List.of(EMAIL_ADDRESS, TARGET_DATABASE),
            List.of(TARGET_ARCHIVE_DATABASE, BAD_ITEM_LIMIT, LARGE_ITEM_LIMIT, MAILBOX_TYPE),
            IMAP_MAX_ROWS,
            withEntries(limitsAndMailboxType(),
                    TARGET_DATABASE, CellValidator.noSurroundingSpaces(),
                    TARGET_ARCHIVE_DATABASE, CellValidator.noSurroundingSpaces()),
            Set.of(),
            EntryColumns.ADMIN_ONLY);

    /**
     * Google Workspace: {@code EmailAddress} (the target), optional {@code Username} (the Gmail
     * address, when it differs; it becomes the source login). MailFerry applies 50,000 rows.
     */
    public static final CsvSchema GOOGLE_WORKSPACE = new CsvSchema("GoogleWorkspace",
            List.of(EMAIL_ADDRESS),
            List.of(GOOGLE_USERNAME),
            IMAP_MAX_ROWS,
            orderedMap(GOOGLE_USERNAME, CellValidator.smtpAddress(true)),
            Set.of(),
            new EntryColumns(GOOGLE_USERNAME, null, null, null, null));

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if the name is blank, {@value #EMAIL_ADDRESS} is not required,
     *                                  a column name is blank, contains white space or appears twice
     *                                  (ignoring case), {@code maxRows} is below 1, or a validator,
     *                                  secret or entry column is not a column of the schema
     */
    public CsvSchema {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("schema name must not be blank");
        }
        requiredColumns = List.copyOf(requiredColumns);
        optionalColumns = List.copyOf(optionalColumns);
        Objects.requireNonNull(entryColumns, "entryColumns");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be 1 or more");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(requiredColumns);
        all.addAll(optionalColumns);
        for (String column : all) {
            if (column.isBlank() || column.codePoints().anyMatch(cp -> Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp) || Character.isISOControl(cp))) {
                throw new IllegalArgumentException("column name '" + column + "' must not be blank or contain spaces");
            }
            if (!seen.add(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column '" + column + "' appears twice in schema " + name);
            }
        }
        if (requiredColumns.stream().noneMatch(EMAIL_ADDRESS::equalsIgnoreCase)) {
            throw new IllegalArgumentException("schema " + name + " must require " + EMAIL_ADDRESS);
        }
        Map<String, CellValidator> checks = new LinkedHashMap<>();
        validators.forEach((column, validator) -> {
            String canonical = canonical(all, column);
            Objects.requireNonNull(validator, "validator of " + column);
            checks.merge(canonical, validator, CellValidator::and);
        });
        validators = Collections.unmodifiableMap(checks);
        for (String column : entryColumns.columns()) {
            canonical(all, column);
        }
        Set<String> secrets = new LinkedHashSet<>();
        for (String column : secretColumns) {
            secrets.add(canonical(all, column));
        }
        for (String column : Arrays.asList(entryColumns.sourcePassword(), entryColumns.targetPassword())) {
            if (column != null) {
                secrets.add(canonical(all, column));
            }
        }
        secretColumns = Collections.unmodifiableSet(secrets);
    }

    private static String canonical(List<String> columns, String column) {
        Objects.requireNonNull(column, "column");
        for (String c : columns) {
            if (c.equalsIgnoreCase(column)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + column + "' is not a column of the schema " + columns);
    }

    /** Returns the required and then the optional columns, in canonical spelling. */
    public List<String> allColumns() {
        List<String> all = new ArrayList<>(requiredColumns);
        all.addAll(optionalColumns);
        return List.copyOf(all);
    }

    /**
     * Returns a column's canonical spelling.
     *
     * @param headerName a header name, matched ignoring case, not {@code null}
     * @return the schema's spelling, or empty if the schema has no such column
     */
    public Optional<String> column(String headerName) {
        for (String c : allColumns()) {
            if (c.equalsIgnoreCase(headerName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Tells whether a column holds secrets.
     *
     * @param column a column name, any case
     * @return {@code true} if its values must never be shown
     */
    public boolean isSecret(String column) {
        return secretColumns.stream().anyMatch(column::equalsIgnoreCase);
    }

    /**
     * Returns a copy with another row limit (e.g. a host's batch size).
     *
     * @param maxRows the most user rows, 1 or more
     * @return the new schema
     */
    public CsvSchema withMaxRows(int maxRows) {
        return new CsvSchema(name, requiredColumns, optionalColumns, maxRows, validators, secretColumns, entryColumns);
    }

    /**
     * Returns a copy with more optional columns; their non-empty cells are
     * {@link MigrationCsvRow#extraCells() extra cells} of each row.
     *
     * @param columns column names without spaces, not yet in the schema
     * @return the new schema
     */
    public CsvSchema withOptionalColumns(String... columns) {
        List<String> optional = new ArrayList<>(optionalColumns);
        optional.addAll(List.of(columns));
        return new CsvSchema(name, requiredColumns, optional, maxRows, validators, secretColumns, entryColumns);
    }

    /**
     * Returns a copy with one more check of a column; an existing check of that column runs first.
     *
     * @param column    a column of the schema, any case
     * @param validator the check
     * @return the new schema
     */
    public CsvSchema withValidator(String column, CellValidator validator) {
        Map<String, CellValidator> checks = new LinkedHashMap<>(validators);
        checks.merge(canonical(allColumns(), column), Objects.requireNonNull(validator, "validator"), CellValidator::and);
        return new CsvSchema(name, requiredColumns, optionalColumns, maxRows, checks, secretColumns, entryColumns);
    }

    /**
     * Returns a copy in which more columns are secret.
     *
     * @param columns columns of the schema, any case
     * @return the new schema
     */
    public CsvSchema withSecretColumns(String... columns) {
        Set<String> secrets = new LinkedHashSet<>(secretColumns);
        secrets.addAll(List.of(columns));
        return new CsvSchema(name, requiredColumns, optionalColumns, maxRows, validators, secrets, entryColumns);
    }

    /**
     * Returns a copy that also takes MailFerry's optional target credentials,
     * {@value #TARGET_USER_NAME} and {@value #TARGET_PASSWORD} (for targets without administrator
     * credentials), as the {@link #IMAP} schema does: both cells filled or both empty, the password
     * secret, surrounding spaces refused in the login. A schema that maps target credentials already
     * is returned as it is.
     *
     * @return the schema with the two optional columns
     * @throws IllegalArgumentException if the schema has one of the two columns for another purpose
     */
    public CsvSchema withTargetCredentials() {
        if (entryColumns.targetUserName() != null) {
            return this;
        }
        List<String> optional = new ArrayList<>(optionalColumns);
        optional.add(TARGET_USER_NAME);
        optional.add(TARGET_PASSWORD);
        Map<String, CellValidator> checks = new LinkedHashMap<>(validators);
        checks.put(TARGET_USER_NAME, CellValidator.noSurroundingSpaces());
        EntryColumns mapping = new EntryColumns(entryColumns.sourceUserName(), entryColumns.sourcePassword(),
                TARGET_USER_NAME, TARGET_PASSWORD, entryColumns.userRoot());
        return new CsvSchema(name, requiredColumns, optional, maxRows, checks, secretColumns, mapping);
    }

    @Override
    public String toString() {
        return "CsvSchema[name=" + name + ", requiredColumns=" + requiredColumns + ", optionalColumns="
                + optionalColumns + ", maxRows=" + maxRows + ", validated=" + validators.keySet()
                + ", secretColumns=" + secretColumns + "]";
    }

    private static Map<String, CellValidator> orderedMap(Object... pairs) {
        Map<String, CellValidator> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (CellValidator) pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, CellValidator> withEntries(Map<String, CellValidator> base, Object... pairs) {
        Map<String, CellValidator> map = new LinkedHashMap<>(base);
        map.putAll(orderedMap(pairs));
        return map;
    }

    private static Map<String, CellValidator> limitsAndMailboxType() {
        return orderedMap(
                BAD_ITEM_LIMIT, CellValidator.itemLimit(),
                LARGE_ITEM_LIMIT, CellValidator.itemLimit(),
                MAILBOX_TYPE, CellValidator.oneOf("PrimaryOnly", "ArchiveOnly", "PrimaryAndArchive"));
    }

    /**
     * Which columns of a row become which part of a {@link io.mailferry.core.MigrationUserEntry}.
     * {@value CsvSchema#EMAIL_ADDRESS} always becomes {@code emailAddress}. Every other component
     * names a column, or is {@code null} when the schema has none for it. An empty cell gives
     * {@code null} in the entry, except for the source login, which then defaults to the e-mail
     * address (the source endpoint's administrator impersonates it).
     *
     * @param sourceUserName column of the source login, or {@code null}: the e-mail address
     * @param sourcePassword column of the source password, or {@code null}: the source endpoint's
     *                       administrator credentials are used
     * @param targetUserName column of the target login, or {@code null}
     * @param targetPassword column of the target password, or {@code null}; rows giving only one of
     *                       the two target cells are rejected
     * @param userRoot       column of the user's root folder path, or {@code null}
     */
    public record EntryColumns(
            String sourceUserName,
            String sourcePassword,
            String targetUserName,
            String targetPassword,
            String userRoot) {

        /** The IMAP mapping: UserName, Password, TargetUserName, TargetPassword, UserRoot. */
        public static final EntryColumns IMAP =
                new EntryColumns(USER_NAME, PASSWORD, TARGET_USER_NAME, TARGET_PASSWORD, USER_ROOT);
        /** No credential columns: the endpoints' administrators impersonate the e-mail address. */
        public static final EntryColumns ADMIN_ONLY = new EntryColumns(null, null, null, null, null);

        /**
         * Checks the pairing of the target columns.
         *
         * @throws IllegalArgumentException if only one of the target columns is given
         */
        public EntryColumns {
            if ((targetUserName == null) != (targetPassword == null)) {
                throw new IllegalArgumentException("targetUserName and targetPassword columns go together");
            }
        }

        /** Returns the non-{@code null} column names. */
        public List<String> columns() {
            List<String> columns = new ArrayList<>();
            for (String c : new String[] {sourceUserName, sourcePassword, targetUserName, targetPassword, userRoot}) {
                if (c != null) {
                    columns.add(c);
                }
            }
            return List.copyOf(columns);
        }

        /**
         * Tells whether a column is mapped into the entry.
         *
         * @param column a column name, any case
         * @return {@code true} if it is one of {@link #columns()}
         */
        public boolean maps(String column) {
            return columns().stream().anyMatch(column::equalsIgnoreCase);
        }
    }
}
