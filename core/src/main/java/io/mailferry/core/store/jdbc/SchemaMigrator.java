package io.mailferry.core.store.jdbc;

import io.mailferry.core.MigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings a database's schema to the version of the scripts, or checks that it is there.
 *
 * <p>The version is the highest row of {@value #VERSION_TABLE}; each script records its own row
 * last. Each pending script runs in its own transaction that first re-reads the version, so two
 * processes starting at once apply each script once:
 * <ul>
 *   <li>PostgreSQL: the transaction takes {@code pg_advisory_xact_lock(}{@value #POSTGRES_LOCK_KEY}{@code )}
 *       first, which serializes the migrators of one database; DDL is transactional, so a script
 *       is applied whole or not at all;</li>
 *   <li>H2: CREATE statements commit on their own, so scripts are idempotent ({@code IF NOT EXISTS}
 *       everywhere, {@code MERGE} of the version row): an interrupted or concurrent run is
 *       completed by the next one. Migrators in one JVM are serialized by a lock.</li>
 * </ul>
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** The table holding the applied versions. */
    static final String VERSION_TABLE = "mailferry_schema_version";
    /** Advisory lock key of schema migration on PostgreSQL: "MailFerr" in ASCII. */
    static final long POSTGRES_LOCK_KEY = 0x4D61696C46657272L;

    private static final Object H2_LOCK = new Object();

    private final JdbcDialect dialect;
    private final List<SchemaScript> scripts;

    SchemaMigrator(JdbcDialect dialect, List<SchemaScript> scripts) {
        this.dialect = dialect;
        this.scripts = List.copyOf(scripts);
        for (int i = 0; i < this.scripts.size(); i++) {
            if (this.scripts.get(i).version() != i + 1) {
                throw new IllegalArgumentException("schema scripts must be versions 1.." + this.scripts.size()
                        + " in order; found " + this.scripts.get(i).name() + " at position " + (i + 1));
            }
        }
    }

    /** Returns the version the scripts lead to. */
    int latestVersion() {
        return scripts.size();
    }

    /**
     * Applies the pending scripts.
     *
     * @param c a connection in auto-commit mode
     * @return the schema version now
     * @throws SQLException       if the database fails
     * @throws MigrationException if the database's schema is newer than the scripts, or a script
     *                            does not record its version
     */
    int migrate(Connection c) throws SQLException {
        if (dialect == JdbcDialect.H2) {
            synchronized (H2_LOCK) {
                return migrateLocked(c);
            }
        }
        return migrateLocked(c);
    }

    private int migrateLocked(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            while (true) {
                if (dialect == JdbcDialect.POSTGRESQL) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        ps.setLong(1, POSTGRES_LOCK_KEY);
                        ps.execute();
                    }
                }
                int current = currentVersion(c);
                if (current > latestVersion()) {
                    throw newerSchema(current);
                }
                if (current == latestVersion()) {
                    c.commit();
                    return current;
                }
                SchemaScript script = scripts.get(current);
                try (Statement st = c.createStatement()) {
                    for (String sql : script.statements()) {
                        st.execute(sql);
                    }
                } catch (SQLException e) {
                    throw new SQLException("schema script " + dialect.scriptDirectory() + script.name() + " failed: "
                            + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
                int after = currentVersion(c);
                if (after != script.version()) {
                    throw new MigrationException("Schema script " + script.name() + " did not record version "
                            + script.version() + " in " + VERSION_TABLE + " (found " + after + ")");
                }
                c.commit();
                LOG.info("MailFerry store schema on {} upgraded to version {} ({})", dialect.productName(),
                        script.version(), script.name());
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Checks that the schema is at the scripts' version, without changing it.
     *
     * @param c a connection
     * @return the schema version
     * @throws MigrationException if it is at another version
     */
    int check(Connection c) throws SQLException {
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw newerSchema(current);
        }
        if (current < latestVersion()) {
            throw new MigrationException("The " + dialect.productName() + " database's MailFerry schema is at version "
                    + current + ", this MailFerry needs version " + latestVersion() + ": run the scripts V"
                    + (current + 1) + " to V" + latestVersion() + " from " + dialect.scriptDirectory()
                    + " in mailferry-core's jar, or let the store upgrade it (autoMigrate(true))");
        }
        return current;
    }

    /** Returns the schema version, 0 if the version table does not exist or is empty. */
    static int currentVersion(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String schema = c.getSchema();
        try (ResultSet rs = md.getTables(c.getCatalog(), schema == null ? null : schema,
                JdbcDialect.storedIdentifier(md, VERSION_TABLE), null)) {
            if (!rs.next()) {
                return 0;
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private MigrationException newerSchema(int current) {
        return new MigrationException("The " + dialect.productName() + " database's MailFerry schema is at version "
                + current + ", newer than this MailFerry knows (" + latestVersion()
                + "): it was written by a newer MailFerry; use that version or a newer one");
    }
}
