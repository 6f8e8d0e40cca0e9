package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SOAP MailFerry sends, checked with XPath: operations, shapes, the impersonation header,
 * the SyncState echo, page sizes, the property tags that carry flags, dates and the source
 * identity, and the HTTP headers (User-Agent, X-AnchorMailbox, authorization).
 */
class EwsGoldenRequestTest {

    private static final String EMAIL = "golden@contoso.test";
    private static final String ARTICLE = "t:ExtendedFieldURI[@PropertyTag='3619' and @PropertyType='Integer']";

    private FakeEwsServer server;
    private FakeMailbox mailbox;
    private final EwsConnectorProvider provider = new EwsConnectorProvider();

    @BeforeEach
    void start() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        mailbox = exchange.mailbox(EMAIL);
        server = FakeEwsServer.start(exchange);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MailboxAccess access() {
        return MailboxAccess.impersonating(EMAIL, new Credentials(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD));
    }

    private static SoapXPath xml(FakeEwsServer.Recorded r) {
        return SoapXPath.of(r.body());
    }

    @Test
    void everyRequestCarriesTheVersionTheImpersonationAndTheRoutingAndClientHeaders() {
        try (SourceMailbox source = provider.openSource(EwsMailboxFixture.endpoint(server, "golden"), access())) {
            source.listFolders();
        }
        assertThat(server.requests()).filteredOn(r -> !r.operation().startsWith("401"))
                .isNotEmpty().allSatisfy(r -> {
                    SoapXPath x = xml(r);
                    assertThat(x.string("/s:Envelope/s:Header/t:RequestServerVersion/@Version"))
                            .isEqualTo("Exchange2010_SP2");
                    assertThat(x.string("/s:Envelope/s:Header/t:ExchangeImpersonation/t:ConnectingSID/t:SmtpAddress"))
                            .isEqualTo(EMAIL);
                    assertThat(r.headers().get("x-anchormailbox")).isEqualTo(EMAIL);
                    assertThat(r.headers().get("user-agent")).startsWith("MailFerry/");
                    assertThat(r.text()).doesNotContain(EwsMailboxFixture.ADMIN_PASSWORD);
                });
        SoapXPath hierarchy = xml(server.requests("SyncFolderHierarchy").get(0));
        assertThat(hierarchy.string("//m:SyncFolderId/t:DistinguishedFolderId/@Id")).isEqualTo("msgfolderroot");
        assertThat(hierarchy.count("//m:FolderShape//t:ExtendedFieldURI[@PropertyTag='4340']")).as("hidden").isOne();
        SoapXPath wellKnown = xml(server.requests("GetFolder").get(1));
        assertThat(wellKnown.count("//m:FolderIds/t:DistinguishedFolderId")).isEqualTo(6);
    }

    @Test
    void sourceSyncsIdOnlyInPagesOf512EchoesTheSyncStateAndListsByArticleNumber() {
        FakeFolder inbox = mailbox.distinguished("inbox");
        for (int i = 0; i < 3; i++) {
            mailbox.deliver(inbox, TestMessages.plain("M" + i, "x"), false, Instant.parse("2024-01-01T00:00:00Z"));
        }
        try (SourceMailbox source = provider.openSource(EwsMailboxFixture.endpoint(server, "golden"), access())) {
            source.selectFolder("INBOX");
            List<MessageInfo> listed = source.listMessages("INBOX", 1, 100);
            source.fetchMessages("INBOX", listed, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws java.io.IOException {
                    content.readAllBytes();
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    throw new AssertionError(reason);
                }
            });
            source.selectFolder("INBOX");
        }
        List<FakeEwsServer.Recorded> syncs = server.requests("SyncFolderItems");
        assertThat(syncs).hasSize(2);
        SoapXPath first = xml(syncs.get(0));
        assertThat(first.operation()).isEqualTo("SyncFolderItems");
        assertThat(first.string("//m:ItemShape/t:BaseShape")).isEqualTo("IdOnly");
        assertThat(first.count("//m:ItemShape/t:AdditionalProperties")).isZero();
        assertThat(first.string("//m:MaxChangesReturned")).isEqualTo("512");
        assertThat(first.string("//m:SyncScope")).isEqualTo("NormalItems");
        assertThat(first.string("//m:SyncFolderId/t:FolderId/@Id")).isEqualTo(inbox.id());
        assertThat(first.count("//m:SyncState")).isZero();
        String stateReturned = answerState(inbox);
        assertThat(xml(syncs.get(1)).string("//m:SyncState")).isEqualTo(stateReturned);

