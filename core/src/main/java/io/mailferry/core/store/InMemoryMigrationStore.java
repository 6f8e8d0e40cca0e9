package io.mailferry.core.store;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.SkippedItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link MigrationStore} in memory: for tests, and for hosts that keep no state between runs.
 * Thread-safe; every method is atomic. A checkpoint's added pairs are kept aside and merged into
 * the folder's map when the state is next read, so checkpoints cost what they add.
 */
public class InMemoryMigrationStore implements MigrationStore {

    private final Map<String, MigrationEndpoint> endpoints = new TreeMap<>();
    private final Map<String, BatchRecord> batches = new LinkedHashMap<>();
    private final Map<String, Map<String, UserRecord>> users = new LinkedHashMap<>();
    private final Map<String, List<SkippedItem>> skipped = new LinkedHashMap<>();
    private final Map<String, Map<String, Folder>> folders = new LinkedHashMap<>();
    private final Map<String, byte[]> secrets = new TreeMap<>();
    /** Cross-folder identities copied, by mailbox key. */
    private final Map<String, java.util.Set<Long>> identities = new LinkedHashMap<>();
    /** Mailbox key → identity → {index in locationFolders, target UID}, for identities whose first copy is known. */
    private final Map<String, Map<Long, long[]>> locations = new LinkedHashMap<>();
    private final List<String> locationFolders = new ArrayList<>();

    /** A folder's state and the pairs added since its map was last merged. */
    private static final class Folder {
        FolderSyncState state;
        final List<UidMap> added = new ArrayList<>();

        Folder(FolderSyncState state) {
            this.state = state;
        }

        FolderSyncState merged() {
            if (!added.isEmpty()) {
                UidMap.Builder b = state.uidMap().toBuilder();
                added.forEach(b::putAll);
                added.clear();
                state = new FolderSyncState(state.mailboxKey(), state.sourceFolder(), state.sourceUidValidity(),
                        state.highestUid(), state.highestModSeq(), state.targetFolder(), state.targetUidValidity(),
                        b.build(), state.lastSyncedAt(), state.inFlight());
            }
            return state;
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void saveEndpoint(MigrationEndpoint endpoint) {
        endpoints.put(endpoint.name(), endpoint);
    }

    @Override
    public synchronized Optional<MigrationEndpoint> findEndpoint(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    @Override
    public synchronized List<MigrationEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    @Override
    public synchronized void deleteEndpoint(String name) {
        endpoints.remove(name);
    }

    @Override
    public synchronized void saveBatch(BatchRecord batch) {
        batches.put(batch.name(), batch);
    }

    @Override
    public synchronized Optional<BatchRecord> findBatch(String name) {
        return Optional.ofNullable(batches.get(name));
    }

    @Override
    public synchronized List<BatchRecord> batches() {
        List<BatchRecord> out = new ArrayList<>(batches.values());
        out.sort(Comparator.comparing(BatchRecord::createdAt));
        return out;
    }

    @Override
    public synchronized void deleteBatch(String name) {
        batches.remove(name);
        users.remove(name);
        skipped.keySet().removeIf(k -> k.startsWith(name + "\u0000"));
    }

    @Override
    public synchronized void saveUser(UserRecord user) {
        users.computeIfAbsent(user.batchName(), k -> new LinkedHashMap<>()).put(lower(user.emailAddress()), user);
    }

    @Override
    public synchronized void deleteUser(String batchName, String emailAddress) {
        Map<String, UserRecord> byEmail = users.get(batchName);
        if (byEmail != null) {
            byEmail.remove(lower(emailAddress));
        }
        skipped.remove(batchName + "\u0000" + lower(emailAddress));
    }

    @Override
    public synchronized List<UserRecord> users(String batchName) {
        return List.copyOf(users.getOrDefault(batchName, Map.of()).values());
    }

    @Override
    public synchronized List<UserRecord> findUsersByEmail(String emailAddress) {
        List<UserRecord> out = new ArrayList<>();
        for (Map<String, UserRecord> byEmail : users.values()) {
            UserRecord u = byEmail.get(lower(emailAddress));
            if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    public synchronized List<SkippedItem> skippedItems(String batchName, String emailAddress) {
        return List.copyOf(skipped.getOrDefault(batchName + "\u0000" + lower(emailAddress), List.of()));
    }

    @Override
    public synchronized Optional<FolderSyncState> folderState(String mailboxKey, String sourceFolder) {
        Folder f = folders.getOrDefault(mailboxKey, Map.of()).get(sourceFolder);
        return f == null ? Optional.empty() : Optional.of(f.merged());
    }

    @Override
    public synchronized List<FolderSyncState> folderStates(String mailboxKey) {
        return folders.getOrDefault(mailboxKey, Map.of()).values().stream().map(Folder::merged).toList();
    }

    @Override
    public synchronized void saveFolderState(String batchName, FolderSyncState state, List<SkippedItem> skippedItems) {
        List<SkippedItem> items = List.copyOf(skippedItems); // fails on a null element before anything changes
        folders.computeIfAbsent(state.mailboxKey(), k -> new LinkedHashMap<>()).put(state.sourceFolder(), new Folder(state));
        addSkipped(batchName, items);
    }

    @Override
    public synchronized void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint,
                                                  List<SkippedItem> skippedItems) {
        List<SkippedItem> items = List.copyOf(skippedItems);
        Map<String, Folder> byName = folders.computeIfAbsent(checkpoint.mailboxKey(), k -> new LinkedHashMap<>());
        Folder f = byName.get(checkpoint.sourceFolder());
        if (f == null) {
            byName.put(checkpoint.sourceFolder(), new Folder(checkpoint.applyTo(null)));
        } else {
            f.state = new FolderSyncState(checkpoint.mailboxKey(), checkpoint.sourceFolder(),
                    checkpoint.sourceUidValidity(), checkpoint.highestUid(), checkpoint.highestModSeq(),
                    checkpoint.targetFolder(), checkpoint.targetUidValidity(), f.state.uidMap(),
                    checkpoint.lastSyncedAt(), checkpoint.inFlight());
            if (!checkpoint.addedPairs().isEmpty()) {
                f.added.add(checkpoint.addedPairs());
            }
        }
        addSkipped(batchName, items);
    }

    @Override
    public synchronized void saveSkippedItems(String batchName, List<SkippedItem> skippedItems) {
        Objects.requireNonNull(batchName, "batchName");
        addSkipped(batchName, List.copyOf(skippedItems));
    }

    @Override
    public synchronized void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint,
                                                  List<SkippedItem> skippedItems, long[] addedIdentities) {
        long[] ids = addedIdentities.clone();
        long[] uids = pendingTargetUids != null && pendingTargetUids.length == ids.length ? pendingTargetUids : null;
        pendingTargetUids = null;
        saveFolderCheckpoint(batchName, checkpoint, skippedItems);
        if (ids.length > 0) {
            java.util.Set<Long> set = identities.computeIfAbsent(checkpoint.mailboxKey(), k -> new java.util.HashSet<>());
            Map<Long, long[]> where = locations.computeIfAbsent(checkpoint.mailboxKey(), k -> new java.util.HashMap<>());
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != 0 && set.add(ids[i]) && uids != null && uids[i] != 0) {
                    where.put(ids[i], new long[] {folderIndex(checkpoint.targetFolder()), uids[i]});
                }
            }
        }
    }

