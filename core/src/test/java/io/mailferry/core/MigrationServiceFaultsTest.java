package io.mailferry.core;

import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.password;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/** How a migration deals with failures: wrong passwords, refused and broken messages, lost connections. */
class MigrationServiceFaultsTest {

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

    private MigrationBatch batch(MigrationService service, UnaryOperator<MigrationBatchBuilder> options,
                                 MigrationUserEntry... users) {
        return options.apply(service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(users))).create();
    }

    private static byte[] withHeader(String header, byte[] message) {
        byte[] h = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(h, h.length + message.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    // ------------------------------------------------------------------ credentials

    @Test
    void aWrongPasswordFailsOnlyThatUserWithAClearErrorAndStartRetriesOnlyThatUser() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.user("bob");
        MigrationUserEntry carol = world.user("carol");
        for (String login : List.of("alice", "bob", "carol")) {
            world.seedInbox(login, 4);
        }
        MigrationUserEntry bobWrong = MigrationUserEntry.of(email("bob"), "bob", "wrong-secret");
        MigrationBatch batch = batch(world.service(), b -> b, alice, bobWrong, carol);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        MigrationUser bob = user(batch, "bob");
        assertThat(bob.status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(bob.error()).contains("Authentication failed").contains("bob")
                .doesNotContain("wrong-secret", password("bob"));
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "carol").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(world.source.loginFailures()).as("no retry after a refused login").isEqualTo(1);
        assertThat(batch.statistics().failedCount()).isEqualTo(1);
        assertThat(batch.statistics().syncedCount()).isEqualTo(2);
        assertThat(world.target.messages(email("bob"), "INBOX")).isEmpty();

        assertThat(batch.addUsers(List.of(MigrationUserEntry.of(email("bob"), "bob", password("bob"))))).isEmpty();
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "bob").error()).isNull();
        world.assertMirrored("bob", INBOX);
        assertThat(world.source.sessionsOpened("alice")).as("alice not run again").isEqualTo(1);
        assertThat(world.source.sessionsOpened("carol")).as("carol not run again").isEqualTo(1);
        assertThat(world.source.sessionsOpened("bob")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ bad items

    @Test
    void aMessageTheTargetRefusesIsSkippedWithTheServersReasonAndFailsTheUserUnderBadItemLimitZero() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        List<Long> uids = world.seedInbox("alice", 2);
        byte[] infected = withHeader("X-Virus: EICAR", TestMessages.plain("Infected", "x"));
        long infectedUid = world.source.append("alice", "INBOX", infected, io.mailferry.core.spi.MessageFlags.NONE, null);
        world.seedInbox("alice", 1);
        world.target.refuseAppends(raw -> contains(raw, "X-Virus"), "NO [CANNOT] Message rejected: virus found");
        MigrationBatch batch = batch(world.service(), b -> b.badItemLimit(ItemLimit.ZERO), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        MigrationUser u = user(batch, "alice");
        assertThat(u.status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(u.error()).contains("BadItemLimit").contains("1 item");
        assertThat(u.statistics().skippedItemCount()).isEqualTo(1);
        assertThat(u.statistics().syncedItemCount()).isEqualTo(3);
        assertThat(batch.skippedItems(email("alice"))).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(SkippedItemKind.REFUSED_BY_TARGET);
            assertThat(item.reason()).contains("NO [CANNOT] Message rejected: virus found");
            assertThat(item.folder()).isEqualTo("INBOX");
            assertThat(item.sourceUid()).isEqualTo(infectedUid);
            assertThat(item.subject()).isEqualTo("Infected");
            assertThat(item.size()).isEqualTo(infected.length);
            assertThat(item.emailAddress()).isEqualTo(email("alice"));
        });
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(uids.size() + 1)
                .noneMatch(m -> contains(m.raw(), "X-Virus"));
    }

    @Test
    void aMessageTheTargetRefusesIsSkippedOnceAndTheUserSyncsUnderAnUnlimitedBadItemLimit() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 2);
        world.source.append("alice", "INBOX", withHeader("X-Virus: EICAR", TestMessages.plain("Infected", "x")),
                io.mailferry.core.spi.MessageFlags.NONE, null);
        world.target.refuseAppends(raw -> contains(raw, "X-Virus"), "NO [CANNOT] Message rejected: virus found");
        List<MigrationEvent.ItemSkipped> events = new CopyOnWriteArrayList<>();
        CountDownLatch skippedEvent = new CountDownLatch(1);
        MigrationService service = world.service(new MigrationListener() {
            @Override
            public void onItemSkipped(MigrationEvent.ItemSkipped event) {
                events.add(event);
                skippedEvent.countDown();
            }
        });
        MigrationBatch batch = batch(service, b -> b.badItemLimit(ItemLimit.UNLIMITED), alice);

        batch.start();
        awaitSettled(batch);
        long appends = world.target.operations(Operation.APPEND);
        batch.syncNow();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.skippedItems(email("alice"))).hasSize(1);
        assertThat(user(batch, "alice").statistics().skippedItemCount()).isEqualTo(1);
        assertThat(world.target.operations(Operation.APPEND)).as("not retried by the next pass").isEqualTo(appends);
        assertThat(skippedEvent.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.batchName()).isEqualTo("wave-1");
            assertThat(e.item().kind()).isEqualTo(SkippedItemKind.REFUSED_BY_TARGET);
        });
    }

    @Test
    void aSourceMessageThatCannotBeFetchedIsSkippedAsCorruptAndTheOthersAreCopied() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        List<Long> uids = world.seedInbox("alice", 5);
        world.source.makeUnfetchable("alice", "INBOX", uids.get(2), "NO [UNAVAILABLE] Message body is corrupt");
        MigrationBatch batch = batch(world.service(), b -> b.badItemLimit(ItemLimit.of(1)), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.skippedItems(email("alice"))).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(SkippedItemKind.CORRUPT);
            assertThat(item.reason()).contains("Message body is corrupt");
            assertThat(item.sourceUid()).isEqualTo(uids.get(2));
        });
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(4);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(4);
    }

    @Test
    void aMessageOverTheMaximumSizeIsALargeItemThatCountsOnlyAgainstLargeItemLimit() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 2);
        long bigUid = world.source.append("alice", "INBOX", TestMessages.ofSize("Too big", 8000),
                io.mailferry.core.spi.MessageFlags.NONE, null);
        MigrationBatch batch = batch(world.service(),
                b -> b.maxMessageSize(5000).largeItemLimit(ItemLimit.UNLIMITED).badItemLimit(ItemLimit.ZERO), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.skippedItems(email("alice"))).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(SkippedItemKind.LARGE_ITEM);
            assertThat(item.kind().isLarge()).isTrue();
            assertThat(item.reason()).contains("8000").contains("5000");
            assertThat(item.sourceUid()).isEqualTo(bigUid);
            assertThat(item.size()).isEqualTo(8000);
        });
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(2);
        assertThat(world.source.operations(Operation.FETCH_MESSAGE)).as("the large message is not even fetched").isEqualTo(2);
    }

    @Test
    void aMessageOverTheMaximumSizeFailsTheUserUnderLargeItemLimitZero() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 1);
        world.source.append("alice", "INBOX", TestMessages.ofSize("Too big", 8000), io.mailferry.core.spi.MessageFlags.NONE, null);
        MigrationBatch batch = batch(world.service(), b -> b.maxMessageSize(5000), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "alice").error()).contains("LargeItemLimit");
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
    }

    // ------------------------------------------------------------------ connections

    @Test
    void aSourceConnectionDroppedMidCopyIsReopenedAndTheCopyFinishesWithoutDuplicates() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 20);
        // LIST_FOLDERS, SELECT, LIST_MESSAGES, 3 fetches (chunk 1), 1 fetch of chunk 2, then the drop
        world.source.dropConnectionAfter("alice", 7);
        MigrationBatch batch = batch(world.service(), b -> b, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
        assertThat(world.source.sessionsOpened("alice")).isEqualTo(2);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(20);
        assertThat(world.source.openSessions()).isZero();
        assertThat(world.target.openSessions()).isZero();
    }

    @Test
    void aTargetConnectionDroppedBeforeAnAppendIsReopenedAndTheCopyFinishesWithoutDuplicates() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 20);
        // LIST_FOLDERS, SELECT, 2 appends, then the third append fails
        world.target.dropConnectionAfter(email("alice"), 4);
        MigrationBatch batch = batch(world.service(), b -> b, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
        assertThat(world.target.sessionsOpened(email("alice"))).isEqualTo(2);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(20);
    }

    @Test
    void anUnreachableServerIsRetriedThenTheUserFailsAndAStartRetriesIt() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 3);
        world.source.reachable(false);
        MigrationBatch batch = batch(world.service(), b -> b, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "alice").error()).contains("old.test").contains("refused");
        assertThat(world.source.connectionsRefused()).as("first attempt and three retries").isEqualTo(4);
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);

        world.source.reachable(true);
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", INBOX);
    }
}
