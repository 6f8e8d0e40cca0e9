package io.mailferry.core;

import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.mailferry.core.MigrationWorld.TIMEOUT;
import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine reads the source while the target stores (issue 7), without giving up exactly once
 * (issue 4). The world's settings: pages of 5 messages, chunks of 3, so 10 messages are copied in
 * the chunks [1, 2, 3], [4, 5], [6, 7, 8], [9, 10].
 */
class PipelinedCopyTest {

    @TempDir
    Path spool;

    private MigrationWorld world;
    private final List<OperationGate> gates = new ArrayList<>();

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
    }

    @AfterEach
    void tearDown() {
        gates.forEach(OperationGate::open);
        world.close();
    }

    private MigrationBatch batch(MigrationUserEntry user) {
        return world.service().newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(user)).create();
    }

    @Test
    void theNextChunkIsReadWhileTheTargetStoresTheCurrentOne() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 10);
        OperationGate appends = OperationGate.closed();
        gates.add(appends);
        world.target.gate(appends, Operation.APPEND);
        MigrationBatch batch = batch(alice);
        batch.start();

        assertThat(appends.awaitWaiting(1, TIMEOUT)).as("the first APPEND is held").isTrue();
        // while the first chunk's APPEND is held, the second chunk [4, 5] is read from the source
        assertThat(await(() -> world.source.operations(Operation.FETCH_MESSAGE) >= 5))
                .as("messages fetched while the first APPEND waits").isTrue();
        assertThat(world.target.messages(MigrationWorld.email("alice"), "INBOX")).isEmpty();

        appends.open();
        awaitSettled(batch);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("alice", Map.of("INBOX", "INBOX"));
        assertThat(world.source.operations(Operation.FETCH_MESSAGE)).as("each message read once").isEqualTo(10);
    }

    @Test
    void whileAChunkIsAppendedTheStoreHoldsThePreviousChunksPairsAndThisChunksInFlightRecord() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 10);
        OperationGate appends = OperationGate.closedAfter(1);
        gates.add(appends);
        world.target.gate(appends, Operation.APPEND);
        MigrationBatch batch = batch(alice);
        batch.start();

        assertThat(appends.awaitWaiting(1, TIMEOUT)).as("the second APPEND is held").isTrue();
        FolderSyncState state = world.store.folderState(UserRecord.mailboxKey(alice), "INBOX").orElseThrow();
        assertThat(state.highestUid()).isEqualTo(3);
        assertThat(state.uidMap().size()).isEqualTo(3);
        assertThat(state.inFlight()).isNotNull();
        assertThat(state.inFlight().sourceUids()).containsExactly(4L, 5L);
        assertThat(state.inFlight().targetUidNext()).isEqualTo(4);

        appends.open();
        awaitSettled(batch);
        world.assertMirrored("alice", Map.of("INBOX", "INBOX"));
        FolderSyncState done = world.store.folderState(UserRecord.mailboxKey(alice), "INBOX").orElseThrow();
        assertThat(done.inFlight()).isNull();
        assertThat(done.uidMap().size()).isEqualTo(10);
    }

    /** Waits up to {@link MigrationWorld#TIMEOUT} for a condition. */
    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(Duration.ofMillis(10).toMillis());
        }
        return true;
    }
}
