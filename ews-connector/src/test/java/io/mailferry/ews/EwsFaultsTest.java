package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SessionObserver;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.ews.fake.Faults;
import io.mailferry.ews.internal.EwsRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The connector against a misbehaving Exchange: throttling, HTTP 503, broken and non-XML answers,
 * slow answers, per-item errors, lost answers to CreateItem, refused logins, an unreachable server
 * and an interrupted enumeration. Waits are recorded by a fake sleeper instead of made.
 */
class EwsFaultsTest {

    private static final String EMAIL = "faults@contoso.test";

    private FakeExchange exchange;
    private FakeMailbox mailbox;
    private FakeEwsServer server;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private EwsConnectorProvider provider;

    @BeforeEach
    void start() throws Exception {
        exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)
                .account(new FakeExchange.Account("CONTOSO\\helpdesk", "helpdesk-pw", null, false));
        mailbox = exchange.mailbox(EMAIL);
        server = FakeEwsServer.start(exchange);
        provider = new EwsConnectorProvider(new EwsRuntime(waits::add, RandomGenerator.of("L64X128MixRandom")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MigrationEndpoint.Builder endpoint() {
        return EwsMailboxFixture.endpoint(server, "faults").toBuilder();
    }

    private SourceMailbox source(MigrationEndpoint endpoint) {
        return provider.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)));
    }

    private TargetMailbox target(MigrationEndpoint endpoint) {
        return provider.openTarget(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)));
    }

    private List<FakeItem> seed(int n) {
        FakeFolder inbox = mailbox.distinguished("inbox");
        List<FakeItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(mailbox.deliver(inbox, TestMessages.plain("Message " + i, "body " + i), false,
                    Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i)));
        }
        return items;
    }

    /** Fetches everything from the inbox; returns delivered, failed (uid → reason) and too-large. */
    private record Fetched(List<Long> delivered, Map<Long, String> failed, Map<Long, String> tooLarge) {
    }

    private Fetched fetchAll(SourceMailbox source) {
        source.selectFolder("INBOX");
        List<MessageInfo> listed = source.listMessages("INBOX", 0, 1000);
        Fetched f = new Fetched(new ArrayList<>(), new java.util.TreeMap<>(), new java.util.TreeMap<>());
        source.fetchMessages("INBOX", listed, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws java.io.IOException {
                content.readAllBytes();
                f.delivered().add(message.uid());
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                f.failed().put(message.uid(), reason);
            }

            @Override
            public void tooLarge(MessageInfo message, String reason) {
                f.tooLarge().put(message.uid(), reason);
            }
        });
        return f;
    }

    @Test
    void serverBusyWaitsTheBackOffTheServerAskedForWithJitterAndReportsTheStall() {
        seed(3);
        server.faults().serverBusy("GetItem", 2, Duration.ofSeconds(30));
        List<String> stalls = new CopyOnWriteArrayList<>();
        List<Duration> resumed = new CopyOnWriteArrayList<>();
        try (SourceMailbox source = source(endpoint().build())) {
            source.observe(new SessionObserver() {
                @Override
                public void stalled(String reason, Duration wait) {
                    stalls.add(reason + " / " + wait.toMillis());
                }

                @Override
                public void resumed(Duration waited) {
                    resumed.add(waited);
                }
            });
            Fetched f = fetchAll(source);
            assertThat(f.delivered()).hasSize(3);
        }
        assertThat(waits).hasSize(2).allSatisfy(w -> assertThat(w.toMillis()).isBetween(30_000L, 33_000L));
        assertThat(stalls).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("ErrorServerBusy"));
        assertThat(resumed).hasSize(2);
        assertThat(provider.statistics().throttledWaits()).isEqualTo(2);
    }

    @Test
    void http503AndExceededConnectionCountBackOffExponentially() {
        seed(2);
        server.faults().add("FindItem", Faults.Kind.HTTP_503, 3, 0)
                .add("GetItem", Faults.Kind.EXCEEDED_CONNECTION_COUNT, 1, 0);
        try (SourceMailbox source = source(endpoint().property(EwsProperties.RETRY_INITIAL_DELAY, "1000")
                .property(EwsProperties.RETRY_MAX_DELAY, "60000").build())) {
            assertThat(fetchAll(source).delivered()).hasSize(2);
        }
        assertThat(waits).hasSize(4);
        // "equal jitter": between half and all of 1, 2, 4 s
        assertThat(waits.get(0).toMillis()).isBetween(500L, 1000L);
        assertThat(waits.get(1).toMillis()).isBetween(1000L, 2000L);
        assertThat(waits.get(2).toMillis()).isBetween(2000L, 4000L);
        assertThat(waits.get(3).toMillis()).isBetween(500L, 1000L);
    }

    @Test
    void truncatedAnswersAndSlowAnswersAreRetried() {
        seed(4);
        server.faults().add("GetItem", Faults.Kind.TRUNCATED, 1, 0)
                .add("FindItem", Faults.Kind.SLOW, 1, 3000);
        try (SourceMailbox source = source(endpoint().readTimeout(Duration.ofMillis(700)).build())) {
            assertThat(fetchAll(source).delivered()).hasSize(4);
        }
        assertThat(waits).hasSize(2);
        assertThat(server.faults().injected(Faults.Kind.TRUNCATED)).isEqualTo(1);
        assertThat(server.faults().injected(Faults.Kind.SLOW)).isEqualTo(1);
    }

    @Test
    void htmlInsteadOfXmlFailsWithAClearMessageOnceRetriesAreSpent() {
        seed(1);
        try (SourceMailbox source = source(endpoint().property(EwsProperties.RETRY_MAX_ATTEMPTS, "2").build())) {
            server.faults().add("GetFolder", Faults.Kind.HTML, 10, 0);
            ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> source.selectFolder("INBOX"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(ConnectorException.Kind.PROTOCOL);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("HTML");
        }
        assertThat(waits).hasSize(2);
    }

    @Test
    void perItemErrorsBecomeSkippedItemsWithTheServersReason() {
        List<FakeItem> items = seed(5);
        server.faults().itemError(items.get(1).id(), "ErrorMimeContentConversionFailed")
                .itemError(items.get(3).id(), "ErrorMessageSizeExceeded");
        try (SourceMailbox source = source(endpoint().build())) {
            source.selectFolder("INBOX");
            List<MessageInfo> listed = source.listMessages("INBOX", 0, 100);
            mailbox.delete(items.get(4));
            Fetched f = new Fetched(new ArrayList<>(), new java.util.TreeMap<>(), new java.util.TreeMap<>());
            source.fetchMessages("INBOX", listed, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws java.io.IOException {
                    content.readAllBytes();
                    f.delivered().add(message.uid());
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    f.failed().put(message.uid(), reason);
                }

                @Override
                public void tooLarge(MessageInfo message, String reason) {
                    f.tooLarge().put(message.uid(), reason);
                }
            });
            assertThat(f.delivered()).containsExactly(items.get(0).article(), items.get(2).article());
            assertThat(f.failed()).containsOnlyKeys(items.get(1).article(), items.get(4).article());
            assertThat(f.failed().get(items.get(1).article())).startsWith("ErrorMimeContentConversionFailed");
            assertThat(f.failed().get(items.get(4).article())).startsWith("ErrorItemNotFound");
            assertThat(f.tooLarge()).containsOnlyKeys(items.get(3).article());
        }
        assertThat(waits).isEmpty();
    }

    @Test
    void messagesTheTargetRefusesAreRefusedResultsWithTheReason() {
        exchange.maxMessageSize(2000);
        byte[] ok = TestMessages.plain("Fine", "fine");
        byte[] big = TestMessages.ofSize("Too big", 5000);
        byte[] broken = ("X-Fake-Error: ErrorMimeContentConversionFailed\r\n"
                + new String(TestMessages.plain("Broken", "x"), java.nio.charset.StandardCharsets.US_ASCII))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (TargetMailbox target = target(endpoint().build())) {
            List<AppendResult> r = target.append("INBOX", List.of(request(ok), request(big), request(broken)));
            assertThat(r.get(0).stored()).isTrue();
            assertThat(r.get(1).stored()).isFalse();
            assertThat(r.get(1).error()).startsWith("ErrorMessageSizeExceeded");
            assertThat(r.get(2).stored()).isFalse();
            assertThat(r.get(2).error()).startsWith("ErrorMimeContentConversionFailed");
        }
        assertThat(mailbox.items(mailbox.distinguished("inbox"))).hasSize(1);
    }

    @Test
    void aCreateItemWhoseAnswerGotLostIsNotRepeatedAndTheNextSessionFindsWhatItCreated() {
        List<AppendRequest> requests = List.of(request(TestMessages.plain("A", "a")),
                request(TestMessages.plain("B", "b")), request(TestMessages.plain("A", "a")));
        server.faults().add("CreateItem", Faults.Kind.TRUNCATED, 1, 0);
        try (TargetMailbox target = target(endpoint().build())) {
            ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> target.append("INBOX", requests));
            assertThat(e).isNotNull();
            assertThat(e.isTransient()).isTrue();
        }
        assertThat(server.requests("CreateItem")).hasSize(1);
        assertThat(mailbox.items(mailbox.distinguished("inbox"))).hasSize(3);
        try (TargetMailbox target = target(endpoint().build())) {
            List<AppendResult> r = target.append("INBOX", requests);
            assertThat(r).allSatisfy(x -> assertThat(x.stored()).isTrue());
            assertThat(r).extracting(AppendResult::uid).doesNotHaveDuplicates();
        }
        assertThat(server.requests("CreateItem")).hasSize(1);
        assertThat(mailbox.items(mailbox.distinguished("inbox"))).hasSize(3);
        assertThat(provider.statistics().itemsMatched()).isEqualTo(3);
    }

    @Test
    void refusedCredentialsAndImpersonationFailTheUserAtOnce() {
        // Basic: the fake checks Basic passwords (of NTLM it checks only user and domain)
        server.auth(FakeEwsServer.Auth.BASIC);
        MigrationEndpoint endpoint = endpoint().build();
        assertThatThrownBy(() -> provider.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, "wrong"))))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("401")
                .hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> provider.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials("CONTOSO\\helpdesk", "helpdesk-pw"))))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("ErrorImpersonateUserDenied")
                .hasMessageNotContaining("helpdesk-pw");
        assertThatThrownBy(() -> provider.openSource(endpoint, MailboxAccess.impersonating("nobody@contoso.test",
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD))))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("ErrorNonExistentMailbox");
        assertThat(waits).isEmpty();
    }

    @Test
    void anUnreachableServerIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MigrationEndpoint endpoint = EwsEndpoints.exchange("gone").host("127.0.0.1").port(port)
                .security(Security.NONE).adminCredentials(new Credentials("a", "b")).build();
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> provider.openSource(endpoint,
                MailboxAccess.impersonating(EMAIL, new Credentials("a", "b"))));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.CONNECTION);
        assertThat(e.getMessage()).contains("cannot connect");
    }

    @Test
    void anInterruptedEnumerationResumesFromTheLastSavedPage(@TempDir Path states) {
        seed(35);
        MigrationEndpoint endpoint = endpoint().property(EwsProperties.SYNC_PAGE_SIZE, "10")
                .property(EwsProperties.STATE_DIRECTORY, states.toString())
                .property(EwsProperties.RETRY_MAX_ATTEMPTS, "0").build();
        try (SourceMailbox source = source(endpoint)) {
            source.listFolders();
            server.clearRequests();
            // the third page's answer breaks: pages one and two are saved
            server.faults().add("SyncFolderItems", Faults.Kind.PASS, 2, 0)
                    .add("SyncFolderItems", Faults.Kind.TRUNCATED, 1, 0);
            assertThatThrownBy(() -> source.selectFolder("INBOX")).isInstanceOf(ConnectorException.class);
        }
        assertThat(server.requests("SyncFolderItems")).hasSize(3);
        String savedState = stateOf(server.requests("SyncFolderItems").get(2));
        assertThat(savedState).isNotNull();
        assertThat(states).isNotEmptyDirectory();
        server.clearRequests();
        // a new session (after a crash: a new provider on the same state directory) goes on from page three
        EwsConnectorProvider restarted = new EwsConnectorProvider(new EwsRuntime(waits::add,
                RandomGenerator.of("L64X128MixRandom")));
        try (SourceMailbox source = restarted.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)))) {
            assertThat(source.selectFolder("INBOX").messageCount()).isEqualTo(35);
            assertThat(source.listMessages("INBOX", 0, 100)).hasSize(35);
        }
        List<FakeEwsServer.Recorded> resumed = server.requests("SyncFolderItems");
        assertThat(resumed).hasSize(2);
        assertThat(stateOf(resumed.get(0))).isEqualTo(savedState);
        assertThat(resumed).allSatisfy(r -> assertThat(r.text()).contains("<t:BaseShape>IdOnly</t:BaseShape>")
                .contains("<m:MaxChangesReturned>10</m:MaxChangesReturned>"));
    }

    private static String stateOf(FakeEwsServer.Recorded r) {
        String t = r.text();
        int a = t.indexOf("<m:SyncState>");
        return a < 0 ? null : t.substring(a + 13, t.indexOf("</m:SyncState>"));
    }

    private static AppendRequest request(byte[] raw) {
        return new AppendRequest(MessageFlags.NONE, Instant.parse("2024-02-02T02:02:02Z"), MessageContent.of(raw));
    }
}
