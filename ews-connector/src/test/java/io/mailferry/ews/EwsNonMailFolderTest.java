package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointType;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.csv.MigrationReports;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchange → IMAP: the calendar and contacts folders, which hold no mail, are the user's skipped items
 * (one each, with the reason and the item count), recorded once however many passes run, counting
 * against no limit, in the skipped-items report; the mail moves. Empty non-mail folders (Tasks, Notes,
 * Journal) and hidden folders are not reported.
 */
class EwsNonMailFolderTest {

    private static final String ANN = "ann@contoso.test";

    @TempDir
    Path reports;

    @Test
    void calendarAndContactsAreSkippedItemsWithTheReasonAndTheMailMoves() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeMailbox mb = exchange.mailbox(ANN);
        for (int i = 0; i < 3; i++) {
            mb.deliver(mb.distinguished("inbox"), TestMessages.plain("Mail " + i, "body " + i), false,
                    Instant.parse("2025-01-0" + (i + 1) + "T09:00:00Z"));
        }
        for (int i = 0; i < 2; i++) {
            mb.deliver(mb.distinguished("calendar"), TestMessages.plain("Meeting " + i, "x"), true,
                    Instant.parse("2025-02-0" + (i + 1) + "T09:00:00Z"));
        }
        mb.deliver(mb.distinguished("contacts"), TestMessages.plain("Contact", "x"), true,
                Instant.parse("2025-03-01T09:00:00Z"));
        List<MigrationEvent.ItemSkipped> events = new CopyOnWriteArrayList<>();
        CountDownLatch twoEvents = new CountDownLatch(2);

        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start();
             MigrationService service = MigrationService.builder().connector(new EwsConnectorProvider())
                     .listener(new MigrationListener() {
                         @Override
                         public void onItemSkipped(MigrationEvent.ItemSkipped event) {
                             events.add(event);
                             twoEvents.countDown();
                         }
                     }).build()) {
            greenMail.greenMail().setUser(ANN, ANN, "pw");
            MigrationEndpoint source = EwsMailboxFixture.endpoint(ews, "exchange-2013");
            MigrationEndpoint target = MigrationEndpoint.builder("greenmail", EndpointType.IMAP)
                    .host(GreenMailServer.HOST).port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationBatch batch = service.newBatch("cutover-1").sourceEndpoint(source).targetEndpoint(target)
                    .users(List.of(new MigrationUserEntry(ANN, ANN, null, ANN, "pw", null)))
                    .badItemLimit(ItemLimit.ZERO).largeItemLimit(ItemLimit.ZERO).create();

            batch.start();
            assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();
            batch.syncNow();
            assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();

            MigrationUser ann = batch.user(ANN).orElseThrow();
            assertThat(ann.status()).as("%s", ann).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(ann.statistics().syncedItemCount()).isEqualTo(3);
            assertThat(ann.statistics().skippedItemCount()).isEqualTo(2);
            List<SkippedItem> skipped = batch.skippedItems(ANN);
            assertThat(skipped).as("one per folder, recorded by the first pass only")
                    .extracting(SkippedItem::folder).containsExactly("Calendar", "Contacts");
            assertThat(skipped).allSatisfy(item -> {
                assertThat(item.kind()).isEqualTo(SkippedItemKind.NON_MAIL_FOLDER);
                assertThat(item.sourceUid()).isZero();
                assertThat(item.reason()).contains("not mail").contains("ews.itemTransfer=export");
            });
            assertThat(skipped.get(0).reason()).startsWith("calendar folder (FolderClass IPF.Appointment)")
                    .endsWith("; 2 item(s) not migrated");
            assertThat(skipped.get(1).reason()).startsWith("contacts folder (FolderClass IPF.Contact)")
                    .endsWith("; 1 item(s) not migrated");
            assertThat(twoEvents.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(events).extracting(e -> e.item().folder()).containsExactly("Calendar", "Contacts");

            try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort())
                    .login(ANN, "pw")) {
                var snapshot = c.snapshot();
                assertThat(snapshot.folder("INBOX").orElseThrow().messages()).hasSize(3);
                assertThat(snapshot.folder("Calendar")).isEmpty();
                assertThat(snapshot.folder("Contacts")).isEmpty();
            }

            MigrationReports.writeAll(reports, batch.users(), List.of(), batch::skippedItems);
            String report = Files.readString(reports.resolve(MigrationReports.SKIPPED_ITEMS_DIRECTORY)
                    .resolve(MigrationReports.skippedItemsFileName(ANN)), StandardCharsets.UTF_8);
            assertThat(report).contains("Calendar").contains("NonMailFolder").contains("2 item(s) not migrated");
        }
    }
}
