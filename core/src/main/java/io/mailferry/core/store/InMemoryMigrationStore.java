package io.mailferry.core.store;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.SkippedItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link MigrationStore} in memory: for tests, and for hosts that keep no state between runs.
 * Thread-safe; every method is atomic.
 */
public class InMemoryMigrationStore implements MigrationStore {

    private final Map<String, MigrationEndpoint> endpoints = new TreeMap<>();
    private final Map<String, BatchRecord> batches = new LinkedHashMap<>();
    private final Map<String, Map<String, UserRecord>> users = new LinkedHashMap<>();
    private final Map<String, List<SkippedItem>> skipped = new LinkedHashMap<>();
    private final Map<String, Map<String, FolderSyncState>> folders = new LinkedHashMap<>();

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
        return Optional.ofNullable(folders.getOrDefault(mailboxKey, Map.of()).get(sourceFolder));
    }

    @Override
    public synchronized List<FolderSyncState> folderStates(String mailboxKey) {
        return List.copyOf(folders.getOrDefault(mailboxKey, Map.of()).values());
    }

    @Override
    public synchronized void saveFolderState(String batchName, FolderSyncState state, List<SkippedItem> skippedItems) {
        List<SkippedItem> items = List.copyOf(skippedItems); // fails on a null element before anything changes
        folders.computeIfAbsent(state.mailboxKey(), k -> new LinkedHashMap<>()).put(state.sourceFolder(), state);
        for (SkippedItem item : items) {
            skipped.computeIfAbsent(batchName + "\u0000" + lower(item.emailAddress()), k -> new ArrayList<>()).add(item);
        }
    }

    @Override
    public synchronized void deleteFolderStates(String mailboxKey) {
        folders.remove(mailboxKey);
    }
}