    /** Target UIDs of the identities of the checkpoint being saved (set by the five-argument method). */
    private long[] pendingTargetUids;

    @Override
    public synchronized void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint,
                                                  List<SkippedItem> skippedItems, long[] addedIdentities,
                                                  long[] targetUids) {
        if (addedIdentities.length != targetUids.length) {
            throw new IllegalArgumentException(addedIdentities.length + " identities but " + targetUids.length
                    + " target UIDs");
        }
        for (long uid : targetUids) {
            if (uid < 0 || uid > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("target UID out of range: " + uid);
            }
        }
        pendingTargetUids = targetUids.clone();
        try {
            saveFolderCheckpoint(batchName, checkpoint, skippedItems, addedIdentities); // (a subclass may fail it)
        } finally {
            pendingTargetUids = null;
        }
    }

    private long folderIndex(String targetFolder) {
        int i = locationFolders.indexOf(targetFolder);
        if (i < 0) {
            locationFolders.add(targetFolder);
            i = locationFolders.size() - 1;
        }
        return i;
    }

    @Override
    public synchronized long[] copiedIdentities(String mailboxKey) {
        return identities.getOrDefault(mailboxKey, java.util.Set.of()).stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public synchronized FirstCopies firstCopies(String mailboxKey) {
        FirstCopies.Builder b = FirstCopies.builder();
        Map<Long, long[]> where = locations.getOrDefault(mailboxKey, Map.of());
        for (long id : identities.getOrDefault(mailboxKey, java.util.Set.of())) {
            long[] at = where.get(id);
            b.add(id, at == null ? null : locationFolders.get((int) at[0]), at == null ? 0 : at[1]);
        }
        return b.build();
    }

    private void addSkipped(String batchName, List<SkippedItem> items) {
        for (SkippedItem item : items) {
            skipped.computeIfAbsent(batchName + "\u0000" + lower(item.emailAddress()), k -> new ArrayList<>()).add(item);
        }
    }

    @Override
    public synchronized void deleteFolderStates(String mailboxKey) {
        folders.remove(mailboxKey);
        identities.remove(mailboxKey);
        locations.remove(mailboxKey);
    }

    @Override
    public synchronized void saveSealedSecret(String name, byte[] sealed) {
        secrets.put(java.util.Objects.requireNonNull(name, "name"), sealed.clone());
    }

    @Override
    public synchronized Optional<byte[]> sealedSecret(String name) {
        byte[] b = secrets.get(name);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public synchronized void deleteSealedSecret(String name) {
        secrets.remove(name);
    }
}
