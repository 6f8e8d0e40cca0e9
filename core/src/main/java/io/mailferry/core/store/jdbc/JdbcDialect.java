package io.mailferry.core.store.jdbc;

import io.mailferry.core.MigrationException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The databases {@link JdbcMigrationStore} supports, each with its own schema scripts on the class
 * path under {@link #scriptDirectory()}.
 *
 * <p>The dialect is detected from {@link DatabaseMetaData#getDatabaseProductName()}; any other
 * database is refused with a {@link MigrationException} that names the supported ones.
 */
public enum JdbcDialect {

    /** H2 2.x, embedded (the CLI's default) or server mode. */
    H2("H2", "h2", 2) {
        @Override
        String upsert(String table, List<String> columns, List<String> key) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", key)
                    + ") VALUES (" + placeholders(columns.size()) + ")";
        }

        @Override
        void setBinary(PreparedStatement ps, int index, byte[] bytes) throws SQLException {
            // A BLOB parameter as a stream: byte arrays over 1,000,000 bytes are refused by H2 as VARBINARY.
            ps.setBinaryStream(index, new ByteArrayInputStream(bytes), bytes.length);
        }

        @Override
        byte[] getBinary(ResultSet rs, String column) throws SQLException {
            try (InputStream in = rs.getBinaryStream(column)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new SQLException("could not read column " + column + ": " + e.getMessage(), e);
            }
        }
    },

    /** PostgreSQL 10 or newer. */
    POSTGRESQL("PostgreSQL", "postgresql", 10) {
        @Override
        String upsert(String table, List<String> columns, List<String> key) {
            String updates = columns.stream()
                    .filter(c -> !key.contains(c))
                    .map(c -> c + " = EXCLUDED." + c)
                    .collect(Collectors.joining(", "));
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + placeholders(columns.size()) + ") ON CONFLICT (" + String.join(", ", key) + ") DO "
                    + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
        }

        @Override
        void setBinary(PreparedStatement ps, int index, byte[] bytes) throws SQLException {
            ps.setBytes(index, bytes);
        }

        @Override
        byte[] getBinary(ResultSet rs, String column) throws SQLException {
            return rs.getBytes(column);
        }
    };

    private final String productName;
    private final String directory;
    private final int minimumMajorVersion;

    JdbcDialect(String productName, String directory, int minimumMajorVersion) {
        this.productName = productName;
        this.directory = directory;
        this.minimumMajorVersion = minimumMajorVersion;
    }

    /** Returns the database's product name as its JDBC driver reports it, e.g. {@code PostgreSQL}. */
    public String productName() {
        return productName;
    }

    /**
     * Returns the class-path directory of this dialect's schema scripts, e.g.
     * {@code io/mailferry/core/store/jdbc/postgresql/}: scripts {@code V1__initial.sql},
     * {@code V2__….sql}, … to run in version order.
     *
     * @return the directory, ending with a slash
     */
    public String scriptDirectory() {
        return "io/mailferry/core/store/jdbc/" + directory + "/";
    }

    /** The directory name below {@code io/mailferry/core/store/jdbc/}. */
    String directoryName() {
        return directory;
    }

    /**
     * Detects the dialect of a database.
     *
     * @param metaData the connection's metadata
     * @return the dialect
     * @throws SQLException       if the metadata cannot be read
     * @throws MigrationException if the database is neither H2 2.x nor PostgreSQL 10+
     */
    static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        for (JdbcDialect d : values()) {
            if (d.productName.equalsIgnoreCase(product == null ? "" : product.trim())) {
                int major = metaData.getDatabaseMajorVersion();
                if (major < d.minimumMajorVersion) {
                    throw new MigrationException("The JDBC migration store needs " + d.productName + " "
                            + d.minimumMajorVersion + " or newer; this database is version "
                            + metaData.getDatabaseProductVersion());
                }
                return d;
            }
        }
        throw new MigrationException("The JDBC migration store supports H2 and PostgreSQL, not '" + product + " "
                + metaData.getDatabaseProductVersion() + "'");
    }

    /**
     * An insert-or-update of one row by its key, binding {@code columns} in order.
     *
     * @param table   the table
     * @param columns every column written, key columns included
     * @param key     the key columns
     * @return the SQL
     */
    abstract String upsert(String table, List<String> columns, List<String> key);

    /** Binds a byte array to a binary (BLOB / BYTEA) parameter. */
    abstract void setBinary(PreparedStatement ps, int index, byte[] bytes) throws SQLException;

    /** Reads a binary (BLOB / BYTEA) column; {@code null} for SQL NULL. */
    abstract byte[] getBinary(ResultSet rs, String column) throws SQLException;

    /**
     * Converts an unquoted identifier to the case the database stores it in (upper case in H2,
     * lower case in PostgreSQL), for metadata look-ups.
     */
    static String storedIdentifier(DatabaseMetaData metaData, String identifier) throws SQLException {
        if (metaData.storesUpperCaseIdentifiers()) {
            return identifier.toUpperCase(Locale.ROOT);
        }
        if (metaData.storesLowerCaseIdentifiers()) {
            return identifier.toLowerCase(Locale.ROOT);
        }
        return identifier;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
