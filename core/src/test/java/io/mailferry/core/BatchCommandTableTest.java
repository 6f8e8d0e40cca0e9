package io.mailferry.core;

import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import io.mailferry.core.store.BatchRecord;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.mailferry.core.MigrationWorld.TIMEOUT;
import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command table exercised on real batches: for every batch status and every command, a batch
 * is driven into that status through the public API (gates of the in-memory server hold it in the
 * transient ones), then given the command. An allowed command must be accepted and move the batch
 * as the transition table says; any other must throw {@link IllegalBatchCommandException} naming
 * the status, and change nothing. Starting and Removing are never at rest (the engine moves on
 * inside the command); their rows are checked against the table and the events.
 */
class BatchCommandTableTest {

    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");

    @TempDir
    Path spool;

    private MigrationWorld world;
    private final List<OperationGate> gates = new ArrayList<>();

    /** A store that records every batch status it is given, in order, synchronously. */
    static final class RecordingStore extends InMemoryMigrationStore {
        final List<BatchStatus> saved = Collections.synchronizedList(new ArrayList<>());
        volatile String unreadableUsersOf;

        @Override
        public synchronized void saveBatch(BatchRecord batch) {
            saved.add(batch.status());
            super.saveBatch(batch);
        }

        @Override
        public synchronized List<UserRecord> users(String batchName) {
            if (batchName.equals(unreadableUsersOf)) {
                throw new MigrationException("Unreadable user of batch '" + batchName + "' (test)");
            }
            return super.users(batchName);
        }

        List<BatchStatus> since(int index) {
            synchronized (saved) {
                return List.copyOf(saved.subList(index, saved.size()));
            }
        }
    }

    private RecordingStore store;

    @AfterEach
    void tearDown() {
        gates.forEach(OperationGate::open);
        if (world != null) {
            world.close();
        }
    }

