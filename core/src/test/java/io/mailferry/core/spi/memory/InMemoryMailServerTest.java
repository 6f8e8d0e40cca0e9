package io.mailferry.core.spi.memory;

import io.mailferry.core.Credentials;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.UnableToConnectException;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryMailServer.Operation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The in-memory server's own features: logins, fault injection and instrumentation. */
class InMemoryMailServerTest {

    private final InMemoryMailServer server = new InMemoryMailServer("mail.test")
            .addUser("alice", "alice-pw").addUser("bob", "bob-pw").admin("master", "master-pw");

    private static AppendRequest request(byte[] raw) {
        return new AppendRequest(MessageFlags.NONE, Instant.parse("2024-01-01T00:00:00Z"), new io.mailferry.core.spi.MessageContent() {
            @Override
            public long size() {
                return raw.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(raw);
            }
        });
    }

    private SourceMailbox alice() {
        return server.openSource(MailboxAccess.own(new Credentials("alice", "alice-pw")));
    }

    @Test
    void aWrongPasswordIsRefusedWithoutRevealingIt() {
        AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class,
                () -> server.openSource(MailboxAccess.own(new Credentials("alice", "guess-123"))));

        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("alice").doesNotContain("guess-123");
        assertThat(server.loginFailures()).isEqualTo(1);
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void theAdministratorOpensAnyMailboxByImpersonationOrMasterUserLogin() {
        try (SourceMailbox viaSasl = server.openSource(MailboxAccess.impersonating("bob", new Credentials("master", "master-pw")));
             SourceMailbox viaLoginString = server.openSource(MailboxAccess.own(new Credentials("bob*master", "master-pw")))) {
            assertThat(viaSasl.listFolders()).isNotEmpty();
            assertThat(viaLoginString.listFolders()).isNotEmpty();
            assertThat(server.openSessions("bob")).isEqualTo(2);
        }
        assertThatThrownBy(() -> server.openSource(MailboxAccess.impersonating("bob", new Credentials("master", "nope"))))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> server.openSource(MailboxAccess.impersonating("carol", new Credentials("master", "master-pw"))))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("carol");
        assertThatThrownBy(() -> server.openSource(MailboxAccess.impersonating("bob", new Credentials("alice", "alice-pw"))))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void anUnreachableServerRefusesConnectionsWithATransientError() {
        server.reachable(false);

        UnableToConnectException e = catchThrowableOfType(UnableToConnectException.class, this::alice);

        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.CONNECTION);
        assertThat(e.isTransient()).isTrue();
        assertThat(server.connectionsRefused()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionFailsThatSessionForGoodOnceAndOthersGoOn() {
        server.append("alice", "INBOX", TestMessages.plain("a", "a"), MessageFlags.NONE, null);
        SourceMailbox first = alice();
        server.dropConnectionAfter("alice", 2);

        first.listFolders();
        first.selectFolder("INBOX");
        ConnectorException dropped = catchThrowableOfType(ConnectorException.class, () -> first.listMessages("INBOX", 0, 10));
        ConnectorException after = catchThrowableOfType(ConnectorException.class, first::listFolders);

        assertThat(dropped.kind()).isEqualTo(ConnectorException.Kind.PROTOCOL);
        assertThat(after.kind()).isEqualTo(ConnectorException.Kind.PROTOCOL);
        try (SourceMailbox second = alice()) {
            assertThat(second.listMessages("INBOX", 0, 10)).hasSize(1);
            assertThat(second.listMessages("INBOX", 0, 10)).as("one-shot").hasSize(1);
        }
        first.close();
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void aDroppedAppendStoresNothing() {
        try (TargetMailbox target = server.openTarget(MailboxAccess.own(new Credentials("alice", "alice-pw")))) {
            server.dropConnectionAfter(null, 0);

            assertThatThrownBy(() -> target.append("INBOX", List.of(request(TestMessages.plain("x", "x")))))
                    .isInstanceOf(ConnectorException.class);
        }
        assertThat(server.messages("alice", "INBOX")).isEmpty();
    }

    @Test
    void refusalsAndTheSizeLimitGiveOneResultPerMessage() {
        server.refuseAppends(raw -> new String(raw, StandardCharsets.US_ASCII).contains("Subject: bad"), "NO [CANNOT] bad")
                .maxMessageSize(1000);
        try (TargetMailbox target = server.openTarget(MailboxAccess.own(new Credentials("alice", "alice-pw")))) {
            List<AppendResult> results = target.append("INBOX", List.of(request(TestMessages.plain("good", "x")),
                    request(TestMessages.plain("bad", "x")), request(TestMessages.ofSize("big", 2000)),
                    request(TestMessages.plain("good again", "x"))));

            assertThat(results).extracting(AppendResult::stored).containsExactly(true, false, false, true);
            assertThat(results.get(1).error()).isEqualTo("NO [CANNOT] bad");
            assertThat(results.get(2).error()).contains("[LIMIT]");
            assertThat(results.get(3).uid()).isEqualTo(results.get(0).uid() + 1);
        }
        assertThat(server.messages("alice", "INBOX")).hasSize(2);
    }

    @Test
    void aGateHoldsOnlyTheChosenOperationsUntilOpened() throws Exception {
        OperationGate gate = OperationGate.closed();
        server.gate(gate, Operation.APPEND);
        try (TargetMailbox target = server.openTarget(MailboxAccess.own(new Credentials("alice", "alice-pw")))) {
            target.listFolders();
            CompletableFuture<List<AppendResult>> append = CompletableFuture.supplyAsync(
                    () -> target.append("INBOX", List.of(request(TestMessages.plain("held", "x")))));

            assertThat(gate.awaitWaiting(1, Duration.ofSeconds(10))).isTrue();
            assertThat(append).isNotDone();
            assertThat(server.messages("alice", "INBOX")).isEmpty();
            gate.open();

            assertThat(append.get(10, TimeUnit.SECONDS)).singleElement().satisfies(r -> assertThat(r.stored()).isTrue());
            assertThat(gate.passed()).isEqualTo(1);
        }
    }

    @Test
    void aGateClosedAfterNOperationsLetsExactlyNThrough() throws Exception {
        OperationGate gate = OperationGate.closedAfter(2);
        server.gate(gate);
        try (SourceMailbox source = alice()) {
            source.listFolders();
            source.selectFolder("INBOX");
            CompletableFuture<?> third = CompletableFuture.runAsync(source::listFolders);

            assertThat(gate.awaitWaiting(1, Duration.ofSeconds(10))).isTrue();
            gate.open();
            third.get(10, TimeUnit.SECONDS);
        }
        assertThat(gate.passed()).isEqualTo(3);
    }

    @Test
    void latencyDelaysEveryOperation() {
        server.latency(Duration.ofMillis(30));
        try (SourceMailbox source = alice()) {
            long start = System.nanoTime();
            source.listFolders();
            source.selectFolder("INBOX");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        }
    }

    @Test
    void instrumentationCountsSessionsAndOperations() {
        SourceMailbox a1 = alice();
        SourceMailbox a2 = alice();
        a1.listFolders();
        a2.selectFolder("INBOX");
        a1.close();
        a1.close();
        SourceMailbox b = server.openSource(MailboxAccess.own(new Credentials("bob", "bob-pw")));

        assertThat(server.openSessions()).isEqualTo(2);
        assertThat(server.peakOpenSessions()).isEqualTo(2);
        assertThat(server.peakOpenSessions("alice")).isEqualTo(2);
        assertThat(server.openSessions("alice")).isEqualTo(1);
        assertThat(server.sessionsOpened("alice")).isEqualTo(2);
        assertThat(server.operations(Operation.LIST_FOLDERS)).isEqualTo(1);
        assertThat(server.operations()).isEqualTo(2);

        a2.close();
        b.close();
        server.resetCounters();
        assertThat(server.peakOpenSessions()).isZero();
        assertThat(server.sessionsOpened("alice")).isZero();
        assertThat(server.operations()).isZero();
        assertThatThrownBy(a1::listFolders).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rebuildingAFolderGivesANewUidValidityAndRenumbersItsMessages() {
        server.createFolder("alice", "Work");
        long u1 = server.append("alice", "Work", TestMessages.plain("1", "1"), MessageFlags.of("\\Seen"), null);
        server.append("alice", "Work", TestMessages.plain("2", "2"), MessageFlags.NONE, null);
        server.expunge("alice", "Work", u1);
        long before = server.status("alice", "Work").uidValidity();
        List<String> digests = server.messages("alice", "Work").stream().map(m -> TestMessages.sha256(m.raw())).toList();

        long after = server.rebuildFolder("alice", "Work");

        assertThat(after).isNotEqualTo(before);
        assertThat(server.messages("alice", "Work")).extracting(InMemoryMailServer.Message::uid).containsExactly(1L);
        assertThat(server.messages("alice", "Work").stream().map(m -> TestMessages.sha256(m.raw())).toList()).isEqualTo(digests);
        assertThat(server.status("alice", "Work").uidNext()).isEqualTo(2);
    }

    @Test
    void inboxIsCaseInsensitiveAlsoAsAParent() {
        server.createFolder("alice", "inbox/Receipts");
        server.append("alice", "Inbox", TestMessages.plain("x", "x"), MessageFlags.NONE, null);

        assertThat(server.folderNames("alice")).containsExactly("INBOX", "INBOX/Receipts");
        try (SourceMailbox source = alice()) {
            assertThat(source.selectFolder("inbox").messageCount()).isEqualTo(1);
        }
    }

    @Test
    void theProviderReachesServersByHostAndRefusesUnknownHosts() {
        InMemoryConnectorProvider provider = new InMemoryConnectorProvider().register(server);
        MailboxAccess access = MailboxAccess.own(new Credentials("alice", "alice-pw"));

        try (SourceMailbox s = provider.openSource(provider.endpoint("ep", server).build(), access)) {
            assertThat(s.listFolders()).isNotEmpty();
        }
        assertThatThrownBy(() -> provider.openSource(provider.endpoint("ep", server).host("elsewhere.test").build(), access))
                .isInstanceOfSatisfying(UnableToConnectException.class,
                        e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.CONNECTION))
                .hasMessageContaining("elsewhere.test");
        assertThat(provider.type()).isEqualTo(InMemoryConnectorProvider.TYPE);
    }
}
