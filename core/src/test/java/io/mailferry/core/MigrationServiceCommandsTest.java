package io.mailferry.core;

import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import io.mailferry.core.store.BatchRecord;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.mailferry.core.MigrationWorld.TIMEOUT;
import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.password;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch and user commands end to end on the in-memory connector: stop and resume, complete,
 * remove, per-user commands, set, endpoints, slot sharing and priority, folder and date filters.
 */
class MigrationServiceCommandsTest {

    private static final Map<String, String> INBOX = Map.of("INBOX", "INBOX");

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

    private OperationGate gate(OperationGate gate, Operation... operations) {
        gates.add(gate);
        world.source.gate(gate, operations);
        return gate;
    }

    private MigrationUserEntry seeded(String login, int messages) {
        MigrationUserEntry e = world.user(login);
        world.seedInbox(login, messages);
        return e;
    }

    private MigrationBatch batch(MigrationService service, MigrationUserEntry... users) {
        return service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint()).targetEndpoint(world.targetEndpoint())
                .users(List.of(users)).create();
    }

    // ------------------------------------------------------------------ stop, start, complete, remove

    @Test
    void stopEndsAnActiveCopyBetweenChunksAndStartResumesWithoutDuplicates() throws Exception {
        MigrationUserEntry alice = seeded("alice", 10);
        OperationGate gate = gate(OperationGate.closedAfter(4), Operation.FETCH_MESSAGE);
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        batch.stop();
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPING);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.STOPPING);
        gate.open();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPED);
        MigrationUser stopped = user(batch, "alice");
        assertThat(stopped.status()).isEqualTo(MigrationUserStatus.STOPPED);
        // the chunk in flight ends (messages 4-5: pages of 5, chunks of 3), then the pass stops
        assertThat(stopped.statistics().syncedItemCount()).isEqualTo(5);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(5);
        assertThat(world.source.openSessions()).as("connections closed").isZero();
        assertThat(batch.statistics().stoppedCount()).isEqualTo(1);

        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(10);
    }

    @Test
    void stoppingASyncedBatchStopsItsIncrementalPassesAndLeavesItsUsersSynced() throws Exception {
        MigrationBatch batch = batch(world.service(), seeded("alice", 2));
        batch.start();
        awaitSettled(batch);

        batch.stop();
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPED);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);

        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
    }

    @Test
    void completeRunsAFinalPassForEveryUserThenCompletesTheBatch() throws Exception {
        MigrationService service = world.service();
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(seeded("alice", 2), seeded("bob", 2)))
                .badItemLimit(ItemLimit.UNLIMITED).create();
        batch.start();
        awaitSettled(batch);
        world.source.deliver("alice", "INBOX", TestMessages.plain("after the sync", "x"));
        world.target.refuseAppends(raw -> new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("refused at completion"), "NO [LIMIT] too big");
        world.source.deliver("bob", "INBOX", TestMessages.plain("refused at completion", "x"));

        batch.complete();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.COMPLETED);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.COMPLETED_WITH_WARNINGS);
        world.assertMirrored("alice", INBOX);
        assertThat(batch.skippedItems(email("bob"))).singleElement().satisfies(item -> {
            assertThat(item.folder()).isEqualTo("INBOX");
            assertThat(item.subject()).isEqualTo("refused at completion");
            assertThat(item.kind()).isEqualTo(SkippedItemKind.REFUSED_BY_TARGET);
            assertThat(item.reason()).contains("too big");
            assertThat(item.size()).isPositive();
        });
        assertThat(batch.statistics().finalizedCount()).isEqualTo(2);
        assertThatThrownBy(batch::syncNow).isInstanceOf(IllegalBatchCommandException.class);
    }

    @Test
    void aUserThatFailedMakesCompletionCompletedWithErrorsAndStartRetriesAndCompletesIt() throws Exception {
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, seeded("alice", 2),
                MigrationUserEntry.of(email("bob"), "bob", "wrong-password"));
        seeded("bob", 3);
        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);

        batch.complete();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED_WITH_ERRORS)).isTrue();
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.COMPLETED);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.FAILED);

        batch.addUsers(List.of(MigrationUserEntry.of(email("bob"), "bob", password("bob"))));
        int aliceSessions = world.source.sessionsOpened("alice");
        batch.start();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();

        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.COMPLETED);
        world.assertMirrored("bob", INBOX);
        assertThat(world.source.sessionsOpened("alice")).as("alice is not copied again").isEqualTo(aliceSessions);
    }

    @Test
    void removeDeletesTheBatchButKeepsCheckpointsSoANewBatchCopiesNothingTwice() throws Exception {
        Recorder recorder = new Recorder();
        MigrationService service = world.service(recorder);
        MigrationUserEntry alice = seeded("alice", 4);
        MigrationBatch first = batch(service, alice);
        first.start();
        awaitSettled(first);

        first.remove();

        assertThat(first.status()).isEqualTo(BatchStatus.REMOVING);
        assertThat(service.batch("wave-1")).isEmpty();
        assertThat(world.store.findBatch("wave-1")).isEmpty();
        assertThat(world.store.users("wave-1")).isEmpty();
        assertThat(world.store.folderStates(UserRecord.mailboxKey(alice))).isNotEmpty();

        world.source.resetCounters();
        world.target.resetCounters();
        MigrationBatch second = service.newBatch("wave-2").sourceEndpoint("old").targetEndpoint("new").user(alice)
                .create();
        second.start();
        awaitSettled(second);

        assertThat(second.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.operations(Operation.APPEND)).as("the mailbox was migrated before").isZero();
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(4);
        world.assertMirrored("alice", INBOX);
        recorder.await(e -> e instanceof MigrationEvent.BatchRemoved r && r.batchName().equals("wave-1"));
        assertThat(recorder.events).anyMatch(e -> e instanceof MigrationEvent.UserStatusChanged c
                && c.user().status() == MigrationUserStatus.REMOVING);
    }

    // ------------------------------------------------------------------ users

    @Test
    void oneUserCanBeStoppedStartedSyncedNowAndRemovedOnItsOwn() throws Exception {
        Recorder recorder = new Recorder();
        MigrationService service = world.service(recorder);
        MigrationBatch batch = batch(service, seeded("alice", 2), seeded("bob", 2));
        batch.start();
        awaitSettled(batch);

        batch.stopUser(email("bob"));
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.INCREMENTAL_STOPPED);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThatThrownBy(() -> batch.syncUserNow(email("bob"))).isInstanceOfSatisfying(
                IllegalUserCommandException.class, e -> {
                    assertThat(e.userStatus()).isEqualTo(MigrationUserStatus.INCREMENTAL_STOPPED);
                    assertThat(e.allowedCommands()).containsExactly(UserCommand.START, UserCommand.REMOVE, UserCommand.SET);
                });

        world.source.deliver("bob", "INBOX", TestMessages.plain("for bob", "x"));
        batch.startUser(email("bob"));
        awaitSettled(batch);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("bob", INBOX);
        recorder.await(e -> e instanceof MigrationEvent.UserStatusChanged c && c.user().emailAddress().equals(email("bob"))
                && c.previous() == MigrationUserStatus.INCREMENTAL_SYNCING);
        assertThat(recorder.userTransitions(email("bob"))).containsSubsequence("Synced->IncrementalStopped",
                "IncrementalStopped->Starting", "Starting->IncrementalSyncing", "IncrementalSyncing->Synced");

        world.source.deliver("alice", "INBOX", TestMessages.plain("for alice", "x"));
        int bobSessions = world.source.sessionsOpened("bob");
        batch.syncUserNow(email("alice"));
        awaitSettled(batch);
        world.assertMirrored("alice", INBOX);
        assertThat(world.source.sessionsOpened("bob")).isEqualTo(bobSessions);

        batch.removeUser(email("bob"));
        assertThat(batch.users()).extracting(MigrationUser::emailAddress).containsExactly(email("alice"));
        assertThat(world.store.users("wave-1")).hasSize(1);
        assertThat(service.findUser(email("bob"))).isEmpty();
        assertThatThrownBy(() -> batch.startUser(email("bob"))).isInstanceOf(NoSuchUserException.class);
        recorder.await(e -> e instanceof MigrationEvent.UserRemoved r && r.emailAddress().equals(email("bob")));
    }

    @Test
    void aRunningUserStopsPromptlyWhileTheOthersGoOn() throws Exception {
        MigrationUserEntry alice = seeded("alice", 10);
        MigrationUserEntry bob = seeded("bob", 3);
        OperationGate gate = OperationGate.closedAfter(4);
        gates.add(gate);
        world.source.gate(gate, Operation.FETCH_MESSAGE);
        MigrationBatch batch = world.service().newBatch("wave-1")
                .sourceEndpoint(world.sourceEndpoint(b -> b.maxConcurrentMigrations(1)))
                .targetEndpoint(world.targetEndpoint()).users(List.of(alice, bob)).create();
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        batch.stopUser(email("alice"));
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.STOPPING);
        gate.open();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.STOPPED);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);

        batch.startUser(email("alice"));
        awaitSettled(batch);
        world.assertMirrored("alice", INBOX);
    }

    @Test
    void aUsersOwnItemLimitsOverrideTheBatchs() throws Exception {
        MigrationService service = world.service();
        world.target.refuseAppends(raw -> new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("poison"), "NO refused");
        MigrationUserEntry alice = seeded("alice", 2);
        world.source.deliver("alice", "INBOX", TestMessages.plain("poison", "x"));
        MigrationUserEntry bob = seeded("bob", 2).withOverrides(UserOverrides.NONE.withBadItemLimit(ItemLimit.of(1)));
        world.source.deliver("bob", "INBOX", TestMessages.plain("poison", "x"));
        MigrationBatch batch = batch(service, alice, bob);
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "alice").error()).contains("BadItemLimit of 0");
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);

        MigrationUser changed = batch.setUser(email("alice"), o -> o.withBadItemLimit(ItemLimit.UNLIMITED));
        assertThat(changed.overrides().badItemLimit()).isEqualTo(ItemLimit.UNLIMITED);
        assertThat(world.store.users("wave-1").get(0).entry().overrides().badItemLimit()).isEqualTo(ItemLimit.UNLIMITED);
        batch.startUser(email("alice"));
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
    }

    @Test
    void setChangesTheOptionsAndPersistsThem() throws Exception {
        MigrationBatch batch = batch(world.service(), seeded("alice", 1));
        BatchOptions next = batch.set(b -> b.badItemLimit(ItemLimit.of(5)).notificationEmails(List.of("a@example.org"))
                .completeAfter(Instant.parse("2030-01-01T00:00:00Z")).priority(BatchPriority.HIGH)
                .excludeFolders(List.of("#JunkEmail#")));

        assertThat(batch.options()).isEqualTo(next);
        assertThat(world.store.findBatch("wave-1")).map(BatchRecord::options).contains(next);
        assertThatThrownBy(() -> batch.set(b -> b.excludeFolders(List.of("#Nowhere#"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#Nowhere#");
        assertThat(batch.options()).isEqualTo(next);
    }

    // ------------------------------------------------------------------ endpoints

    @Test
    void newEndpointsAreTestedOnCreationUnlessVerificationIsSkipped() {
        MigrationService service = world.service();
        MigrationEndpoint nowhere = world.memory.endpoint("nowhere", world.source).host("nowhere.test")
                .adminCredentials(new Credentials("admin", "pw")).build();

        assertThatThrownBy(() -> service.newEndpoint(nowhere)).isInstanceOfSatisfying(
                EndpointVerificationException.class, e -> {
                    assertThat(e.result().reachable()).isFalse();
                    assertThat(e.result().failure()).isEqualTo(ServerAvailability.Failure.CONNECTION);
                    assertThat(e.getMessage()).contains("nowhere").doesNotContain("pw");
                });
        assertThat(service.endpoint("nowhere")).isEmpty();

        service.newEndpoint(nowhere, true);
        assertThat(service.getEndpoint("nowhere")).isEqualTo(nowhere);
        assertThatThrownBy(() -> service.newEndpoint(nowhere, true)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("already exists");

        world.user("alice");
        MigrationEndpoint target = world.targetEndpoint();
        assertThat(service.newEndpoint(target)).isEqualTo(target);
        ServerAvailability connected = service.testServerAvailability("new");
        assertThat(connected.isSuccess()).isTrue();
        assertThat(connected.reachable()).isTrue();
        assertThat(connected.authenticationAttempted()).isFalse();
        assertThat(connected.capabilities()).contains("UIDPLUS");

        ServerAvailability asAlice = service.testServerAvailability(target, email("alice"));
        assertThat(asAlice.isSuccess()).isTrue();
        assertThat(asAlice.authenticated()).isTrue();

        MigrationEndpoint wrong = world.targetEndpoint(b -> b.adminCredentials(new Credentials("mailadmin", "nope")));
        ServerAvailability refused = service.testServerAvailability(wrong, email("alice"));
        assertThat(refused.reachable()).isTrue();
        assertThat(refused.authenticationAttempted()).isTrue();
        assertThat(refused.authenticated()).isFalse();
        assertThat(refused.failure()).isEqualTo(ServerAvailability.Failure.AUTHENTICATION);
        assertThat(refused.summary()).doesNotContain("nope");

        world.target.reachable(false);
        assertThat(service.testServerAvailability(target, new Credentials("x", "y")).failure())
                .isEqualTo(ServerAvailability.Failure.CONNECTION);
    }

    @Test
    void anEndpointUsedByARunningBatchCannotBeChangedOrRemovedButItsPasswordCanBeGivenBack() throws Exception {
        MigrationService service = world.service();
        OperationGate gate = gate(OperationGate.closed(), Operation.FETCH_MESSAGE);
        MigrationBatch batch = batch(service, seeded("alice", 2));
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        assertThatThrownBy(() -> service.setEndpoint(world.sourceEndpoint(b -> b.maxConcurrentMigrations(7))))
                .isInstanceOfSatisfying(EndpointInUseException.class, e -> {
                    assertThat(e.batchNames()).containsExactly("wave-1");
                    assertThat(e.getMessage()).contains("running");
                });
        service.setEndpoint(world.targetEndpoint()); // same settings: allowed
        assertThatThrownBy(() -> service.removeEndpoint("old")).isInstanceOf(EndpointInUseException.class);

        gate.open();
        awaitSettled(batch);
        service.setEndpoint(world.sourceEndpoint(b -> b.maxConcurrentMigrations(7)));
        assertThat(service.getEndpoint("old").maxConcurrentMigrations()).isEqualTo(7);
        assertThatThrownBy(() -> service.removeEndpoint("old")).as("still used by a batch at rest")
                .isInstanceOf(EndpointInUseException.class).hasMessageContaining("remove them first");

        batch.remove();
        service.removeEndpoint("old");
        assertThat(service.endpoints()).extracting(MigrationEndpoint::name).containsExactly("new");
        assertThat(world.store.findEndpoint("old")).isEmpty();
        assertThatThrownBy(() -> service.removeEndpoint("old")).isInstanceOf(NoSuchEndpointException.class);
        assertThatThrownBy(() -> service.setEndpoint(world.sourceEndpoint())).isInstanceOf(NoSuchEndpointException.class);
    }

    // ------------------------------------------------------------------ slots and priority

    @Test
    void twoBatchesShareTheEndpointsSlotsAndTheHigherPriorityGetsFreedSlotsFirst() throws Exception {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        InMemoryMigrationStore recording = new InMemoryMigrationStore() {
            @Override
            public synchronized void saveUser(UserRecord user) {
                if (user.status() == MigrationUserStatus.SYNCING && !started.contains(user.entry().sourceUserName())) {
                    started.add(user.entry().sourceUserName());
                }
                super.saveUser(user);
            }
        };
        world.close();
        world = new MigrationWorld(spool, recording, null);
        OperationGate gate = gate(OperationGate.closed(), Operation.LIST_FOLDERS);
        MigrationService service = world.service();
        MigrationEndpoint source = world.sourceEndpoint(b -> b.maxConcurrentMigrations(1));
        MigrationBatch normal = service.newBatch("normal").sourceEndpoint(source).targetEndpoint(world.targetEndpoint())
                .users(List.of(seeded("a1", 1), seeded("a2", 1))).create();
        MigrationBatch urgent = service.newBatch("urgent").sourceEndpoint("old").targetEndpoint("new")
                .users(List.of(seeded("b1", 1), seeded("b2", 1))).priority(BatchPriority.HIGH).create();

        normal.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();
        urgent.start();
        assertThat(normal.statistics().pendingCount() + urgent.statistics().pendingCount()).isEqualTo(3);
        assertThat(world.source.openSessions()).isEqualTo(1);
        gate.open();
        awaitSettled(normal);
        awaitSettled(urgent);

        assertThat(started).containsExactly("a1", "b1", "b2", "a2");
        assertThat(world.source.peakOpenSessions()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ filters

    @Test
    void includeAndExcludeFoldersFollowExchangesGrammar() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        world.source.createFolder("alice", "Junk", FolderRole.JUNK);
        world.source.append("alice", "Junk", TestMessages.plain("spam", "x"), MessageFlags.NONE, null);
        world.source.createFolder("alice", "#Hashed#");
        world.source.append("alice", "#Hashed#", TestMessages.plain("hashed", "x"), MessageFlags.NONE, null);
        MigrationBatch batch = world.service().newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).user(alice)
                .excludeFolders(List.of("#JunkEmail#", "projects/*", "\\#Hashed\\#", "#SentItems#", "Archive/2019"))
                .create();
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        List<String> target = world.target.folderNames(email("alice"));
        assertThat(target).contains("INBOX", "Drafts", "Entwürfe", "Empty")
                .doesNotContain("Projects", "Projects.2024", "Archive.2019", "Junk", "#Hashed#");
        assertThat(world.target.messages(email("alice"), "Sent")).isEmpty();
        world.assertMirrored("alice", Map.of("INBOX", "INBOX", "Drafts", "Drafts"));
    }

    @Test
    void includeFoldersCopiesOnlyTheNamedSubtreesAndCreatesTheirParents() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = world.service().newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).user(alice)
                .includeFolders(List.of("#Inbox#", "Projects/2024")).create();
        batch.start();
        awaitSettled(batch);

        List<String> target = world.target.folderNames(email("alice"));
        assertThat(target).contains("INBOX", "Projects", "Projects.2024").doesNotContain("Empty", "Real", "Entwürfe");
        assertThat(world.target.messages(email("alice"), "Projects")).as("a parent kept for its child").isEmpty();
        world.assertMirrored("alice", Map.of("INBOX", "INBOX", "Projects/2024", "Projects.2024"));
        assertThat(user(batch, "alice").statistics().folderCount()).isEqualTo(2);
    }

    @Test
    void theReceivedDateFilterCopiesOnlyMessagesReceivedInRange() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        Instant t = Instant.parse("2023-06-01T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            world.source.append("alice", "INBOX", TestMessages.plain("day " + i, "x"), MessageFlags.NONE,
                    t.plus(java.time.Duration.ofDays(i)));
        }
        MigrationBatch batch = world.service().newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).user(alice)
                .receivedAfter(t.plus(java.time.Duration.ofDays(3))).receivedBefore(t.plus(java.time.Duration.ofDays(8)))
                .create();
        batch.start();
        awaitSettled(batch);

        assertThat(world.target.messages(email("alice"), "INBOX")).extracting(m -> m.internalDate())
                .containsExactly(t.plus(java.time.Duration.ofDays(3)), t.plus(java.time.Duration.ofDays(4)),
                        t.plus(java.time.Duration.ofDays(5)), t.plus(java.time.Duration.ofDays(6)),
                        t.plus(java.time.Duration.ofDays(7)));
        MigrationUserStatistics s = user(batch, "alice").statistics();
        assertThat(s.syncedItemCount()).isEqualTo(5);
        assertThat(s.filteredItemCount()).isEqualTo(5);
        assertThat(s.skippedItemCount()).isZero();
        assertThat(s.percentageComplete()).isEqualTo(100);

        batch.syncNow();
        awaitSettled(batch);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(5);
        assertThat(user(batch, "alice").statistics().filteredItemCount()).as("not looked at again").isEqualTo(5);
    }

    // ------------------------------------------------------------------ events

    @Test
    void foldersReportTheirProgressChunkByChunk() throws Exception {
        Recorder recorder = new Recorder();
        MigrationBatch batch = batch(world.service(recorder), seeded("alice", 7));
        batch.start();
        awaitSettled(batch);
        recorder.await(e -> e instanceof MigrationEvent.FolderSynced);

        List<Long> copied = recorder.events.stream().filter(e -> e instanceof MigrationEvent.FolderProgress)
                .map(e -> ((MigrationEvent.FolderProgress) e).copied()).toList();
        // pages of 5 listed messages, chunks of 3 within a page
        assertThat(copied).containsExactly(3L, 5L, 7L);
        assertThat(recorder.events).filteredOn(e -> e instanceof MigrationEvent.FolderProgress).allSatisfy(e -> {
            MigrationEvent.FolderProgress p = (MigrationEvent.FolderProgress) e;
            assertThat(p.messagesInFolder()).isEqualTo(7);
            assertThat(p.sourceFolder()).isEqualTo("INBOX");
            assertThat(p.droppable()).isTrue();
        });
    }

    /** Records events; lets a test wait for one. */
    static final class Recorder implements MigrationListener {
        final List<MigrationEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onEvent(MigrationEvent event) {
            events.add(event);
        }

        void await(java.util.function.Predicate<MigrationEvent> condition) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (events.stream().noneMatch(condition)) {
                assertThat(System.nanoTime()).as("event delivered").isLessThan(deadline);
                Thread.sleep(5); // polling the recorder, not a migration state
            }
        }

        List<String> userTransitions(String emailAddress) {
            return events.stream().filter(e -> e instanceof MigrationEvent.UserStatusChanged)
                    .map(e -> (MigrationEvent.UserStatusChanged) e)
                    .filter(e -> e.user().emailAddress().equals(emailAddress))
                    .map(e -> e.previous() + "->" + e.user().status()).toList();
        }
    }
}
