package io.mailferry.core.store.jdbc;

import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.UidMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a folder's checkpoint costs in the store, per copied message, for a 500,000-message folder
 * copied (a) as one run and (b) in the worst realistic case, every message its own run (target
 * UIDs interleaved with mail arriving during the copy).
 *
 * <p>The encoded sizes are checked on every build. The database measurements replay a copy as
 * the engine checkpoints it (every 100 messages, the whole map each time) and take minutes, so
 * they run only with {@code -Dmailferry.measureStore=true}; they print their figures.
 */
class JdbcStoreFootprintTest {
    static final int MESSAGES = 500_000;
    static final int CHUNK = 100;

    @TempDir
    Path dir;

    /** Target UIDs follow the source UIDs: one run. */
    static long oneRunTarget(long uid) {
        return 1000 + uid;
    }

    /** Target UIDs interleaved with other mail: every message its own run. */
    static long interleavedTarget(long uid) {
        return 2 * uid;
    }

    interface TargetUid {
        long of(long sourceUid);
    }

    static UidMap map(int messages, TargetUid target) {
        UidMap.Builder b = UidMap.builder();
        for (long uid = 1; uid <= messages; uid++) {
            b.put(uid, target.of(uid));
        }
        return b.build();
    }

    @Test
    void encodedMapShouldCostAFewBytesPerFolderOrPerMessage() {
        UidMap oneRun = map(MESSAGES, JdbcStoreFootprintTest::oneRunTarget);
        UidMap noUidPlus = map(MESSAGES, uid -> 0);
        UidMap interleaved = map(MESSAGES, JdbcStoreFootprintTest::interleavedTarget);

        int oneRunBytes = oneRun.encode().length;
        int noUidPlusBytes = noUidPlus.encode().length;
        int interleavedBytes = interleaved.encode().length;
        System.out.printf(Locale.ROOT, "UID map of %,d messages: one run %d bytes; no UIDPLUS %d bytes;"
                        + " every message its own run %,d bytes (%.2f bytes/message)%n",
                MESSAGES, oneRunBytes, noUidPlusBytes, interleavedBytes, interleavedBytes / (double) MESSAGES);

        assertThat(oneRun.runCount()).isEqualTo(1);
        assertThat(oneRunBytes).isLessThanOrEqualTo(16);
        assertThat(noUidPlusBytes).isLessThanOrEqualTo(16);
        assertThat(interleaved.runCount()).isEqualTo(MESSAGES);
        assertThat(interleavedBytes).isLessThanOrEqualTo(3 * MESSAGES + 8);
    }

    @Test
    void h2FileGrowthOfA500000MessageFolder() throws Exception {
        assumeTrue(Boolean.getBoolean("mailferry.measureStore"), "set -Dmailferry.measureStore=true to measure");
        for (String scenario : List.of("one run", "every message its own run")) {
            TargetUid target = scenario.equals("one run") ? JdbcStoreFootprintTest::oneRunTarget
                    : JdbcStoreFootprintTest::interleavedTarget;
            Path db = Files.createDirectory(dir.resolve(scenario.replace(' ', '-')));
            long empty;
            try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
                empty = size(db);
            }
            long[] peak = {0};
            int[] checkpoints = {0};
            long start = System.nanoTime();
            UidMap map;
            try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
                map = replay(store, target, m -> {
                    if (++checkpoints[0] % 100 == 0) {
                        peak[0] = Math.max(peak[0], size(db));
                    }
                });
            }
            long written = writtenBytes(target);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            long closed = size(db);
            System.out.printf(Locale.ROOT, "H2 file, %s: %,d checkpoints writing %,d map bytes in %d s;"
                            + " file %,d bytes empty, at most %,d bytes while copying, %,d bytes after close"
                            + " (%.3f bytes/message over the empty file)%n",
                    scenario, MESSAGES / CHUNK, written, seconds, empty, peak[0], closed,
                    (closed - empty) / (double) MESSAGES);
            try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
                assertThat(store.folderState("k|k", "INBOX").orElseThrow().uidMap()).isEqualTo(map);
            }
            assertThat(closed).isLessThan(64L << 20);
        }
    }

    /** The same on PostgreSQL. */
    @Nested
    @ExtendWith(PostgresTestServer.Extension.class)
    class OnPostgres {
        @Test
        void rowOfA500000MessageFolder(PostgresTestServer server) throws Exception {
            measurePostgres(server);
        }
    }

    private static void measurePostgres(PostgresTestServer server) throws Exception {
        assumeTrue(Boolean.getBoolean("mailferry.measureStore"), "set -Dmailferry.measureStore=true to measure");
        for (String scenario : List.of("one run", "every message its own run")) {
            TargetUid target = scenario.equals("one run") ? JdbcStoreFootprintTest::oneRunTarget
                    : JdbcStoreFootprintTest::interleavedTarget;
            try (SimpleConnectionPool ds = server.pooledDataSource(server.createDatabase())) {
                long start = System.nanoTime();
                try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
                    replay(store, target, m -> { });
                }
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                execute(ds, "VACUUM FULL mailferry_folder_state");
                long encoded = query(ds, "SELECT octet_length(uid_map) FROM mailferry_folder_state");
                long stored = query(ds, "SELECT pg_column_size(uid_map) FROM mailferry_folder_state");
                long relation = query(ds, "SELECT pg_total_relation_size('mailferry_folder_state')");
                System.out.printf(Locale.ROOT, "PostgreSQL, %s: %,d checkpoints in %d s; uid_map %,d bytes encoded,"
                                + " %,d bytes stored (%.4f bytes/message); table with TOAST and index %,d bytes%n",
                        scenario, MESSAGES / CHUNK, seconds, encoded, stored, stored / (double) MESSAGES, relation);
                assertThat(stored).isLessThanOrEqualTo(encoded + 8);
            }
        }
    }

    /** Replays a copy of the folder, checkpointing the whole map every {@value #CHUNK} messages. */
    private static UidMap replay(JdbcMigrationStore store, TargetUid target, java.util.function.Consumer<UidMap> each) {
        UidMap.Builder builder = UidMap.builder();
        UidMap map = UidMap.EMPTY;
        for (long uid = 1; uid <= MESSAGES; uid++) {
            builder.put(uid, target.of(uid));
            if (uid % CHUNK == 0) {
                map = builder.build();
                store.saveFolderState("b", new FolderSyncState("k|k", "INBOX", 1, uid, 0, "INBOX", 1, map,
                        Instant.now()), List.of());
                each.accept(map);
            }
        }
        return map;
    }

    /** The map bytes all checkpoints of a replay write together. */
    private static long writtenBytes(TargetUid target) {
        long total = 0;
        UidMap.Builder builder = UidMap.builder();
        for (long uid = 1; uid <= MESSAGES; uid++) {
            builder.put(uid, target.of(uid));
            if (uid % CHUNK == 0) {
                total += builder.build().encode().length;
            }
        }
        return total;
    }

    private static long size(Path db) {
        try (Stream<Path> files = Files.list(db)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long query(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
