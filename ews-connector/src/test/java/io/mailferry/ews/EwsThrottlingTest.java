package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.core.SyncStage;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.ews.fake.Faults;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration from an Exchange that throttles: {@code ErrorServerBusy} with
 * {@code BackOffMilliseconds} on SyncFolderItems and GetItem, HTTP 503 on FindItem,
 * {@code ErrorExceededConnectionCount}, a per-item {@code ErrorServerBusy} inside an HTTP 200 answer.
 * The batch completes with everything copied; the waits show in the connector's statistics, as
 * the user's stage "stalled: source throttled" (and status detail) in progress events, and in the
 * user's {@code TotalStalledDuration}.
 */
class EwsThrottlingTest {

    private static final String EMAIL = "germany-c@enron.example";

    @Test
    void aThrottledRunCompletesWithTheWaitsVisible() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeMailbox mailbox = exchange.mailbox(EMAIL);
        Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
        int loaded = EwsTestData.load(mailbox, corpus.enronUser("germany-c").orElseThrow(), new int[1]);
        FakeItem someItem = mailbox.items(mailbox.folders().stream().filter(f -> !mailbox.items(f).isEmpty())
                .findFirst().orElseThrow()).get(0);
        List<MigrationEvent.UserProgress> progress = new CopyOnWriteArrayList<>();
        EwsConnectorProvider provider = new EwsConnectorProvider();
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start();
             MigrationService service = MigrationService.builder().connector(provider).listener(new MigrationListener() {
                 @Override
                 public void onUserProgress(MigrationEvent.UserProgress event) {
                     progress.add(event);
                 }
             }).build()) {
            ews.faults()
                    .serverBusy("SyncFolderItems", 1, Duration.ofMillis(150))
                    .serverBusy("GetItem", 3, Duration.ofMillis(200))
                    .add("FindItem", Faults.Kind.HTTP_503, 2, 0)
                    .add("GetItem", Faults.Kind.EXCEEDED_CONNECTION_COUNT, 1, 0)
                    .itemBusy(someItem.id(), 1);
            greenMail.greenMail().setUser(EMAIL, EMAIL, "pw");
            MigrationEndpoint source = EwsMailboxFixture.endpoint(ews, "throttling-exchange").toBuilder()
                    .property(EwsProperties.RETRY_INITIAL_DELAY, "20")
                    .property(EwsProperties.RETRY_MAX_DELAY, "2000")
                    .build();
            MigrationEndpoint target = MigrationEndpoint.builder("greenmail", EndpointType.IMAP)
                    .host(GreenMailServer.HOST).port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationBatch batch = service.newBatch("throttled").sourceEndpoint(source).targetEndpoint(target)
                    .user(new MigrationUserEntry(EMAIL, EMAIL, null, EMAIL, "pw", null)).create();

            batch.start();
            assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();

            assertThat(batch.status()).as("%s", batch.users()).isEqualTo(BatchStatus.SYNCED);
            assertThat(batch.user(EMAIL).orElseThrow().statistics().syncedItemCount()).isEqualTo(loaded);
            try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort())
                    .login(EMAIL, "pw")) {
                SnapshotComparison cmp = EwsTestData.compareWithGreenMail(EwsTestData.snapshot(mailbox), c.snapshot());
                assertThat(cmp.isIdentical()).as("%s", cmp).isTrue();
            }
            assertThat(ews.faults().injected(Faults.Kind.SERVER_BUSY)).isEqualTo(5);
            assertThat(ews.faults().injected(Faults.Kind.HTTP_503)).isEqualTo(2);
            assertThat(ews.faults().injected(Faults.Kind.EXCEEDED_CONNECTION_COUNT)).isEqualTo(1);

            EwsStatistics stats = provider.statistics();
            assertThat(stats.throttledWaits()).isEqualTo(8);
            // the server's BackOffMilliseconds are honoured (plus jitter): 150 + 3 × 200 ms at least
            assertThat(stats.throttledMillis()).isGreaterThanOrEqualTo(750);
            assertThat(stats.retries()).isGreaterThanOrEqualTo(8);
            assertThat(progress).anySatisfy(e -> {
                assertThat(e.user().stage()).isEqualTo(SyncStage.STALLED_SOURCE_THROTTLED);
                assertThat(e.user().statusDetail()).startsWith("Stalled: source throttled");
            });
            // the waits are the user's stalled time (TotalStalledDuration), at least the back-offs asked for
            assertThat(batch.user(EMAIL).orElseThrow().statistics().totalStalledDuration())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(750));
            System.out.printf("EwsThrottlingTest: %d throttled waits, %d ms waited, %d progress events while stalled%n",
                    stats.throttledWaits(), stats.throttledMillis(), progress.stream()
                            .filter(e -> e.user().stage() == SyncStage.STALLED_SOURCE_THROTTLED).count());
        }
    }
}
