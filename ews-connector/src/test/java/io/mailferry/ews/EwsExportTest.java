package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchange → Exchange with full fidelity ({@code ews.itemTransfer=export} on both endpoints):
 * items travel as ExportItems streams and are stored with UploadItems, so calendar items,
 * contacts and tasks move with every property, in folders of the right class.
 */
class EwsExportTest {

    private static final String EMAIL = "export@contoso.test";

    private record Expected(String folder, String itemClass, byte[] mime, boolean read, List<String> categories) {
    }

    @Test
    void calendarContactsTasksAndMailMoveWithFullFidelity() throws Exception {
        FakeExchange sourceOrg = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeExchange targetOrg = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeMailbox source = sourceOrg.mailbox(EMAIL);
        FakeMailbox target = targetOrg.mailbox(EMAIL);
        List<Expected> expected = new ArrayList<>();
        int[] n = {0};
        item(source, "Calendar", "IPF.Appointment", "IPM.Appointment", expected, n, 3);
        item(source, "Calendar/Team", "IPF.Appointment", "IPM.Appointment", expected, n, 1);
        item(source, "Urlaub", "IPF.Appointment", "IPM.Appointment", expected, n, 2);
        item(source, "Contacts", "IPF.Contact", "IPM.Contact", expected, n, 2);
        item(source, "Tasks", "IPF.Task", "IPM.Task", expected, n, 1);
        item(source, "INBOX", "IPF.Note", "IPM.Note", expected, n, 3);

        try (FakeEwsServer from = FakeEwsServer.start(sourceOrg); FakeEwsServer to = FakeEwsServer.start(targetOrg);
             MigrationService service = MigrationService.builder().build()) {
            MigrationEndpoint src = EwsMailboxFixture.endpoint(from, "exchange-2010").toBuilder()
                    .property(EwsProperties.ITEM_TRANSFER, "export").build();
            MigrationEndpoint dst = EwsMailboxFixture.endpoint(to, "exchange-se").toBuilder()
                    .property(EwsProperties.ITEM_TRANSFER, "export").build();
            MigrationBatch batch = service.newBatch("cross-forest").sourceEndpoint(src).targetEndpoint(dst)
                    .user(new MigrationUserEntry(EMAIL, EMAIL, null, null, null, null)).create();
            batch.start();
            assertThat(batch.awaitStatus(Duration.ofMinutes(2), BatchStatus::isSettled)).isTrue();
            assertThat(batch.status()).as("%s", batch.users()).isEqualTo(BatchStatus.SYNCED);

            for (Expected e : expected) {
                FakeFolder f = target.folder(e.folder()).orElseThrow(() -> new AssertionError("no " + e.folder()));
                assertThat(target.items(f)).as(e.folder()).anySatisfy(i -> {
                    assertThat(i.itemClass()).isEqualTo(e.itemClass());
                    assertThat(i.mime()).isEqualTo(e.mime());
                    assertThat(i.read()).isEqualTo(e.read());
                    assertThat(i.categories()).isEqualTo(e.categories());
                    assertThat(i.named("MailFerrySourceId")).startsWith("sha256:");
                });
            }
            assertThat(target.itemCount()).isEqualTo(expected.size());
            // folders MailFerry created take the class of the folder they were exported from
            assertThat(target.folder("Urlaub").orElseThrow().folderClass()).isEqualTo("IPF.Appointment");
            assertThat(target.folder("Calendar/Team").orElseThrow().folderClass()).isEqualTo("IPF.Appointment");

            SoapXPath export = SoapXPath.of(from.requests("ExportItems").get(0).body());
            assertThat(export.count("/s:Envelope/s:Body/m:ExportItems/m:ItemIds/t:ItemId")).isPositive();
            assertThat(export.string("/s:Envelope/s:Header/t:RequestServerVersion/@Version"))
                    .isEqualTo("Exchange2010_SP2");
            SoapXPath upload = SoapXPath.of(to.requests("UploadItems").get(0).body());
            assertThat(upload.string("//m:Items/t:Item/@CreateAction")).isEqualTo("CreateNew");
            assertThat(upload.count("//m:Items/t:Item/t:ParentFolderId/@Id")).isPositive();
            assertThat(upload.count("//m:Items/t:Item/t:Data")).isPositive();
            assertThat(to.requests("CreateItem")).as("no MIME import with export transfer").isEmpty();
            assertThat(from.requests("GetItem")).noneMatch(r -> r.text().contains("item:MimeContent"));

            long synced = batch.user(EMAIL).orElseThrow().statistics().syncedItemCount();
            batch.syncNow();
            assertThat(batch.awaitStatus(Duration.ofMinutes(2), BatchStatus::isSettled)).isTrue();
            assertThat(batch.user(EMAIL).orElseThrow().statistics().syncedItemCount()).isEqualTo(synced);
            assertThat(target.itemCount()).isEqualTo(expected.size());
        }
    }

    private static void item(FakeMailbox mb, String folder, String folderClass, String itemClass,
                             List<Expected> expected, int[] n, int count) {
        FakeFolder f = folder.equals("INBOX") ? mb.distinguished("inbox") : mb.folder(folder)
                .orElseGet(() -> mb.createFolder(folder, folderClass));
        for (int i = 0; i < count; i++) {
            int k = ++n[0];
            byte[] body = (itemClass + " number " + k + "\r\nBEGIN:VCALENDAR\r\nSUMMARY:Item " + k + "\r\nEND:VCALENDAR\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            FakeItem item = mb.deliver(f, body, k % 2 == 0, Instant.parse("2024-03-01T10:00:00Z").plusSeconds(k));
            List<String> categories = k % 3 == 0 ? List.of("Team") : List.of();
            mb.change(item, it -> {
                it.setItemClass(itemClass);
                it.setCategories(categories);
            });
            expected.add(new Expected(folder, itemClass, body, k % 2 == 0, categories));
        }
    }
}
