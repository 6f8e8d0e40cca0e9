package io.mailferry.core.store.jdbc;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchPriority;
import io.mailferry.core.FolderPattern;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.Impersonation;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.notification.NotificationOutcome;
import io.mailferry.core.store.BatchRecord;
import io.mailferry.core.store.FirstCopies;
import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.InFlightAppend;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.UidMap;
import io.mailferry.core.store.UserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The durable {@link MigrationStore}: state in a relational database through JDBC, on
 * <b>H2</b> 2.x (an embedded file database, the CLI's default, zero setup) or <b>PostgreSQL</b> 10+
 * (production).
 *
 * <h2>Opening one</h2>
 * <pre>{@code
 * // Production: the host's connection pool (HikariCP, Agroal, an application server's DataSource).
 * MigrationStore store = JdbcMigrationStore.create(pooledDataSource);
 *
 * // The CLI's default: an embedded H2 database in a directory, created if absent.
 * MigrationStore store = JdbcMigrationStore.h2File(Path.of("state"));
 *
 * // Without a pool: one connection from a JDBC URL, shared by all threads under a lock.
 * MigrationStore store = JdbcMigrationStore.connect("jdbc:postgresql://db/mailferry", "mailferry", password);
 * }</pre>
 * With a {@link DataSource} every call takes a connection and returns it; pass a <em>pooled</em>
 * data source in production, since a plain one opens a new database connection per call. The
 * URL form keeps one connection (reopened after a connection failure) and serializes the calls
 * of all threads on it: right for the embedded H2 database and for tools, not for a busy server.
 * The JDBC driver is the host's dependency: {@code com.h2database:h2} or
 * {@code org.postgresql:postgresql}; core itself uses only {@code java.sql}.
 *
 * <h2>Schema</h2>
 * On {@link Builder#build()} the store detects the database from its metadata and brings the
 * schema up to date from the versioned scripts in {@link JdbcDialect#scriptDirectory()}
 * ({@code io/mailferry/core/store/jdbc/h2/V1__initial.sql}, {@code …/postgresql/V1__initial.sql},
 * later {@code V2__….sql}), recording each version in table {@code mailferry_schema_version}. Each
 * script is applied in its own transaction; processes starting at once apply it once (PostgreSQL:
 * an advisory lock; H2: scripts that can run again). A DBA who wants to run the scripts itself
 * takes them from mailferry-core's jar, runs them in version order (each script's header says how)
 * and builds the store with {@link Builder#autoMigrate(boolean) autoMigrate(false)}: it then only
 * checks that the schema is at {@link #SCHEMA_VERSION}, and refuses to start otherwise. A schema
 * newer than this MailFerry's is always refused.
 *
 * <p>Tables ({@code mailferry_} prefix): {@code endpoint} and {@code endpoint_property},
 * {@code batch} (options as columns) and {@code batch_option_value} (its list options: folder
 * patterns, notification addresses), {@code user} (key: batch and lower-cased e-mail address; a
 * sequence keeps the order of first save; the user's own overrides and statistics as columns),
 * {@code skipped_item}, {@code folder_state} (key: mailbox key and source folder; with the
 * folder's in-flight append, if any), {@code uid_segment} (a folder's recent UID pairs, see
 * below), {@code secret} (sealed secrets of an
 * {@link io.mailferry.core.store.EncryptingSecretStore}). Version 2 ({@code V2__batch_options.sql})
 * added the batch options, user overrides and statistics of the migration service model; rows
 * written by version 1 read with the defaults. Version 3
 * ({@code V3__uid_segments_in_flight_secrets.sql}) added UID segments, in-flight appends and
 * sealed secrets. Version 4 ({@code V4__batch_notification.sql}) added the outcome of a batch's
 * latest report e-mail ({@link BatchRecord#lastNotification()}). Version 5
 * ({@code V5__cross_folder_identity.sql}) added {@code copied_identity}: per mailbox, the
 * cross-folder identities of the messages copied ({@link #copiedIdentities}), one row per
 * checkpoint that added some, 8 bytes per identity. Version 6 ({@code V6__first_copy_location.sql})
 * added to those rows the target folder and the target UIDs of the messages (4 bytes per identity),
 * so that the other folders of a message shown in several can be added to its first copy
 * ({@link #firstCopies}). Instants are stored as BIGINT nanoseconds since the epoch and
 * durations as BIGINT nanoseconds, so both round-trip exactly; the instants MailFerry writes must
 * lie between 1677-09-21 and 2262-04-11 (an {@link IllegalArgumentException} says so otherwise). A
 * skipped message's date, which comes from the source server, is stored as epoch seconds plus
 * nanoseconds and round-trips whatever it is. NUL characters, which PostgreSQL text cannot hold,
 * are replaced by U+FFFD in skipped items' subjects and reasons and in users' errors.
 *
 * <h2>Secrets</h2>
 * Nothing secret is stored in clear text: of an endpoint's administrator credentials only the
 * user name is kept (they come back with an empty password, whatever password they were saved
 * with); {@link UserRecord}s hold no passwords by construction. Table {@code mailferry_secret}
 * holds what a {@link io.mailferry.core.store.SecretStore} seals, opaque to the store. Exception messages name the operation,
 * batch and user, never a password or the JDBC URL.
 *
 * <h2>Units of work</h2>
 * Every method is one transaction. {@link #saveFolderCheckpoint} (and {@link #saveFolderState})
 * writes the checkpoint's values, its UID pairs and the skipped items in one transaction: after a
 * crash all or none are stored, which is what makes a copy exactly-once. The embedded H2 database of {@link #h2File(Path)} writes every commit to its file
 * at once ({@code WRITE_DELAY=0}), so a killed process loses no committed checkpoint, and through
 * H2's {@code async:} file system, so an interrupted engine thread neither closes the database nor
 * loses its interrupt (see {@link #h2FileUrl(Path)}). Transient
 * conflicts (serialization failures, deadlocks, concurrent inserts of one key) are retried up to
 * {@value #MAX_ATTEMPTS} times; other {@link SQLException}s become {@link MigrationException}s that
 * say which operation failed for which batch or user.
 *
 * <h2>Cost of a checkpoint</h2>
 * A folder's source-UID → target-UID map is its row's {@code uid_map} ({@link UidMap#encode()
 * encoded} runs, H2 BLOB, PostgreSQL BYTEA) plus the rows of {@code mailferry_uid_segment}, each
 * the encoded pairs one {@link #saveFolderCheckpoint checkpoint} added: a checkpoint writes what it
 * adds, not the whole map. The segments are merged into {@code uid_map} when there would be more
 * than {@value #MAX_SEGMENTS} of them, or when they add up to as many bytes as {@code uid_map}
 * (at least {@value #MIN_COMPACTION_BYTES}): the map at least doubles between two such
 * compactions, so over a folder's life they write about twice its final size.
 * {@link #saveFolderState} still writes a whole map; the engine calls it only when a folder's
 * state is replaced (a changed UIDVALIDITY, messages recognised on the target).
 *
 * <p>Measured with {@code JdbcStoreFootprintTest} ({@code -Dmailferry.measureStore=true}) for a
 * 500,000-message folder copied as the engine copies it (per chunk of 100 messages one checkpoint
 * recording the chunk as in flight and one recording its pairs: 10,000 checkpoints):
 * <ul>
 *   <li>contiguous (one run): 39,754 bytes of map written in all, 0.08 bytes per message;
 *       PostgreSQL holds map and segments in 3.3 KB, the tables grow by 72 KB (0.15 bytes per
 *       message);</li>
 *   <li>fragmented (every third source UID expunged, target UIDs interleaved with other mail: every
 *       message its own run, a 1.5 MB map): 6.0 MB written in all, 12 bytes per message (the
 *       whole-map rewrite of version 1 wrote 3.75 GB); PostgreSQL holds it TOAST-compressed in
 *       72 KB, the tables grow by 128 KB (0.26 bytes per message).</li>
 * </ul>
 * The H2 file holds the replaced data of recent commits for H2's retention time (45 s): replayed
 * at full speed (350–550 checkpoints a second) it peaked at 134 MB (contiguous) and 167 MB
 * (fragmented), was 4.7 and 12.3 MB after close, and 25 and 37 KB after {@code SHUTDOWN COMPACT}.
 *
 * <p>Thread-safe: the engine calls it from many threads.
 */
public final class JdbcMigrationStore implements MigrationStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMigrationStore.class);

    /** The schema version this MailFerry reads and writes. */
    public static final int SCHEMA_VERSION = 6;

    /** Attempts of a unit of work that meets a transient conflict. */
    static final int MAX_ATTEMPTS = 3;

    /** H2 user of {@link #h2File(Path)}. */
    static final String H2_FILE_USER = "sa";

    private static final String ENDPOINT = "mailferry_endpoint";
    private static final String ENDPOINT_PROPERTY = "mailferry_endpoint_property";
    private static final String BATCH = "mailferry_batch";
    private static final String USER = "mailferry_user";
    private static final String SKIPPED = "mailferry_skipped_item";
    private static final String FOLDER = "mailferry_folder_state";
    private static final String BATCH_OPTION_VALUE = "mailferry_batch_option_value";
    private static final String SEGMENT = "mailferry_uid_segment";
    private static final String SECRET = "mailferry_secret";
    private static final String IDENTITY = "mailferry_copied_identity";

    private static final List<String> ENDPOINT_COLUMNS = List.of("name", "type", "host", "port", "security",
            "authentication", "admin_username", "impersonation_mode", "impersonation_separator",
            "max_concurrent_migrations", "max_concurrent_incremental_syncs", "accept_untrusted_certificates",
            "connect_timeout_ns", "read_timeout_ns");
    private static final List<String> BATCH_COLUMNS = List.of("name", "source_endpoint", "target_endpoint", "status",
            "bad_item_limit", "large_item_limit", "auto_start", "max_message_size", "created_at_ns", "started_at_ns",
            "initial_sync_at_ns", "initial_sync_duration_ns", "last_synced_at_ns",
            // V2
            "auto_complete", "start_after_ns", "complete_after_ns", "allow_incremental_syncs",
            "incremental_sync_interval_ns", "received_after_ns", "received_before_ns", "report_interval_ns", "priority",
            "completed_at_ns", "created_by",
            // V4
            "notification_at_ns", "notification_subject", "notification_error");
    private static final List<String> USER_COLUMNS = List.of("batch_name", "email_key", "email_address",
            "source_user_name", "target_user_name", "user_root", "status", "error", "last_status_change_ns",
            "total_items_in_source", "estimated_total_transfer_size", "synced_item_count", "skipped_item_count",
            "bytes_transferred", "folder_count", "folders_created", "flags_updated_count", "last_successful_sync_ns",
            // V2
            "start_after_ns", "complete_after_ns", "bad_item_limit", "large_item_limit", "filtered_item_count",
            "percentage_complete", "queued_duration_ns", "in_progress_duration_ns", "synced_duration_ns",
            "stalled_duration_ns", "status_detail");
    private static final List<String> SKIPPED_COLUMNS = List.of("batch_name", "email_key", "email_address", "folder",
            "source_uid", "subject", "date_epoch_second", "date_nano", "size", "kind", "reason", "recorded_at_ns");
    private static final List<String> FOLDER_COLUMNS = List.of("mailbox_key", "source_folder", "source_uid_validity",
            "highest_uid", "highest_mod_seq", "target_folder", "target_uid_validity", "uid_map_pairs", "uid_map_runs",
            "uid_map", "last_synced_at_ns", "uid_map_bytes", "segment_count", "segment_bytes", "next_segment",
            "in_flight_uids", "in_flight_uid_validity", "in_flight_uid_next");
    /** The checkpoint values {@link #saveFolderCheckpoint} updates, in binding order, before the key. */
    private static final String UPDATE_FOLDER_VALUES = "UPDATE " + FOLDER + " SET source_uid_validity = ?,"
            + " highest_uid = ?, highest_mod_seq = ?, target_folder = ?, target_uid_validity = ?, last_synced_at_ns = ?,"
            + " in_flight_uids = ?, in_flight_uid_validity = ?, in_flight_uid_next = ?";

    /**
     * A folder's segments are compacted into its map when there would be more than this many.
     * Bounds the rows read when the folder's state is read.
     */
    static final int MAX_SEGMENTS = 1024;
    /**
     * ... or when they add up to as many bytes as the map itself (at least this many): the map's
     * size then at least doubles between two compactions, so rewriting it costs at most about
     * twice its final size over the folder's whole life.
     */
    static final long MIN_COMPACTION_BYTES = 4096;

    /** SQLStates worth another attempt: serialization failure, deadlock, concurrent insert, lock timeout. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "23505", "HYT00", "90131");

    private final ConnectionSource connections;
    private final JdbcDialect dialect;
    private final int schemaVersion;
    private final String location;
    private final String upsertEndpoint;
    private final String upsertBatch;
    private final String upsertUser;
    private final String upsertFolder;
    private final String insertSkipped;
    private final String upsertSecret;
    /** Encoded UID-map bytes written (segments and compacted maps): what {@code JdbcStoreFootprintTest} measures. */
    final java.util.concurrent.atomic.LongAdder uidMapBytesWritten = new java.util.concurrent.atomic.LongAdder();
    /** Encoded identity bytes written: what the identity footprint test measures. */
    final java.util.concurrent.atomic.LongAdder identityBytesWritten = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    private JdbcMigrationStore(ConnectionSource connections, JdbcDialect dialect, int schemaVersion, String location) {
        this.connections = connections;
        this.dialect = dialect;
        this.schemaVersion = schemaVersion;
        this.location = location;
        this.upsertEndpoint = dialect.upsert(ENDPOINT, ENDPOINT_COLUMNS, List.of("name"));
        this.upsertBatch = dialect.upsert(BATCH, BATCH_COLUMNS, List.of("name"));
        this.upsertUser = dialect.upsert(USER, USER_COLUMNS, List.of("batch_name", "email_key"));
        this.upsertFolder = dialect.upsert(FOLDER, FOLDER_COLUMNS, List.of("mailbox_key", "source_folder"));
        this.upsertSecret = dialect.upsert(SECRET, List.of("name", "sealed"), List.of("name"));
        this.insertSkipped = "INSERT INTO " + SKIPPED + " (" + String.join(", ", SKIPPED_COLUMNS) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(SKIPPED_COLUMNS.size(), "?")) + ")";
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    /**
     * Opens a store on a host's data source, upgrading its schema if needed.
     *
     * @param dataSource a data source, pooled in production; not closed by {@link #close()}
     * @return the store
     * @throws MigrationException if the database cannot be reached, is not supported, or its
     *                            schema cannot be brought up to date
     */
    public static JdbcMigrationStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * Opens a store on one connection from a JDBC URL, upgrading its schema if needed. All threads
     * share the connection, one call at a time; production hosts should pass a pooled
     * {@link DataSource} to {@link #create(DataSource)} instead.
     *
     * @param url      a JDBC URL of an H2 or PostgreSQL database, not {@code null}
     * @param user     the database user, or {@code null} for the driver's default
     * @param password the database password, or {@code null}; kept in memory to reconnect, never
     *                 shown
     * @return the store
     * @throws MigrationException if the driver is missing, the database cannot be reached, is not
     *                            supported, or its schema cannot be brought up to date
     */
    public static JdbcMigrationStore connect(String url, String user, String password) {
        return builder(url, user, password).build();
    }

    /**
     * Opens (creating it if needed) the embedded H2 database of a state directory: the file
     * {@code <directory>/mailferry.mv.db}, user {@value #H2_FILE_USER} with an empty password, one
     * connection. Only one process at a time can open it; another one gets a
     * {@link MigrationException} saying the state directory is in use. Needs
     * {@code com.h2database:h2} on the class path.
     *
     * @param directory the state directory; created if absent
     * @return the store
     * @throws MigrationException if the directory cannot be created, the database is in use or
     *                            cannot be opened
     */
    public static JdbcMigrationStore h2File(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MigrationException("Could not create the state directory " + directory + ": " + e.getMessage(), e);
        }
        return new Builder(null, h2FileUrl(directory), H2_FILE_USER, "",
                "the H2 state database in " + directory.toAbsolutePath()).build();
    }

    /**
     * Returns the JDBC URL {@link #h2File(Path)} opens, for hosts that want to pass their own
     * options through {@link #builder(String, String, String)} (user {@value #H2_FILE_USER}, empty
     * password).
     *
     * <p>The URL uses H2's {@code async:} file system, whose I/O a thread interrupt does not abort
     * (with the default {@code file:} an interrupted engine thread, e.g. on
     * {@code ExecutorService.shutdownNow()}, closes the whole database; {@code retry:} survives but
     * clears the thread's interrupt flag), and {@code WRITE_DELAY=0}, which writes each commit to
     * the file before the commit returns (with H2's default of 500 ms a killed process loses the
     * commits of its last half second), and {@code MAX_COMPACT_TIME=30}: closing the database
     * compacts the file for at most 30 ms instead of H2's default 200 ms, which it used in full on
     * every close, a fifth of a short CLI run (measured: the file of a 1,600-message mailbox stays
     * at 70–110 KB over repeated passes against 65–70 KB with 200 ms; with no compaction at all it
     * grew to 3.6 MB).
     *
     * @param directory the state directory
     * @return the URL
     * @throws IllegalArgumentException if the directory's path contains a semicolon
     */
    public static String h2FileUrl(Path directory) {
        String path = directory.toAbsolutePath().normalize().resolve("mailferry").toString();
        if (path.indexOf(';') >= 0) {
            throw new IllegalArgumentException("the state directory's path must not contain ';': " + directory);
        }
        return "jdbc:h2:async:" + path + ";WRITE_DELAY=0;MAX_COMPACT_TIME=30";
    }

    /**
     * Starts a store on a host's data source, to set options.
     *
     * @param dataSource a data source, pooled in production; not closed by {@link #close()}
     * @return a builder; not thread-safe
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null, null, null, null);
    }

    /**
     * Starts a store on one connection from a JDBC URL, to set options; see
     * {@link #connect(String, String, String)}.
     *
     * @param url      a JDBC URL, not {@code null}
     * @param user     the database user, or {@code null}
     * @param password the database password, or {@code null}
     * @return a builder; not thread-safe
     */
    public static Builder builder(String url, String user, String password) {
        return new Builder(null, Objects.requireNonNull(url, "url"), user, password, null);
    }

    /**
     * Options of a {@link JdbcMigrationStore}. Not thread-safe; {@link #build()} opens a new
     * store each time it is called.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final String url;
        private final String user;
        private final String password;
        private final String location;
        private boolean autoMigrate = true;
        private Function<JdbcDialect, List<SchemaScript>> scripts = SchemaScript::load;

        private Builder(DataSource dataSource, String url, String user, String password, String location) {
            this.dataSource = dataSource;
            this.url = url;
            this.user = user;
            this.password = password;
            this.location = location;
        }

        /**
         * Whether the store creates and upgrades its schema on start (the default), or only checks
         * that a DBA has brought it to {@link JdbcMigrationStore#SCHEMA_VERSION}.
         *
         * @param autoMigrate {@code false} to leave the schema to the DBA
         * @return this builder
         */
        public Builder autoMigrate(boolean autoMigrate) {
            this.autoMigrate = autoMigrate;
            return this;
        }

        /** Test seam: the schema scripts of a dialect, in version order. */
        Builder scripts(Function<JdbcDialect, List<SchemaScript>> scripts) {
            this.scripts = Objects.requireNonNull(scripts, "scripts");
            return this;
        }

        /**
         * Connects, detects the database and brings its schema up to date (or checks it).
         *
         * @return the open store
         * @throws MigrationException if the database cannot be reached, is not H2 2.x or
         *                            PostgreSQL 10+, or its schema is not (and cannot be brought)
         *                            at the version this MailFerry needs
         */
        public JdbcMigrationStore build() {
            ConnectionSource source = dataSource != null ? ConnectionSource.of(dataSource)
                    : ConnectionSource.single(url, user, password);
            String where = location;
            try {
                JdbcDialect[] detected = new JdbcDialect[1];
                int version = source.with(c -> {
                    JdbcDialect d = JdbcDialect.detect(c.getMetaData());
                    detected[0] = d;
                    SchemaMigrator migrator = new SchemaMigrator(d, scripts.apply(d));
                    return autoMigrate ? migrator.migrate(c) : migrator.check(c);
                });
                if (where == null) {
                    where = "the " + detected[0].productName() + " store";
                }
                return new JdbcMigrationStore(source, detected[0], version, where);
            } catch (SQLException e) {
                source.close();
                String what = where != null ? where : "the JDBC store";
                if ("90020".equals(e.getSQLState())) {
                    throw new MigrationException("Could not open " + what + ": it is in use by another process"
                            + " (one MailFerry process at a time per state directory)", e);
                }
                throw new MigrationException("Could not open " + what + ": " + describe(e), e);
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }
    }

    /** Returns the database this store works on. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** Returns the database's schema version, {@link #SCHEMA_VERSION} for a store this MailFerry opened. */
    public int schemaVersion() {
        return schemaVersion;
    }

    // ---------------------------------------------------------------------------------------------
    // Endpoints

    @Override
    public void saveEndpoint(MigrationEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        tx("save endpoint '" + endpoint.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertEndpoint)) {
                int i = 0;
                ps.setString(++i, endpoint.name());
                ps.setString(++i, endpoint.type().name());
                ps.setString(++i, endpoint.host());
                ps.setInt(++i, endpoint.port());
                ps.setString(++i, endpoint.security().name());
                ps.setString(++i, endpoint.authentication().name());
                // Only the administrator's user name: the password never reaches the store.
                ps.setString(++i, endpoint.admin().map(Credentials::username).orElse(null));
                ps.setString(++i, endpoint.impersonation().mode().name());
                ps.setString(++i, endpoint.impersonation().separator());
                ps.setInt(++i, endpoint.maxConcurrentMigrations());
                ps.setInt(++i, endpoint.maxConcurrentIncrementalSyncs());
                ps.setBoolean(++i, endpoint.acceptUntrustedCertificates());
                ps.setLong(++i, nanos(endpoint.connectTimeout(), "connectTimeout"));
                ps.setLong(++i, nanos(endpoint.readTimeout(), "readTimeout"));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + ENDPOINT_PROPERTY + " WHERE endpoint_name = ?")) {
                ps.setString(1, endpoint.name());
                ps.executeUpdate();
            }
            if (!endpoint.properties().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ENDPOINT_PROPERTY
                        + " (endpoint_name, prop_name, prop_value) VALUES (?, ?, ?)")) {
                    for (Map.Entry<String, String> p : endpoint.properties().entrySet()) {
                        ps.setString(1, endpoint.name());
                        ps.setString(2, p.getKey());
                        ps.setString(3, p.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public Optional<MigrationEndpoint> findEndpoint(String name) {
        Objects.requireNonNull(name, "name");
        return tx("read endpoint '" + name + "'", c -> {
            List<MigrationEndpoint> found = readEndpoints(c, name);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<MigrationEndpoint> endpoints() {
        List<MigrationEndpoint> out = tx("read the endpoints", c -> readEndpoints(c, null));
        out.sort(Comparator.comparing(MigrationEndpoint::name));
        return List.copyOf(out);
    }

    private List<MigrationEndpoint> readEndpoints(Connection c, String name) throws SQLException {
        String where = name == null ? "" : " WHERE endpoint_name = ?";
        Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT endpoint_name, prop_name, prop_value FROM "
                + ENDPOINT_PROPERTY + where)) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    properties.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                }
            }
        }
        List<MigrationEndpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + ENDPOINT
                + (name == null ? "" : " WHERE name = ?"))) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String n = rs.getString("name");
                    String what = "endpoint '" + n + "'";
                    String admin = rs.getString("admin_username");
                    out.add(new MigrationEndpoint(
                            n,
                            new EndpointType(rs.getString("type")),
                            rs.getString("host"),
                            rs.getInt("port"),
                            enumValue(Security.class, rs.getString("security"), what),
                            enumValue(AuthenticationMethod.class, rs.getString("authentication"), what),
                            admin == null ? null : new Credentials(admin, ""),
                            new Impersonation(enumValue(Impersonation.Mode.class, rs.getString("impersonation_mode"), what),
                                    rs.getString("impersonation_separator")),
                            rs.getInt("max_concurrent_migrations"),
                            rs.getInt("max_concurrent_incremental_syncs"),
                            rs.getBoolean("accept_untrusted_certificates"),
                            Duration.ofNanos(rs.getLong("connect_timeout_ns")),
                            Duration.ofNanos(rs.getLong("read_timeout_ns")),
                            properties.getOrDefault(n, Map.of())));
                }
            }
        }
        return out;
    }

    @Override
    public void deleteEndpoint(String name) {
        Objects.requireNonNull(name, "name");
        tx("delete endpoint '" + name + "'", c -> {
            update(c, "DELETE FROM " + ENDPOINT_PROPERTY + " WHERE endpoint_name = ?", name);
            update(c, "DELETE FROM " + ENDPOINT + " WHERE name = ?", name);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Batches

    @Override
    public void saveBatch(BatchRecord batch) {
        Objects.requireNonNull(batch, "batch");
        tx("save batch '" + batch.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertBatch)) {
                int i = 0;
                ps.setString(++i, batch.name());
                ps.setString(++i, batch.sourceEndpoint());
                ps.setString(++i, batch.targetEndpoint());
                ps.setString(++i, batch.status().name());
                ps.setInt(++i, batch.options().badItemLimit().value());
                ps.setInt(++i, batch.options().largeItemLimit().value());
                ps.setBoolean(++i, batch.options().autoStart());
                ps.setLong(++i, batch.options().maxMessageSize());
                ps.setLong(++i, nanos(batch.createdAt(), "createdAt"));
                setNanos(ps, ++i, batch.startedAt(), "startedAt");
                setNanos(ps, ++i, batch.initialSyncAt(), "initialSyncAt");
                setNanos(ps, ++i, batch.initialSyncDuration());
                setNanos(ps, ++i, batch.lastSyncedAt(), "lastSyncedAt");
                BatchOptions o = batch.options();
                ps.setBoolean(++i, o.autoComplete());
                setNanos(ps, ++i, o.startAfter(), "startAfter");
                setNanos(ps, ++i, o.completeAfter(), "completeAfter");
                ps.setBoolean(++i, o.allowIncrementalSyncs());
                ps.setLong(++i, nanos(o.incrementalSyncInterval(), "incrementalSyncInterval"));
                setNanos(ps, ++i, o.receivedAfter(), "receivedAfter");
                setNanos(ps, ++i, o.receivedBefore(), "receivedBefore");
                ps.setLong(++i, nanos(o.reportInterval(), "reportInterval"));
                ps.setString(++i, o.priority().name());
                setNanos(ps, ++i, batch.completedAt(), "completedAt");
                ps.setString(++i, text(batch.createdBy()));
                NotificationOutcome n = batch.lastNotification();
                setNanos(ps, ++i, n == null ? null : n.time(), "lastNotification.time");
                ps.setString(++i, n == null ? null : text(n.subject()));
                ps.setString(++i, n == null ? null : text(n.error()));
                ps.executeUpdate();
            }
            update(c, "DELETE FROM " + BATCH_OPTION_VALUE + " WHERE batch_name = ?", batch.name());
            BatchOptions o = batch.options();
            if (!o.includeFolders().isEmpty() || !o.excludeFolders().isEmpty() || !o.notificationEmails().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + BATCH_OPTION_VALUE
                        + " (batch_name, kind, seq_no, option_value) VALUES (?, ?, ?, ?)")) {
                    addOptionValues(ps, batch.name(), OPTION_INCLUDE_FOLDER,
                            o.includeFolders().stream().map(FolderPattern::text).toList());
                    addOptionValues(ps, batch.name(), OPTION_EXCLUDE_FOLDER,
                            o.excludeFolders().stream().map(FolderPattern::text).toList());
                    addOptionValues(ps, batch.name(), OPTION_NOTIFICATION_EMAIL, o.notificationEmails());
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    private static final String OPTION_INCLUDE_FOLDER = "INCLUDE_FOLDER";
    private static final String OPTION_EXCLUDE_FOLDER = "EXCLUDE_FOLDER";
    private static final String OPTION_NOTIFICATION_EMAIL = "NOTIFICATION_EMAIL";

    private static void addOptionValues(PreparedStatement ps, String batch, String kind, List<String> values)
            throws SQLException {
        for (int n = 0; n < values.size(); n++) {
            ps.setString(1, batch);
            ps.setString(2, kind);
            ps.setInt(3, n);
            ps.setString(4, text(values.get(n)));
            ps.addBatch();
        }
    }

    @Override
    public Optional<BatchRecord> findBatch(String name) {
        Objects.requireNonNull(name, "name");
        return tx("read batch '" + name + "'", c -> {
            List<BatchRecord> found = readBatches(c, name);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<BatchRecord> batches() {
        return List.copyOf(tx("read the batches", c -> readBatches(c, null)));
    }

    private List<BatchRecord> readBatches(Connection c, String name) throws SQLException {
        Map<String, Map<String, List<String>>> values = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT batch_name, kind, option_value FROM " + BATCH_OPTION_VALUE
                + (name == null ? "" : " WHERE batch_name = ?") + " ORDER BY batch_name, kind, seq_no")) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        List<BatchRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + BATCH
                + (name == null ? "" : " WHERE name = ?") + " ORDER BY created_at_ns, seq")) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String n = rs.getString("name");
                    BatchStatus status = batchStatus(rs.getString("status"), n);
                    BatchOptions options;
                    try {
                        options = batchOptions(rs, values.getOrDefault(n, Map.of()));
                    } catch (RuntimeException e) {
                        LOG.warn("Batch '{}' has options in the store this MailFerry cannot read ({}): reading it as {}",
                                n, e.getMessage(), BatchStatus.CORRUPTED.displayName());
                        options = BatchOptions.DEFAULTS;
                        status = BatchStatus.CORRUPTED;
                    }
                    out.add(new BatchRecord(
                            n,
                            rs.getString("source_endpoint"),
                            rs.getString("target_endpoint"),
                            options,
                            status,
                            instant(rs, "created_at_ns"),
                            instant(rs, "started_at_ns"),
                            instant(rs, "initial_sync_at_ns"),
                            duration(rs, "initial_sync_duration_ns"),
                            instant(rs, "last_synced_at_ns"),
                            instant(rs, "completed_at_ns"),
                            rs.getString("created_by"),
                            notification(rs)));
                }
            }
        }
        return out;
    }

    private static NotificationOutcome notification(ResultSet rs) throws SQLException {
        Instant at = instant(rs, "notification_at_ns");
        if (at == null) {
            return null;
        }
        String subject = rs.getString("notification_subject");
        return new NotificationOutcome(at, subject == null ? "" : subject, rs.getString("notification_error"));
    }

    private static BatchOptions batchOptions(ResultSet rs, Map<String, List<String>> values) throws SQLException {
        Duration reportInterval = duration(rs, "report_interval_ns");
        Duration incrementalInterval = duration(rs, "incremental_sync_interval_ns");
        return new BatchOptions(
                ItemLimit.of(rs.getInt("bad_item_limit")),
                ItemLimit.of(rs.getInt("large_item_limit")),
                rs.getBoolean("auto_start"),
                rs.getLong("max_message_size"),
                rs.getBoolean("auto_complete"),
                instant(rs, "start_after_ns"),
                instant(rs, "complete_after_ns"),
                rs.getBoolean("allow_incremental_syncs"),
                incrementalInterval,
                FolderPattern.all(values.getOrDefault(OPTION_INCLUDE_FOLDER, List.of())),
                FolderPattern.all(values.getOrDefault(OPTION_EXCLUDE_FOLDER, List.of())),
                instant(rs, "received_after_ns"),
                instant(rs, "received_before_ns"),
                values.getOrDefault(OPTION_NOTIFICATION_EMAIL, List.of()),
                reportInterval,
                BatchPriority.valueOf(rs.getString("priority")));
    }

    private static BatchStatus batchStatus(String text, String batch) {
        try {
            return BatchStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("Batch '{}' has status '{}' in the store, which this MailFerry does not know: reading it as {}",
                    batch, text, BatchStatus.CORRUPTED.displayName());
            return BatchStatus.CORRUPTED;
        }
    }

    @Override
    public void deleteBatch(String name) {
        Objects.requireNonNull(name, "name");
        tx("delete batch '" + name + "'", c -> {
            update(c, "DELETE FROM " + SKIPPED + " WHERE batch_name = ?", name);
            update(c, "DELETE FROM " + USER + " WHERE batch_name = ?", name);
            update(c, "DELETE FROM " + BATCH_OPTION_VALUE + " WHERE batch_name = ?", name);
            update(c, "DELETE FROM " + BATCH + " WHERE name = ?", name);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Users

    @Override
    public void saveUser(UserRecord user) {
        Objects.requireNonNull(user, "user");
        tx("save user '" + user.emailAddress() + "' of batch '" + user.batchName() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertUser)) {
                MigrationUserEntry e = user.entry();
                MigrationUserStatistics s = user.statistics();
                int i = 0;
                ps.setString(++i, user.batchName());
                ps.setString(++i, emailKey(user.emailAddress()));
                ps.setString(++i, e.emailAddress());
                ps.setString(++i, e.sourceUserName());
                ps.setString(++i, e.targetUserName());
                ps.setString(++i, e.userRoot());
                ps.setString(++i, user.status().name());
                ps.setString(++i, text(user.error()));
                ps.setLong(++i, nanos(user.lastStatusChange(), "lastStatusChange"));
                ps.setLong(++i, s.totalItemsInSourceMailboxCount());
                ps.setLong(++i, s.estimatedTotalTransferSize());
                ps.setLong(++i, s.syncedItemCount());
                ps.setLong(++i, s.skippedItemCount());
                ps.setLong(++i, s.bytesTransferred());
                ps.setInt(++i, s.folderCount());
                ps.setInt(++i, s.foldersCreated());
                ps.setLong(++i, s.flagsUpdatedCount());
                setNanos(ps, ++i, s.lastSuccessfulSyncTime(), "lastSuccessfulSyncTime");
                UserOverrides o = e.overrides();
                setNanos(ps, ++i, o.startAfter(), "startAfter");
                setNanos(ps, ++i, o.completeAfter(), "completeAfter");
                setLimit(ps, ++i, o.badItemLimit());
                setLimit(ps, ++i, o.largeItemLimit());
                ps.setLong(++i, s.filteredItemCount());
                ps.setInt(++i, s.percentageComplete());
                ps.setLong(++i, nanos(s.totalQueuedDuration(), "totalQueuedDuration"));
                ps.setLong(++i, nanos(s.totalInProgressDuration(), "totalInProgressDuration"));
                ps.setLong(++i, nanos(s.totalSyncedDuration(), "totalSyncedDuration"));
                ps.setLong(++i, nanos(s.totalStalledDuration(), "totalStalledDuration"));
                ps.setString(++i, text(user.statusDetail()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void setLimit(PreparedStatement ps, int index, ItemLimit limit) throws SQLException {
        if (limit == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, limit.value());
        }
    }

    private static ItemLimit limit(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : ItemLimit.of(v);
    }

    @Override
    public void deleteUser(String batchName, String emailAddress) {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(emailAddress, "emailAddress");
        tx("delete user '" + emailAddress + "' of batch '" + batchName + "'", c -> {
            for (String table : List.of(SKIPPED, USER)) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                        + " WHERE batch_name = ? AND email_key = ?")) {
                    ps.setString(1, batchName);
                    ps.setString(2, emailKey(emailAddress));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<UserRecord> users(String batchName) {
        Objects.requireNonNull(batchName, "batchName");
        return tx("read the users of batch '" + batchName + "'",
                c -> readUsers(c, "batch_name = ?", batchName));
    }

    @Override
    public List<UserRecord> findUsersByEmail(String emailAddress) {
        Objects.requireNonNull(emailAddress, "emailAddress");
        return tx("find user '" + emailAddress + "'", c -> readUsers(c, "email_key = ?", emailKey(emailAddress)));
    }

    private List<UserRecord> readUsers(Connection c, String where, String value) throws SQLException {
        List<UserRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + USER + " WHERE " + where + " ORDER BY seq")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String batch = rs.getString("batch_name");
                    String email = rs.getString("email_address");
                    String targetUser = rs.getString("target_user_name");
                    UserOverrides overrides = new UserOverrides(instant(rs, "start_after_ns"),
                            instant(rs, "complete_after_ns"), limit(rs, "bad_item_limit"), limit(rs, "large_item_limit"));
                    MigrationUserEntry entry = new MigrationUserEntry(email, rs.getString("source_user_name"), null,
                            targetUser, targetUser == null ? null : "", rs.getString("user_root"), overrides);
                    MigrationUserStatistics stats = new MigrationUserStatistics(
                            rs.getLong("total_items_in_source"),
                            rs.getLong("estimated_total_transfer_size"),
                            rs.getLong("synced_item_count"),
                            rs.getLong("skipped_item_count"),
                            rs.getLong("bytes_transferred"),
                            rs.getInt("folder_count"),
                            rs.getInt("folders_created"),
                            rs.getLong("flags_updated_count"),
                            instant(rs, "last_successful_sync_ns"),
                            rs.getLong("filtered_item_count"),
                            rs.getInt("percentage_complete"),
                            Duration.ofNanos(rs.getLong("queued_duration_ns")),
                            Duration.ofNanos(rs.getLong("in_progress_duration_ns")),
                            Duration.ofNanos(rs.getLong("synced_duration_ns")),
                            Duration.ofNanos(rs.getLong("stalled_duration_ns")));
                    out.add(new UserRecord(batch, entry,
                            enumValue(MigrationUserStatus.class, rs.getString("status"),
                                    "user '" + email + "' of batch '" + batch + "'"),
                            stats, rs.getString("error"), instant(rs, "last_status_change_ns"),
                            rs.getString("status_detail")));
                }
            }
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------------------------------------
    // Skipped items and folder states

    @Override
    public List<SkippedItem> skippedItems(String batchName, String emailAddress) {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(emailAddress, "emailAddress");
        return tx("read the skipped items of user '" + emailAddress + "' of batch '" + batchName + "'", c -> {
            List<SkippedItem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + SKIPPED
                    + " WHERE batch_name = ? AND email_key = ? ORDER BY id")) {
                ps.setString(1, batchName);
                ps.setString(2, emailKey(emailAddress));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seconds = rs.getLong("date_epoch_second");
                        Instant date = rs.wasNull() ? null : Instant.ofEpochSecond(seconds, rs.getInt("date_nano"));
                        out.add(new SkippedItem(
                                rs.getString("email_address"),
                                rs.getString("folder"),
                                rs.getLong("source_uid"),
                                rs.getString("subject"),
                                date,
                                rs.getLong("size"),
                                enumValue(SkippedItemKind.class, rs.getString("kind"),
                                        "a skipped item of user '" + emailAddress + "'"),
                                rs.getString("reason"),
                                instant(rs, "recorded_at_ns")));
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public Optional<FolderSyncState> folderState(String mailboxKey, String sourceFolder) {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        return tx("read the state of folder '" + sourceFolder + "' of mailbox '" + mailboxKey + "'", c -> {
            List<FolderSyncState> found = readFolderStates(c, mailboxKey, sourceFolder);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<FolderSyncState> folderStates(String mailboxKey) {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        List<FolderSyncState> out = tx("read the folder states of mailbox '" + mailboxKey + "'",
                c -> readFolderStates(c, mailboxKey, null));
        out.sort(Comparator.comparing(FolderSyncState::sourceFolder));
        return List.copyOf(out);
    }

    private List<FolderSyncState> readFolderStates(Connection c, String mailboxKey, String sourceFolder)
            throws SQLException {
        Map<String, List<byte[]>> segments = readSegments(c, mailboxKey, sourceFolder);
        List<FolderSyncState> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + FOLDER + " WHERE mailbox_key = ?"
                + (sourceFolder == null ? "" : " AND source_folder = ?"))) {
            ps.setString(1, mailboxKey);
            if (sourceFolder != null) {
                ps.setString(2, sourceFolder);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String folder = rs.getString("source_folder");
                    UidMap map = map(mailboxKey, folder, dialect.getBinary(rs, "uid_map"),
                            segments.getOrDefault(folder, List.of()));
                    InFlightAppend inFlight = null;
                    byte[] inFlightUids = rs.getBytes("in_flight_uids");
                    if (inFlightUids != null) {
                        try {
                            inFlight = new InFlightAppend(InFlightAppend.decodeSourceUids(inFlightUids),
                                    rs.getLong("in_flight_uid_validity"), rs.getLong("in_flight_uid_next"));
                        } catch (IllegalArgumentException e) {
                            throw new MigrationException("The in-flight append of folder '" + folder + "' of mailbox '"
                                    + mailboxKey + "' in " + location + " is unreadable (" + e.getMessage() + ")", e);
                        }
                    }
                    out.add(new FolderSyncState(
                            rs.getString("mailbox_key"),
                            folder,
                            rs.getLong("source_uid_validity"),
                            rs.getLong("highest_uid"),
                            rs.getLong("highest_mod_seq"),
                            rs.getString("target_folder"),
                            rs.getLong("target_uid_validity"),
                            map,
                            instant(rs, "last_synced_at_ns"),
                            inFlight));
                }
            }
        }
        return out;
    }

    /** The segments of a mailbox's folders (or of one folder), by folder, in seq order. */
    private Map<String, List<byte[]>> readSegments(Connection c, String mailboxKey, String sourceFolder)
            throws SQLException {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_folder, pairs FROM " + SEGMENT
                + " WHERE mailbox_key = ?" + (sourceFolder == null ? "" : " AND source_folder = ?")
                + " ORDER BY source_folder, seq")) {
            ps.setString(1, mailboxKey);
            if (sourceFolder != null) {
                ps.setString(2, sourceFolder);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getBytes(2));
                }
            }
        }
        return out;
    }

    /** A folder's map: its base and its segments applied in order. */
    private UidMap map(String mailboxKey, String folder, byte[] base, List<byte[]> segments) {
        try {
            UidMap map = UidMap.decode(base);
            if (segments.isEmpty()) {
                return map;
            }
            UidMap.Builder b = map.toBuilder();
            for (byte[] segment : segments) {
                b.putAll(UidMap.decode(segment));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MigrationException("The UID map of folder '" + folder + "' of mailbox '" + mailboxKey
                    + "' in " + location + " is unreadable (" + e.getMessage()
                    + "); delete the mailbox's folder states to match its messages afresh", e);
        }
    }

    @Override
    public void saveFolderState(String batchName, FolderSyncState state, List<SkippedItem> skippedItems) {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(state, "state");
        List<SkippedItem> items = List.copyOf(skippedItems); // rejects null elements before anything is written
        byte[] map = state.uidMap().encode();
        tx("save the state of folder '" + state.sourceFolder() + "' of mailbox '" + state.mailboxKey()
                + "' (batch '" + batchName + "')", c -> {
            writeWholeState(c, FolderCheckpoint.of(state, UidMap.EMPTY), state.uidMap(), map);
            deleteSegments(c, state.mailboxKey(), state.sourceFolder());
            insertSkipped(c, batchName, items);
            return null;
        });
    }

    @Override
    public void saveSkippedItems(String batchName, List<SkippedItem> skippedItems) {
        Objects.requireNonNull(batchName, "batchName");
        List<SkippedItem> items = List.copyOf(skippedItems);
        if (items.isEmpty()) {
            return;
        }
        tx("record " + items.size() + " skipped item(s) (batch '" + batchName + "')", c -> {
            insertSkipped(c, batchName, items);
            return null;
        });
    }

    /**
     * Records a checkpoint writing only what it adds: its values update the folder's row; its pairs
     * become one new segment row, unless the folder's segments are due for compaction (more than
     * {@value #MAX_SEGMENTS}, or as many bytes as the folder's map, at least
     * {@value #MIN_COMPACTION_BYTES}): then the map is rewritten with the segments and the new
     * pairs merged in, and the segments are deleted. All in one transaction with the skipped items.
     */
    @Override
    public void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems) {
        saveFolderCheckpoint(batchName, checkpoint, skippedItems, new long[0]);
    }

    /**
     * As {@link #saveFolderCheckpoint(String, FolderCheckpoint, List)}, and in the same transaction
     * one row of {@code mailferry_copied_identity} holding the added identities (sorted, each once,
     * 8 bytes each) without locations, if there are any.
     */
    @Override
    public void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems,
                                     long[] addedIdentities) {
        saveFolderCheckpoint(batchName, checkpoint, skippedItems, addedIdentities, new long[addedIdentities.length]);
    }

    /**
     * As {@link #saveFolderCheckpoint(String, FolderCheckpoint, List)}, and in the same transaction
     * one row of {@code mailferry_copied_identity} holding the added identities (sorted, each once,
     * 8 bytes each) with the checkpoint's target folder and the target UIDs (4 bytes each, in the
     * order of the identities; none when all are 0), if there are any identities.
     */
    @Override
    public void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint, List<SkippedItem> skippedItems,
                                     long[] addedIdentities, long[] targetUids) {
        Objects.requireNonNull(batchName, "batchName");
        Objects.requireNonNull(checkpoint, "checkpoint");
        List<SkippedItem> items = List.copyOf(skippedItems);
        byte[][] identityRow = encodeIdentities(addedIdentities, targetUids);
        byte[] ids = identityRow == null ? null : identityRow[0];
        byte[] uids = identityRow == null ? null : identityRow[1];
        UidMap added = checkpoint.addedPairs();
        byte[] segment = added.isEmpty() ? null : added.encode();
        String key = checkpoint.mailboxKey();
        String folder = checkpoint.sourceFolder();
        tx("save a checkpoint of folder '" + folder + "' of mailbox '" + key + "' (batch '" + batchName + "')", c -> {
            long[] row = lockFolderRow(c, key, folder);
            if (row == null) {
                writeWholeState(c, checkpoint, added, segment == null ? UidMap.EMPTY.encode() : segment);
            } else if (segment == null) {
                try (PreparedStatement ps = c.prepareStatement(UPDATE_FOLDER_VALUES
                        + " WHERE mailbox_key = ? AND source_folder = ?")) {
                    int i = bindCheckpointValues(ps, checkpoint);
                    ps.setString(++i, key);
                    ps.setString(++i, folder);
                    ps.executeUpdate();
                }
            } else {
                long baseBytes = row[0];
                long segmentCount = row[1];
                long segmentBytes = row[2];
                long nextSegment = row[3];
                if (segmentCount + 1 > MAX_SEGMENTS
                        || segmentBytes + segment.length >= Math.max(baseBytes, MIN_COMPACTION_BYTES)) {
                    UidMap stored = readFolderStates(c, key, folder).get(0).uidMap();
                    UidMap merged = stored.toBuilder().putAll(added).build();
                    byte[] encoded = merged.encode();
                    try (PreparedStatement ps = c.prepareStatement(UPDATE_FOLDER_VALUES + ", uid_map = ?,"
                            + " uid_map_bytes = ?, uid_map_pairs = ?, uid_map_runs = ?, segment_count = 0,"
                            + " segment_bytes = 0, next_segment = 1 WHERE mailbox_key = ? AND source_folder = ?")) {
                        int i = bindCheckpointValues(ps, checkpoint);
                        dialect.setBinary(ps, ++i, encoded);
                        ps.setLong(++i, encoded.length);
                        ps.setLong(++i, merged.size());
                        ps.setInt(++i, merged.runCount());
                        ps.setString(++i, key);
                        ps.setString(++i, folder);
                        ps.executeUpdate();
                    }
                    deleteSegments(c, key, folder);
                    uidMapBytesWritten.add(encoded.length);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SEGMENT
                            + " (mailbox_key, source_folder, seq, pairs) VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, key);
                        ps.setString(2, folder);
                        ps.setLong(3, nextSegment);
                        ps.setBytes(4, segment);
                        ps.executeUpdate();
                    }
                    // uid_map_pairs and uid_map_runs are for monitoring: exact after a compaction,
                    // an upper bound in between (an added pair may replace a stored one).
                    try (PreparedStatement ps = c.prepareStatement(UPDATE_FOLDER_VALUES
                            + ", segment_count = segment_count + 1, segment_bytes = segment_bytes + ?,"
                            + " next_segment = next_segment + 1, uid_map_pairs = uid_map_pairs + ?,"
                            + " uid_map_runs = uid_map_runs + ? WHERE mailbox_key = ? AND source_folder = ?")) {
                        int i = bindCheckpointValues(ps, checkpoint);
                        ps.setLong(++i, segment.length);
                        ps.setLong(++i, added.size());
                        ps.setInt(++i, added.runCount());
                        ps.setString(++i, key);
                        ps.setString(++i, folder);
                        ps.executeUpdate();
                    }
                    uidMapBytesWritten.add(segment.length);
                }
            }
            insertSkipped(c, batchName, items);
            if (ids != null) {
                insertIdentities(c, key, ids, uids == null ? null : checkpoint.targetFolder(), uids);
            }
            return null;
        });
    }

    /** Sorted, distinct, non-zero identities as 8-byte big-endian values, or {@code null} if none. */
    static byte[] encodeIdentities(long[] identities) {
        byte[][] e = encodeIdentities(identities, new long[identities.length]);
        return e == null ? null : e[0];
    }

    /**
     * Sorted, distinct, non-zero identities as 8-byte big-endian values, and their target UIDs in the
     * same order as 4-byte big-endian unsigned values (the first UID given for an identity given
     * twice; {@code null} when all are 0); {@code null} if there are no identities.
     */
    static byte[][] encodeIdentities(long[] identities, long[] targetUids) {
        if (identities.length != targetUids.length) {
            throw new IllegalArgumentException(identities.length + " identities but " + targetUids.length
                    + " target UIDs");
        }
        FirstCopies.Builder b = FirstCopies.builder();
        boolean anyUid = false;
        for (int i = 0; i < identities.length; i++) {
            b.add(identities[i], "", targetUids[i]); // range-checks the UID
            anyUid |= identities[i] != 0 && targetUids[i] != 0;
        }
        FirstCopies sorted = b.build();
        if (sorted.size() == 0) {
            return null;
        }
        java.nio.ByteBuffer ids = java.nio.ByteBuffer.allocate(sorted.size() * Long.BYTES);
        java.nio.ByteBuffer uids = anyUid ? java.nio.ByteBuffer.allocate(sorted.size() * Integer.BYTES) : null;
        for (int i = 0; i < sorted.size(); i++) {
            ids.putLong(sorted.identity(i));
            if (uids != null) {
                uids.putInt((int) sorted.targetUid(i));
            }
        }
        return new byte[][] {ids.array(), uids == null ? null : uids.array()};
    }

    private void insertIdentities(Connection c, String key, byte[] ids, String targetFolder, byte[] uids)
            throws SQLException {
        long seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + IDENTITY
                + " WHERE mailbox_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        // a concurrent insert of the same seq fails with 23505 and the transaction is tried again
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + IDENTITY
                + " (mailbox_key, seq, ids, target_folder, target_uids) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, seq);
            ps.setBytes(3, ids);
            ps.setString(4, targetFolder);
            if (uids == null) {
                ps.setNull(5, Types.VARBINARY);
            } else {
                ps.setBytes(5, uids);
            }
            ps.executeUpdate();
        }
        identityBytesWritten.add(ids.length + (uids == null ? 0 : uids.length));
    }

    @Override
    public long[] copiedIdentities(String mailboxKey) {
        return firstCopies(mailboxKey).identities();
    }

    /**
     * Reads the mailbox's rows of {@code mailferry_copied_identity} in {@code seq} order; an
     * identity in several rows keeps the location of the first. Rows without target UIDs (written
     * by schema version 5, or by targets without UIDPLUS) give identities without locations.
     */
    @Override
    public FirstCopies firstCopies(String mailboxKey) {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        return tx("read the copied identities of mailbox '" + mailboxKey + "'", c -> {
            FirstCopies.Builder out = FirstCopies.builder();
            try (PreparedStatement ps = c.prepareStatement("SELECT ids, target_folder, target_uids FROM " + IDENTITY
                    + " WHERE mailbox_key = ? ORDER BY seq")) {
                ps.setString(1, mailboxKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] ids = rs.getBytes(1);
                        String folder = rs.getString(2);
                        byte[] uids = rs.getBytes(3);
                        if (ids.length % Long.BYTES != 0
                                || (uids != null && uids.length != ids.length / Long.BYTES * Integer.BYTES)) {
                            throw new MigrationException("The copied identities of mailbox '" + mailboxKey + "' in "
                                    + location + " are unreadable (" + ids.length + " bytes); delete the mailbox's"
                                    + " folder states to match its messages afresh");
                        }
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ids);
                        java.nio.ByteBuffer u = uids == null || folder == null ? null : java.nio.ByteBuffer.wrap(uids);
                        while (b.hasRemaining()) {
                            long id = b.getLong();
                            long uid = u == null ? 0 : Integer.toUnsignedLong(u.getInt());
                            out.add(id, folder, uid);
                        }
                    }
                }
            }
            return out.build();
        });
    }

    /**
     * Locks a folder's row for the transaction.
     *
     * @return uid_map_bytes, segment_count, segment_bytes and next_segment, or {@code null} if
     *         the folder has no row
     */
    private static long[] lockFolderRow(Connection c, String key, String folder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT uid_map_bytes, segment_count, segment_bytes, next_segment"
                + " FROM " + FOLDER + " WHERE mailbox_key = ? AND source_folder = ? FOR UPDATE")) {
            ps.setString(1, key);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    /** Binds the values of {@link #UPDATE_FOLDER_VALUES}; returns the last index bound. */
    private int bindCheckpointValues(PreparedStatement ps, FolderCheckpoint cp) throws SQLException {
        int i = 0;
        ps.setLong(++i, cp.sourceUidValidity());
        ps.setLong(++i, cp.highestUid());
        ps.setLong(++i, cp.highestModSeq());
        ps.setString(++i, cp.targetFolder());
        ps.setLong(++i, cp.targetUidValidity());
        setNanos(ps, ++i, cp.lastSyncedAt(), "lastSyncedAt");
        return bindInFlight(ps, i, cp.inFlight());
    }

    private static int bindInFlight(PreparedStatement ps, int i, InFlightAppend inFlight) throws SQLException {
        if (inFlight == null) {
            ps.setNull(++i, Types.VARBINARY);
            ps.setNull(++i, Types.BIGINT);
            ps.setNull(++i, Types.BIGINT);
        } else {
            ps.setBytes(++i, inFlight.encodeSourceUids());
            ps.setLong(++i, inFlight.targetUidValidity());
            ps.setLong(++i, inFlight.targetUidNext());
        }
        return i;
    }

    /** Inserts or replaces a folder's row with a whole map and no segments. */
    private void writeWholeState(Connection c, FolderCheckpoint values, UidMap map, byte[] encoded)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertFolder)) {
            int i = 0;
            ps.setString(++i, values.mailboxKey());
            ps.setString(++i, values.sourceFolder());
            ps.setLong(++i, values.sourceUidValidity());
            ps.setLong(++i, values.highestUid());
            ps.setLong(++i, values.highestModSeq());
            ps.setString(++i, values.targetFolder());
            ps.setLong(++i, values.targetUidValidity());
            ps.setLong(++i, map.size());
            ps.setInt(++i, map.runCount());
            dialect.setBinary(ps, ++i, encoded);
            setNanos(ps, ++i, values.lastSyncedAt(), "lastSyncedAt");
            ps.setLong(++i, encoded.length);
            ps.setInt(++i, 0);
            ps.setLong(++i, 0);
            ps.setLong(++i, 1);
            bindInFlight(ps, i, values.inFlight());
            ps.executeUpdate();
        }
        uidMapBytesWritten.add(encoded.length);
    }

    private static void deleteSegments(Connection c, String key, String folder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SEGMENT
                + " WHERE mailbox_key = ? AND source_folder = ?")) {
            ps.setString(1, key);
            ps.setString(2, folder);
            ps.executeUpdate();
        }
    }

    private void insertSkipped(Connection c, String batchName, List<SkippedItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(insertSkipped)) {
            for (SkippedItem item : items) {
                int i = 0;
                ps.setString(++i, batchName);
                ps.setString(++i, emailKey(item.emailAddress()));
                ps.setString(++i, item.emailAddress());
                ps.setString(++i, item.folder());
                ps.setLong(++i, item.sourceUid());
                ps.setString(++i, text(item.subject()));
                if (item.date() == null) {
                    ps.setNull(++i, Types.BIGINT);
                    ps.setNull(++i, Types.INTEGER);
                } else {
                    ps.setLong(++i, item.date().getEpochSecond());
                    ps.setInt(++i, item.date().getNano());
                }
                ps.setLong(++i, item.size());
                ps.setString(++i, item.kind().name());
                ps.setString(++i, text(item.reason()));
                ps.setLong(++i, nanos(item.recordedAt(), "recordedAt"));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void deleteFolderStates(String mailboxKey) {
        Objects.requireNonNull(mailboxKey, "mailboxKey");
        tx("delete the folder states of mailbox '" + mailboxKey + "'", c -> {
            update(c, "DELETE FROM " + SEGMENT + " WHERE mailbox_key = ?", mailboxKey);
            update(c, "DELETE FROM " + IDENTITY + " WHERE mailbox_key = ?", mailboxKey);
            update(c, "DELETE FROM " + FOLDER + " WHERE mailbox_key = ?", mailboxKey);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Sealed secrets

    @Override
    public void saveSealedSecret(String name, byte[] sealed) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sealed, "sealed");
        byte[] copy = sealed.clone();
        tx("save sealed secret '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertSecret)) {
                ps.setString(1, name);
                ps.setBytes(2, copy);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<byte[]> sealedSecret(String name) {
        Objects.requireNonNull(name, "name");
        return tx("read sealed secret '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM " + SECRET + " WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public void deleteSealedSecret(String name) {
        Objects.requireNonNull(name, "name");
        tx("delete sealed secret '" + name + "'", c -> {
            update(c, "DELETE FROM " + SECRET + " WHERE name = ?", name);
            return null;
        });
    }

    /**
     * Closes the store. A store opened from a URL or with {@link #h2File(Path)} closes its
     * connection (and with it the embedded database); a host's data source is left open. Calls
     * after closing fail with a {@link MigrationException}.
     */
    @Override
    public void close() {
        closed = true;
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcMigrationStore[" + dialect.productName() + ", schema version " + schemaVersion + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Plumbing

    /** Runs one unit of work in a transaction, retrying transient conflicts. */
    private <T> T tx(String operation, SqlWork<T> work) {
        if (closed) {
            throw new MigrationException("Could not " + operation + ": " + location + " is closed");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return connections.with(c -> inTransaction(c, work));
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isTransient(e) && !closed) {
                    LOG.debug("Retrying '{}' after a transient failure: {}", operation, e.getMessage());
                    continue;
                }
                throw new MigrationException("Could not " + operation + " in " + location + ": " + describe(e), e);
            } catch (UncheckedIOException e) {
                throw new MigrationException("Could not " + operation + " in " + location + ": " + e.getMessage(), e);
            }
        }
    }

    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            if (autoCommit) {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // The connection is broken; the pool or the next call will notice.
                }
            }
        }
    }

    private static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && TRANSIENT_STATES.contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getSQLState() == null ? message : message + " (SQLState " + e.getSQLState() + ")";
    }

    private static void update(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
    }

    /** The key of an e-mail address: lower case in the root locale, as {@code InMemoryMigrationStore} does. */
    static String emailKey(String emailAddress) {
        return emailAddress.toLowerCase(Locale.ROOT);
    }

    /** Free text as PostgreSQL can hold it: NUL becomes U+FFFD. */
    private static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String what) {
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MigrationException("Unreadable " + what + " in the store: unknown " + type.getSimpleName()
                    + " '" + text + "' (written by a newer MailFerry?)", e);
        }
    }

    /**
     * Nanoseconds since the epoch.
     *
     * @throws IllegalArgumentException outside 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z
     */
    static long nanos(Instant instant, String what) {
        try {
            long seconds = instant.getEpochSecond();
            int nano = instant.getNano();
            if (seconds < 0 && nano > 0) {
                // As Instant.toEpochMilli does: near the lower bound seconds * 10^9 alone would overflow.
                return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000_000L), nano - 1_000_000_000L);
            }
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nano);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + instant + " is outside the range the JDBC store holds"
                    + " (" + Instant.ofEpochSecond(0, Long.MIN_VALUE) + " to " + Instant.ofEpochSecond(0, Long.MAX_VALUE)
                    + ")", e);
        }
    }

    static long nanos(Duration duration, String what) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + duration + " is longer than the JDBC store holds (292 years)", e);
        }
    }

    private static void setNanos(PreparedStatement ps, int index, Instant instant, String what) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, nanos(instant, what));
        }
    }

    private static void setNanos(PreparedStatement ps, int index, Duration duration) throws SQLException {
        if (duration == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, nanos(duration, "initialSyncDuration"));
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long n = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochSecond(0, n);
    }

    private static Duration duration(ResultSet rs, String column) throws SQLException {
        long n = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofNanos(n);
    }
}
