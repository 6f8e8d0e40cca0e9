package io.mailferry.core.store.jdbc;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.store.BatchRecord;
import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.InFlightAppend;
import io.mailferry.core.store.UidMap;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the JDBC store does beyond the store contract, on each database: schema creation and
 * upgrade, concurrent start, the DBA's way (no auto-migration), atomic checkpoints under database
 * failures, retries, secrets, error messages.
 */
abstract class JdbcStoreBehaviour {
    static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456789Z");

    /** Returns a data source of a new, empty database (a connection per call). */
    abstract DataSource newDatabase();

    /** Returns the JDBC URL of a database {@link #newDatabase()} made, and its user. */
    abstract String[] urlAndUser(DataSource database);

    /** Whether the database applies DDL in transactions (PostgreSQL), or commits it at once (H2). */
    abstract boolean transactionalDdl();

    abstract JdbcDialect dialect();

    static FolderSyncState state(String folder, long highestUid) {
        return new FolderSyncState("terry@example.com|terry", folder, 7, highestUid, 0, folder, 9,
                highestUid == 0 ? UidMap.EMPTY : run(highestUid), null);
    }

    private static UidMap run(long n) {
        UidMap.Builder b = UidMap.builder();
        for (long i = 1; i <= n; i++) {
            b.put(i, 100 + i);
        }
        return b.build();
    }

    static SkippedItem skipped(long uid, String subject) {
        return new SkippedItem("terry@example.com", "INBOX", uid, subject, T0, 10, SkippedItemKind.CORRUPT,
                "broken", T0);
    }

    static BatchRecord batch(String name) {
        return new BatchRecord(name, "s", "t", BatchOptions.DEFAULTS, BatchStatus.CREATED, T0, null, null, null, null);
    }

