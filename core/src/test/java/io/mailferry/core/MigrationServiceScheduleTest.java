package io.mailferry.core;

import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import io.mailferry.core.store.InMemoryMigrationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mailferry.core.MigrationWorld.TIMEOUT;
import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything timed, on a {@link ManualScheduler}: StartAfter, the incremental interval,
 * CompleteAfter, AutoComplete, a user's own StartAfter and CompleteAfter, the report interval and
 * the duration statistics. No test sleeps: time moves when the test says so.
 */
class MigrationServiceScheduleTest {

    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");
    private static final Map<String, String> INBOX = Map.of("INBOX", "INBOX");

    @TempDir
    Path spool;

    private MigrationWorld world;
    private ManualScheduler time;

    @BeforeEach
    void setUp() {
        time = new ManualScheduler(T0);
        world = new MigrationWorld(spool, new InMemoryMigrationStore(), time);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private MigrationBatchBuilder newBatch(MigrationService service, MigrationUserEntry... users) {
        return service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(users));
    }

    private MigrationUserEntry seeded(String login, int messages) {
        MigrationUserEntry e = world.user(login);
        world.seedInbox(login, messages);
        return e;
    }

    @Test
    void aBatchWhoseStartAfterIsInTheFutureWaitsUntilTheClockPassesIt() throws Exception {
        MigrationUserEntry alice = seeded("alice", 3);
        MigrationBatch batch = newBatch(world.service(), alice).startAfter(T0.plus(Duration.ofHours(2)))
                .autoStart(true).create();

        assertThat(batch.status()).isEqualTo(BatchStatus.WAITING);
        assertThat(batch.statistics().startTime()).isEqualTo(T0);
        time.advance(Duration.ofMinutes(119));
        assertThat(batch.status()).isEqualTo(BatchStatus.WAITING);
        assertThat(world.source.sessionsOpened("alice")).isZero();

        time.advance(Duration.ofMinutes(1));
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
        assertThat(batch.statistics().initialSyncTime()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void aWaitingBatchFollowsAStartAfterMovedBySet() throws Exception {
        MigrationService service = world.service();
        MigrationBatch batch = newBatch(service, seeded("alice", 1))
                .startAfter(T0.plus(Duration.ofHours(5))).create();
        batch.start();
        assertThat(batch.status()).isEqualTo(BatchStatus.WAITING);

        batch.set(b -> b.startAfter(T0.plus(Duration.ofHours(1))));
        time.advance(Duration.ofHours(1));
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);

        MigrationBatch other = service.newBatch("wave-2").sourceEndpoint("old").targetEndpoint("new")
                .user(seeded("bob", 1)).startAfter(T0.plus(Duration.ofHours(9))).create();
        other.start();
        other.set(b -> b.startAfter(null));
        awaitSettled(other);
        assertThat(other.status()).isEqualTo(BatchStatus.SYNCED);
    }

    @Test
    void everyIncrementalIntervalAPassCopiesExactlyTheNewMail() throws Exception {
        MigrationUserEntry alice = seeded("alice", 5);
        MigrationBatch batch = newBatch(world.service(), alice).create();
        batch.start();
        awaitSettled(batch);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(5);
        world.source.deliver("alice", "INBOX", TestMessages.plain("new 1", "x"));
        world.source.deliver("alice", "INBOX", TestMessages.plain("new 2", "y"));
        int sessions = world.source.sessionsOpened("alice");

        time.advance(Duration.ofHours(23));
        assertThat(world.source.sessionsOpened("alice")).as("no pass before 24 h").isEqualTo(sessions);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(5);

        time.advance(Duration.ofHours(1));
        awaitIncrementalPass(batch, sessions + 1);

        assertThat(world.source.sessionsOpened("alice")).isEqualTo(sessions + 1);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(7);
        world.assertMirrored("alice", INBOX);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(7);
        assertThat(user(batch, "alice").statistics().lastSuccessfulSyncTime()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(batch.statistics().lastSyncedTime()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(time.pendingTaskTimes()).contains(T0.plus(Duration.ofHours(48)));
    }

    private void awaitIncrementalPass(MigrationBatch batch, int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (world.source.sessionsOpened("alice") < sessions && System.nanoTime() < deadline) {
            batch.awaitStatus(Duration.ofMillis(20), s -> s == BatchStatus.INCREMENTAL_SYNCING);
        }
        awaitSettled(batch);
    }

    @Test
    void theIncrementalIntervalIsAnOptionAndAllowIncrementalSyncsOffStopsTheBatchAfterInitialSync()
            throws Exception {
        MigrationService service = world.service();
        MigrationBatch hourly = newBatch(service, seeded("alice", 1))
                .incrementalSyncInterval(Duration.ofHours(1)).create();
        hourly.start();
        awaitSettled(hourly);
        assertThat(time.pendingTaskTimes()).contains(T0.plus(Duration.ofHours(1)));

        MigrationBatch once = service.newBatch("wave-2").sourceEndpoint("old").targetEndpoint("new")
                .user(seeded("bob", 2)).allowIncrementalSyncs(false).create();
        once.start();
        awaitSettled(once);

        assertThat(once.status()).isEqualTo(BatchStatus.STOPPED);
        assertThat(user(once, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("bob", INBOX);
        int sessions = world.source.sessionsOpened("bob");
        time.advance(Duration.ofDays(3));
        assertThat(world.source.sessionsOpened("bob")).isEqualTo(sessions);
        assertThat(once.status()).isEqualTo(BatchStatus.STOPPED);
    }

    @Test
    void aSyncedBatchCompletesByItselfWhenTheClockPassesCompleteAfter() throws Exception {
        MigrationBatch batch = newBatch(world.service(), seeded("alice", 2))
                .completeAfter(T0.plus(Duration.ofHours(6))).autoStart(true).create();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.source.deliver("alice", "INBOX", TestMessages.plain("just before completion", "x"));

        time.advance(Duration.ofHours(6));
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.COMPLETED);
        world.assertMirrored("alice", INBOX);
        assertThat(batch.statistics().completedTime()).isEqualTo(T0.plus(Duration.ofHours(6)));
        assertThat(batch.statistics().finalizedCount()).isEqualTo(1);
    }

    @Test
    void aCompleteAfterAlreadyPastCompletesAsSoonAsTheBatchIsSynced() throws Exception {
        MigrationBatch batch = newBatch(world.service(), seeded("alice", 2)).completeAfter(T0.minusSeconds(1))
                .create();
        batch.start();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();
        world.assertMirrored("alice", INBOX);
    }

    @Test
    void autoCompleteCompletesEachUserAfterItsInitialSyncAndThenTheBatch() throws Exception {
        Recorder recorder = new Recorder();
        MigrationBatch batch = newBatch(world.service(recorder), seeded("alice", 2), seeded("bob", 3))
                .autoComplete(true).create();
        batch.start();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();

        assertThat(batch.users()).extracting(MigrationUser::status).containsOnly(MigrationUserStatus.COMPLETED);
        recorder.awaitBatch(BatchStatus.COMPLETED);
        assertThat(recorder.userTransitions(email("alice"))).containsExactly("Queued->Syncing", "Syncing->Synced",
                "Synced->Completing", "Completing->CompletionSynced", "CompletionSynced->Completed");
    }

    @Test
    void aUsersOwnStartAfterHoldsOnlyThatUser() throws Exception {
        MigrationUserEntry bob = seeded("bob", 2).withOverrides(UserOverrides.NONE.withStartAfter(T0.plus(Duration.ofHours(3))));
        MigrationBatch batch = newBatch(world.service(), seeded("alice", 2), bob).create();
        batch.start();
        assertThat(batch.awaitUsers(TIMEOUT, us -> us.get(0).status() == MigrationUserStatus.SYNCED)).isTrue();

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCING);
        MigrationUser waiting = user(batch, "bob");
        assertThat(waiting.status()).isEqualTo(MigrationUserStatus.QUEUED);
        assertThat(waiting.statusDetail()).contains("StartAfter").contains("2024-03-01T11:00:00Z");
        assertThat(waiting.overrides().startAfter()).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(batch.statistics().pendingCount()).isEqualTo(1);

        batch.setUser(email("bob"), o -> o.withStartAfter(T0.plus(Duration.ofHours(1))));
        time.advance(Duration.ofHours(1));
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("bob", INBOX);
        assertThat(user(batch, "bob").statistics().totalQueuedDuration()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aUsersOwnCompleteAfterCompletesThatUserAlone() throws Exception {
        MigrationBatch batch = newBatch(world.service(), seeded("alice", 1), seeded("bob", 1)).create();
        batch.start();
        awaitSettled(batch);
        batch.setUser(email("bob"), o -> o.withCompleteAfter(T0.plus(Duration.ofHours(2))));

        time.advance(Duration.ofHours(2));
        assertThat(batch.awaitUsers(TIMEOUT, us -> us.get(1).status() == MigrationUserStatus.COMPLETED)).isTrue();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);

        batch.complete();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();
    }

    @Test
    void reportsFallDueEveryReportIntervalUntilTheBatchIsCompleted() throws Exception {
        Recorder recorder = new Recorder();
        MigrationService service = world.service(recorder);
        MigrationBatch batch = newBatch(service, seeded("alice", 1))
                .notificationEmails(List.of("admin@example.org")).reportInterval(Duration.ofHours(12)).create();
        MigrationBatch silent = service.newBatch("quiet").sourceEndpoint("old").targetEndpoint("new")
                .reportInterval(Duration.ZERO).create();
        batch.start();
        awaitSettled(batch);

        time.advance(Duration.ofHours(12));
        time.advance(Duration.ofHours(12));
        recorder.awaitEvents(2, MigrationEvent.ReportDue.class);

        List<MigrationEvent.ReportDue> reports = recorder.of(MigrationEvent.ReportDue.class);
        assertThat(reports).extracting(MigrationEvent.ReportDue::time)
                .startsWith(T0.plus(Duration.ofHours(12)), T0.plus(Duration.ofHours(24)));
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.batchName()).isEqualTo("wave-1");
            assertThat(r.notificationEmails()).containsExactly("admin@example.org");
            assertThat(r.users()).extracting(MigrationUser::emailAddress).containsExactly(email("alice"));
        });
        assertThat(reports.get(0).statistics().syncedCount()).isEqualTo(1);
        assertThat(silent.status()).isEqualTo(BatchStatus.CREATED);

        awaitSettled(batch); // the incremental pass that fell due at 24 h too
        batch.complete();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();
        int before = recorder.of(MigrationEvent.ReportDue.class).size();
        time.advance(Duration.ofDays(2));
        assertThat(time.pendingTaskTimes()).isEmpty();
        recorder.awaitBatch(BatchStatus.COMPLETED);
        assertThat(recorder.of(MigrationEvent.ReportDue.class)).hasSize(before);
    }

    @Test
    void durationsCountQueuedInProgressSyncedAndStalledTimeOnTheServicesClock() throws Exception {
        MigrationUserEntry alice = seeded("alice", 2);
        MigrationUserEntry bob = seeded("bob", 2);
        OperationGate gate = OperationGate.closed();
        world.source.gate(gate, Operation.LIST_MESSAGES);
        MigrationBatch batch = world.service().newBatch("wave-1")
                .sourceEndpoint(world.sourceEndpoint(b -> b.maxConcurrentMigrations(1)))
                .targetEndpoint(world.targetEndpoint()).users(List.of(alice, bob)).create();
        batch.start();
        assertThat(gate.awaitWaiting(1, TIMEOUT)).isTrue();

        time.advance(Duration.ofMinutes(30)); // alice copies, bob waits for the slot
        gate.open();
        awaitSettled(batch);
        time.advance(Duration.ofHours(2)); // both synced

        MigrationUserStatistics a = user(batch, "alice").statistics();
        MigrationUserStatistics b = user(batch, "bob").statistics();
        assertThat(a.totalQueuedDuration()).isZero();
        assertThat(a.totalInProgressDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(a.totalSyncedDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(b.totalQueuedDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.totalInProgressDuration()).isZero();
        assertThat(b.totalSyncedDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(a.totalStalledDuration()).isZero();
        assertThat(a.percentageComplete()).isEqualTo(100);
        assertThat(world.store.users("wave-1").get(0).statistics().totalSyncedDuration())
                .as("persisted up to the last save").isLessThanOrEqualTo(Duration.ofHours(2));
    }

    /** Records events; lets a test wait for them. */
    static final class Recorder implements MigrationListener {
        final List<MigrationEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(MigrationEvent event) {
            events.add(event);
        }

        <T extends MigrationEvent> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        void awaitEvents(int n, Class<? extends MigrationEvent> type) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (of(type).size() < n) {
                assertThat(System.nanoTime()).as("%d %s events", n, type.getSimpleName()).isLessThan(deadline);
                Thread.sleep(5); // polling the recorder, not waiting for a migration state
            }
        }

        void awaitBatch(BatchStatus status) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (of(MigrationEvent.BatchStatusChanged.class).stream().noneMatch(e -> e.current() == status)) {
                assertThat(System.nanoTime()).as("event for %s", status).isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        List<String> userTransitions(String emailAddress) {
            return of(MigrationEvent.UserStatusChanged.class).stream()
                    .filter(e -> e.user().emailAddress().equals(emailAddress))
                    .map(e -> e.previous() + "->" + e.user().status()).toList();
        }
    }
}
