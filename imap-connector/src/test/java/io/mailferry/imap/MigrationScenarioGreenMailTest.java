package io.mailferry.imap;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.ManualScheduler;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration service's scenarios over real IMAP, GreenMail to GreenMail, with a test clock:
 * AutoStart to Synced; new mail and the clock 24 h on, and the incremental pass copies exactly the
 * new mail; stop mid-copy and start again without duplicates; complete; a wrong password fails
 * that user only and start retries only that user; two batches share an endpoint's slots;
 * StartAfter in the future waits until the clock passes it.
 */
class MigrationScenarioGreenMailTest {

    private static final Instant T0 = Instant.parse("2024-06-03T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static GreenMailImap source;
    private static GreenMailImap target;

    private ManualScheduler time;
    private InstrumentedImapProvider imap;
    private MigrationService service;

    @BeforeAll
    static void startServers() {
        source = GreenMailImap.start();
        target = GreenMailImap.start();
    }

    @AfterAll
    static void stopServers() {
        source.close();
        target.close();
    }

    @BeforeEach
    void setUp() {
        time = new ManualScheduler(T0);
        imap = new InstrumentedImapProvider();
        service = MigrationService.builder()
                .store(new InMemoryMigrationStore())
                .connectors(Connectors.of(List.of(imap)))
                .clock(time.clock())
                .scheduler(time)
                .build();
    }

    @AfterEach
    void tearDown() {
        imap.releaseFetches();
        service.close();
    }

    // ------------------------------------------------------------------ fixtures

    /** A user on both servers, with {@code messages} messages in the source INBOX. */
    private record User(MigrationUserEntry entry, Credentials src, Credentials dst) {
        String login() {
            return src.username();
        }
    }

    private User user(String prefix, int messages) {
        Credentials src = source.newUser(prefix);
        Credentials dst = target.newUser(prefix);
        deliver(src, messages, prefix + " message ");
        MigrationUserEntry entry = new MigrationUserEntry(dst.username() + "@example.test", src.username(), src.password(),
                dst.username(), dst.password(), null);
        return new User(entry, src, dst);
    }

    private static void deliver(Credentials user, int n, String subjectPrefix) {
        if (n == 0) {
            return;
        }
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(TestMessages.request(TestMessages.simple(subjectPrefix + i + " " + System.nanoTime()),
                    i % 2 == 0 ? MessageFlags.of(MessageFlags.SEEN) : MessageFlags.NONE,
                    Instant.parse("2023-01-01T00:00:00Z").plusSeconds(i)));
        }
        try (TargetMailbox box = source.openTarget(user)) {
            box.append("INBOX", requests);
        }
    }

    private MigrationEndpoint sourceEndpoint(int maxConcurrent) {
        return source.endpoint("greenmail-source").maxConcurrentMigrations(maxConcurrent)
                .maxConcurrentIncrementalSyncs(Math.min(20, maxConcurrent)).build();
    }

    private MigrationEndpoint targetEndpoint() {
        return target.endpoint("greenmail-target").build();
    }

