package io.mailferry.core;

import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import io.mailferry.core.store.BatchRecord;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static io.mailferry.core.MigrationWorld.TIMEOUT;
import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.password;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch lifecycle, scheduling, events, users and restarts, end to end. */
class MigrationServiceLifecycleTest {

    private static final Map<String, String> INBOX = Map.of("INBOX", "INBOX");

    @TempDir
    Path spool;

    private MigrationWorld world;

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private MigrationBatch batch(MigrationService service, String name, UnaryOperator<MigrationEndpoint.Builder> source,
                                 List<MigrationUserEntry> users) {
        return service.newBatch(name).sourceEndpoint(world.sourceEndpoint(source))
                .targetEndpoint(world.targetEndpoint()).users(users).create();
    }

    private MigrationBatch batch(MigrationService service, MigrationUserEntry... users) {
        return batch(service, "wave-1", UnaryOperator.identity(), List.of(users));
    }

    private List<MigrationUserEntry> users(int n, int messagesEach) {
        List<MigrationUserEntry> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(world.user("user" + i));
            world.seedInbox("user" + i, messagesEach);
        }
        return out;
    }

    private static long count(MigrationBatch batch, MigrationUserStatus status) {
        return batch.users().stream().filter(u -> u.status() == status).count();
    }

    // ------------------------------------------------------------------ scheduling

    @Test
    void initialSyncsNeverExceedTheEndpointsMaxConcurrentMigrations() throws Exception {
        List<MigrationUserEntry> users = users(5, 3);
        OperationGate gate = OperationGate.closed();
        world.source.gate(gate);
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, "wave-1", b -> b.maxConcurrentMigrations(2), users);

        batch.start();
        assertThat(gate.awaitWaiting(2, TIMEOUT)).isTrue();

        assertThat(world.source.openSessions()).isEqualTo(2);
        assertThat(count(batch, MigrationUserStatus.SYNCING)).isEqualTo(2);
        assertThat(count(batch, MigrationUserStatus.QUEUED)).isEqualTo(3);
        assertThat(batch.statistics().pendingCount()).isEqualTo(3);
        assertThat(batch.statistics().activeCount()).isEqualTo(5);
        gate.open();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.source.peakOpenSessions()).isEqualTo(2);
        assertThat(world.target.peakOpenSessions()).isEqualTo(2);
        for (int i = 1; i <= 5; i++) {
            assertThat(world.source.peakOpenSessions("user" + i)).isEqualTo(1);
            world.assertMirrored("user" + i, INBOX);
        }
    }

    @Test
    void incrementalPassesNeverExceedTheEndpointsMaxConcurrentIncrementalSyncs() throws Exception {
        List<MigrationUserEntry> users = users(4, 2);
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, "wave-1", b -> b.maxConcurrentMigrations(3).maxConcurrentIncrementalSyncs(1), users);
        batch.start();
        awaitSettled(batch);
        for (int i = 1; i <= 4; i++) {
            world.source.deliver("user" + i, "INBOX", io.mailferry.core.spi.contract.TestMessages.plain("late " + i, "x"));
        }
        world.source.resetCounters();
        OperationGate gate = OperationGate.closed();
        world.source.gate(gate);

        batch.syncNow();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        assertThat(world.source.openSessions()).isEqualTo(1);
        assertThat(count(batch, MigrationUserStatus.INCREMENTAL_SYNCING)).isEqualTo(1);
        gate.open();
        awaitSettled(batch);

        assertThat(world.source.peakOpenSessions()).isEqualTo(1);
        for (int i = 1; i <= 4; i++) {
            world.assertMirrored("user" + i, INBOX);
        }
    }

    // ------------------------------------------------------------------ events

    /** Records events and lets a test wait for a batch status to be delivered. */
    private static final class Recorder implements MigrationListener {
        final List<MigrationEvent> events = new CopyOnWriteArrayList<>();
        final BlockingQueue<BatchStatus> batchStatuses = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(MigrationEvent event) {
            events.add(event);
        }

        @Override
        public void onBatchStatusChanged(MigrationEvent.BatchStatusChanged event) {
            batchStatuses.add(event.current());
        }

        void awaitBatchStatus(BatchStatus status) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                BatchStatus s = batchStatuses.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(s).as("event for batch status %s delivered", status).isNotNull();
                if (s == status) {
                    return;
                }
            }
        }

        List<String> batchTransitions() {
            return events.stream().filter(e -> e instanceof MigrationEvent.BatchStatusChanged)
                    .map(e -> (MigrationEvent.BatchStatusChanged) e)
                    .map(e -> e.previous() + "->" + e.current()).toList();
        }

        List<String> userTransitions(String emailAddress) {
            return events.stream().filter(e -> e instanceof MigrationEvent.UserStatusChanged)
                    .map(e -> (MigrationEvent.UserStatusChanged) e)
                    .filter(e -> e.user().emailAddress().equals(emailAddress))
                    .map(e -> e.previous() + "->" + e.user().status()).toList();
        }

        int indexOf(Predicate<MigrationEvent> p) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (p.test(events.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    @Test
    void listenersReceiveStatusEventsInOrder() throws Exception {
        List<MigrationUserEntry> users = users(2, 2);
        Recorder recorder = new Recorder();
        MigrationService service = world.service(recorder);
        MigrationBatch batch = batch(service, users.toArray(MigrationUserEntry[]::new));

        batch.start();
        awaitSettled(batch);
        recorder.awaitBatchStatus(BatchStatus.SYNCED);

        assertThat(recorder.batchTransitions()).containsExactly("Created->Created", "Created->Starting",
                "Starting->Syncing", "Syncing->Synced");
        for (MigrationUserEntry u : users) {
            assertThat(recorder.userTransitions(u.emailAddress())).containsExactly("Queued->Syncing", "Syncing->Synced");
            int userSynced = recorder.indexOf(e -> e instanceof MigrationEvent.UserStatusChanged c
                    && c.user().emailAddress().equals(u.emailAddress()) && c.user().status() == MigrationUserStatus.SYNCED);
            int batchSynced = recorder.indexOf(e -> e instanceof MigrationEvent.BatchStatusChanged c
                    && c.current() == BatchStatus.SYNCED);
            assertThat(userSynced).isLessThan(batchSynced);
            assertThat(recorder.events).filteredOn(e -> e instanceof MigrationEvent.FolderSynced f
                    && f.emailAddress().equals(u.emailAddress())).singleElement().satisfies(e -> {
                        MigrationEvent.FolderSynced f = (MigrationEvent.FolderSynced) e;
                        assertThat(f.sourceFolder()).isEqualTo("INBOX");
                        assertThat(f.copied()).isEqualTo(2);
                    });
        }
        assertThat(recorder.events).allSatisfy(e -> assertThat(e.batchName()).isEqualTo("wave-1"));
        for (int i = 1; i < recorder.events.size(); i++) {
            assertThat(recorder.events.get(i).time()).isAfterOrEqualTo(recorder.events.get(i - 1).time());
        }

        batch.syncNow();
        awaitSettled(batch);
        recorder.awaitBatchStatus(BatchStatus.SYNCED);

        assertThat(recorder.batchTransitions()).endsWith("Synced->IncrementalSyncing", "IncrementalSyncing->Synced");
        assertThat(recorder.userTransitions(email("user1"))).endsWith("Synced->IncrementalSyncing", "IncrementalSyncing->Synced");
    }

    @Test
    void aThrowingListenerBreaksNeitherTheMigrationNorOtherListeners() throws Exception {
        List<MigrationUserEntry> users = users(2, 2);
        Recorder recorder = new Recorder();
        MigrationListener throwing = new MigrationListener() {
            @Override
            public void onEvent(MigrationEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onUserStatusChanged(MigrationEvent.UserStatusChanged event) {
                throw new IllegalStateException("listener bug");
            }
        };
        MigrationService service = world.service(throwing, recorder);
        MigrationBatch batch = batch(service, users.toArray(MigrationUserEntry[]::new));

        batch.start();
        awaitSettled(batch);
        recorder.awaitBatchStatus(BatchStatus.SYNCED);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(recorder.batchTransitions()).containsExactly("Created->Created", "Created->Starting",
                "Starting->Syncing", "Syncing->Synced");
        assertThat(recorder.userTransitions(email("user1"))).containsExactly("Queued->Syncing", "Syncing->Synced");
    }

    // ------------------------------------------------------------------ users

    @Test
    void addUsersAddsOnlyNewRowsAndRefreshesTheCredentialsOfExistingOnes() throws Exception {
        world.user("alice");
        MigrationUserEntry bob = world.user("bob");
        world.seedInbox("alice", 2);
        world.seedInbox("bob", 2);
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, MigrationUserEntry.of(email("alice"), "alice", "outdated-password"));

        List<MigrationUser> added = batch.addUsers(List.of(
                MigrationUserEntry.of(email("ALICE"), "alice", password("alice")),
                bob,
                MigrationUserEntry.of(email("BOB"), "bob", password("bob"))));

        assertThat(added).extracting(MigrationUser::emailAddress).containsExactly(email("bob"));
        assertThat(batch.users()).extracting(MigrationUser::emailAddress).containsExactly(email("alice"), email("bob"));
        assertThat(world.store.users("wave-1")).hasSize(2);
        assertThat(batch.status()).isEqualTo(BatchStatus.CREATED);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.source.loginFailures()).as("alice logged in with the refreshed password").isZero();
        world.assertMirrored("alice", INBOX);
        world.assertMirrored("bob", INBOX);
    }

    @Test
    void usersAddedToASyncedBatchAreSyncedRightAway() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        MigrationUserEntry carol = world.user("carol");
        world.seedInbox("alice", 2);
        world.seedInbox("carol", 3);
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);

        List<MigrationUser> added = batch.addUsers(List.of(carol));
        assertThat(batch.status()).as("the batch runs the new user").isIn(BatchStatus.SYNCING, BatchStatus.SYNCED);
        awaitSettled(batch);

        assertThat(added).extracting(MigrationUser::emailAddress).containsExactly(email("carol"));
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(batch, "carol").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("carol", INBOX);
        assertThat(world.source.sessionsOpened("alice")).isEqualTo(1);
    }

    @Test
    void aUserAlreadyInAnotherBatchIsRejected() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        MigrationUserEntry bob = world.user("bob");
        MigrationService service = world.service();
        batch(service, alice);

        assertThatThrownBy(() -> batch(service, "wave-2", UnaryOperator.identity(),
                List.of(MigrationUserEntry.of(email("Alice"), "alice", password("alice")))))
                .isInstanceOf(InvalidBatchDefinitionException.class)
                .hasMessageContaining("Alice@new.example").hasMessageContaining("'wave-1'");
        assertThat(service.batch("wave-2")).isEmpty();

        MigrationBatch second = batch(service, "wave-2", UnaryOperator.identity(), List.of(bob));
        assertThatThrownBy(() -> second.addUsers(List.of(alice))).isInstanceOf(InvalidBatchDefinitionException.class)
                .hasMessageContaining("'wave-1'");
        assertThat(second.users()).extracting(MigrationUser::emailAddress).containsExactly(email("bob"));
        assertThat(world.store.findUsersByEmail(email("alice"))).hasSize(1);
    }

    @Test
    void batchNamesAreUnique() {
        MigrationService service = world.service();
        batch(service, world.user("alice"));

        assertThatThrownBy(() -> batch(service, world.user("bob"))).isInstanceOf(InvalidBatchDefinitionException.class)
                .hasMessageContaining("'wave-1' already exists");
    }

    @Test
    void anEndpointTypeWithoutConnectorIsAnInvalidBatchDefinition() {
        MigrationService service = world.service();
        MigrationEndpoint graph = MigrationEndpoint.builder("graph", new EndpointType("GRAPH")).host("graph.example").build();

        assertThatThrownBy(() -> service.newBatch("wave-1").sourceEndpoint(graph).targetEndpoint(world.targetEndpoint())
                .user(world.user("alice")).create())
                .isInstanceOf(InvalidBatchDefinitionException.class).hasMessageContaining("GRAPH");
        assertThat(service.batches()).isEmpty();
    }

    @Test
    void commandsTheStatusDoesNotAllowAreRejectedWithStatusAndAllowedCommands() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 2);
        OperationGate gate = OperationGate.closed();
        world.source.gate(gate);
        MigrationBatch batch = batch(world.service(), alice);

        assertThatThrownBy(batch::syncNow).isInstanceOf(IllegalBatchCommandException.class)
                .hasMessageContaining("is Created and cannot sync-now");
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
        assertThatThrownBy(batch::start).isInstanceOfSatisfying(IllegalBatchCommandException.class, e -> {
            assertThat(e.status()).isEqualTo(BatchStatus.SYNCING);
            assertThat(e.getMessage()).contains("stop, add-users, set");
        });
        gate.open();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
    }

    // ------------------------------------------------------------------ restarts and secrets

    @Test
    void aBatchLeftSyncingByAClosedServiceContinuesOnRestartOnceItsCredentialsAreBackWithoutDuplicates()
            throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 10);
        // chunk 1 (3 messages) is copied and checkpointed; the 2nd fetch of chunk 2 is held
        OperationGate gate = OperationGate.closedAfter(4);
        world.source.gate(gate, Operation.FETCH_MESSAGE);
        MigrationService first = world.service();
        MigrationBatch running = batch(first, alice);
        running.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        first.close();

        assertThat(world.store.findBatch("wave-1")).map(BatchRecord::status).contains(BatchStatus.SYNCING);
        assertThat(world.store.users("wave-1")).singleElement()
                .satisfies(u -> assertThat(u.status()).isEqualTo(MigrationUserStatus.SYNCING));
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(3);
        gate.open();

        // The store keeps no passwords: the batch continues, its user waits for them.
        MigrationService second = world.service();
        MigrationBatch restored = second.getBatch("wave-1");
        assertThat(restored.status()).isEqualTo(BatchStatus.SYNCING);
        MigrationUser waiting = user(restored, "alice");
        assertThat(waiting.status()).isEqualTo(MigrationUserStatus.QUEUED);
        assertThat(waiting.statusDetail()).contains("Waiting for credentials")
                .contains("the source password of " + email("alice"))
                .contains("the administrator password of target endpoint 'new'");
        assertThat(world.source.sessionsOpened("alice")).isEqualTo(1);

        assertThat(restored.addUsers(List.of(alice))).isEmpty();
        assertThat(user(restored, "alice").statusDetail()).doesNotContain("source password")
                .contains("target endpoint 'new'");
        second.setEndpoint(world.targetEndpoint());
        awaitSettled(restored);

        assertThat(restored.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(restored, "alice").statusDetail()).isNull();
        world.assertMirrored("alice", INBOX);
        assertThat(user(restored, "alice").statistics().syncedItemCount()).isEqualTo(10);
    }

    @Test
    void aBatchStoppedBeforeARestartStaysStopped() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 10);
        OperationGate gate = OperationGate.closedAfter(4);
        world.source.gate(gate, Operation.FETCH_MESSAGE);
        MigrationService first = world.service();
        MigrationBatch batch = batch(first, alice);
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
        batch.stop();
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPING);
        gate.open();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPED);
        first.close();

        MigrationBatch restored = world.service().getBatch("wave-1");

        assertThat(restored.status()).isEqualTo(BatchStatus.STOPPED);
        assertThat(user(restored, "alice").status()).isEqualTo(MigrationUserStatus.STOPPED);
        assertThat(world.source.sessionsOpened("alice")).isEqualTo(1);
    }

    @Test
    void aBatchLoadedFromTheStoreAndStartedWithoutPasswordsWaitsForThemWithAClearMessage() throws Exception {
        world.seedInbox(world.user("alice").sourceUserName(), 1);
        MigrationService first = world.service();
        batch(first, MigrationUserEntry.of(email("alice"), "alice", password("alice")));
        first.close();

        MigrationService second = world.service();
        MigrationBatch loaded = second.getBatch("wave-1");
        assertThat(loaded.status()).isEqualTo(BatchStatus.CREATED);
        loaded.start();

        assertThat(loaded.status()).isEqualTo(BatchStatus.SYNCING);
        assertThat(user(loaded, "alice").statusDetail()).contains("the source password of " + email("alice"))
                .contains("MigrationBatch.addUsers");
        assertThat(loaded.statistics().pendingCount()).isEqualTo(1);
        assertThat(world.source.sessionsOpened("alice")).isZero();

        loaded.addUsers(List.of(MigrationUserEntry.of(email("alice"), "alice", password("alice"))));
        second.setEndpoint(world.targetEndpoint());
        awaitSettled(loaded);
        assertThat(loaded.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
    }

    @Test
    void withoutTargetCredentialsOrAdministratorTheUserFailsNamingTheTargetEndpoint() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        MigrationService service = world.service();
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint(b -> b.adminCredentials(null))).user(alice).create();

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").error()).contains("No target credentials for " + email("alice"))
                .contains("target endpoint 'new'");
    }

    @Test
    void theStoreNeverHoldsPasswords() throws Exception {
        world.source.admin("srcadmin", "src-admin-secret");
        world.user("alice");
        world.seedInbox("alice", 1);
        MigrationService service = world.service();
        MigrationBatch batch = service.newBatch("wave-1")
                .sourceEndpoint(world.sourceEndpoint(b -> b.adminCredentials(new Credentials("srcadmin", "src-admin-secret"))))
                .targetEndpoint(world.targetEndpoint())
                .user(new MigrationUserEntry(email("alice"), "alice", null, email("alice"), "unused-alice", null))
                .create();
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.store.endpoints()).hasSize(2).allSatisfy(ep -> {
            assertThat(ep.adminCredentials().password()).isEmpty();
            assertThat(ep.toString()).doesNotContain("secret");
        });
        assertThat(world.store.users("wave-1")).singleElement().satisfies((UserRecord u) -> {
            assertThat(u.entry().sourcePassword()).isNull();
            assertThat(u.entry().targetPassword()).isEmpty();
        });
        assertThat(service.endpoint("old")).map(ep -> ep.adminCredentials().password()).contains("src-admin-secret");
    }

    // ------------------------------------------------------------------ concurrency of commands

    /**
     * Runs tasks on daemon threads and fails (instead of hanging) if they do not finish in time,
     * e.g. because they deadlocked.
     */
    private static void runConcurrently(Runnable... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length, r -> {
            Thread t = new Thread(r, "command-" + r.hashCode());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("commands did not finish within " + TIMEOUT + " (deadlock?)", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void addingUsersWhileCreatingBatchesDoesNotDeadlock() throws Exception {
        MigrationService service = world.untrackedService();
        MigrationBatch batch = batch(service, world.user("alice"));
        MigrationEndpoint source = world.sourceEndpoint();
        MigrationEndpoint target = world.targetEndpoint();

        runConcurrently(() -> {
            for (int i = 0; i < 400; i++) {
                batch.addUsers(List.of(MigrationUserEntry.of("added" + i + "@new.example", "added" + i, "pw")));
            }
        }, () -> {
            for (int i = 0; i < 400; i++) {
                service.newBatch("other-" + i).sourceEndpoint(source).targetEndpoint(target)
                        .user(MigrationUserEntry.of("other" + i + "@new.example", "other" + i, "pw")).create();
            }
        });

        assertThat(batch.users()).hasSize(401);
        assertThat(service.batches()).hasSize(401);
        service.close();
    }

    @Test
    void savingAnEndpointWhilePassesEndDoesNotDeadlock() throws Exception {
        List<MigrationUserEntry> users = users(60, 0);
        MigrationService service = world.untrackedService();
        MigrationBatch batch = batch(service, "wave-1", b -> b.maxConcurrentMigrations(1), users);
        batch.start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();

        runConcurrently(() -> {
            while (!batch.status().isSettled() && System.nanoTime() < deadline) {
                service.saveEndpoint(world.sourceEndpoint(b -> b.maxConcurrentMigrations(1)));
            }
        });

        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        service.close();
    }

    @Test
    void serviceCloseDoesNotWaitLongForAnIdleBatch() throws Exception {
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, world.user("alice"));
        batch.start();
        awaitSettled(batch);

        long start = System.nanoTime();
        service.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(world.store.findBatch("wave-1")).map(BatchRecord::status).contains(BatchStatus.SYNCED);
    }
}