    static int count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private List<SchemaScript> withProbe(JdbcDialect d, String probe) {
        List<SchemaScript> scripts = new ArrayList<>(SchemaScript.load(d));
        int next = scripts.size() + 1;
        String resource = "upgrade-probe/" + d.directoryName() + "/" + probe + ".sql";
        try (var in = JdbcStoreBehaviour.class.getResourceAsStream(resource)) {
            String template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            scripts.add(SchemaScript.of("V" + next + "__" + probe + ".sql",
                    template.replace("${version}", Integer.toString(next))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return scripts;
    }

    // ---------------------------------------------------------------------------------------------
    // Schema

    @Test
    void newDatabaseShouldGetTheSchemaAndItsVersion() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.dialect()).isEqualTo(dialect());
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            assertThat(store.toString()).contains(dialect().productName()).contains("schema version " + JdbcMigrationStore.SCHEMA_VERSION);
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_schema_version")).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
        try (JdbcMigrationStore again = JdbcMigrationStore.create(ds)) {
            assertThat(again.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_schema_version")).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
    }

    @Test
    void schemaShouldBeUpgradedWhenANewScriptAppearsKeepingTheData() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            store.saveBatch(batch("before-upgrade"));
            store.saveFolderState("before-upgrade", state("INBOX", 50), List.of(skipped(3, "s")));
        }
        int next = JdbcMigrationStore.SCHEMA_VERSION + 1;

        try (JdbcMigrationStore upgraded = JdbcMigrationStore.builder(ds)
                .scripts(d -> withProbe(d, "upgrade_probe")).build()) {
            assertThat(upgraded.schemaVersion()).isEqualTo(next);
            assertThat(upgraded.findBatch("before-upgrade")).contains(batch("before-upgrade"));
            assertThat(upgraded.folderState("terry@example.com|terry", "INBOX")).contains(state("INBOX", 50));
            assertThat(upgraded.skippedItems("before-upgrade", "terry@example.com")).hasSize(1);
            upgraded.saveBatch(batch("after-upgrade"));
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_batch WHERE upgrade_probe = 'added by the upgrade'"))
                .isEqualTo(2);
        assertThat(count(ds, "SELECT MAX(version) FROM mailferry_schema_version")).isEqualTo(next);

        // This MailFerry does not know the probe's version: it must not run on it.
        assertThatThrownBy(() -> JdbcMigrationStore.create(ds))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("version " + next)
                .hasMessageContaining("newer");
        assertThatThrownBy(() -> JdbcMigrationStore.builder(ds).autoMigrate(false).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("newer");
    }

    @Test
    void version1DatabaseShouldBeUpgradedToAppendOnlyCheckpointsKeepingItsState() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore v1 = JdbcMigrationStore.builder(ds).scripts(d -> SchemaScript.load(d).subList(0, 1))
                .build()) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
        }
        // A checkpoint as MailFerry's version-1 store wrote it.
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mailferry_folder_state (mailbox_key, source_folder, source_uid_validity, highest_uid,"
                        + " highest_mod_seq, target_folder, target_uid_validity, uid_map_pairs, uid_map_runs, uid_map,"
                        + " last_synced_at_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            FolderSyncState v1 = state("INBOX", 50);
            int i = 0;
            ps.setString(++i, v1.mailboxKey());
            ps.setString(++i, v1.sourceFolder());
            ps.setLong(++i, v1.sourceUidValidity());
            ps.setLong(++i, v1.highestUid());
            ps.setLong(++i, v1.highestModSeq());
            ps.setString(++i, v1.targetFolder());
            ps.setLong(++i, v1.targetUidValidity());
            ps.setLong(++i, v1.uidMap().size());
            ps.setInt(++i, v1.uidMap().runCount());
            dialect().setBinary(ps, ++i, v1.uidMap().encode());
            ps.setNull(++i, java.sql.Types.BIGINT);
            ps.executeUpdate();
        }
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state("INBOX", 50));
            FolderSyncState next = state("INBOX", 50).withProgress(52, UidMap.EMPTY, 9);
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(next, UidMap.builder().put(51, 151).put(52, 152).build()),
                    List.of());
            assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state("INBOX", 52));
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_uid_segment")).isEqualTo(1);
    }

    @Test
    void version5IdentitiesShouldReadWithoutLocationsAfterTheUpgradeToVersion6() throws Exception {
        DataSource ds = newDatabase();
        String key = "gail@example.com|gail";
        try (JdbcMigrationStore v5 = JdbcMigrationStore.builder(ds).scripts(d -> SchemaScript.load(d).subList(0, 5))
                .build()) {
            assertThat(v5.schemaVersion()).isEqualTo(5);
        }
        // a row as MailFerry's version-5 store wrote it: identities only
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mailferry_copied_identity (mailbox_key, seq, ids) VALUES (?, 1, ?)")) {
            ps.setString(1, key);
            ps.setBytes(2, JdbcMigrationStore.encodeIdentities(new long[] {7, 5}));
            ps.executeUpdate();
        }
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            FolderSyncState work = FolderSyncState.initial(key, "Work", 1, "Work").withProgress(2, UidMap.EMPTY, 3);
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(work, UidMap.EMPTY), List.of(), new long[] {9, 5},
                    new long[] {12, 13});
            io.mailferry.core.store.FirstCopies copies = store.firstCopies(key);
            assertThat(copies.identities()).containsExactly(5, 7, 9);
            assertThat(copies.targetUid(copies.indexOf(5))).as("recorded by version 5 first").isZero();
            assertThat(copies.targetFolder(copies.indexOf(7))).isNull();
            assertThat(copies.targetFolder(copies.indexOf(9))).isEqualTo("Work");
            assertThat(copies.targetUid(copies.indexOf(9))).isEqualTo(12);
            assertThat(store.copiedIdentities(key)).containsExactly(5, 7, 9);
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_copied_identity WHERE target_uids IS NULL")).isEqualTo(1);
    }

    @Test
    void failingScriptShouldLeaveTheVersionWhereItWas() throws Exception {
        DataSource ds = newDatabase();
        JdbcMigrationStore.create(ds).close();

        assertThatThrownBy(() -> JdbcMigrationStore.builder(ds).scripts(d -> withProbe(d, "failing_probe")).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("failing_probe.sql");

        assertThat(count(ds, "SELECT MAX(version) FROM mailferry_schema_version"))
                .isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
        if (transactionalDdl()) {
            // The script's first statement went with the failed transaction.
            try (Connection c = ds.getConnection()) {
                assertThat(SchemaMigratorAccess.tableExists(c, "mailferry_half_done")).isFalse();
            }
        }
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
        }
    }

    @Test
    void storesStartingAtOnceShouldCreateTheSchemaOnce() throws Exception {
        DataSource ds = newDatabase();
        int starters = 6;
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                versions.add(pool.submit(() -> {
                    go.await();
                    try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
                        store.saveBatch(batch("b-" + Thread.currentThread().getName()));
                        return store.schemaVersion();
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> v : versions) {
                assertThat(v.get(60, TimeUnit.SECONDS)).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_schema_version")).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
        assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_batch")).isEqualTo(starters);
    }

    @Test
    void withoutAutoMigrationTheStoreShouldOnlyCheckTheVersion() throws Exception {
        DataSource ds = newDatabase();
        assertThatThrownBy(() -> JdbcMigrationStore.builder(ds).autoMigrate(false).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("version 0")
                .hasMessageContaining("V1")
                .hasMessageContaining(dialect().scriptDirectory());
        try (Connection c = ds.getConnection()) {
            assertThat(SchemaMigratorAccess.tableExists(c, "mailferry_batch")).isFalse();
        }

        // The DBA runs the scripts.
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (SchemaScript script : SchemaScript.load(dialect())) {
                for (String sql : script.statements()) {
                    st.execute(sql);
                }
            }
            c.commit();
        }
        try (JdbcMigrationStore store = JdbcMigrationStore.builder(ds).autoMigrate(false).build()) {
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            store.saveBatch(batch("b"));
            assertThat(store.findBatch("b")).isPresent();
        }
    }

    @Test
    void aVersion1DatabaseShouldBeUpgradedToTheCurrentVersionWithTheDefaultsOfTheNewOptions() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore v1 = JdbcMigrationStore.builder(ds)
                .scripts(d -> SchemaScript.load(d).subList(0, 1)).build()) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
        }
        execute(ds, "INSERT INTO mailferry_batch (name, source_endpoint, target_endpoint, status, bad_item_limit,"
                + " large_item_limit, auto_start, max_message_size, created_at_ns) VALUES ('old', 's', 't', 'SYNCED',"
                + " 3, 2147483647, FALSE, 1000, 0)");
        execute(ds, "INSERT INTO mailferry_user (batch_name, email_key, email_address, source_user_name, status,"
                + " last_status_change_ns, total_items_in_source, estimated_total_transfer_size, synced_item_count,"
                + " skipped_item_count, bytes_transferred, folder_count, folders_created, flags_updated_count)"
                + " VALUES ('old', 'a@example.com', 'a@example.com', 'a', 'SYNCED', 0, 10, 1000, 10, 0, 1000, 1, 0, 0)");

        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.schemaVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
            BatchRecord old = store.findBatch("old").orElseThrow();
            assertThat(old.status()).isEqualTo(BatchStatus.SYNCED);
            assertThat(old.options()).isEqualTo(new BatchOptions(io.mailferry.core.ItemLimit.of(3),
                    io.mailferry.core.ItemLimit.UNLIMITED, false, 1000));
            assertThat(old.options().incrementalSyncInterval()).isEqualTo(BatchOptions.DEFAULT_INCREMENTAL_SYNC_INTERVAL);
            assertThat(old.options().reportInterval()).isEqualTo(BatchOptions.DEFAULT_REPORT_INTERVAL);
            assertThat(old.options().allowIncrementalSyncs()).isTrue();
            UserRecord user = store.users("old").get(0);
            assertThat(user.entry().overrides()).isEqualTo(io.mailferry.core.UserOverrides.NONE);
            assertThat(user.statistics().syncedItemCount()).isEqualTo(10);
            assertThat(user.statistics().totalQueuedDuration()).isZero();
        }
    }

    @Test
    void aBatchRowThisMailFerryCannotReadShouldComeBackCorruptedAndBeRemovable() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            store.saveBatch(batch("unknown-status"));
            store.saveBatch(batch("unknown-priority"));
            store.saveBatch(batch("bad-pattern"));
            store.saveBatch(batch("fine"));
        }
        execute(ds, "UPDATE mailferry_batch SET status = 'SINKING' WHERE name = 'unknown-status'");
        execute(ds, "UPDATE mailferry_batch SET priority = 'URGENTISSIMO' WHERE name = 'unknown-priority'");
        execute(ds, "INSERT INTO mailferry_batch_option_value (batch_name, kind, seq_no, option_value)"
                + " VALUES ('bad-pattern', 'EXCLUDE_FOLDER', 0, '#Nowhere#')");

        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            assertThat(store.batches()).extracting(BatchRecord::name, BatchRecord::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("unknown-status", BatchStatus.CORRUPTED),
                    org.assertj.core.groups.Tuple.tuple("unknown-priority", BatchStatus.CORRUPTED),
                    org.assertj.core.groups.Tuple.tuple("bad-pattern", BatchStatus.CORRUPTED),
                    org.assertj.core.groups.Tuple.tuple("fine", BatchStatus.CREATED));
            assertThat(store.findBatch("unknown-priority").orElseThrow().options()).isEqualTo(BatchOptions.DEFAULTS);

            store.deleteBatch("bad-pattern");
            assertThat(store.findBatch("bad-pattern")).isEmpty();
            assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_batch_option_value")).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Units of work

    @Test
    void checkpointShouldBeAllOrNothingWhenTheDatabaseFailsHalfway() throws Exception {
        FaultInjectingDataSource ds = new FaultInjectingDataSource(newDatabase());
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            store.saveFolderState("b", state("INBOX", 10), List.of(skipped(4, "first")));

            // The folder state is written first; the skipped items' insert then fails.
            ds.failNext("INSERT INTO mailferry_skipped_item", "XX000", 1);
            assertThatThrownBy(() -> store.saveFolderState("b", state("INBOX", 20), List.of(skipped(15, "second"))))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("folder 'INBOX'")
                    .hasMessageContaining("mailbox 'terry@example.com|terry'")
                    .hasMessageContaining("batch 'b'")
                    .hasMessageContaining("injected failure");
            assertThat(ds.injected()).isEqualTo(1);

            assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state("INBOX", 10));
            assertThat(store.skippedItems("b", "terry@example.com")).extracting(SkippedItem::subject)
                    .containsExactly("first");
        }
    }

    @Test
    void checkpointShouldBeAllOrNothingWhenASegmentOrSkippedItemFails() throws Exception {
        FaultInjectingDataSource ds = new FaultInjectingDataSource(newDatabase());
        String key = "terry@example.com|terry";
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            store.saveFolderState("b", state("INBOX", 10), List.of());
            InFlightAppend append = new InFlightAppend(List.of(11L, 12L), 9, 111);
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(state("INBOX", 10).withInFlight(append), UidMap.EMPTY),
                    List.of());
            FolderCheckpoint copied = FolderCheckpoint.of(state("INBOX", 10).withProgress(12, UidMap.EMPTY, 9),
                    UidMap.builder().put(11, 111).put(12, 112).build());

            for (String failing : List.of("INSERT INTO mailferry_uid_segment", "INSERT INTO mailferry_skipped_item",
                    "UPDATE mailferry_folder_state")) {
                ds.failNext(failing, "XX000", 1);
                assertThatThrownBy(() -> store.saveFolderCheckpoint("b", copied, List.of(skipped(13, "lost"))))
                        .isInstanceOf(MigrationException.class)
                        .hasMessageContaining("folder 'INBOX'")
                        .hasMessageContaining("injected failure");
                assertThat(store.folderState(key, "INBOX")).as(failing).contains(state("INBOX", 10).withInFlight(append));
                assertThat(store.skippedItems("b", "terry@example.com")).isEmpty();
            }
            assertThat(ds.injected()).isEqualTo(3);
            store.saveFolderCheckpoint("b", copied, List.of(skipped(13, "kept")));
            assertThat(store.folderState(key, "INBOX")).contains(state("INBOX", 12));
            assertThat(store.skippedItems("b", "terry@example.com")).extracting(SkippedItem::subject).containsExactly("kept");
        }
    }

    /**
     * The fix of the whole-map rewrite: a fragmented 20,000-message folder checkpointed every 100
     * messages writes its pairs about once (segments) plus the compactions (the map's size at
     * least doubles between two), not the whole map per checkpoint.
     */
    @Test
    void checkpointsShouldWriteWhatTheyAddNotTheWholeMap() throws Exception {
        DataSource ds = newDatabase();
        String key = "terry@example.com|terry";
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            FolderSyncState values = FolderSyncState.initial(key, "INBOX", 7, "INBOX");
            UidMap.Builder all = UidMap.builder();
            long before = store.uidMapBytesWritten.sum();
            long rewriteEveryTime = 0;
            for (long chunk = 0; chunk < 200; chunk++) {
                UidMap.Builder added = UidMap.builder();
                for (long i = 1; i <= 100; i++) {
                    long uid = chunk * 100 + i;
                    added.put(uid * 2, uid * 3); // source gaps and target gaps: every pair its own run
                    all.put(uid * 2, uid * 3);
                }
                values = values.withProgress(chunk * 200 + 200, UidMap.EMPTY, 7);
                store.saveFolderCheckpoint("b", FolderCheckpoint.of(values, added.build()), List.of());
                rewriteEveryTime += all.build().encode().length;
                assertThat(count(ds, "SELECT COUNT(*) FROM mailferry_uid_segment"))
                        .isLessThanOrEqualTo(JdbcMigrationStore.MAX_SEGMENTS);
            }
            long written = store.uidMapBytesWritten.sum() - before;
            long finalSize = all.build().encode().length;
            assertThat(store.folderState(key, "INBOX").orElseThrow().uidMap()).isEqualTo(all.build());
            assertThat(written).as("bytes written, whole map %d bytes", finalSize).isLessThanOrEqualTo(4 * finalSize);
            assertThat(rewriteEveryTime).isGreaterThan(20 * written);
        }
    }

    @Test
    void transientConflictsShouldBeRetriedWithoutDuplicates() throws Exception {
        FaultInjectingDataSource ds = new FaultInjectingDataSource(newDatabase());
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            ds.failNext("INSERT INTO mailferry_skipped_item", "40001", JdbcMigrationStore.MAX_ATTEMPTS - 1);
            store.saveFolderState("b", state("INBOX", 20), List.of(skipped(15, "once"), skipped(16, "once too")));
            assertThat(ds.injected()).isEqualTo(JdbcMigrationStore.MAX_ATTEMPTS - 1);
            assertThat(store.skippedItems("b", "terry@example.com")).extracting(SkippedItem::sourceUid)
                    .containsExactly(15L, 16L);

            ds.failNext("INSERT INTO mailferry_skipped_item", "40001", JdbcMigrationStore.MAX_ATTEMPTS);
            assertThatThrownBy(() -> store.saveFolderState("b", state("INBOX", 30), List.of(skipped(25, "never"))))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("SQLState 40001");
            assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state("INBOX", 20));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Secrets and messages

    @Test
    void noPasswordShouldReachTheDatabase() throws Exception {
        DataSource ds = newDatabase();
        String secret = "S3cret-admin-pw";
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            MigrationEndpoint withPassword = MigrationEndpoint.imap("dovecot").host("imap.example.org")
                    .adminCredentials(new Credentials("master", secret)).build();
            store.saveEndpoint(withPassword);
            store.saveUser(new UserRecord("b", new MigrationUserEntry("a@example.com", "a", "src-" + secret, "t",
                    "tgt-" + secret, null).withoutSecrets(), MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY,
                    null, T0));

            assertThat(store.findEndpoint("dovecot").orElseThrow().adminCredentials())
                    .isEqualTo(new Credentials("master", ""));
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            int cells = 0;
            for (String table : List.of("mailferry_endpoint", "mailferry_endpoint_property", "mailferry_user")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            assertThat(String.valueOf(rs.getObject(i))).doesNotContain(secret);
                            cells++;
                        }
                    }
                }
            }
            assertThat(cells).isGreaterThan(20);
        }
    }

    @Test
    void wrongDatabasePasswordShouldFailWithoutShowingIt() {
        DataSource ds = newDatabase();
        JdbcMigrationStore.create(ds).close();
        String[] urlAndUser = urlAndUser(ds);
        assertThatThrownBy(() -> JdbcMigrationStore.connect(urlAndUser[0], urlAndUser[1], "Wr0ng-hunter2"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("Could not open the JDBC store")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("hunter2"));
    }

    @Test
    void storeOnOneConnectionShouldWorkFromManyThreads() throws Exception {
        DataSource ds = newDatabase();
        JdbcMigrationStore.create(ds).close();
        String[] urlAndUser = urlAndUser(ds);
        try (JdbcMigrationStore store = JdbcMigrationStore.connect(urlAndUser[0], urlAndUser[1], password(ds))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 1; i <= 20; i++) {
                            store.saveFolderState("b", new FolderSyncState("k" + thread, "F" + i, 1, i, 0, "F", 0,
                                    UidMap.EMPTY, null), List.of(skipped(i, "t" + thread)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.skippedItems("b", "terry@example.com")).hasSize(80);
        }
    }

    /** The password of a database {@link #newDatabase()} made. */
    abstract String password(DataSource database);

    @Test
    void failuresShouldNameTheOperationBatchAndUser() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            execute(ds, "DROP TABLE mailferry_user");
            UserRecord user = new UserRecord("spring-batch", MigrationUserEntry.of("terry@example.com", "terry", null),
                    MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, T0);
            assertThatThrownBy(() -> store.saveUser(user))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("Could not save user 'terry@example.com' of batch 'spring-batch' in the "
                            + dialect().productName() + " store: ")
                    .hasCauseInstanceOf(SQLException.class);
            assertThatThrownBy(() -> store.users("spring-batch"))
                    .hasMessageContaining("read the users of batch 'spring-batch'");
        }
    }

    @Test
    void closedStoreShouldRefuseCalls() {
        JdbcMigrationStore store = JdbcMigrationStore.create(newDatabase());
        store.close();
        assertThatThrownBy(() -> store.batches())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("closed");
    }

    // ---------------------------------------------------------------------------------------------
    // Values

    @Test
    void nulCharactersInFreeTextShouldBeReplaced() {
        try (JdbcMigrationStore store = JdbcMigrationStore.create(newDatabase())) {
            store.saveFolderState("b", state("INBOX", 1), List.of(skipped(1, "bad\0subject")));
            store.saveUser(new UserRecord("b", MigrationUserEntry.of("a@example.com", "a", null),
                    MigrationUserStatus.FAILED, MigrationUserStatistics.EMPTY, "server said \0", T0));

            assertThat(store.skippedItems("b", "terry@example.com").get(0).subject()).isEqualTo("bad\uFFFDsubject");
            assertThat(store.users("b").get(0).error()).isEqualTo("server said \uFFFD");
        }
    }

    @Test
    void instantsBeyondTheStoredRangeShouldBeRefusedClearly() {
        try (JdbcMigrationStore store = JdbcMigrationStore.create(newDatabase())) {
            BatchRecord far = new BatchRecord("far", "s", "t", BatchOptions.DEFAULTS, BatchStatus.CREATED,
                    Instant.parse("2300-01-01T00:00:00Z"), null, null, null, null);
            assertThatThrownBy(() -> store.saveBatch(far))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("createdAt 2300-01-01T00:00:00Z")
                    .hasMessageContaining("2262-04-11T23:47:16.854775807Z");
            assertThat(store.batches()).isEmpty();
        }
    }

    @Test
    void unknownStatusesShouldBeReportedNotGuessed() throws Exception {
        DataSource ds = newDatabase();
        try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
            store.saveBatch(batch("b"));
            store.saveUser(new UserRecord("b", MigrationUserEntry.of("a@example.com", "a", null),
                    MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, T0));
            store.saveFolderState("b", state("INBOX", 3), List.of());
            execute(ds, "UPDATE mailferry_batch SET status = 'FROM_THE_FUTURE'");
            execute(ds, "UPDATE mailferry_user SET status = 'FROM_THE_FUTURE'");
            execute(ds, "UPDATE mailferry_folder_state SET uid_map = " + (dialect() == JdbcDialect.H2
                    ? "X'05'" : "'\\x05'::bytea"));

            assertThat(store.findBatch("b").orElseThrow().status()).isEqualTo(BatchStatus.CORRUPTED);
            assertThatThrownBy(() -> store.users("b"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("user 'a@example.com' of batch 'b'")
                    .hasMessageContaining("FROM_THE_FUTURE");
            assertThatThrownBy(() -> store.folderState("terry@example.com|terry", "INBOX"))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("folder 'INBOX' of mailbox 'terry@example.com|terry'")
                    .hasMessageContaining("delete the mailbox's folder states");
        }
    }

    /** Table look-ups as the migrator does them. */
    static final class SchemaMigratorAccess {
        private SchemaMigratorAccess() {
        }

        static boolean tableExists(Connection c, String table) throws SQLException {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(),
                    JdbcDialect.storedIdentifier(c.getMetaData(), table), null)) {
                return rs.next();
            }
        }
    }
}
