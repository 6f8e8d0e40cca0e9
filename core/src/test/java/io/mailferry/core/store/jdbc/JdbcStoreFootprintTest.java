package io.mailferry.core.store.jdbc;

import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.InFlightAppend;
import io.mailferry.core.store.UidMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a folder's checkpoints cost in the store, per copied message, for a 500,000-message folder
 * copied as the engine copies it: per chunk of {@value #CHUNK} messages one checkpoint recording
 * the chunk as in flight and one recording its copies (only the chunk's pairs: append-only
 * segments, compacted now and then). Two layouts:
 * <ul>
 *   <li>contiguous: source UIDs 1..n, target UIDs in sequence: one run;</li>
 *   <li>fragmented: every third source UID expunged and target UIDs interleaved with other mail:
 *       every message its own run.</li>
 * </ul>
 *
 * <p>The encoded sizes are checked on every build. The database measurements take a minute or
 * more each, so they run only with {@code -Dmailferry.measureStore=true}; they print their figures.
 */
class JdbcStoreFootprintTest {
    static final int MESSAGES = 500_000;
    static final int CHUNK = 100;

    @TempDir
    Path dir;

    /** A folder layout: the i-th message's source and target UID. */
    enum Layout {
        CONTIGUOUS {
            @Override
            long source(long i) {
                return i;
            }

            @Override
            long target(long i) {
                return 1000 + i;
            }
        },
        FRAGMENTED {
            @Override
            long source(long i) {
                return i + i / 2; // 1, 3, 4, 6, 7, 9…: every third UID expunged
            }

            @Override
            long target(long i) {
                return 2 * i; // other mail arrived between every two copies
            }
        };

        abstract long source(long i);

        abstract long target(long i);

        UidMap map(long messages) {
            UidMap.Builder b = UidMap.builder();
            for (long i = 1; i <= messages; i++) {
                b.put(source(i), target(i));
            }
            return b.build();
        }
    }

    @Test
    void encodedMapShouldCostAFewBytesPerFolderOrPerMessage() {
        UidMap contiguous = Layout.CONTIGUOUS.map(MESSAGES);
        UidMap fragmented = Layout.FRAGMENTED.map(MESSAGES);
        int contiguousBytes = contiguous.encode().length;
        int fragmentedBytes = fragmented.encode().length;
        System.out.printf(Locale.ROOT, "UID map of %,d messages: contiguous %d bytes; fragmented %,d bytes (%.2f bytes/message)%n",
                MESSAGES, contiguousBytes, fragmentedBytes, fragmentedBytes / (double) MESSAGES);
        assertThat(contiguous.runCount()).isEqualTo(1);
        assertThat(contiguousBytes).isLessThanOrEqualTo(16);
        assertThat(fragmented.runCount()).isEqualTo(MESSAGES);
        assertThat(fragmentedBytes).isLessThanOrEqualTo(3 * MESSAGES + 8);
    }

    /**
     * Cross-folder identities (Gmail X-GM-MSGIDs) of {@value #IDENTITIES} copied messages, recorded
     * as the engine records them (with each chunk's checkpoint of {@value #CHUNK} messages): 8 bytes
     * each written, and what the H2 file grows by after {@code SHUTDOWN COMPACT}.
     */
    @Test
    void h2FileGrowsByAboutEightBytesPerCopiedIdentity() throws Exception {
        Path db = Files.createDirectory(dir.resolve("identities"));
        String key = "gail@example.com|gail";
        FolderSyncState values = FolderSyncState.initial(key, "INBOX", 1, "INBOX");
        long base;
        try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(values, UidMap.EMPTY), List.of());
        }
        base = compact(db);
        long started = System.nanoTime();
        long id = 1_700_000_000_000_000_000L;
        long written;
        try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
            for (int c = 0; c < IDENTITIES / CHUNK; c++) {
                long[] ids = new long[CHUNK];
                for (int i = 0; i < CHUNK; i++) {
                    id += 1 + (i * 7919L) % 50_000; // increasing with gaps, as Gmail's are
                    ids[i] = id;
                }
                store.saveFolderCheckpoint("b", FolderCheckpoint.of(values, UidMap.EMPTY), List.of(), ids);
            }
            written = store.identityBytesWritten.sum();
            long read = System.nanoTime();
            assertThat(store.copiedIdentities(key)).hasSize(IDENTITIES);
            System.out.printf(Locale.ROOT, "%,d identities read in %d ms%n", IDENTITIES,
                    (System.nanoTime() - read) / 1_000_000);
        }
        long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000);
        long grown = compact(db) - base;
        System.out.printf(Locale.ROOT, "%,d identities in %,d checkpoints (%d s): %,d bytes written (%.1f/message);"
                        + " H2 file after SHUTDOWN COMPACT +%,d bytes (%.1f bytes/message)%n", IDENTITIES,
                IDENTITIES / CHUNK, seconds, written, written / (double) IDENTITIES, grown, grown / (double) IDENTITIES);
        assertThat(written).isEqualTo(8L * IDENTITIES);
        assertThat(grown).as("file growth").isLessThan(16L * IDENTITIES);
    }

    static final int IDENTITIES = 20_000;

    /**
     * As {@link #h2FileGrowsByAboutEightBytesPerCopiedIdentity()} with where each copy is (schema
     * version 6): the target folder once per checkpoint and a 4-byte target UID per identity, so 12
     * bytes per copied identity written; read back as {@link io.mailferry.core.store.FirstCopies}.
     */
    @Test
    void withTheFirstCopiesTargetUidsTheStoreWritesTwelveBytesPerCopiedIdentity() throws Exception {
        Path db = Files.createDirectory(dir.resolve("locations"));
        String key = "gail@example.com|gail";
        FolderSyncState values = FolderSyncState.initial(key, "INBOX", 1, "INBOX");
        try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(values, UidMap.EMPTY), List.of());
        }
        long base = compact(db);
        long id = 1_700_000_000_000_000_000L;
        long written;
        try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
            long uid = 4_000_000_000L; // above Integer.MAX_VALUE: UIDs are unsigned 32-bit
            for (int c = 0; c < IDENTITIES / CHUNK; c++) {
                long[] ids = new long[CHUNK];
                long[] uids = new long[CHUNK];
                for (int i = 0; i < CHUNK; i++) {
                    id += 1 + (i * 7919L) % 50_000;
                    ids[i] = id;
                    uids[i] = ++uid;
                }
                store.saveFolderCheckpoint("b", FolderCheckpoint.of(values, UidMap.EMPTY), List.of(), ids, uids);
            }
            written = store.identityBytesWritten.sum();
            long read = System.nanoTime();
            io.mailferry.core.store.FirstCopies copies = store.firstCopies(key);
            System.out.printf(Locale.ROOT, "%,d identities with locations read in %d ms%n", IDENTITIES,
                    (System.nanoTime() - read) / 1_000_000);
            assertThat(copies.size()).isEqualTo(IDENTITIES);
            assertThat(copies.folders()).containsExactly("INBOX");
            assertThat(copies.targetUid(0)).isEqualTo(4_000_000_001L);
            assertThat(copies.targetUid(IDENTITIES - 1)).isEqualTo(4_000_000_000L + IDENTITIES);
            assertThat(copies.targetFolder(IDENTITIES - 1)).isEqualTo("INBOX");
        }
        long grown = compact(db) - base;
        System.out.printf(Locale.ROOT, "%,d identities with target UIDs in %,d checkpoints: %,d bytes written"
                        + " (%.1f/message); H2 file after SHUTDOWN COMPACT +%,d bytes (%.1f bytes/message)%n",
                IDENTITIES, IDENTITIES / CHUNK, written, written / (double) IDENTITIES, grown,
                grown / (double) IDENTITIES);
        assertThat(written).isEqualTo(12L * IDENTITIES);
        assertThat(grown).as("file growth").isLessThan(24L * IDENTITIES);
    }

    /** Compacts the H2 file database and returns its size. */
    private static long compact(Path db) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(JdbcMigrationStore.h2FileUrl(db),
                JdbcMigrationStore.H2_FILE_USER, ""); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        return size(db);
    }

    /** What one replay measured. */
    record Figures(Layout layout, long checkpoints, long mapBytesWritten, long finalMapBytes, long seconds) {
        double writtenPerMessage() {
            return mapBytesWritten / (double) MESSAGES;
        }
    }

    @Test
    void h2FileOfA500000MessageFolder() throws Exception {
        assumeTrue(Boolean.getBoolean("mailferry.measureStore"), "set -Dmailferry.measureStore=true to measure");
        for (Layout layout : Layout.values()) {
            Path db = Files.createDirectory(dir.resolve(layout.name()));
            long empty;
            JdbcMigrationStore.h2File(db).close();
            empty = size(db);
            long[] peak = {0};
            Figures f;
            try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
                f = replay(store, layout, checkpoint -> {
                    if (checkpoint % 500 == 0) {
                        peak[0] = Math.max(peak[0], size(db));
                    }
                });
            }
            long closed = size(db);
            try (Connection c = java.sql.DriverManager.getConnection(JdbcMigrationStore.h2FileUrl(db),
                    JdbcMigrationStore.H2_FILE_USER, ""); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
            long compacted = size(db);
            System.out.printf(Locale.ROOT, "H2 file, %s: %,d checkpoints in %d s wrote %,d bytes of UID map (%.2f bytes/message,"
                            + " the map itself %,d bytes); file %,d bytes empty, at most %,d while copying, %,d after close,"
                            + " %,d after SHUTDOWN COMPACT (the whole file: %.3f bytes/message)%n",
                    layout, f.checkpoints(), f.seconds(), f.mapBytesWritten(), f.writtenPerMessage(), f.finalMapBytes(),
                    empty, peak[0], closed, compacted, compacted / (double) MESSAGES);
            try (JdbcMigrationStore store = JdbcMigrationStore.h2File(db)) {
                assertThat(store.folderState("k|k", "INBOX").orElseThrow().uidMap()).as("after compaction")
                        .isEqualTo(layout.map(MESSAGES));
            }
            assertThat(f.mapBytesWritten()).isLessThanOrEqualTo(4 * f.finalMapBytes() + 64L * f.checkpoints());
        }
    }

    /** The same on PostgreSQL. */
    @Nested
    @ExtendWith(PostgresTestServer.Extension.class)
    class OnPostgres {
        @Test
        void tablesOfA500000MessageFolder(PostgresTestServer server) throws Exception {
            assumeTrue(Boolean.getBoolean("mailferry.measureStore"), "set -Dmailferry.measureStore=true to measure");
            for (Layout layout : Layout.values()) {
                try (SimpleConnectionPool ds = server.pooledDataSource(server.createDatabase())) {
                    long emptyTables;
                    Figures f;
                    try (JdbcMigrationStore store = JdbcMigrationStore.create(ds)) {
                        emptyTables = tables(ds);
                        f = replay(store, layout, checkpoint -> { });
                        assertThat(store.folderState("k|k", "INBOX").orElseThrow().uidMap()).isEqualTo(layout.map(MESSAGES));
                    }
                    execute(ds, "VACUUM FULL mailferry_folder_state");
                    execute(ds, "VACUUM FULL mailferry_uid_segment");
                    long stored = query(ds, "SELECT pg_column_size(uid_map) FROM mailferry_folder_state")
                            + query(ds, "SELECT COALESCE(SUM(pg_column_size(pairs)), 0) FROM mailferry_uid_segment");
                    long segments = query(ds, "SELECT COUNT(*) FROM mailferry_uid_segment");
                    long relations = tables(ds) - emptyTables;
                    System.out.printf(Locale.ROOT, "PostgreSQL, %s: %,d checkpoints in %d s wrote %,d bytes of UID map"
                                    + " (%.2f bytes/message); stored after the copy: map and %d segment(s) %,d bytes"
                                    + " (%.4f bytes/message), tables with TOAST and indexes %,d bytes over the empty"
                                    + " schema (%.3f bytes/message)%n",
                            layout, f.checkpoints(), f.seconds(), f.mapBytesWritten(), f.writtenPerMessage(), segments,
                            stored, stored / (double) MESSAGES, relations, relations / (double) MESSAGES);
                    assertThat(f.mapBytesWritten()).isLessThanOrEqualTo(4 * f.finalMapBytes() + 64L * f.checkpoints());
                }
            }
        }
    }

    /**
     * Replays the copy of the folder as the engine checkpoints it: per chunk, the in-flight record,
     * then the chunk's pairs.
     */
    private static Figures replay(JdbcMigrationStore store, Layout layout, java.util.function.LongConsumer each) {
        long start = System.nanoTime();
        long written = store.uidMapBytesWritten.sum();
        FolderSyncState state = FolderSyncState.initial("k|k", "INBOX", 1, "INBOX");
        long checkpoints = 0;
        for (long first = 1; first <= MESSAGES; first += CHUNK) {
            List<Long> uids = new ArrayList<>(CHUNK);
            UidMap.Builder added = UidMap.builder();
            for (long i = first; i < first + CHUNK; i++) {
                uids.add(layout.source(i));
                added.put(layout.source(i), layout.target(i));
            }
            state = state.withInFlight(new InFlightAppend(uids, 1, layout.target(first)));
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(state, UidMap.EMPTY), List.of());
            state = state.withProgress(layout.source(first + CHUNK - 1), UidMap.EMPTY, 1).withInFlight(null)
                    .withPassEnd(0, Instant.now());
            store.saveFolderCheckpoint("b", FolderCheckpoint.of(state, added.build()), List.of());
            checkpoints += 2;
            each.accept(checkpoints);
        }
        return new Figures(layout, checkpoints, store.uidMapBytesWritten.sum() - written,
                layout.map(MESSAGES).encode().length, (System.nanoTime() - start) / 1_000_000_000L);
    }

    private static long size(Path db) {
        try (Stream<Path> files = Files.list(db)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long tables(DataSource ds) throws Exception {
        return query(ds, "SELECT pg_total_relation_size('mailferry_folder_state')"
                + " + pg_total_relation_size('mailferry_uid_segment')");
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
