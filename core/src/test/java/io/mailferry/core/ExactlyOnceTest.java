package io.mailferry.core;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message is copied twice and none is lost, whatever happened before a pass: an append whose
 * checkpoint never made it to the store, a lost store, a source folder rebuilt with a new
 * UIDVALIDITY, a target that already holds some of the mail; with duplicates on the source,
 * messages without Message-ID and different messages sharing one.
 */
class ExactlyOnceTest {

    private static final Instant T = Instant.parse("2023-03-04T05:06:07Z");

    @TempDir
    Path spool;

    private MigrationWorld world;
    private final List<MigrationService> services = new ArrayList<>();

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
    }

    @AfterEach
    void tearDown() {
        services.forEach(MigrationService::close);
        world.close();
    }

    /** A service like {@link MigrationWorld#service} on a store of the test's choosing. */
    private MigrationService service(MigrationStore store) {
        MigrationService s = MigrationService.builder()
                .store(store)
                .connectors(Connectors.of(List.of(world.memory)))
                .engineSetting("mailferry.retryDelaysMs", "1,1,1")
                .engineSetting("mailferry.listPageSize", "5")
                .engineSetting("mailferry.chunkMaxMessages", "3")
                .engineSetting("mailferry.memoryThreshold", "4096")
                .engineSetting("mailferry.spoolDir", spool.toString())
                .build();
        services.add(s);
        return s;
    }

    private MigrationBatch batch(MigrationService service, String name, MigrationUserEntry... users) {
        return service.newBatch(name).sourceEndpoint(world.sourceEndpoint()).targetEndpoint(world.targetEndpoint())
                .users(List.of(users)).badItemLimit(ItemLimit.UNLIMITED).create();
    }

    /** A store whose n-th checkpoint that records copies fails, as a crash between APPEND and checkpoint would lose it. */
    static final class CheckpointLosingStore extends InMemoryMigrationStore {
        final AtomicInteger copiesCheckpointsUntilFailure = new AtomicInteger(-1);
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public synchronized void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint,
                                                      List<io.mailferry.core.SkippedItem> skippedItems) {
            if (!checkpoint.addedPairs().isEmpty() && copiesCheckpointsUntilFailure.decrementAndGet() == 0) {
                failures.incrementAndGet();
                throw new MigrationException("injected: the store went away after the append");
            }
            super.saveFolderCheckpoint(batchName, checkpoint, skippedItems);
        }
    }

    /** Source and target folders hold the same multiset of messages (bytes and flags). */
    private void assertSameMessages(String login, String sourceFolder, String targetFolder) {
        assertThat(multiset(world.target.messages(email(login), targetFolder)))
                .as("%s: %s -> %s", login, sourceFolder, targetFolder)
                .containsExactlyInAnyOrderElementsOf(multiset(world.source.messages(login, sourceFolder)));
    }

    private static List<String> multiset(List<InMemoryMailServer.Message> messages) {
        return messages.stream().map(m -> TestMessages.sha256(m.raw()) + " " + m.flags()).toList();
    }

    private static byte[] message(String headers, String body) {
        return (headers.replace("\n", "\r\n") + "\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------------------
    // An append whose checkpoint was lost

    @Test
    void anAppendWhoseCheckpointWasLostIsFoundOnTheTargetAndNotCopiedAgain() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 20);
        CheckpointLosingStore store = new CheckpointLosingStore();
        store.copiesCheckpointsUntilFailure.set(3);
        MigrationService service = service(store);
        MigrationBatch batch = batch(service, "wave", alice);

        batch.start();
        awaitSettled(batch);
        assertThat(store.failures).hasValue(1);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        // Pages of 5, chunks of 3: [1, 2, 3] and [4, 5] checkpointed, [6, 7, 8] appended but not recorded.
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(8);
        FolderSyncState interrupted = store.folderState(UserRecord.mailboxKey(alice), "INBOX").orElseThrow();
        assertThat(interrupted.highestUid()).isEqualTo(5);
        assertThat(interrupted.inFlight()).isNotNull();
        assertThat(interrupted.inFlight().sourceUids()).containsExactly(6L, 7L, 8L);
        assertThat(interrupted.inFlight().targetUidNext()).isEqualTo(6);
        long appendedBefore = world.target.operations(Operation.APPEND);

        batch.start(); // retries the failed user: the pass resumes from the checkpoint
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertSameMessages("alice", "INBOX", "INBOX");
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(20);
        assertThat(world.target.operations(Operation.APPEND) - appendedBefore)
                .as("appends of the 12 left: [9, 10], [11, 12, 13], [14, 15], [16, 17, 18], [19, 20]").isEqualTo(5);
        FolderSyncState done = store.folderState(UserRecord.mailboxKey(alice), "INBOX").orElseThrow();
        assertThat(done.inFlight()).isNull();
        assertThat(done.uidMap().size()).isEqualTo(20);
        assertThat(done.uidMap().targetUid(8)).isEqualTo(8);
    }

    @Test
    void onlyTheMessagesOfAnInterruptedAppendThatDidNotArriveAreCopied() throws Exception {
        world.target.withCapabilities(ConnectorCapability.CONDSTORE, ConnectorCapability.SPECIAL_USE); // no UIDPLUS
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 3);
        byte[] twice = TestMessages.plain("twice", "identical bytes");
        world.source.append("alice", "INBOX", twice, MessageFlags.NONE, T);
        world.source.append("alice", "INBOX", twice, MessageFlags.NONE, T);
        world.source.append("alice", "INBOX", message("From: nobody@example.org\nSubject: no id", "same headers A"),
                MessageFlags.of("\\Seen"), T);
        world.source.append("alice", "INBOX", message("From: nobody@example.org\nSubject: no id", "same headers B"),
                MessageFlags.NONE, T);
        CheckpointLosingStore store = new CheckpointLosingStore();
        store.copiesCheckpointsUntilFailure.set(2); // the chunk [4, 5]: the identical pair
        MigrationBatch batch = batch(service(store), "wave", alice);

        batch.start();
        awaitSettled(batch);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(5);
        // One of the identical pair never arrived, as with a connection lost in the middle of the append.
        world.target.expunge(email("alice"), "INBOX", 5);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertSameMessages("alice", "INBOX", "INBOX");
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(7);
    }

    // ---------------------------------------------------------------------------------------------
    // No usable checkpoint

    @Test
    void aLostStoreCopiesNothingAgain() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch first = batch(service(new InMemoryMigrationStore()), "wave", alice);
        first.start();
        awaitSettled(first);
        world.assertMirrored("alice", MigrationWorld.TREE);
        long appends = world.target.operations(Operation.APPEND);
        long bodiesFetched = world.source.operations(Operation.FETCH_MESSAGE);

        MigrationBatch again = batch(service(new InMemoryMigrationStore()), "wave",
                MigrationUserEntry.of(email("alice"), "alice", MigrationWorld.password("alice")));
        again.start();
        awaitSettled(again);

        assertThat(again.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.operations(Operation.APPEND)).as("nothing appended").isEqualTo(appends);
        assertThat(user(again, "alice").statistics().syncedItemCount()).isZero();
        for (Map.Entry<String, String> e : MigrationWorld.TREE.entrySet()) {
            assertSameMessages("alice", e.getKey(), e.getValue());
        }
        // Only the messages headers cannot tell apart were read whole: the duplicates, and the
        // real messages without Message-ID (hashed on both sides).
        assertThat(world.source.operations(Operation.FETCH_MESSAGE) - bodiesFetched)
                .isLessThan(MigrationWorld.treeMessageCount() / 2);
    }

    @Test
    void aRebuiltSourceFolderCopiesOnlyWhatIsReallyNew() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(service(new InMemoryMigrationStore()), "wave", alice);
        batch.start();
        awaitSettled(batch);
        long appendsBefore = world.target.operations(Operation.APPEND);
        long copiedBefore = user(batch, "alice").statistics().syncedItemCount();

        long oldValidity = world.source.status("alice", "INBOX").uidValidity();
        long newValidity = world.source.rebuildFolder("alice", "INBOX");
        assertThat(newValidity).isNotEqualTo(oldValidity);
        world.source.append("alice", "INBOX", TestMessages.plain("new after the rebuild", "x"), MessageFlags.NONE, T);
        // A second copy of a message that is already there is new too.
        world.source.append("alice", "INBOX", world.source.messages("alice", "INBOX").get(0).raw(), MessageFlags.NONE, T);
        batch.syncNow();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "alice").statistics().syncedItemCount() - copiedBefore).isEqualTo(2);
        assertThat(world.target.operations(Operation.APPEND) - appendsBefore).isEqualTo(1);
        assertSameMessages("alice", "INBOX", "INBOX");
        world.assertMirrored("alice", Map.of("Projects/2024", "Projects.2024", "Real", "Real"));
    }

    @Test
    void aTargetThatAlreadyHoldsSomeOfTheMailGetsOnlyWhatIsMissing() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        byte[] a = TestMessages.plain("moved by hand", "a");
        byte[] b = TestMessages.plain("twice on the source, once on the target", "b");
        byte[] c = TestMessages.plain("only on the source", "c");
        byte[] sharedIdOne = message("Message-ID: <reused@example.org>\nFrom: x@example.org\nSubject: reused\n"
                + "Date: Mon, 1 Jan 2001 00:00:00 +0000", "first body");
        byte[] sharedIdTwo = message("Message-ID: <reused@example.org>\nFrom: x@example.org\nSubject: reused\n"
                + "Date: Mon, 1 Jan 2001 00:00:00 +0000", "other body");
        byte[] noIdOne = message("From: y@example.org\nSubject: no id", "body one");
        byte[] noIdTwo = message("From: y@example.org\nSubject: no id", "body two");
        byte[] noHeaders = "This is a simple message not having headers.\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte[] m : List.of(a, b, b, c, sharedIdOne, sharedIdTwo, noIdOne, noIdTwo, noHeaders)) {
            world.source.append("alice", "INBOX", m, MessageFlags.of("\\Seen"), T);
        }
        String mailbox = email("alice");
        byte[] unrelated = TestMessages.plain("already on the new server", "u");
        for (byte[] m : List.of(unrelated, a, b, sharedIdTwo, noIdOne, noHeaders)) {
            world.target.append(mailbox, "INBOX", m, MessageFlags.NONE, T);
        }
        MigrationBatch batch = batch(service(new InMemoryMigrationStore()), "wave", alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).as("b's second copy, c, sharedIdOne, noIdTwo")
                .isEqualTo(4);
        List<String> expected = new ArrayList<>(multiset(world.source.messages("alice", "INBOX")));
        expected.add(TestMessages.sha256(unrelated) + " " + MessageFlags.NONE);
        assertThat(multiset(world.target.messages(mailbox, "INBOX"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aSecondPassAfterFindingTheMailOnTheTargetReadsNoHeadersAgain() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 7);
        for (InMemoryMailServer.Message m : world.source.messages("alice", "INBOX")) {
            world.target.append(email("alice"), "INBOX", m.raw(), MessageFlags.NONE, T);
        }
        MigrationBatch batch = batch(service(new InMemoryMigrationStore()), "wave", alice);
        batch.start();
        awaitSettled(batch);
        assertThat(world.target.operations(Operation.APPEND)).isZero();
        assertSameMessages("alice", "INBOX", "INBOX"); // flags brought up to date in the same pass
        long headerFetches = world.source.operations(Operation.FETCH_HEADERS) + world.target.operations(Operation.FETCH_HEADERS);
        assertThat(headerFetches).isPositive();

        world.source.deliver("alice", "INBOX", TestMessages.plain("new", "n"));
        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.source.operations(Operation.FETCH_HEADERS) + world.target.operations(Operation.FETCH_HEADERS))
                .as("the checkpoint applies now: no header fetch").isEqualTo(headerFetches);
        assertThat(world.target.operations(Operation.APPEND)).isEqualTo(1);
        assertSameMessages("alice", "INBOX", "INBOX");
    }
}
