package io.mailferry.core;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental pass over a source that shows no change since the checkpoints (CONDSTORE) does
 * not open the target; any change, or a source without CONDSTORE, still opens it and is synced.
 */
class QuietPassTest {

    @TempDir
    Path spool;

    private MigrationWorld world;
    private String targetMailbox;

    /** Counts the writes of user records. */
    static final class CountingStore extends InMemoryMigrationStore {
        final AtomicInteger userWrites = new AtomicInteger();

        @Override
        public synchronized void saveUser(UserRecord user) {
            userWrites.incrementAndGet();
            super.saveUser(user);
        }
    }

    private final CountingStore store = new CountingStore();

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool, store, null);
        targetMailbox = MigrationWorld.email("alice");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private MigrationBatch firstPass() throws InterruptedException {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = world.service().newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(alice)).create();
        batch.start();
        awaitSettled(batch);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(world.target.sessionsOpened(targetMailbox)).isPositive();
        return batch;
    }

    private void pass(MigrationBatch batch) throws InterruptedException {
        batch.syncNow();
        awaitSettled(batch);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
    }

    @Test
    void withCondstoreAnUnchangedSourceIsSyncedWithoutOpeningTheTarget() throws InterruptedException {
        MigrationBatch batch = firstPass();
        MigrationUserStatistics before = user(batch, "alice").statistics();
        int targetSessions = world.target.sessionsOpened(targetMailbox);
        long targetOperations = world.target.operations();
        long sourceSelects = world.source.operations(Operation.SELECT);
        long sourceLists = world.source.operations(Operation.LIST_FOLDERS);

        pass(batch);

        assertThat(world.target.sessionsOpened(targetMailbox)).isEqualTo(targetSessions);
        assertThat(world.target.operations()).isEqualTo(targetOperations);
        assertThat(world.source.operations(Operation.LIST_FOLDERS)).isEqualTo(sourceLists + 1);
        int selectable = (int) world.source.folders("alice").stream().filter(f -> f.selectable()).count();
        assertThat(world.source.operations(Operation.SELECT)).as("one look at each folder")
                .isEqualTo(sourceSelects + selectable);
        MigrationUserStatistics after = user(batch, "alice").statistics();
        assertThat(after.syncedItemCount()).isEqualTo(before.syncedItemCount());
        assertThat(after.folderCount()).isEqualTo(before.folderCount());
        assertThat(after.lastSuccessfulSyncTime()).isAfterOrEqualTo(before.lastSuccessfulSyncTime());
        world.assertMirrored("alice", MigrationWorld.TREE);
    }

    @Test
    void foldersThatChangedNothingCostNoUserWriteOfTheirOwn() throws InterruptedException {
        MigrationBatch batch = firstPass();
        int folders = (int) world.source.folders("alice").stream().filter(f -> f.selectable()).count();
        assertThat(folders).isGreaterThan(5);
        int before = store.userWrites.get();

        pass(batch);

        // the status changes of the pass (queued/incremental syncing, synced), not one per folder
        assertThat(store.userWrites.get() - before).isLessThan(folders);
        assertThat(user(batch, "alice").statistics().folderCount()).isEqualTo(folders);
        assertThat(store.users("wave-1")).singleElement()
                .satisfies(r -> assertThat(r.statistics().folderCount()).isEqualTo(folders));
    }

    @Test
    void aFlagChangedWithoutNewMailOpensTheTargetAndIsApplied() throws InterruptedException {
        MigrationBatch batch = firstPass();
        int targetSessions = world.target.sessionsOpened(targetMailbox);
        long appends = world.target.operations(Operation.APPEND);
        List<InMemoryMailServer.Message> inbox = world.source.messages("alice", "INBOX");
        world.source.setFlags("alice", "INBOX", inbox.get(1).uid(), MessageFlags.of("\\Flagged", "$Later"));

        pass(batch);

        assertThat(world.target.sessionsOpened(targetMailbox)).isEqualTo(targetSessions + 1);
        assertThat(user(batch, "alice").statistics().flagsUpdatedCount()).isEqualTo(1);
        assertThat(world.target.operations(Operation.APPEND)).isEqualTo(appends);
        world.assertMirrored("alice", MigrationWorld.TREE);
    }

    @Test
    void newMailInOneFolderOpensTheTargetAndIsCopied() throws InterruptedException {
        MigrationBatch batch = firstPass();
        int targetSessions = world.target.sessionsOpened(targetMailbox);
        long synced = user(batch, "alice").statistics().syncedItemCount();
        world.source.deliver("alice", "Projects/2024", TestMessages.plain("Late", "arrived later"));

        pass(batch);

        assertThat(world.target.sessionsOpened(targetMailbox)).isEqualTo(targetSessions + 1);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(synced + 1);
        world.assertMirrored("alice", MigrationWorld.TREE);
    }

    @Test
    void aNewEmptyFolderOnTheSourceIsCreatedOnTheTarget() throws InterruptedException {
        MigrationBatch batch = firstPass();
        int targetSessions = world.target.sessionsOpened(targetMailbox);
        world.source.createFolder("alice", "Brand new");

        pass(batch);

        assertThat(world.target.sessionsOpened(targetMailbox)).isEqualTo(targetSessions + 1);
        Map<String, String> tree = new LinkedHashMap<>(MigrationWorld.TREE);
        tree.put("Brand new", "Brand new");
        world.assertMirrored("alice", tree);
    }

    @Test
    void withoutCondstoreEveryPassOpensTheTargetToCompareFlags() throws InterruptedException {
        world.source.withCapabilities(ConnectorCapability.UIDPLUS, ConnectorCapability.SPECIAL_USE);
        MigrationBatch batch = firstPass();
        int targetSessions = world.target.sessionsOpened(targetMailbox);
        long targetFlagFetches = world.target.operations(Operation.FETCH_FLAGS);

        pass(batch);

        assertThat(world.target.sessionsOpened(targetMailbox)).isEqualTo(targetSessions + 1);
        assertThat(world.target.operations(Operation.FETCH_FLAGS)).isGreaterThan(targetFlagFetches);
    }
}
