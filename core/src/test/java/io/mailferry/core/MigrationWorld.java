package io.mailferry.core;

import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryConnectorProvider;
import io.mailferry.core.spi.memory.InMemoryMailServer;
import io.mailferry.core.store.InMemoryMigrationStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two in-memory mail servers (source {@code old.test} with {@code /}, target {@code new.test} with
 * {@code .} and an administrator), the in-memory connector, one shared store, and services built on
 * them with small engine settings (pages of 5, chunks of 3, 1 ms retry delays, 4 KB memory buffer).
 */
final class MigrationWorld implements AutoCloseable {

    static final String TARGET_ADMIN = "mailadmin";
    static final String TARGET_ADMIN_PASSWORD = "target-admin-secret";
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Source folder → the target folder it must end up in, for {@link #seedTree}. */
    static final Map<String, String> TREE = new LinkedHashMap<>();

    static {
        TREE.put("INBOX", "INBOX");
        TREE.put("Sent Items", "Sent");
        TREE.put("Drafts", "Drafts");
        TREE.put("Projects", "Projects");
        TREE.put("Projects/2024", "Projects.2024");
        TREE.put("Entwürfe", "Entwürfe");
        TREE.put("送信済み", "送信済み");
        TREE.put("Empty", "Empty");
        TREE.put("Archive/2019", "Archive.2019");
        TREE.put("Real", "Real");
    }

    final InMemoryMailServer source = new InMemoryMailServer("old.test");
    final InMemoryMailServer target = new InMemoryMailServer("new.test").separator('.')
            .admin(TARGET_ADMIN, TARGET_ADMIN_PASSWORD);
    final InMemoryConnectorProvider memory = new InMemoryConnectorProvider();
    final InMemoryMigrationStore store;
    /** The test's clock and scheduler when built with {@link #MigrationWorld(Path, InMemoryMigrationStore, ManualScheduler)}. */
    final ManualScheduler time;
    private final Path spoolDir;
    private final List<MigrationService> services = new ArrayList<>();

    /**
     * @param spoolDir where the engine buffers messages over 4 KB (a test's temporary directory)
     */
    MigrationWorld(Path spoolDir) {
        this(spoolDir, new InMemoryMigrationStore(), null);
    }

    /**
     * @param spoolDir where the engine buffers messages over 4 KB
     * @param store    the store every service shares
     * @param time     the clock and scheduler of every service, or {@code null} for the system's
     */
    MigrationWorld(Path spoolDir, InMemoryMigrationStore store, ManualScheduler time) {
        this.spoolDir = spoolDir;
        this.store = store;
        this.time = time;
        memory.register(source).register(target);
    }

    MigrationEndpoint sourceEndpoint() {
        return sourceEndpoint(UnaryOperator.identity());
    }

    MigrationEndpoint sourceEndpoint(UnaryOperator<MigrationEndpoint.Builder> adjust) {
        return adjust.apply(memory.endpoint("old", source)).build();
    }

    MigrationEndpoint targetEndpoint() {
        return targetEndpoint(UnaryOperator.identity());
    }

    MigrationEndpoint targetEndpoint(UnaryOperator<MigrationEndpoint.Builder> adjust) {
        return adjust.apply(memory.endpoint("new", target)
                .adminCredentials(new Credentials(TARGET_ADMIN, TARGET_ADMIN_PASSWORD))).build();
    }

    /** Builds a service on the shared store with the test engine settings, closed by {@link #close()}. */
    MigrationService service(MigrationListener... listeners) {
        MigrationService s = untrackedService(listeners);
        services.add(s);
        return s;
    }

    /**
     * Builds a service like {@link #service} that {@link #close()} leaves alone: for tests that may
     * leave it deadlocked, where closing would hang.
     */
    MigrationService untrackedService(MigrationListener... listeners) {
        MigrationService.Builder b = MigrationService.builder()
                .store(store)
                .connectors(Connectors.of(List.of(memory)))
                .engineSetting("mailferry.retryDelaysMs", "1,1,1")
                .engineSetting("mailferry.listPageSize", "5")
                .engineSetting("mailferry.chunkMaxMessages", "3")
                .engineSetting("mailferry.memoryThreshold", "4096")
                .engineSetting("mailferry.spoolDir", spoolDir.toString());
        if (time != null) {
            b.clock(time.clock()).scheduler(time);
        }
        for (MigrationListener l : listeners) {
            b.listener(l);
        }
        return b.build();
    }

    /**
     * Adds a user on both servers: {@code login} with password {@code login-pw} on the source,
     * {@code login@new.example} on the target with the folders Sent (\Sent), Drafts (\Drafts) and
     * Deleted Items (\Trash).
     *
     * @return the batch row: source login with password, target reached through the admin
     */
    MigrationUserEntry user(String login) {
        source.addUser(login, password(login));
        target.addUser(email(login), "unused-" + login);
        target.createFolder(email(login), "Sent", FolderRole.SENT);
        target.createFolder(email(login), "Drafts", FolderRole.DRAFTS);
        target.createFolder(email(login), "Deleted Items", FolderRole.TRASH);
        return MigrationUserEntry.of(email(login), login, password(login));
    }

    static String email(String login) {
        return login + "@new.example";
    }

    static String password(String login) {
        return login + "-pw";
    }

    /**
     * Seeds a source mailbox with {@link #TREE}: flags, keywords, dates, an empty folder, non-ASCII
     * folders, a non-selectable parent, and real messages (text and binary) in {@code Real}.
     */
    void seedTree(String login) {
        Instant t = Instant.parse("2020-05-06T07:08:09Z");
        source.createFolder(login, "Sent Items", FolderRole.SENT);
        source.createFolder(login, "Drafts", FolderRole.DRAFTS);
        source.createFolder(login, "Projects/2024");
        source.createFolder(login, "Entwürfe");
        source.createFolder(login, "送信済み");
        source.createFolder(login, "Empty");
        source.createNonSelectableFolder(login, "Archive");
        source.createFolder(login, "Archive/2019");
        source.createFolder(login, "Real");
        source.append(login, "INBOX", TestMessages.plain(login + " unread", "x"), MessageFlags.NONE, t);
        source.append(login, "INBOX", TestMessages.plain(login + " read", "x"), MessageFlags.of("\\Seen"), t.plusSeconds(60));
        source.append(login, "INBOX", TestMessages.multipart(login + " attachment", 6000),
                MessageFlags.of("\\Seen", "\\Flagged", "$Forwarded"), t.plusSeconds(120));
        byte[] duplicate = TestMessages.plain(login + " twice", "the same bytes twice");
        source.append(login, "INBOX", duplicate, MessageFlags.NONE, t.plusSeconds(180));
        source.append(login, "INBOX", duplicate, MessageFlags.NONE, t.plusSeconds(180));
        source.append(login, "Sent Items", TestMessages.plain(login + " sent", "x"), MessageFlags.of("\\Seen"), t.plusSeconds(240));
        source.append(login, "Drafts", TestMessages.plain(login + " draft", "x"), MessageFlags.of("\\Draft"), t.plusSeconds(300));
        source.append(login, "Projects", TestMessages.plain(login + " project", "x"), MessageFlags.of("Projekt_A"), t.plusSeconds(360));
        for (int i = 0; i < 7; i++) {
            source.append(login, "Projects/2024", TestMessages.plain(login + " 2024 #" + i, "x" + i),
                    i % 2 == 0 ? MessageFlags.of("\\Answered") : MessageFlags.NONE, t.plusSeconds(400 + i));
        }
        source.append(login, "Entwürfe", TestMessages.eightBit(), MessageFlags.of("\\Draft", "\\Seen"), t.plusSeconds(500));
        source.append(login, "送信済み", TestMessages.eightBit(), MessageFlags.of("\\Seen"), t.plusSeconds(600));
        source.append(login, "Archive/2019", TestMessages.plain(login + " archived", "x"), MessageFlags.of("\\Seen"),
                Instant.parse("2019-12-31T23:59:59Z"));
        for (TestMessages.Sample s : TestMessages.realText()) {
            source.append(login, "Real", s.raw(), MessageFlags.of("\\Seen"), t.plusSeconds(700));
        }
        for (TestMessages.Sample s : TestMessages.realBinary()) {
            source.append(login, "Real", s.raw(), MessageFlags.NONE, t.plusSeconds(800));
        }
    }

    /**
     * Seeds {@code n} plain messages into a source INBOX.
     *
     * @return their UIDs
     */
    List<Long> seedInbox(String login, int n) {
        List<Long> uids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            uids.add(source.append(login, "INBOX", TestMessages.plain(login + " message " + i, "body " + i),
                    i % 3 == 0 ? MessageFlags.of("\\Seen") : MessageFlags.NONE, Instant.parse("2022-01-01T00:00:00Z").plusSeconds(i)));
        }
        return uids;
    }

