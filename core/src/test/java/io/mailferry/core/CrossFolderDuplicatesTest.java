package io.mailferry.core;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import io.mailferry.core.store.EncryptingSecretStore;
import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gmail's labels as folders ({@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}): a message shown in
 * several folders with one cross-folder identity is copied once, into the first folder synced, and
 * All Mail ({@code \All}, synced last) gets only the unlabelled mail; also across passes and
 * restarts.
 */
class CrossFolderDuplicatesTest {
    private static final Instant T = Instant.parse("2024-03-04T05:06:07Z");
    private static final String ALL_MAIL = "[Gmail]/All Mail";

    @TempDir
    Path spool;

    private MigrationWorld world;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Source folder → UID by message name. */
    private final Map<String, Map<String, Long>> uids = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
        EnumSet<ConnectorCapability> caps = EnumSet.copyOf(InMemoryMailServer.DEFAULT_CAPABILITIES);
        caps.add(ConnectorCapability.CROSS_FOLDER_IDENTITY);
        world.source.withCapabilities(caps);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        world.close();
    }

    /**
     * alice's Gmail: "both" in INBOX and Work, "work" only in Work, "archived" in no label, "inbox-n"
     * (6 of them, more than a page and a chunk) in INBOX; every message also in All Mail.
     */
    private MigrationUserEntry seedGmail() {
        MigrationUserEntry alice = world.user("alice");
        world.source.createFolder("alice", "Work");
        world.source.createNonSelectableFolder("alice", "[Gmail]");
        world.source.createFolder("alice", ALL_MAIL, FolderRole.ALL);
        long id = 1_700_000_000_000_000_000L;
        add("both", ++id, "INBOX", "Work");
        add("work", ++id, "Work");
        add("archived", ++id);
        for (int i = 1; i <= 6; i++) {
            add("inbox-" + i, ++id, "INBOX");
        }
        return alice;
    }

    /** Adds a message under its labels and in All Mail, with one identity. */
    private void add(String name, long id, String... labels) {
        byte[] raw = TestMessages.plain(name, "body of " + name);
        String first = labels.length > 0 ? labels[0] : ALL_MAIL;
        long uid = world.source.append("alice", first, raw, MessageFlags.of("\\Seen"), T, id);
        uids.computeIfAbsent(first, k -> new LinkedHashMap<>()).put(name, uid);
        for (int i = 1; i < labels.length; i++) {
            label(name, first, labels[i]);
        }
        if (labels.length > 0) {
            label(name, first, ALL_MAIL);
        }
    }

    private void label(String name, String from, String to) {
        long uid = world.source.label("alice", from, uids.get(from).get(name), to);
        uids.computeIfAbsent(to, k -> new LinkedHashMap<>()).put(name, uid);
    }

    private MigrationEndpoint gmailSource(boolean skip) {
        return world.sourceEndpoint(b -> b.property(MigrationEndpoint.SKIP_CROSS_DUPLICATES, Boolean.toString(skip)));
    }

    private MigrationBatch batch(MigrationService service, boolean skip, MigrationUserEntry alice) {
        return service.newBatch("gmail").sourceEndpoint(gmailSource(skip)).targetEndpoint(world.targetEndpoint())
                .users(List.of(alice)).create();
    }

    /** Subjects of the messages of a target folder, sorted. */
    private List<String> target(String folder) {
        return world.target.messages(email("alice"), folder).stream()
                .map(m -> subject(m.raw())).sorted().toList();
    }

    private static String subject(byte[] raw) {
        for (String line : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\r\n")) {
            if (line.startsWith("Subject: ")) {
                return line.substring("Subject: ".length());
            }
        }
        throw new AssertionError("no subject");
    }

    /** The target folder All Mail went to. */
    private String allMailTarget() {
        return world.target.folderNames(email("alice")).stream().filter(f -> f.endsWith("All Mail")).findFirst()
                .orElseThrow();
    }

    private List<String> inboxNames() {
        List<String> out = new ArrayList<>(List.of("both"));
        for (int i = 1; i <= 6; i++) {
            out.add("inbox-" + i);
        }
        return out.stream().sorted().toList();
    }

    @Test
    void aMessageUnderSeveralLabelsIsCopiedOnceAndAllMailGetsOnlyTheUnlabelled() throws Exception {
        MigrationUserEntry alice = seedGmail();
        MigrationBatch batch = batch(world.service(), true, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(target("INBOX")).containsExactlyElementsOf(inboxNames());
        assertThat(target("Work")).containsExactly("work");
        assertThat(target(allMailTarget())).containsExactly("archived");
        MigrationUserStatistics s = user(batch, "alice").statistics();
        assertThat(s.syncedItemCount()).isEqualTo(9);
        assertThat(s.skippedItemCount()).as("duplicates are no errors").isZero();
        assertThat(s.filteredItemCount()).as("'both' in Work, 8 labelled messages in All Mail").isEqualTo(9);
        assertThat(s.totalItemsInSourceMailboxCount()).isEqualTo(18);
        assertThat(s.percentageComplete()).isEqualTo(100);
        assertThat(world.store.skippedItems("gmail", email("alice"))).isEmpty();

        // a label added after the copy, and a new message under two labels
        label("archived", ALL_MAIL, "Work");
        label("work", "Work", "INBOX");
        add("new", 1_800_000_000_000_000_000L, "INBOX", "Work");
        long appends = world.target.operations(Operation.APPEND);
        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.target.operations(Operation.APPEND) - appends).as("only the new message").isEqualTo(1);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(10);
        assertThat(target("INBOX")).contains("new").doesNotContain("work");
        assertThat(target("Work")).containsExactly("work");
        assertThat(target(allMailTarget())).containsExactly("archived");
        assertThat(world.target.operations(Operation.ADD_LABELS)).as("a target without labels").isZero();
    }

    // ------------------------------------------------------------------ Gmail to Gmail: labels

    /** The target keeps one message in several folders (Gmail); its All Mail exists with \All. */
    private void gmailTarget(boolean uidplus) {
        EnumSet<ConnectorCapability> caps = EnumSet.copyOf(InMemoryMailServer.DEFAULT_CAPABILITIES);
        caps.add(ConnectorCapability.FOLDER_LABELS);
        if (!uidplus) {
            caps.remove(ConnectorCapability.UIDPLUS);
        }
        world.target.withCapabilities(caps).separator('/');
        world.target.createNonSelectableFolder(email("alice"), "[Gmail]");
        world.target.createFolder(email("alice"), ALL_MAIL, FolderRole.ALL);
    }

    /** Target folder → subjects, for the folders showing the message with this subject (by identity). */
    private List<String> targetFoldersOf(String subject) {
        List<Long> ids = new ArrayList<>();
        for (String folder : world.target.folderNames(email("alice"))) {
            if (folder.equals("[Gmail]")) {
                continue;
            }
            for (InMemoryMailServer.Message m : world.target.messages(email("alice"), folder)) {
                if (subject(m.raw()).equals(subject)) {
                    ids.add(world.target.crossFolderId(email("alice"), folder, m.uid()));
                }
            }
        }
        assertThat(ids).as("'%s' is one message on the target", subject).isNotEmpty().containsOnly(ids.get(0));
        return world.target.folderNamesShowing(email("alice"), ids.get(0));
    }

    /** Distinct messages (identities) on the target. */
    private long targetMessages() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (String folder : world.target.folderNames(email("alice"))) {
            if (folder.equals("[Gmail]")) {
                continue;
            }
            for (InMemoryMailServer.Message m : world.target.messages(email("alice"), folder)) {
                ids.add(world.target.crossFolderId(email("alice"), folder, m.uid()));
            }
        }
        return ids.size();
    }

    @Test
    void onAGmailTargetAMessageUnderSeveralLabelsIsOneMessageShownInEachLabelsFolder() throws Exception {
        MigrationUserEntry alice = seedGmail();
        gmailTarget(true);
        MigrationBatch batch = batch(world.service(), true, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(targetMessages()).as("one message per source message").isEqualTo(9);
        assertThat(targetFoldersOf("both")).containsExactly("INBOX", "Work");
        assertThat(targetFoldersOf("work")).containsExactly("Work");
        assertThat(targetFoldersOf("archived")).containsExactly(ALL_MAIL);
        assertThat(target("INBOX")).containsExactlyElementsOf(inboxNames());
        assertThat(target("Work")).containsExactly("both", "work");
        assertThat(target(ALL_MAIL)).as("Gmail shows every message in All Mail itself").containsExactly("archived");
        MigrationUserStatistics s = user(batch, "alice").statistics();
        assertThat(s.syncedItemCount()).isEqualTo(9);
        assertThat(s.filteredItemCount()).as("label adds are no copies").isEqualTo(9);
        assertThat(s.skippedItemCount()).isZero();
        assertThat(world.target.operations(Operation.APPEND)).isPositive();

        // labels added on the source after the copy, and a new message under two labels
        label("archived", ALL_MAIL, "Work");
        label("work", "Work", "INBOX");
        add("new", 1_800_000_000_000_000_000L, "INBOX", "Work");
        long appends = world.target.operations(Operation.APPEND);
        batch.syncNow();
        awaitSettled(batch);

        assertThat(world.target.operations(Operation.APPEND) - appends).as("only the new message").isEqualTo(1);
        assertThat(targetMessages()).isEqualTo(10);
        assertThat(targetFoldersOf("archived")).containsExactlyInAnyOrder("Work", ALL_MAIL);
        assertThat(targetFoldersOf("work")).containsExactly("INBOX", "Work");
        assertThat(targetFoldersOf("new")).containsExactly("INBOX", "Work");
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(10);
    }

    @Test
    void labelsAddedOnTheSourceAreAddedAfterARestartFromTheJdbcStore() throws Exception {
        restartedAfterNewLabels(true, batch -> assertThat(targetFoldersOf("both"))
                .containsExactly("INBOX", "Work"));

        assertThat(targetMessages()).isEqualTo(9);
        assertThat(targetFoldersOf("archived")).containsExactlyInAnyOrder("Work", ALL_MAIL);
        assertThat(targetFoldersOf("work")).containsExactly("INBOX", "Work");
        assertThat(targetFoldersOf("inbox-3")).containsExactly("INBOX", "Work");
    }

    /**
     * Runs the Gmail batch to Synced on an H2 store, stops the host, adds three labels on the
     * source (to an archived message, to one in Work and to one in INBOX), restarts on the same
     * store and runs an incremental pass; checks that the pass appends nothing and counts the
     * three appearances as filtered.
     *
     * @param gmailTarget    whether the target is Gmail-like (labels, UIDPLUS)
     * @param afterFirstPass checks on the first pass's batch
     */
    private void restartedAfterNewLabels(boolean gmailTarget, java.util.function.Consumer<MigrationBatch> afterFirstPass)
            throws Exception {
        MigrationUserEntry alice = seedGmail();
        if (gmailTarget) {
            gmailTarget(true);
        }
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:gmail-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        database.setUser("sa");
        SecretKey key = EncryptingSecretStore.newKey();
        MigrationService first = start(database, key);
        MigrationBatch batch = batch(first, true, alice);
        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(9);
        afterFirstPass.accept(batch);
        first.close();
        open.get(open.size() - 2).close(); // the host stops: service and store closed

        label("archived", ALL_MAIL, "Work");
        label("work", "Work", "INBOX");
        label("inbox-3", "INBOX", "Work");
        MigrationService restarted = start(database, key);
        MigrationBatch again = restarted.getBatch("gmail");
        long appends = world.target.operations(Operation.APPEND);
        again.syncNow();
        awaitSettled(again);

        assertThat(again.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.operations(Operation.APPEND)).as("no append").isEqualTo(appends);
        assertThat(user(again, "alice").statistics().syncedItemCount()).isEqualTo(9);
        assertThat(user(again, "alice").statistics().filteredItemCount()).as("9 in the first pass, 3 new labels")
                .isEqualTo(12);
    }

    @Test
    void withoutTheTargetUidsOfTheFirstCopiesNoLabelIsAddedAndNothingFails() throws Exception {
        MigrationUserEntry alice = seedGmail();
        gmailTarget(false); // no UIDPLUS: the appends' UIDs are unknown
        MigrationBatch batch = batch(world.service(), true, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.operations(Operation.ADD_LABELS)).isZero();
        assertThat(target("Work")).containsExactly("work");
        assertThat(targetMessages()).isEqualTo(9);
        assertThat(user(batch, "alice").statistics().filteredItemCount()).isEqualTo(9);
    }

    @Test
    void aLabelTheTargetRefusesIsASkippedItemThatCountsAgainstNoLimit() throws Exception {
        MigrationUserEntry alice = seedGmail();
        gmailTarget(true);
        world.target.refuseLabels("NO [LIMIT] Too many labels (Failure)");
        MigrationBatch batch = world.service().newBatch("gmail").sourceEndpoint(gmailSource(true))
                .targetEndpoint(world.targetEndpoint()).users(List.of(alice)).badItemLimit(ItemLimit.of(0)).create();

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        List<SkippedItem> items = world.store.skippedItems("gmail", email("alice"));
        assertThat(items).filteredOn(i -> i.folder().equals("Work")).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(SkippedItemKind.LABEL_NOT_ADDED);
            assertThat(i.sourceUid()).isEqualTo(uids.get("Work").get("both"));
            assertThat(i.reason()).contains("'INBOX'").contains("'Work'").contains("Too many labels");
        });
        assertThat(items).as("All Mail needs no label").hasSize(1);
        assertThat(targetFoldersOf("both")).containsExactly("INBOX");
        assertThat(targetMessages()).isEqualTo(9);
    }

    @Test
    void withTheSettingOffEveryFolderIsCopiedInFull() throws Exception {
        MigrationUserEntry alice = seedGmail();
        MigrationBatch batch = batch(world.service(), false, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(target("INBOX")).containsExactlyElementsOf(inboxNames());
        assertThat(target("Work")).containsExactly("both", "work");
        assertThat(target(allMailTarget())).hasSize(9);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(18);
        assertThat(user(batch, "alice").statistics().filteredItemCount()).isZero();
    }

    @Test
    void withoutCrossFolderIdentitiesFromTheSourceTheSettingChangesNothing() throws Exception {
        MigrationUserEntry alice = seedGmail();
        world.source.withCapabilities(InMemoryMailServer.DEFAULT_CAPABILITIES);
        MigrationBatch batch = batch(world.service(), true, alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(18);
    }

    @Test
    void aRestartedServiceOnTheJdbcStoreCopiesNothingWhenLabelsAreAdded() throws Exception {
        restartedAfterNewLabels(false, batch -> { });

        assertThat(target("Work")).containsExactly("work");
        assertThat(target("INBOX")).containsExactlyElementsOf(inboxNames());
    }

    /** Fails the first checkpoint that records identities, as a crash between APPEND and checkpoint would lose it. */
    static final class IdentityCheckpointLosingStore extends InMemoryMigrationStore {
        final java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);

        @Override
        public synchronized void saveFolderCheckpoint(String batchName, FolderCheckpoint checkpoint,
                                                      List<SkippedItem> skippedItems, long[] addedIdentities) {
            if (addedIdentities.length > 0 && failNext.getAndSet(false)) {
                throw new MigrationException("injected: the store went away after the append");
            }
            super.saveFolderCheckpoint(batchName, checkpoint, skippedItems, addedIdentities);
        }
    }

    @Test
    void messagesOfAnAppendWhoseCheckpointWasLostAreFoundOnTheTargetAndRecordedAsCopied() throws Exception {
        MigrationUserEntry alice = seedGmail();
        IdentityCheckpointLosingStore store = new IdentityCheckpointLosingStore();
        MigrationService service = MigrationService.builder()
                .store(store)
                .connectors(Connectors.of(List.of(world.memory)))
                .engineSetting("mailferry.retryDelaysMs", "1,1,1")
                .engineSetting("mailferry.listPageSize", "5")
                .engineSetting("mailferry.chunkMaxMessages", "3")
                .engineSetting("mailferry.spoolDir", spool.toString())
                .build();
        open.add(service);
        MigrationBatch batch = batch(service, true, alice);

        batch.start();
        awaitSettled(batch);
        assertThat(store.failNext).isFalse();
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(target("INBOX")).as("the first chunk was appended, its checkpoint lost")
                .contains("both", "inbox-1", "inbox-2");
        batch.start(); // retries the failed user: the pass resumes from the checkpoint
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(target("INBOX")).containsExactlyElementsOf(inboxNames());
        assertThat(target("Work")).as("'both' found in INBOX's target is not copied again").containsExactly("work");
        assertThat(target(allMailTarget())).containsExactly("archived");
        assertThat(store.copiedIdentities(io.mailferry.core.store.UserRecord.mailboxKey(alice))).hasSize(9);
    }

    private MigrationService start(JdbcDataSource database, SecretKey key) {
        JdbcMigrationStore store = JdbcMigrationStore.create(database);
        open.add(store);
        MigrationService service = MigrationService.builder()
                .store(store)
                .secretStore(EncryptingSecretStore.create(store, key))
                .connectors(Connectors.of(List.of(world.memory)))
                .engineSetting("mailferry.listPageSize", "5")
                .engineSetting("mailferry.chunkMaxMessages", "3")
                .engineSetting("mailferry.spoolDir", spool.toString())
                .build();
        open.add(service);
        return service;
    }
}
