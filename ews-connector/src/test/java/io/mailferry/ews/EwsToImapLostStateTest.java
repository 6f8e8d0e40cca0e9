package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchange reports an item's size in its store ({@code item:Size}, properties included), not the
 * length of the MIME it renders; the engine recognises copies already on an IMAP target by header
 * fields and size. The Exchange source therefore reports the size of the MIME it delivers in
 * {@code fetchHeaders}, so that a migration run again after its state was lost finds every copy on
 * the target and copies nothing twice.
 */
class EwsToImapLostStateTest {

    private static final String EMAIL = "germany-c@enron.example";
    private static final String PASSWORD = "pw-germany";
    /** What the fake adds to the MIME length in item:Size. */
    private static final int OVERHEAD = 1_234;

    private static FakeExchange exchange() {
        return new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)
                .itemSizeOverhead(OVERHEAD);
    }

    @Test
    void fetchHeadersReportsTheSizeOfTheDeliveredMime() throws Exception {
        FakeExchange exchange = exchange();
        FakeMailbox mailbox = exchange.mailbox(EMAIL);
        Corpus corpus = Corpus.bundled();
        CorpusUser user = corpus.enronUsers().get(0);
        EwsTestData.load(mailbox, user, new int[1]);
        FakeFolder inbox = mailbox.folders().stream().filter(f -> !mailbox.items(f).isEmpty()).findFirst()
                .orElseThrow();
        try (FakeEwsServer ews = FakeEwsServer.start(exchange);
             SourceMailbox source = new EwsConnectorProvider().openSource(EwsMailboxFixture.endpoint(ews, "x"),
                     MailboxAccess.impersonating(EMAIL, new Credentials(EwsMailboxFixture.ADMIN,
                             EwsMailboxFixture.ADMIN_PASSWORD)))) {
            String folder = mailbox.path(inbox);
            source.selectFolder(folder);
            List<MessageInfo> listed = source.listMessages(folder, 0, 1000);
            Map<Long, Long> mimeLengths = mailbox.items(inbox).stream()
                    .collect(Collectors.toMap(FakeItem::article, i -> (long) i.mime().length));
            assertThat(listed).as("item:Size is Exchange's, larger than the MIME")
                    .allSatisfy(m -> assertThat(m.size()).isEqualTo(mimeLengths.get(m.uid()) + OVERHEAD));

            List<MessageHeaders> headers = source.fetchHeaders(folder, 1, 4_294_967_295L,
                    List.of("Message-ID", "Date", "From", "Subject"));

            assertThat(headers).hasSameSizeAs(listed);
            Map<Long, MessageHeaders> byUid = headers.stream()
                    .collect(Collectors.toMap(MessageHeaders::uid, Function.identity()));
            assertThat(byUid).allSatisfy((uid, h) -> assertThat(h.size()).isEqualTo(mimeLengths.get(uid)));
        }
    }

    @Test
    void aMigrationRunAgainWithoutItsStateCopiesNothingTwice() throws Exception {
        FakeExchange exchange = exchange();
        FakeMailbox mailbox = exchange.mailbox(EMAIL);
        CorpusUser user = Corpus.bundled().enronUsers().stream()
                .min(java.util.Comparator.comparingInt(CorpusUser::messageCount)).orElseThrow();
        int loaded = EwsTestData.load(mailbox, user, new int[1]);
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start()) {
            greenMail.greenMail().setUser(EMAIL, EMAIL, PASSWORD);
            MigrationEndpoint source = EwsMailboxFixture.endpoint(ews, "exchange-2016");
            MigrationEndpoint target = MigrationEndpoint.builder("greenmail", EndpointType.IMAP)
                    .host(GreenMailServer.HOST).port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationUserEntry entry = new MigrationUserEntry(EMAIL, EMAIL, null, EMAIL, PASSWORD, null);

            // a first run copies everything, then its state (store and SyncStates) is lost
            long t0 = System.nanoTime();
            try (MigrationService first = MigrationService.builder().connector(new EwsConnectorProvider()).build()) {
                MigrationBatch batch = first.newBatch("staged-1").sourceEndpoint(source).targetEndpoint(target)
                        .user(entry).create();
                batch.start();
                assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();
                assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
                assertThat(batch.user(EMAIL).orElseThrow().statistics().syncedItemCount()).isEqualTo(loaded);
            }

            long t1 = System.nanoTime();
            int findItemsBefore = ews.requests("FindItem").size();
            try (MigrationService second = MigrationService.builder().connector(new EwsConnectorProvider()).build()) {
                MigrationBatch batch = second.newBatch("staged-1").sourceEndpoint(source).targetEndpoint(target)
                        .user(entry).create();
                batch.start();
                assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();
                assertThat(batch.status()).as("%s", batch.users()).isEqualTo(BatchStatus.SYNCED);
            }
            System.out.printf("EwsToImapLostStateTest: %d messages, first run %d ms, run without state %d ms, "
                    + "%d FindItem requests%n", loaded, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000,
                    ews.requests("FindItem").size() - findItemsBefore);

            // the matching scans each folder up to the highest possible UID: no request per empty range
            assertThat(ews.requests("FindItem").size() - findItemsBefore).isLessThan(loaded * 4);
            try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort())
                    .login(EMAIL, PASSWORD)) {
                SnapshotComparison cmp = EwsTestData.compareWithGreenMail(EwsTestData.snapshot(mailbox), c.snapshot());
                assertThat(cmp.isIdentical()).as("%s", cmp).isTrue();
                assertThat(cmp.sourceMessages()).isEqualTo(loaded);
            }
        }
    }
}
