package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.Security;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchange (fake EWS) → GreenMail through {@link MigrationService}: an initial sync of a real
 * Enron mailbox, then incremental passes after new mail, changed read and flag states and deleted
 * items (copy only the new, bring flags up to date, keep what was deleted: sync is add-only), and
 * after Exchange rejected a folder's SyncState (the folder is enumerated again, nothing is copied
 * twice).
 */
class EwsIncrementalTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String EMAIL = "badeer-r@enron.example";
    private static final String PASSWORD = "pw-badeer";

    private final EwsConnectorProvider provider = new EwsConnectorProvider();
    private FakeEwsServer ews;
    private FakeMailbox mailbox;
    private GreenMailServer greenMail;
    private MigrationService service;
    private MigrationBatch batch;
    private int loaded;

    @BeforeEach
    void start() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        mailbox = exchange.mailbox(EMAIL);
        Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
        CorpusUser user = corpus.enronUser("badeer-r").orElseGet(() -> corpus.enronUsers().get(0));
        loaded = EwsTestData.load(mailbox, user, new int[1]);
        ews = FakeEwsServer.start(exchange);
        greenMail = GreenMailServer.start();
        greenMail.greenMail().setUser(EMAIL, EMAIL, PASSWORD);
        service = MigrationService.builder().connector(provider).build();
        MigrationEndpoint source = EwsMailboxFixture.endpoint(ews, "exchange-2016");
        MigrationEndpoint target = MigrationEndpoint.builder("greenmail", EndpointType.IMAP)
                .host(GreenMailServer.HOST).port(greenMail.imapPort()).security(Security.NONE).build();
        batch = service.newBatch("staged-1").sourceEndpoint(source).targetEndpoint(target)
                .user(new MigrationUserEntry(EMAIL, EMAIL, null, EMAIL, PASSWORD, null))
                .create();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (greenMail != null) {
            greenMail.close();
        }
        if (ews != null) {
            ews.close();
        }
    }

    private MigrationUser user() {
        return batch.user(EMAIL).orElseThrow();
    }

    private void run(Runnable command) throws InterruptedException {
        command.run();
        assertThat(batch.awaitStatus(TIMEOUT, BatchStatus::isSettled)).as("settled: %s", batch.status()).isTrue();
        assertThat(batch.status()).as("%s", user()).isEqualTo(BatchStatus.SYNCED);
    }

    private SnapshotComparison compare() {
        try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort()).login(EMAIL,
                PASSWORD)) {
            return EwsTestData.compareWithGreenMail(EwsTestData.snapshot(mailbox), c.snapshot());
        }
    }

    /** The number of items GetItem requests asked MIME content for. */
    private int mimeItemsFetched() {
        Pattern id = Pattern.compile("<t:ItemId ");
        int n = 0;
        for (FakeEwsServer.Recorded r : ews.requests("GetItem")) {
            String body = r.text();
            if (body.contains("item:MimeContent")) {
                Matcher m = id.matcher(body);
                while (m.find()) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void initialSyncThenIncrementalPassesCopyOnlyWhatIsNewAndUpdateFlags() throws Exception {
        run(batch::start);
        SnapshotComparison first = compare();
        assertThat(first.isIdentical()).as("%s", first).isTrue();
        assertThat(first.sourceMessages()).isEqualTo(loaded);
        assertThat(user().statistics().syncedItemCount()).isEqualTo(loaded);
        assertThat(mimeItemsFetched()).isEqualTo(loaded);

        // a second pass with no change asks Exchange only for changes and copies nothing
        ews.clearRequests();
        run(batch::syncNow);
        assertThat(compare().isIdentical()).isTrue();
        assertThat(mimeItemsFetched()).isZero();
        assertThat(ews.requests("SyncFolderItems")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.text()).contains("<m:SyncState>"));

        // new mail, a read and a flagged message, two deleted ones
        FakeFolder inbox = mailbox.distinguished("inbox");
        FakeFolder busiest = mailbox.folders().stream()
                .max(java.util.Comparator.comparingInt(f -> mailbox.items(f).size())).orElseThrow();
        List<FakeItem> old = mailbox.items(busiest);
        assertThat(old).hasSizeGreaterThan(4);
        for (int i = 0; i < 3; i++) {
            mailbox.deliver(inbox, mail("New " + i), false, Instant.parse("2026-01-0" + (i + 1) + "T10:00:00Z"));
        }
        FakeFolder fresh = mailbox.createFolder("Projekte/Neu", "IPF.Note");
        mailbox.deliver(fresh, mail("In a new folder"), true, Instant.parse("2026-01-05T10:00:00Z"));
        mailbox.change(old.get(0), it -> it.setRead(!it.read()));
        mailbox.change(old.get(1), it -> it.setFlagStatus(2));
        FakeItem deleted1 = old.get(2);
        FakeItem deleted2 = old.get(3);
        mailbox.delete(deleted1);
        mailbox.delete(deleted2);
        MigrationUserStatistics before = user().statistics();

        ews.clearRequests();
        run(batch::syncNow);

        MigrationUserStatistics after = user().statistics();
        assertThat(after.syncedItemCount() - before.syncedItemCount()).isEqualTo(4);
        assertThat(mimeItemsFetched()).as("only the new messages are fetched").isEqualTo(4);
        assertThat(after.flagsUpdatedCount() - before.flagsUpdatedCount()).isEqualTo(2);
        SnapshotComparison second = compare();
        // add-only: the two deleted messages stay on the target; everything else is identical
        assertThat(second.missingFolders()).isEmpty();
        assertThat(second.folders()).singleElement().satisfies(d -> {
            assertThat(d.targetFolder()).isEqualTo(mailbox.path(busiest).replace('/', '.'));
            assertThat(d.missing()).isEmpty();
            assertThat(d.duplicated()).isEmpty();
            assertThat(d.flagMismatches()).isEmpty();
            assertThat(d.unexpected()).extracting(MailboxSnapshot.Message::sha256).containsExactlyInAnyOrder(
                    MailboxSnapshot.sha256(deleted1.mime()), MailboxSnapshot.sha256(deleted2.mime()));
        });
    }

    @Test
    void aRejectedSyncStateStartsTheFolderOverWithoutDuplicates() throws Exception {
        run(batch::start);
        FakeFolder inbox = mailbox.distinguished("inbox");
        mailbox.invalidateSyncStates(inbox);
        mailbox.deliver(inbox, mail("After the state was lost"), false, Instant.parse("2026-02-01T10:00:00Z"));
        long synced = user().statistics().syncedItemCount();
        long restarts = provider.statistics().syncRestarts();

        ews.clearRequests();
        run(batch::syncNow);

        assertThat(user().statistics().syncedItemCount() - synced).isEqualTo(1);
        assertThat(mimeItemsFetched()).isEqualTo(1);
        assertThat(ews.requests("SyncFolderItems")).anySatisfy(r -> assertThat(r.text()).doesNotContain("<m:SyncState>"));
        SnapshotComparison c = compare();
        assertThat(c.isIdentical()).as("%s", c).isTrue();
        assertThat(provider.statistics().syncRestarts() - restarts).isEqualTo(1);
    }

    private static byte[] mail(String subject) {
        return ("From: Ann <ann@example.org>\r\nTo: " + EMAIL + "\r\nSubject: " + subject
                + "\r\nDate: Mon, 05 Jan 2026 10:00:00 +0000\r\nMessage-ID: <" + subject.hashCode() + "."
                + System.nanoTime() + "@example.org>\r\n\r\n" + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