        SoapXPath find = xml(server.requests("FindItem").get(0));
        assertThat(find.string("/s:Envelope/s:Body/m:FindItem/@Traversal")).isEqualTo("Shallow");
        assertThat(find.count("//m:Restriction/t:IsGreaterThanOrEqualTo/" + ARTICLE)).isOne();
        assertThat(find.string("//m:Restriction/t:IsGreaterThanOrEqualTo/t:FieldURIOrConstant/t:Constant/@Value"))
                .isEqualTo("2");
        assertThat(find.count("//m:SortOrder/t:FieldOrder[@Order='Ascending']/" + ARTICLE)).isOne();
        assertThat(Integer.parseInt(find.string("//m:IndexedPageItemView/@MaxEntriesReturned"))).isBetween(1, 1000);
        for (String tag : List.of("3591", "4240", "4225")) {
            assertThat(find.count("//m:ItemShape/t:AdditionalProperties/t:ExtendedFieldURI[@PropertyTag='" + tag + "']"))
                    .as("tag %s", tag).isOne();
        }

        SoapXPath get = xml(server.requests("GetItem").get(0));
        assertThat(get.string("//m:ItemShape/t:BaseShape")).isEqualTo("IdOnly");
        assertThat(get.count("//m:ItemShape/t:AdditionalProperties/t:FieldURI[@FieldURI='item:MimeContent']")).isOne();
        assertThat(get.count("//m:ItemIds/t:ItemId")).isEqualTo(2);
    }

    /** The SyncState the fake answered the first SyncFolderItems with (the fake's states are deterministic). */
    private String answerState(FakeFolder inbox) {
        long lastSeq = mailbox.items(inbox).size();
        return Base64.getEncoder().encodeToString(("sfi|" + inbox.id() + "|1|" + lastSeq)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void targetCreatesItemsWithMimeAndTheFlagDateAndIdentityProperties() throws Exception {
        byte[] raw = TestMessages.plain("Golden", "golden body");
        Instant date = Instant.parse("2019-01-02T03:04:05Z");
        MessageFlags flags = MessageFlags.of(MessageFlags.SEEN, MessageFlags.FLAGGED, MessageFlags.ANSWERED,
                "$Forwarded", "Projekt_A");
        try (TargetMailbox target = provider.openTarget(EwsMailboxFixture.endpoint(server, "golden"), access())) {
            target.createFolder("Archiv/2019");
            target.append("Archiv/2019", List.of(new AppendRequest(flags, date, content(raw))));
        }
        SoapXPath folder = xml(server.requests("CreateFolder").get(0));
        assertThat(folder.string("//m:Folders/t:Folder/t:DisplayName")).isEqualTo("Archiv");
        assertThat(folder.string("//m:Folders/t:Folder/t:FolderClass")).isEqualTo("IPF.Note");

        SoapXPath create = xml(server.requests("CreateItem").get(0));
        assertThat(create.string("/s:Envelope/s:Body/m:CreateItem/@MessageDisposition")).isEqualTo("SaveOnly");
        FakeFolder target = mailbox.folder("Archiv/2019").orElseThrow();
        assertThat(create.string("//m:SavedItemFolderId/t:FolderId/@Id")).isEqualTo(target.id());
        assertThat(create.string("local-name(//m:Items/t:Message/*[1])")).as("MimeContent comes first")
                .isEqualTo("MimeContent");
        assertThat(create.string("//t:Message/t:MimeContent/@CharacterSet")).isEqualTo("UTF-8");
        assertThat(Base64.getMimeDecoder().decode(create.string("//t:Message/t:MimeContent"))).isEqualTo(raw);
        assertThat(value(create, "@PropertyTag='3591' and @PropertyType='Integer'")).as("PidTagMessageFlags: read, not unsent")
                .isEqualTo("1");
        assertThat(value(create, "@PropertyTag='3590' and @PropertyType='SystemTime'"))
                .as("PidTagMessageDeliveryTime").isEqualTo("2019-01-02T03:04:05Z");
        assertThat(value(create, "@PropertyTag='4240'")).as("PidTagFlagStatus").isEqualTo("2");
        assertThat(value(create, "@PropertyTag='4225'")).as("PidTagLastVerbExecuted").isEqualTo("102");
        assertThat(value(create, "@PropertyTag='4224'")).as("PidTagIconIndex").isEqualTo("261");
        assertThat(value(create, "@PropertyName='MailFerryImapFlags'")).isEqualTo("$Forwarded");
        String sourceId = value(create, "@PropertyName='MailFerrySourceId' and @PropertyType='String'");
        assertThat(sourceId).isEqualTo("sha256:" + TestMessages.sha256(raw) + "/" + date.getEpochSecond());
        assertThat(create.string("//t:ExtendedFieldURI[@PropertyName='MailFerrySourceId']/@PropertySetId"))
                .isEqualToIgnoringCase("6d61696c-6665-7272-7900-0000000000e5");
        assertThat(create.string("//t:Message/t:Categories/t:String")).isEqualTo("Projekt_A");
        assertThat(create.string("//t:Message/t:IsRead")).isEqualTo("true");

        FakeItem stored = mailbox.items(target).get(0);
        assertThat(stored.mime()).isEqualTo(raw);
        assertThat(stored.draft()).isFalse();
        assertThat(stored.received()).isEqualTo(date);
    }

    private static String value(SoapXPath x, String uriPredicate) {
        return x.string("//t:Message/t:ExtendedProperty[t:ExtendedFieldURI[" + uriPredicate + "]]/t:Value");
    }

    @Test
    void basicIsSentWithTheFirstRequestAndBearerTokensAsTheyAre() {
        server.auth(FakeEwsServer.Auth.ANY);
        server.exchange().user("bob@contoso.test", "bobs-token");
        MigrationEndpoint basic = EwsMailboxFixture.endpoint(server, "basic").toBuilder()
                .property(EwsProperties.AUTHENTICATION, "basic").build();
        try (SourceMailbox s = provider.openSource(basic, access())) {
            s.listFolders();
        }
        assertThat(server.requests()).noneMatch(r -> r.operation().startsWith("401"))
                .allSatisfy(r -> assertThat(r.headers().get("authorization")).startsWith("Basic "));
        server.clearRequests();
        MigrationEndpoint bearer = EwsMailboxFixture.endpoint(server, "bearer").toBuilder()
                .adminCredentials(null).property(EwsProperties.AUTHENTICATION, "bearer").build();
        try (SourceMailbox s = provider.openSource(bearer, MailboxAccess.own(new Credentials("bob@contoso.test",
                "bobs-token")))) {
            s.listFolders();
        }
        assertThat(server.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.headers().get("authorization")).isEqualTo("Bearer bobs-token");
            assertThat(r.impersonated()).isNull();
            assertThat(r.headers().get("x-anchormailbox")).isEqualTo("bob@contoso.test");
        });
    }

    @Test
    void ntlmSendsAnNtlmV2AnswerWithTheDomainAndUserOfTheLogin() {
        server.auth(FakeEwsServer.Auth.NTLM);
        try (SourceMailbox s = provider.openSource(EwsMailboxFixture.endpoint(server, "ntlm"), access())) {
            s.listFolders();
        }
        List<FakeEwsServer.Recorded> all = server.requests();
        assertThat(all.get(0).operation()).startsWith("401");
        assertThat(all.get(0).headers()).doesNotContainKey("authorization");
        assertThat(all.get(1).headers().get("authorization")).startsWith("NTLM TlRMTVNTUAAB");
        assertThat(all.get(2).headers().get("authorization")).startsWith("NTLM TlRMTVNTUAAD");
        assertThat(all.get(2).login()).isEqualTo(EwsMailboxFixture.ADMIN);
        assertThat(all.subList(3, all.size())).as("the connection stays authenticated")
                .allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
    }

    private static MessageContent content(byte[] raw) {
        return MessageContent.of(raw);
    }
}
