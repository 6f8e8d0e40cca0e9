package io.mailferry.ews.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the source connector keeps {@link FolderSyncData} per (endpoint, mailbox, folder).
 * Implementations are thread-safe.
 */
public interface SyncStateStore {

    /**
     * @param key identifies endpoint, mailbox and folder
     * @return the saved data, if any
     */
    Optional<FolderSyncData> load(String key);

    /**
     * Replaces the saved data; after a crash either the old or the new data is found.
     *
     * @param key  identifies endpoint, mailbox and folder
     * @param data the data
     */
    void save(String key, FolderSyncData data);

    /** Returns a store in memory. */
    static SyncStateStore inMemory() {
        Map<String, FolderSyncData> map = new ConcurrentHashMap<>();
        return new SyncStateStore() {
            @Override
            public Optional<FolderSyncData> load(String key) {
                return Optional.ofNullable(map.get(key));
            }

            @Override
            public void save(String key, FolderSyncData data) {
                map.put(key, data);
            }
        };
    }

    /**
     * Returns a store with one small file per folder in a directory (created if missing).
     *
     * @param dir the directory
     * @return the store
     */
    static SyncStateStore directory(Path dir) {
        return new DirectoryStore(dir);
    }

    /** One file per key, written to a temporary file and moved into place. */
    final class DirectoryStore implements SyncStateStore {
        private static final String MAGIC = "mailferry-ews-sync 1";
        private final Path dir;

        DirectoryStore(Path dir) {
            this.dir = dir;
        }

        private Path file(String key) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
                return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".sync");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<FolderSyncData> load(String key) {
            Path f = file(key);
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() < 6 || !lines.get(0).equals(MAGIC) || !lines.get(1).equals("key=" + key)) {
                    return Optional.empty();
                }
                long baseline = Long.parseLong(lines.get(2).substring("baseline=".length()));
                long highest = Long.parseLong(lines.get(3).substring("highest=".length()));
                String state = lines.get(4).substring("state=".length());
                boolean complete = Boolean.parseBoolean(lines.get(5).substring("complete=".length()));
                Map<String, Long> changed = new HashMap<>();
                for (String line : lines.subList(6, lines.size())) {
                    int cut = line.indexOf(' ');
                    if (cut > 0) {
                        changed.put(line.substring(cut + 1), Long.parseLong(line.substring(0, cut)));
                    }
                }
                return Optional.of(new FolderSyncData(state.isEmpty() ? null : state, baseline, highest, changed,
                        complete));
            } catch (IOException | RuntimeException e) {
                // an unreadable state only costs a full enumeration
                return Optional.empty();
            }
        }

        @Override
        public void save(String key, FolderSyncData data) {
            StringBuilder sb = new StringBuilder(MAGIC).append('\n')
                    .append("key=").append(key).append('\n')
                    .append("baseline=").append(data.baselineModSeq()).append('\n')
                    .append("highest=").append(data.highestModSeq()).append('\n')
                    .append("state=").append(data.syncState() == null ? "" : data.syncState()).append('\n')
                    .append("complete=").append(data.baselineComplete()).append('\n');
            data.changed().forEach((id, m) -> sb.append(m).append(' ').append(id).append('\n'));
            try {
                Files.createDirectories(dir);
                Path f = file(key);
                Path tmp = Files.createTempFile(dir, "sync-", ".tmp");
                Files.writeString(tmp, sb, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save EWS sync state in " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