    /** Sorted SHA-256 of every message of a folder. */
    private static List<String> digests(GreenMailImap server, Credentials user, String folder) {
        List<String> out = new ArrayList<>();
        try (SourceMailbox box = server.openSource(user)) {
            box.selectFolder(folder);
            List<MessageInfo> all = box.listMessages(folder, 0, Integer.MAX_VALUE);
            box.fetchMessages(folder, all, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws IOException {
                    out.add(TestMessages.sha256(content.readAllBytes()));
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    out.add("unreadable " + reason);
                }
            });
        }
        out.sort(null);
        return out;
    }

    private static void assertMirrored(User u) {
        assertThat(digests(target, u.dst(), "INBOX")).as("target INBOX of %s", u.login())
                .containsExactlyElementsOf(digests(source, u.src(), "INBOX"));
    }

    private static void awaitSettled(MigrationBatch batch) throws InterruptedException {
        assertThat(batch.awaitStatus(TIMEOUT, BatchStatus::isSettled))
                .as("batch %s settles; it is %s: %s", batch.name(), batch.status(), batch.users()).isTrue();
    }

    private static MigrationUser snapshot(MigrationBatch batch, User u) {
        return batch.user(u.entry().emailAddress()).orElseThrow();
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void autoStartSyncsThenTheIncrementalPassAfter24HoursCopiesExactlyTheNewMail() throws Exception {
        User alice = user("alice", 12);
        User bob = user("bob", 5);
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(sourceEndpoint(10))
                .targetEndpoint(targetEndpoint()).users(List.of(alice.entry(), bob.entry())).autoStart(true).create();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertMirrored(alice);
        assertMirrored(bob);
        List<String> before = digests(target, alice.dst(), "INBOX");

        deliver(alice.src(), 3, "arrived later ");
        time.advance(Duration.ofHours(23));
        assertThat(imap.sourceOpens(alice.login())).as("nothing before the interval").isEqualTo(1);
        time.advance(Duration.ofHours(1));
        assertThat(batch.awaitUsers(TIMEOUT, us -> us.stream().allMatch(u -> u.statistics().lastSuccessfulSyncTime()
                .equals(T0.plus(Duration.ofHours(24)))))).isTrue();
        awaitSettled(batch);

        List<String> after = digests(target, alice.dst(), "INBOX");
        assertThat(after).hasSize(15);
        List<String> added = new ArrayList<>(after);
        before.forEach(added::remove);
        List<String> newAtSource = new ArrayList<>(digests(source, alice.src(), "INBOX"));
        before.forEach(newAtSource::remove);
        assertThat(added).as("exactly the new mail").containsExactlyInAnyOrderElementsOf(newAtSource).hasSize(3);
        assertThat(snapshot(batch, alice).statistics().syncedItemCount()).isEqualTo(15);
        assertThat(snapshot(batch, bob).statistics().syncedItemCount()).isEqualTo(5);
        assertMirrored(bob);
    }

    @Test
    void stopMidCopyThenStartResumesWithoutDuplicates() throws Exception {
        User alice = user("alice", 230); // chunks of 100
        imap.holdFetchesAfter(alice.login(), 1); // chunk 1 is copied; the fetch of chunk 2 waits
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(sourceEndpoint(10))
                .targetEndpoint(targetEndpoint()).user(alice.entry()).create();
        batch.start();
        assertThat(imap.awaitHeldFetch(TIMEOUT)).isTrue();

        batch.stop();
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPING);
        imap.releaseFetches();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPED);
        assertThat(snapshot(batch, alice).status()).isEqualTo(MigrationUserStatus.STOPPED);
        int copied = digests(target, alice.dst(), "INBOX").size();
        assertThat(copied).isEqualTo(200);
        assertThat(imap.openSessions()).as("connections closed").isZero();

        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertMirrored(alice);
        assertThat(snapshot(batch, alice).statistics().syncedItemCount()).isEqualTo(230);
    }

    @Test
    void completeRunsAFinalPassAndCompletesTheBatch() throws Exception {
        User alice = user("alice", 4);
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(sourceEndpoint(10))
                .targetEndpoint(targetEndpoint()).user(alice.entry()).autoStart(true).create();
        awaitSettled(batch);
        deliver(alice.src(), 2, "before cut-over ");

        batch.complete();
        assertThat(batch.awaitStatus(TIMEOUT, s -> s == BatchStatus.COMPLETED)).isTrue();

        assertThat(snapshot(batch, alice).status()).isEqualTo(MigrationUserStatus.COMPLETED);
        assertMirrored(alice);
        assertThat(batch.statistics().finalizedCount()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordFailsThatUserWhileTheOthersFinishAndStartRetriesOnlyThatUser() throws Exception {
        User alice = user("alice", 3);
        User bob = user("bob", 2);
        MigrationUserEntry wrongBob = new MigrationUserEntry(bob.entry().emailAddress(), bob.login(), "Wr0ng-pw",
                bob.dst().username(), bob.dst().password(), null);
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(sourceEndpoint(10))
                .targetEndpoint(targetEndpoint()).users(List.of(alice.entry(), wrongBob)).create();
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        assertThat(snapshot(batch, alice).status()).isEqualTo(MigrationUserStatus.SYNCED);
        MigrationUser failed = snapshot(batch, bob);
        assertThat(failed.status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(failed.error()).contains(bob.login()).contains("fail").doesNotContain("Wr0ng-pw");
        assertMirrored(alice);

        batch.addUsers(List.of(bob.entry()));
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertMirrored(bob);
        assertThat(imap.sourceOpens(alice.login())).as("alice is not run again").isEqualTo(1);
        assertThat(imap.sourceOpens(bob.login())).as("the failed login opened no session").isEqualTo(1);
    }

    @Test
    void twoBatchesShareTheSourceEndpointsSlotPool() throws Exception {
        List<User> first = List.of(user("a", 3), user("b", 3));
        List<User> second = List.of(user("c", 3), user("d", 3));
        MigrationEndpoint shared = sourceEndpoint(1);
        MigrationBatch one = service.newBatch("wave-1").sourceEndpoint(shared).targetEndpoint(targetEndpoint())
                .users(first.stream().map(User::entry).toList()).create();
        MigrationBatch two = service.newBatch("wave-2").sourceEndpoint("greenmail-source")
                .targetEndpoint("greenmail-target").users(second.stream().map(User::entry).toList()).create();
        one.start();
        two.start();
        awaitSettled(one);
        awaitSettled(two);

        assertThat(one.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(two.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(imap.peakSourceSessions()).as("one slot for both batches").isEqualTo(1);
        for (User u : List.of(first.get(0), first.get(1), second.get(0), second.get(1))) {
            assertMirrored(u);
        }
    }

    @Test
    void aStartAfterInTheFutureWaitsUntilTheClockPassesIt() throws Exception {
        User alice = user("alice", 2);
        MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(sourceEndpoint(10))
                .targetEndpoint(targetEndpoint()).user(alice.entry()).startAfter(T0.plus(Duration.ofDays(2)))
                .autoStart(true).create();

        assertThat(batch.status()).isEqualTo(BatchStatus.WAITING);
        time.advance(Duration.ofDays(1));
        assertThat(batch.status()).isEqualTo(BatchStatus.WAITING);
        assertThat(imap.sourceOpens(alice.login())).isZero();
        assertThat(digests(target, alice.dst(), "INBOX")).isEmpty();

        time.advance(Duration.ofDays(1));
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertMirrored(alice);
    }

    @Test
    void theConnectionTestOfANewEndpointRunsOverImap() {
        MigrationEndpoint ep = source.endpoint("tested").build();
        assertThat(service.newEndpoint(ep)).isEqualTo(ep);
        assertThat(service.testServerAvailability("tested").capabilities()).contains("IMAP4rev1");
        assertThat(service.testServerAvailability(ep).reachable()).isTrue();
    }
}