    /** Returns the number of messages {@link #seedTree} puts into a mailbox. */
    static int treeMessageCount() {
        return 5 + 1 + 1 + 1 + 7 + 1 + 1 + 1 + TestMessages.realText().size() + TestMessages.realBinary().size();
    }

    /**
     * Asserts that every source folder's messages are on the target in the mapped folder: same
     * bytes (SHA-256), flags and INTERNALDATE, in the same order, duplicates included.
     */
    void assertMirrored(String login, Map<String, String> folders) {
        for (Map.Entry<String, String> e : folders.entrySet()) {
            assertThat(summary(target.messages(email(login), e.getValue())))
                    .as("%s: %s -> %s", login, e.getKey(), e.getValue())
                    .containsExactlyElementsOf(summary(source.messages(login, e.getKey())));
        }
    }

    static List<String> summary(List<InMemoryMailServer.Message> messages) {
        return messages.stream().map(m -> TestMessages.sha256(m.raw()) + " " + m.flags() + " " + m.internalDate()).toList();
    }

    static void awaitSettled(MigrationBatch batch) throws InterruptedException {
        assertThat(batch.awaitStatus(TIMEOUT, BatchStatus::isSettled))
                .as("batch %s settles; it is %s with users %s", batch.name(), batch.status(), batch.users()).isTrue();
    }

    static MigrationUser user(MigrationBatch batch, String login) {
        return batch.user(email(login)).orElseThrow();
    }

    @Override
    public void close() {
        services.forEach(MigrationService::close);
    }
}