    static Stream<Arguments> everyStatusAndCommand() {
        List<Arguments> out = new ArrayList<>();
        for (BatchStatus s : BatchStatus.values()) {
            if (s == BatchStatus.STARTING || s == BatchStatus.REMOVING) {
                continue;
            }
            for (BatchCommand c : BatchCommand.values()) {
                out.add(Arguments.of(s, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStatusAndCommand")
    void everyCommandInEveryStatusIsAcceptedOrRejectedAsTheTableSays(BatchStatus status, BatchCommand command)
            throws Exception {
        MigrationBatch batch = batchIn(status);
        assertThat(batch.status()).as("driven into %s", status).isEqualTo(status);
        int mark = store.saved.size();
        BatchOptions optionsBefore = batch.options();
        int usersBefore = batch.users().size();

        if (!status.allows(command)) {
            assertThatThrownBy(() -> give(batch, command)).isInstanceOfSatisfying(IllegalBatchCommandException.class, e -> {
                assertThat(e.status()).isEqualTo(status);
                assertThat(e.command()).isEqualTo(command);
                assertThat(e.batchName()).isEqualTo(batch.name());
                assertThat(e.allowedCommands()).isEqualTo(status.allowedCommands());
            });
            assertThat(batch.status()).isEqualTo(status);
            assertThat(store.since(mark)).as("no status saved").isEmpty();
            assertThat(batch.options()).isEqualTo(optionsBefore);
            assertThat(batch.users()).hasSize(usersBefore);
            return;
        }

        give(batch, command);
        List<BatchStatus> after = store.since(mark);
        switch (command) {
            case START -> assertThat(after).as("statuses after start").isNotEmpty()
                    .first().isIn(BatchStatus.STARTING, BatchStatus.WAITING);
            case STOP -> assertThat(after).first().isEqualTo(BatchStatus.STOPPING);
            case COMPLETE -> assertThat(after).first().isEqualTo(BatchStatus.COMPLETING);
            case SYNC_NOW -> assertThat(after).first().isEqualTo(BatchStatus.INCREMENTAL_SYNCING);
            case REMOVE -> {
                assertThat(after).containsExactly(BatchStatus.REMOVING);
                assertThat(batch.status()).isEqualTo(BatchStatus.REMOVING);
                assertThat(world.store.findBatch(batch.name())).isEmpty();
                assertThat(world.store.users(batch.name())).isEmpty();
            }
            case ADD_USERS -> assertThat(batch.user(email("carol"))).isPresent();
            case SET -> assertThat(batch.options().notificationEmails()).containsExactly("ops@example.org");
        }
        // every status change went through the transition table
        BatchStatus previous = status;
        for (BatchStatus next : after) {
            if (next != previous) {
                assertThat(previous.canTransitionTo(next)).as("%s -> %s", previous, next).isTrue();
                previous = next;
            }
        }
    }

    @Test
    void startingAndRemovingAreNeverAtRestButEveryStartAndRemovePassesThem() throws Exception {
        MigrationBatch batch = batchIn(BatchStatus.CREATED);
        batch.start();
        awaitSettled(batch);
        assertThat(store.saved).containsSubsequence(BatchStatus.CREATED, BatchStatus.STARTING, BatchStatus.SYNCING,
                BatchStatus.SYNCED);
        assertThat(BatchStatus.STARTING.allowedCommands()).containsExactly(BatchCommand.STOP);
        assertThat(BatchStatus.REMOVING.allowedCommands()).isEmpty();

        batch.remove();
        assertThat(store.saved).endsWith(BatchStatus.REMOVING);
        assertThat(batch.status()).isEqualTo(BatchStatus.REMOVING);
        for (BatchCommand c : BatchCommand.values()) {
            assertThatThrownBy(() -> give(batch, c)).isInstanceOf(IllegalBatchCommandException.class);
        }
    }

    private void give(MigrationBatch batch, BatchCommand command) {
        switch (command) {
            case START -> batch.start();
            case STOP -> batch.stop();
            case COMPLETE -> batch.complete();
            case REMOVE -> batch.remove();
            case SYNC_NOW -> batch.syncNow();
            case ADD_USERS -> batch.addUsers(List.of(world.user("carol")));
            case SET -> batch.set(b -> b.notificationEmails(List.of("ops@example.org")));
        }
    }

    // ------------------------------------------------------------------ driving a batch into a status

    private MigrationBatch batchIn(BatchStatus status) throws Exception {
        store = new RecordingStore();
        world = new MigrationWorld(spool, store, new ManualScheduler(T0));
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 4);
        MigrationUserEntry bob = world.user("bob");
        world.seedInbox("bob", 2);
        MigrationUserEntry wrongBob = MigrationUserEntry.of(email("bob"), "bob", "wrong-password");
        MigrationService service = world.service();
        switch (status) {
            case CREATED -> {
                return create(service, alice, bob);
            }
            case WAITING -> {
                MigrationBatch b = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                        .targetEndpoint(world.targetEndpoint()).users(List.of(alice, bob))
                        .startAfter(T0.plus(Duration.ofHours(1))).create();
                b.start();
                return b;
            }
            case SYNCING -> {
                OperationGate gate = gate(Operation.FETCH_MESSAGE);
                MigrationBatch b = create(service, alice, bob);
                b.start();
                assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
                return b;
            }
            case SYNCED -> {
                return settled(create(service, alice, bob));
            }
            case SYNCED_WITH_ERRORS -> {
                return settled(create(service, alice, wrongBob));
            }
            case FAILED -> {
                return settled(create(service, MigrationUserEntry.of(email("alice"), "alice", "wrong"), wrongBob));
            }
            case INCREMENTAL_SYNCING -> {
                MigrationBatch b = settled(create(service, alice, bob));
                world.source.deliver("alice", "INBOX", TestMessages.plain("late", "x"));
                OperationGate gate = gate(Operation.FETCH_MESSAGE);
                b.syncNow();
                assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
                return b;
            }
            case STOPPING -> {
                OperationGate gate = gate(Operation.FETCH_MESSAGE);
                MigrationBatch b = create(service, alice, bob);
                b.start();
                assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
                b.stop();
                return b;
            }
            case STOPPED -> {
                MigrationBatch b = settled(create(service, alice, bob));
                b.stop();
                return b;
            }
            case COMPLETING -> {
                MigrationBatch b = settled(create(service, alice, bob));
                OperationGate gate = gate(Operation.LIST_FOLDERS);
                b.complete();
                assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
                return b;
            }
            case COMPLETED -> {
                MigrationBatch b = settled(create(service, alice, bob));
                b.complete();
                return settled(b);
            }
            case COMPLETED_WITH_ERRORS -> {
                MigrationBatch b = settled(create(service, alice, wrongBob));
                b.complete();
                return settled(b);
            }
            case CORRUPTED -> {
                create(service, alice, bob);
                service.close();
                store.unreadableUsersOf = "wave-1";
                MigrationBatch b = world.service().getBatch("wave-1");
                store.unreadableUsersOf = null;
                return b;
            }
            default -> throw new IllegalArgumentException("not at rest: " + status);
        }
    }

    private MigrationBatch create(MigrationService service, MigrationUserEntry... users) {
        return service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint()).targetEndpoint(world.targetEndpoint())
                .users(List.of(users)).create();
    }

    private static MigrationBatch settled(MigrationBatch b) throws InterruptedException {
        if (b.status() == BatchStatus.CREATED) {
            b.start();
        }
        awaitSettled(b);
        return b;
    }

    private OperationGate gate(Operation operation) {
        OperationGate gate = OperationGate.closed();
        gates.add(gate);
        world.source.gate(gate, operation);
        return gate;
    }

    @Test
    void theTableLeavesNoStatusWithoutAWayOut() {
        Set<BatchStatus> terminalOnlyByRemove = EnumSet.of(BatchStatus.COMPLETED, BatchStatus.CORRUPTED);
        for (BatchStatus s : BatchStatus.values()) {
            if (terminalOnlyByRemove.contains(s)) {
                assertThat(s.allowedCommands()).containsExactly(BatchCommand.REMOVE);
            }
        }
    }
}
