package io.mailferry.core.store.jdbc;

import io.mailferry.core.MigrationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema script: {@code V<version>__<description>.sql}.
 *
 * <p>Statements end with a semicolon at the end of a line; lines starting with {@code --} are
 * comments. No statement of MailFerry's scripts contains a semicolon inside a literal.
 *
 * @param version     its version, from 1, contiguous
 * @param name        the file name, e.g. {@code V1__initial.sql}
 * @param description the words after {@code __}, with underscores as spaces
 * @param sql         the script's text
 */
record SchemaScript(int version, String name, String description, String sql) {

    /** The scripts of the current schema, in version order; the same names for every dialect. */
    static final List<String> NAMES = List.of("V1__initial.sql", "V2__batch_options.sql",
            "V3__uid_segments_in_flight_secrets.sql", "V4__batch_notification.sql",
            "V5__cross_folder_identity.sql", "V6__first_copy_location.sql");

    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

    SchemaScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * Parses a script's name.
     *
     * @param name a file name such as {@code V1__initial.sql}
     * @param sql  its text
     * @return the script
     * @throws IllegalArgumentException if the name does not follow {@code V<n>__<words>.sql}
     */
    static SchemaScript of(String name, String sql) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("schema script name '" + name + "' is not V<version>__<description>.sql");
        }
        return new SchemaScript(Integer.parseInt(m.group(1)), name, m.group(2).replace('_', ' '), sql);
    }

    /**
     * Loads a dialect's scripts from the class path.
     *
     * @param dialect the dialect
     * @return its scripts in version order
     * @throws MigrationException if a script is missing
     */
    static List<SchemaScript> load(JdbcDialect dialect) {
        List<SchemaScript> out = new ArrayList<>();
        for (String name : NAMES) {
            out.add(load(SchemaScript.class, dialect.directoryName() + "/" + name));
        }
        return List.copyOf(out);
    }

    /**
     * Loads one script from the class path.
     *
     * @param anchor   the class the resource name is relative to
     * @param resource the resource name relative to {@code anchor}'s package
     * @return the script, named after the resource's last path element
     */
    static SchemaScript load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new MigrationException("Schema script " + resource + " is missing from the class path next to "
                        + anchor.getName());
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return of(resource.substring(resource.lastIndexOf('/') + 1), text);
        } catch (IOException e) {
            throw new MigrationException("Could not read schema script " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Returns the script's statements, without comments and final semicolons. */
    List<String> statements() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("schema script " + name + " ends without a semicolon");
        }
        return out;
    }
}
