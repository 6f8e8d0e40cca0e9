package io.mailferry.core;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.spi.memory.OperationGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/** What a migration copies, end to end through {@link MigrationService} and the in-memory connector. */
class MigrationServiceCopyTest {

    @TempDir
    Path spool;

    private MigrationWorld world;

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
    }

    @AfterEach
    void tearDown() throws IOException {
        world.close();
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left).as("spooled messages are deleted").isEmpty();
        }
    }

    private MigrationBatch batch(MigrationService service, MigrationUserEntry... users) {
        return service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint()).targetEndpoint(world.targetEndpoint())
                .users(List.of(users)).create();
    }

    @Test
    void severalUsersInParallelCopyEverythingByteIdenticalWithFlagsDatesAndFolderTree() throws Exception {
        List<MigrationUserEntry> users = new ArrayList<>();
        for (String login : List.of("alice", "bob", "carol")) {
            users.add(world.user(login));
            world.seedTree(login);
        }
        OperationGate gate = OperationGate.closed();
        world.source.gate(gate, Operation.LIST_FOLDERS);
        MigrationService service = world.service();
        MigrationBatch batch = batch(service, users.toArray(MigrationUserEntry[]::new));

        batch.start();
        assertThat(gate.awaitWaiting(3, MigrationWorld.TIMEOUT)).as("all three users connected at once").isTrue();
        gate.open();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.source.peakOpenSessions()).isEqualTo(3);
        for (String login : List.of("alice", "bob", "carol")) {
            world.assertMirrored(login, MigrationWorld.TREE);
            assertThat(world.target.folderNames(email(login))).containsExactlyInAnyOrder("INBOX", "Sent", "Drafts",
                    "Deleted Items", "Projects", "Projects.2024", "Entwürfe", "送信済み", "Empty", "Archive",
                    "Archive.2019", "Real");
            MigrationUser u = user(batch, login);
            assertThat(u.status()).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(u.error()).isNull();
            assertThat(u.stage()).isEqualTo(SyncStage.IDLE);
            MigrationUserStatistics s = u.statistics();
            long bytes = world.source.folderNames(login).stream().filter(f -> !f.equals("Archive"))
                    .flatMap(f -> world.source.messages(login, f).stream()).mapToLong(InMemoryMailServer.Message::size).sum();
            assertThat(s.syncedItemCount()).isEqualTo(MigrationWorld.treeMessageCount());
            assertThat(s.totalItemsInSourceMailboxCount()).isEqualTo(MigrationWorld.treeMessageCount());
            assertThat(s.skippedItemCount()).isZero();
            assertThat(s.bytesTransferred()).isEqualTo(bytes);
            assertThat(s.folderCount()).as("selectable source folders").isEqualTo(10);
            assertThat(s.foldersCreated()).isEqualTo(8);
            assertThat(s.percentageComplete()).isEqualTo(100);
            assertThat(s.lastSuccessfulSyncTime()).isNotNull();
        }
        MigrationBatchStatistics bs = batch.statistics();
        assertThat(bs.totalCount()).isEqualTo(3);
        assertThat(bs.syncedCount()).isEqualTo(3);
        assertThat(bs.syncedItemCount()).isEqualTo(3L * MigrationWorld.treeMessageCount());
        assertThat(bs.startTime()).isNotNull();
        assertThat(bs.initialSyncTime()).isNotNull();
        assertThat(bs.lastSyncedTime()).isNotNull();
        assertThat(world.source.openSessions()).isZero();
        assertThat(world.target.openSessions()).isZero();
    }

    @Test
    void theSourceIsNeverModified() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (String f : world.source.folderNames("alice")) {
            if (!f.equals("Archive")) {
                before.put(f, MigrationWorld.summary(world.source.messages("alice", f)));
            }
        }
        MigrationBatch batch = batch(world.service(), alice);

        batch.start();
        awaitSettled(batch);
        batch.syncNow();
        awaitSettled(batch);

        for (Map.Entry<String, List<String>> e : before.entrySet()) {
            assertThat(MigrationWorld.summary(world.source.messages("alice", e.getKey()))).as(e.getKey())
                    .containsExactlyElementsOf(e.getValue());
        }
    }

    @Test
    void aSecondPassCopiesNothing() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        MigrationUserStatistics first = user(batch, "alice").statistics();
        long appends = world.target.operations(Operation.APPEND);
        long fetches = world.source.operations(Operation.FETCH_MESSAGE);

        batch.syncNow();
        assertThat(batch.status()).isIn(BatchStatus.INCREMENTAL_SYNCING, BatchStatus.SYNCED);
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", MigrationWorld.TREE);
        assertThat(world.target.operations(Operation.APPEND)).isEqualTo(appends);
        assertThat(world.source.operations(Operation.FETCH_MESSAGE)).isEqualTo(fetches);
        MigrationUserStatistics second = user(batch, "alice").statistics();
        assertThat(second.syncedItemCount()).isEqualTo(first.syncedItemCount());
        assertThat(second.bytesTransferred()).isEqualTo(first.bytesTransferred());
        assertThat(second.flagsUpdatedCount()).isZero();
        assertThat(second.foldersCreated()).isEqualTo(first.foldersCreated());
        assertThat(second.lastSuccessfulSyncTime()).isAfterOrEqualTo(first.lastSuccessfulSyncTime());
    }

    @ParameterizedTest(name = "source CONDSTORE: {0}")
    @ValueSource(booleans = {true, false})
    void flagsChangedAtTheSourceAreBroughtUpToDateByTheNextPass(boolean condstore) throws Exception {
        if (!condstore) {
            world.source.withCapabilities(ConnectorCapability.UIDPLUS, ConnectorCapability.SPECIAL_USE);
        }
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        List<InMemoryMailServer.Message> inbox = world.source.messages("alice", "INBOX");
        world.source.setFlags("alice", "INBOX", inbox.get(0).uid(), MessageFlags.of("\\Seen", "\\Flagged", "$Label1"));
        world.source.setFlags("alice", "INBOX", inbox.get(2).uid(), MessageFlags.NONE);
        long projectUid = world.source.messages("alice", "Projects/2024").get(1).uid();
        world.source.setFlags("alice", "Projects/2024", projectUid, MessageFlags.of("\\Deleted"));
        long appends = world.target.operations(Operation.APPEND);

        batch.syncNow();
        awaitSettled(batch);

        world.assertMirrored("alice", MigrationWorld.TREE);
        assertThat(user(batch, "alice").statistics().flagsUpdatedCount()).isEqualTo(3);
        assertThat(world.target.operations(Operation.APPEND)).isEqualTo(appends);
    }

    @Test
    void withCondstoreAnUnchangedFolderIsNotEvenListedAgain() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        long lists = world.source.operations(Operation.LIST_MESSAGES);
        long flagFetches = world.source.operations(Operation.FETCH_FLAGS);

        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.source.operations(Operation.LIST_MESSAGES)).isEqualTo(lists);
        assertThat(world.source.operations(Operation.FETCH_FLAGS)).isEqualTo(flagFetches);
    }

    @Test
    void newMailIsCopiedIncrementally() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        long synced = user(batch, "alice").statistics().syncedItemCount();
        long fetches = world.source.operations(Operation.FETCH_MESSAGE);
        world.source.deliver("alice", "INBOX", TestMessages.plain("New mail", "arrived after the first pass"));
        world.source.deliver("alice", "Projects/2024", TestMessages.multipart("New attachment", 9000));
        world.source.createFolder("alice", "Brand new");
        world.source.deliver("alice", "Brand new", TestMessages.plain("In a new folder", "x"));

        batch.syncNow();
        awaitSettled(batch);

        Map<String, String> tree = new LinkedHashMap<>(MigrationWorld.TREE);
        tree.put("Brand new", "Brand new");
        world.assertMirrored("alice", tree);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(synced + 3);
        assertThat(world.source.operations(Operation.FETCH_MESSAGE)).isEqualTo(fetches + 3);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
    }

    @Test
    void messagesDeletedAtTheSourceStayOnTheTarget() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        List<InMemoryMailServer.Message> inbox = world.source.messages("alice", "INBOX");
        world.source.expunge("alice", "INBOX", inbox.get(0).uid(), inbox.get(4).uid());

        batch.syncNow();
        awaitSettled(batch);

        assertThat(MigrationWorld.summary(world.target.messages(email("alice"), "INBOX")))
                .containsExactlyElementsOf(MigrationWorld.summary(inbox));
    }

    @Test
    void withoutUidplusOnTheTargetEverythingIsCopiedButFlagChangesCannotBeAppliedLater() throws Exception {
        world.target.withCapabilities(ConnectorCapability.SPECIAL_USE);
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        world.assertMirrored("alice", MigrationWorld.TREE);
        long uid = world.source.messages("alice", "INBOX").get(0).uid();
        world.source.setFlags("alice", "INBOX", uid, MessageFlags.of("\\Seen"));

        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.target.messages(email("alice"), "INBOX").get(0).flags()).isEqualTo(MessageFlags.NONE);
        assertThat(user(batch, "alice").statistics().flagsUpdatedCount()).isZero();
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(5);
    }

    @Test
    void sourceUidValidityChangeIsDetectedAndNothingIsCopiedTwice() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedTree("alice");
        MigrationBatch batch = batch(world.service(), alice);
        batch.start();
        awaitSettled(batch);
        List<String> before = MigrationWorld.summary(world.source.messages("alice", "Projects/2024"));
        world.source.rebuildFolder("alice", "Projects/2024");

        batch.syncNow();
        awaitSettled(batch);

        // The checkpoint no longer applies; the messages already on the target are recognised by
        // their fingerprints (DESIGN "Idempotent") and none is copied a second time.
        assertThat(MigrationWorld.summary(world.target.messages(email("alice"), "Projects.2024")))
                .containsExactlyElementsOf(before);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(MigrationWorld.treeMessageCount());
        world.assertMirrored("alice", MigrationWorld.TREE);
    }

    @Test
    void aFolderThatMapsElsewhereInALaterPassNeverTouchesFlagsOfUnrelatedTargetMessages() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.source.createFolder("alice", "Outbox Copies", FolderRole.SENT);
        world.source.append("alice", "Outbox Copies", TestMessages.plain("sent 1", "x"), MessageFlags.NONE, null);
        world.source.append("alice", "Outbox Copies", TestMessages.plain("sent 2", "x"), MessageFlags.NONE, null);
        MigrationService service = world.service();
        // the target's Sent folder has no \Sent role yet: Outbox Copies is copied under its own name
        world.target.withCapabilities(ConnectorCapability.UIDPLUS, ConnectorCapability.CONDSTORE);
        MigrationBatch batch = batch(service, alice);
        batch.start();
        awaitSettled(batch);
        assertThat(world.target.messages(email("alice"), "Outbox Copies")).hasSize(2);
        // now the target announces SPECIAL-USE: Outbox Copies maps to Sent, which holds an unrelated message
        world.target.withCapabilities(ConnectorCapability.UIDPLUS, ConnectorCapability.CONDSTORE, ConnectorCapability.SPECIAL_USE);
        long unrelated = world.target.append(email("alice"), "Sent", TestMessages.plain("already on the target", "x"),
                MessageFlags.of("$Keep"), null);
        long first = world.source.messages("alice", "Outbox Copies").get(0).uid();
        world.source.setFlags("alice", "Outbox Copies", first, MessageFlags.of("\\Seen", "\\Flagged"));

        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.target.message(email("alice"), "Sent", unrelated).orElseThrow().flags())
                .isEqualTo(MessageFlags.of("$Keep"));
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
    }

    @Test
    void aMessageLargerThanTheMemoryBufferIsStreamedThroughASpoolFileUnchanged() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        byte[] big = TestMessages.multipart("Two megabytes", 2 * 1024 * 1024);
        world.source.append("alice", "INBOX", big, MessageFlags.of("\\Seen"), null);
        MigrationBatch batch = batch(world.service(), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(world.target.messages(email("alice"), "INBOX")).singleElement()
                .satisfies(m -> assertThat(TestMessages.sha256(m.raw())).isEqualTo(TestMessages.sha256(big)));
    }

    @Test
    void anEmptyMailboxSyncsWithNothingToCopy() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        MigrationBatch batch = batch(world.service(), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "alice").statistics().percentageComplete()).isEqualTo(100);
        assertThat(world.target.messages(email("alice"), "INBOX")).isEmpty();
    }

    @Test
    void aSourceMailboxIsOpenedThroughTheEndpointAdministratorWhenTheRowHasNoPassword() throws Exception {
        world.source.admin("srcadmin", "src-admin-secret");
        world.user("alice");
        world.seedTree("alice");
        MigrationService service = world.service();
        MigrationBatch batch = service.newBatch("wave-1")
                .sourceEndpoint(world.sourceEndpoint(b -> b.adminCredentials(new Credentials("srcadmin", "src-admin-secret"))))
                .targetEndpoint(world.targetEndpoint())
                .user(new MigrationUserEntry(email("alice"), "alice", null, null, null, null))
                .create();

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        world.assertMirrored("alice", MigrationWorld.TREE);
    }
}
