package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.EndpointType;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Exchange source batch from the EWS onboarding CSV ({@link CsvSchema#REMOTE}: {@code EmailAddress}
 * with optional {@code BadItemLimit}, {@code LargeItemLimit}, {@code MailboxType}): a message too
 * large for the connector's memory budget is a large item, and each row's {@code LargeItemLimit}
 * decides whether that user may skip it, over the batch's own limit.
 */
class EwsRemoteCsvTest {

    private static final String ANN = "ann@contoso.test";
    private static final String BOB = "bob@contoso.test";
    /** The smallest budget the connector accepts; a 300 KB message weighs about 7 × 300 KB. */
    private static final long BUDGET = 1024 * 1024;

    @Test
    void eachRowsLargeItemLimitDecidesAboutAMessageTooLargeForTheConnector() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        for (String address : List.of(ANN, BOB)) {
            FakeMailbox mb = exchange.mailbox(address);
            for (int i = 0; i < 2; i++) {
                mb.deliver(mb.distinguished("inbox"), TestMessages.ofSize("Small " + i + " for " + address, 2_000),
                        false, Instant.parse("2025-01-0" + (i + 1) + "T09:00:00Z"));
            }
            mb.deliver(mb.distinguished("inbox"), TestMessages.ofSize("Large for " + address, 300_000), true,
                    Instant.parse("2025-01-05T09:00:00Z"));
        }
        String csvText = "EmailAddress,BadItemLimit,LargeItemLimit,MailboxType\r\n"
                + ANN + ",0,1,PrimaryOnly\r\n"
                + BOB + ",,,\r\n";
        MigrationCsv csv = MigrationCsvReader.of(CsvSchema.REMOTE).read(new StringReader(csvText));
        assertThat(csv.rejectedRows()).isEmpty();
        List<MigrationUserEntry> users = new ArrayList<>();
        for (MigrationUserEntry e : csv.entries()) {
            // GreenMail has no administrator to impersonate with: each target mailbox logs in itself
            users.add(new MigrationUserEntry(e.emailAddress(), e.sourceUserName(), e.sourcePassword(),
                    e.emailAddress(), "pw", e.userRoot(), e.overrides()));
        }

        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start();
             MigrationService service = MigrationService.builder().connector(new EwsConnectorProvider()).build()) {
            greenMail.greenMail().setUser(ANN, ANN, "pw");
            greenMail.greenMail().setUser(BOB, BOB, "pw");
            MigrationEndpoint source = EwsMailboxFixture.endpoint(ews, "exchange-2013").toBuilder()
                    .property(EwsProperties.MAX_BYTES_IN_FLIGHT, Long.toString(BUDGET)).build();
            MigrationEndpoint target = MigrationEndpoint.builder("greenmail", EndpointType.IMAP)
                    .host(GreenMailServer.HOST).port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationBatch batch = service.newBatch("remote-1").sourceEndpoint(source).targetEndpoint(target)
                    .users(users).largeItemLimit(ItemLimit.ZERO).create();

            batch.start();
            assertThat(batch.awaitStatus(Duration.ofMinutes(3), BatchStatus::isSettled)).isTrue();

            MigrationUser ann = batch.user(ANN).orElseThrow();
            assertThat(ann.status()).as("%s", ann).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(ann.statistics().syncedItemCount()).isEqualTo(2);
            assertThat(batch.skippedItems(ANN)).singleElement().satisfies(item -> {
                assertThat(item.kind()).isEqualTo(SkippedItemKind.LARGE_ITEM);
                assertThat(item.reason()).contains(EwsProperties.MAX_BYTES_IN_FLIGHT);
            });
            MigrationUser bob = batch.user(BOB).orElseThrow();
            assertThat(bob.status()).as("%s", bob).isEqualTo(MigrationUserStatus.FAILED);
            assertThat(bob.error()).contains("LargeItemLimit");
            try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort())
                    .login(ANN, "pw")) {
                assertThat(c.snapshot().folder("INBOX").orElseThrow().messages()).hasSize(2);
            }
        }
    }
}
