package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IMAP (GreenMail) → Exchange, then the migration state is lost (a new service on a new, empty
 * store: a new batch for the same user): the second migration finds every message MailFerry
 * created by its source identity and creates nothing, so nothing is duplicated, and two identical
 * messages in one folder stay two.
 */
class EwsLostStateTest {

    private static final String EMAIL = "germany-c@enron.example";

    @Test
    void aPassAfterLostStateFindsWhatWasCopiedInsteadOfCopyingItAgain() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeMailbox mailbox = exchange.mailbox(EMAIL);
        EwsConnectorProvider provider = new EwsConnectorProvider();
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start()) {
            greenMail.greenMail().setUser(EMAIL, EMAIL, "pw");
            int loaded;
            MailboxSnapshot source;
            try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort()).login(EMAIL, "pw")) {
                Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
                loaded = c.loadUser(corpus.enronUser("germany-c").orElseThrow(),
                        m -> m.withFlags(EwsTestData.flagMix(m.label().hashCode() & 0xff).flags())).appended();
                CorpusMessage twice = corpus.enronUser("germany-c").orElseThrow().messages().get(0);
                RawMessage copy = RawMessage.of(twice).withCrlfLineEndings()
                        .withInternalDate(OffsetDateTime.parse("2001-02-03T04:05:06Z"));
                c.createFolder("Twice");
                loaded += c.append("Twice", List.of(copy, copy)).appended();
                source = c.snapshot();
            }
            MigrationEndpoint src = MigrationEndpoint.builder("greenmail", EndpointType.IMAP).host(GreenMailServer.HOST)
                    .port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationEndpoint dst = EwsMailboxFixture.endpoint(ews, "exchange");
            MigrationUserEntry user = new MigrationUserEntry(EMAIL, EMAIL, "pw", null, null, null);

            for (int pass = 1; pass <= 2; pass++) {
                // each pass: a new service with a new in-memory store, i.e. no migration state at all
                try (MigrationService service = MigrationService.builder().connector(provider).build()) {
                    MigrationBatch batch = service.newBatch("wave-" + pass).sourceEndpoint(src).targetEndpoint(dst)
                            .user(user).create();
                    ews.clearRequests();
                    batch.start();
                    assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();
                    assertThat(batch.status()).as("%s", batch.users()).isEqualTo(BatchStatus.SYNCED);
                }
                if (pass == 2) {
                    assertThat(ews.requests("CreateItem")).as("nothing created again").isEmpty();
                }
                SnapshotComparison c = MailboxSnapshot.compare(source, EwsTestData.snapshot(mailbox),
                        EwsTestData.toExchangeNamesWithoutSpecialUse('.'));
                assertThat(c.isIdentical()).as("pass %d:%n%s", pass, c).isTrue();
            }
            assertThat(provider.statistics().itemsCreated()).isEqualTo(loaded);
            assertThat(provider.statistics().itemsMatched()).isEqualTo(loaded);
            assertThat(mailbox.items(mailbox.folder("Twice").orElseThrow())).hasSize(2);
        }
    }
}
