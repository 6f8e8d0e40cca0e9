package io.mailferry.core.store.jdbc;

import io.mailferry.core.MigrationException;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.MigrationStoreContract;
import io.mailferry.core.store.UidMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CLI's embedded H2 state database ({@link JdbcMigrationStore#h2File(Path)}): restarts,
 * interrupted engine threads, a killed process, a second process.
 */
class H2FileStoreTest extends MigrationStoreContract {

    @TempDir
    Path dir;

    @Override
    protected MigrationStore createStore() {
        return JdbcMigrationStore.h2File(dir);
    }

    @Override
    protected MigrationStore reopen(MigrationStore current) {
        current.close();
        return JdbcMigrationStore.h2File(dir);
    }

    @Test
    void restartShouldFindEverythingWhereItWas() throws Exception {
        store.saveEndpoint(fullEndpoint("source"));
        store.saveEndpoint(minimalEndpoint("target"));
        store.saveBatch(fullBatch("batch"));
        store.saveUser(fullUser("batch", "terry@example.com"));
        store.saveUser(user("batch", "pat@example.com"));
        FolderSyncState inbox = folderState("terry@example.com|src-login", "INBOX", fragmented(1000));
        store.saveFolderState("batch", inbox, List.of(skipped("terry@example.com", "INBOX", 5, T0)));
        List<Object> before = everything(store);
        assertThat(Files.exists(dir.resolve("mailferry.mv.db"))).isTrue();

        store.close();
        store = JdbcMigrationStore.h2File(dir);

        assertThat(everything(store)).isEqualTo(before);
        assertThat(store.folderState("terry@example.com|src-login", "INBOX")).contains(inbox);
    }

    private static List<Object> everything(MigrationStore s) {
        return List.of(s.endpoints(), s.batches(), s.users("batch"), s.findUsersByEmail("terry@example.com"),
                s.skippedItems("batch", "terry@example.com"), s.folderStates("terry@example.com|src-login"));
    }

    @Test
    void interruptedThreadShouldNeitherBreakTheDatabaseNorLoseItsInterrupt() throws Exception {
        // ExecutorService.shutdownNow() interrupts engine threads; they still write their checkpoint.
        Thread.currentThread().interrupt();
        try {
            for (int i = 1; i <= 50; i++) {
                store.saveFolderState("b", folderState("k|k", "F" + i, oneRun(1, 1, i)),
                        List.of(skipped("a@example.com", "F" + i, i, T0)));
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
            }
        } finally {
            Thread.interrupted();
        }
        assertThat(store.folderStates("k|k")).hasSize(50);

        reopened();
        assertThat(store.folderStates("k|k")).hasSize(50);
        assertThat(store.skippedItems("b", "a@example.com")).hasSize(50);
    }

    @Test
    void killedProcessShouldLoseNoCommittedCheckpointAndHoldTheDirectoryWhileAlive() throws Exception {
        store.close();
        store = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                H2StoreChild.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1_000_000);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // The child was killed.
            }
        }, "h2-child-output");
        reader.start();
        long lastSaved = 0;
        try {
            awaitLine(lines, "open");
            // While the child lives, the state directory is its own.
            assertThatThrownBy(() -> JdbcMigrationStore.h2File(dir))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("in use by another process");
            while (lastSaved < 300) {
                String line = awaitLine(lines, "saved ");
                lastSaved = Long.parseLong(line.substring("saved ".length()));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
        for (String line : lines) {
            if (line.startsWith("saved ")) {
                lastSaved = Math.max(lastSaved, Long.parseLong(line.substring("saved ".length())));
            }
        }

        store = JdbcMigrationStore.h2File(dir);
        FolderSyncState state = store.folderState(H2StoreChild.KEY, "INBOX").orElseThrow();
        long highest = state.highestUid();
        // Every checkpoint the child saw committed is there; at most the one in flight is beyond it.
        assertThat(highest).isBetween(lastSaved, lastSaved + 1);
        // State and skipped items were committed together.
        assertThat(store.skippedItems("b", "terry@example.com")).extracting(SkippedItem::sourceUid)
                .hasSize((int) (highest / 10))
                .allMatch(uid -> uid <= highest);
        assertThat(state.uidMap().size()).isEqualTo(highest - highest / 10);
        UidMap map = state.uidMap();
        assertThat(map.targetUid(highest % 10 == 0 ? highest - 1 : highest))
                .isEqualTo(2 * (highest % 10 == 0 ? highest - 1 : highest));
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the child printed no '" + prefix + "' line within 60 s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            if (!line.startsWith("saved ") && !line.equals("open")) {
                throw new AssertionError("child: " + line);
            }
        }
    }
}
