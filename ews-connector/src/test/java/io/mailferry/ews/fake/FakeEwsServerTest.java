package io.mailferry.ews.fake;

import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.search.FolderTraversal;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.enumeration.sync.ChangeType;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.search.FindFoldersResults;
import microsoft.exchange.webservices.data.search.FolderView;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.ItemChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake itself, through ews-java-api directly: FindFolder traversal and paging, and the
 * SyncFolderItems change log (pages of at most the asked size, changes of one item collapsed, a
 * create and a delete within one window cancelling out, opaque states that go stale).
 */
class FakeEwsServerTest {

    private FakeExchange exchange;
    private FakeMailbox mailbox;
    private FakeEwsServer server;
    private ExchangeService service;

    @BeforeEach
    void start() throws Exception {
        exchange = new FakeExchange().serviceAccount("CONTOSO\\svc", "pw");
        mailbox = exchange.mailbox("fake@contoso.test");
        server = FakeEwsServer.start(exchange);
        service = new ExchangeService();
        service.setUrl(server.ewsUrl());
        service.setCredentials(new WebCredentials("svc", "pw", "CONTOSO"));
        service.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, "fake@contoso.test"));
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
    }

    @Test
    void findFolderTraversesShallowOrDeepAndPages() throws Exception {
        mailbox.createFolder("Projects/2024/Q1", "IPF.Note");
        mailbox.createFolder("Projects/2023", "IPF.Note");

        FindFoldersResults shallow = service.findFolders(new FolderId(WellKnownFolderName.MsgFolderRoot),
                new FolderView(100));
        FolderView deepView = new FolderView(3);
        deepView.setTraversal(FolderTraversal.Deep);
        List<String> deep = new ArrayList<>();
        FindFoldersResults page;
        do {
            page = service.findFolders(new FolderId(WellKnownFolderName.MsgFolderRoot), deepView);
            for (Folder f : page.getFolders()) {
                deep.add(f.getDisplayName());
            }
            deepView.setOffset(page.getNextPageOffset() == null ? 0 : page.getNextPageOffset());
        } while (page.isMoreAvailable());

        assertThat(shallow.getFolders()).extracting(Folder::getDisplayName).contains("Inbox", "Projects")
                .doesNotContain("2024", "Q1");
        assertThat(deep).contains("Inbox", "Projects", "2024", "Q1", "2023").doesNotHaveDuplicates();
        assertThat(server.requests("FindFolder").size()).isGreaterThan(1);
    }

    @Test
    void syncFolderItemsPagesCollapsesAndExpires() throws Exception {
        FakeFolder inbox = mailbox.distinguished("inbox");
        List<FakeItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(mailbox.deliver(inbox, ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII),
                    false, Instant.parse("2024-01-01T00:00:00Z")));
        }
        mailbox.change(items.get(0), it -> it.setRead(true));
        mailbox.delete(items.get(6));

        List<ChangeType> first = new ArrayList<>();
        String state = null;
        int pages = 0;
        ChangeCollection<ItemChange> c;
        do {
            c = service.syncFolderItems(new FolderId(inbox.id()), PropertySet.IdOnly, null, 4,
                    SyncFolderItemsScope.NormalItems, state);
            c.forEach(x -> first.add(x.getChangeType()));
            state = c.getSyncState();
            pages++;
            assertThat(c.getCount()).isLessThanOrEqualTo(4);
        } while (c.getMoreChangesAvailable());

        assertThat(pages).isEqualTo(2);
        // item 6, created and deleted within the second window, does not appear; item 0, created in the
        // first window and read later, is a read-flag change in the second
        assertThat(first).containsExactly(ChangeType.Create, ChangeType.Create, ChangeType.Create, ChangeType.Create,
                ChangeType.Create, ChangeType.Create, ChangeType.ReadFlagChange);

        mailbox.change(items.get(1), it -> it.setRead(true));
        mailbox.change(items.get(2), it -> it.setFlagStatus(2));
        mailbox.delete(items.get(3));
        List<ChangeType> next = new ArrayList<>();
        service.syncFolderItems(new FolderId(inbox.id()), PropertySet.IdOnly, null, 512,
                SyncFolderItemsScope.NormalItems, state).forEach(x -> next.add(x.getChangeType()));
        assertThat(next).containsExactly(ChangeType.ReadFlagChange, ChangeType.Update, ChangeType.Delete);

        mailbox.invalidateSyncStates(inbox);
        String stale = state;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.syncFolderItems(new FolderId(inbox.id()),
                PropertySet.IdOnly, null, 512, SyncFolderItemsScope.NormalItems, stale))
                .hasMessageContaining("corrupt or otherwise invalid");
    }
}
