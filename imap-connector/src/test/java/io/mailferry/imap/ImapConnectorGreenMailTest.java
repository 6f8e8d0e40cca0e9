package io.mailferry.imap;

import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.UnableToConnectException;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImapConnectorGreenMailTest {

    private static GreenMailImap server;
    private final ImapConnectorProvider provider = new ImapConnectorProvider();

    @BeforeAll
    static void startServer() {
        server = GreenMailImap.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void providerIsFoundByServiceLoader() {
        ConnectorProvider p = Connectors.discover(getClass().getClassLoader()).require(EndpointType.IMAP);
        assertThat(p).isInstanceOf(ImapConnectorProvider.class);
        assertThat(p.type()).isEqualTo(EndpointType.IMAP);
    }

    @Test
    void logsInAndReportsGreenMailCapabilities() {
        Credentials alice = server.newUser("alice");
        try (SourceMailbox source = server.openSource(alice)) {
            assertThat(source.capabilities())
                    .contains(ConnectorCapability.UIDPLUS, ConnectorCapability.LITERAL_PLUS, ConnectorCapability.MOVE)
                    .doesNotContain(ConnectorCapability.CONDSTORE, ConnectorCapability.MULTIAPPEND);
            assertThat(source.listFolders()).extracting(FolderInfo::name).containsExactly("INBOX");
        }
    }

    @Test
    void wrongPasswordFailsWithServerTextButWithoutThePassword() {
        Credentials alice = server.newUser("alice");
        Credentials wrong = new Credentials(alice.username(), "Wr0ng-Passw0rd-123");
        assertThatThrownBy(() -> server.openSource(wrong))
                .isInstanceOf(AuthenticationFailedException.class)
                .satisfies(e -> {
                    assertThat(((ConnectorException) e).kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
                    assertThat(e.getMessage())
                            .contains(GreenMailImap.HOST + ":" + server.imapPort())
                            .contains(alice.username())
                            .contains("NO")
                            .doesNotContain("Wr0ng-Passw0rd-123")
                            .doesNotContain(alice.password());
                });
    }

    @Test
    void unreachableServerIsAConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(GreenMailImap.HOST))) {
            closedPort = s.getLocalPort();
        }
        MigrationEndpoint ep = server.endpoint("closed").port(closedPort).build();
        assertThatThrownBy(() -> provider.openSource(ep, MailboxAccess.own(new Credentials("x", "y"))))
                .isInstanceOf(UnableToConnectException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(ConnectorException.Kind.CONNECTION))
                .hasMessageContaining(GreenMailImap.HOST + ":" + closedPort);
    }

    @Test
    void startTlsIsRequiredWhenAskedFor() {
        Credentials alice = server.newUser("alice");
        MigrationEndpoint ep = server.endpoint("starttls").security(Security.STARTTLS).build();
        assertThatThrownBy(() -> provider.openSource(ep, MailboxAccess.own(alice)))
                .isInstanceOf(UnableToConnectException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(ConnectorException.Kind.TLS))
                .hasMessageContaining("STARTTLS");
    }

    @Test
    void selfSignedCertificateIsRejectedUnlessAccepted() {
        Credentials alice = server.newUser("alice");
        MigrationEndpoint strict = server.sslEndpoint("ssl-strict").build();
        assertThatThrownBy(() -> provider.openSource(strict, MailboxAccess.own(alice)))
                .isInstanceOf(UnableToConnectException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(ConnectorException.Kind.TLS));

        MigrationEndpoint lenient = server.sslEndpoint("ssl-lenient").acceptUntrustedCertificates(true).build();
        try (SourceMailbox source = provider.openSource(lenient, MailboxAccess.own(alice))) {
            assertThat(source.listFolders()).extracting(FolderInfo::name).containsExactly("INBOX");
        }
    }

    @Test
    void createsNestedAndNonAsciiFoldersIdempotentlyAndListsThemParentsFirst() {
        Credentials bob = server.newUser("bob");
        try (TargetMailbox target = server.openTarget(bob)) {
            char sep = target.listFolders().get(0).separator();
            assertThat(sep).isNotEqualTo(FolderInfo.NO_SEPARATOR);
            List<String> names = List.of("Entwürfe", "送信済み", "Éléments envoyés", "Archive" + sep + "2019" + sep + "Q1",
                    "Archive" + sep + "Ärger & Co");
            for (String n : names) {
                target.createFolder(n);
                target.createFolder(n); // exists: not an error
            }
            target.createFolder("INBOX");

            List<FolderInfo> folders = target.listFolders();
            List<String> listed = folders.stream().map(FolderInfo::name).toList();
            assertThat(listed).startsWith("INBOX");
            assertThat(listed).containsAll(names).contains("Archive", "Archive" + sep + "2019");
            assertThat(listed).doesNotHaveDuplicates();
            for (FolderInfo f : folders) {
                List<String> segs = f.segments();
                for (int i = 1; i < segs.size(); i++) {
                    String parent = String.join(String.valueOf(sep), segs.subList(0, i));
                    if (listed.contains(parent)) {
                        assertThat(listed.indexOf(parent)).as("parent %s before %s", parent, f.name())
                                .isLessThan(listed.indexOf(f.name()));
                    }
                }
            }
            for (String n : names) {
                assertThat(target.selectFolder(n).messageCount()).isZero();
            }
        }
        try (SourceMailbox source = server.openSource(bob)) {
            assertThat(source.listFolders()).extracting(FolderInfo::name).contains("Entwürfe", "送信済み", "Éléments envoyés");
            assertThat(source.listFolders().get(0).role()).isEqualTo(io.mailferry.core.FolderRole.INBOX);
        }
    }

    @Test
    void missingFolderIsFolderNotFound() {
        Credentials bob = server.newUser("bob");
        try (SourceMailbox source = server.openSource(bob)) {
            assertThatThrownBy(() -> source.selectFolder("Does-Not-Exist"))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).kind())
                            .isEqualTo(ConnectorException.Kind.FOLDER_NOT_FOUND))
                    .hasMessageContaining("Does-Not-Exist");
            // the session is still usable
            assertThat(source.selectFolder("INBOX").messageCount()).isZero();
        }
    }

    @Test
    void appendKeepsFlagsKeywordsAndInternalDateAndReportsUids() {
        Credentials carol = server.newUser("carol");
        Instant date = Instant.parse("2019-03-04T05:06:07Z");
        MessageFlags flags = MessageFlags.of("\\Seen", "\\Flagged", "$Forwarded", "\\Recent");
        List<AppendRequest> requests = List.of(
                TestMessages.request(TestMessages.simple("one"), flags, date),
                TestMessages.request(TestMessages.simple("two"), MessageFlags.NONE, null),
                TestMessages.request(TestMessages.simple("three"), MessageFlags.of("\\Answered", "\\Draft"), date));
        List<AppendResult> results;
        FolderStatus status;
        try (TargetMailbox target = server.openTarget(carol)) {
            target.createFolder("Work");
            status = target.selectFolder("Work");
            results = target.append("Work", requests);
        }
        assertThat(results).hasSize(3).allMatch(AppendResult::stored);
        assertThat(results).extracting(AppendResult::uidValidity).containsOnly(status.uidValidity());
        assertThat(results).extracting(AppendResult::uid).doesNotContain(0L).doesNotHaveDuplicates();

        try (SourceMailbox source = server.openSource(carol)) {
            FolderStatus s = source.selectFolder("Work");
            assertThat(s.messageCount()).isEqualTo(3);
            assertThat(s.uidNext()).isGreaterThan(results.get(2).uid());
            List<MessageInfo> listed = source.listMessages("Work", 0, 100);
            assertThat(listed).extracting(MessageInfo::uid).containsExactlyElementsOf(
                    results.stream().map(AppendResult::uid).toList());
            assertThat(listed.get(0).flags()).isEqualTo(MessageFlags.of("\\Seen", "\\Flagged", "$Forwarded"));
            assertThat(listed.get(0).internalDate()).isEqualTo(date);
            assertThat(listed.get(1).flags()).isEqualTo(MessageFlags.NONE);
            assertThat(listed.get(1).internalDate()).isNotNull();
            assertThat(listed.get(2).flags()).isEqualTo(MessageFlags.of("\\Answered", "\\Draft"));
            assertThat(listed.get(0).size()).isEqualTo(TestMessages.simple("one").length);
        }
    }

    @Test
    void listMessagesPagesByUid() {
        Credentials dave = server.newUser("dave");
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            requests.add(TestMessages.request(TestMessages.simple("page " + i), MessageFlags.NONE, null));
        }
        List<Long> uids;
        try (TargetMailbox target = server.openTarget(dave)) {
            uids = target.append("INBOX", requests).stream().map(AppendResult::uid).toList();
        }
        try (SourceMailbox source = server.openSource(dave)) {
            source.selectFolder("INBOX");
            List<Long> seen = new ArrayList<>();
            long after = 0;
            int pages = 0;
            while (true) {
                List<MessageInfo> page = source.listMessages("INBOX", after, 10);
                if (page.isEmpty()) {
                    break;
                }
                assertThat(page.size()).isLessThanOrEqualTo(10);
                page.forEach(m -> seen.add(m.uid()));
                after = page.get(page.size() - 1).uid();
                pages++;
            }
            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactlyElementsOf(uids);

            // a fresh start in the middle (no continuation hint) and beyond the end
            List<MessageInfo> fromMiddle = source.listMessages("INBOX", uids.get(6), 5);
            assertThat(fromMiddle).extracting(MessageInfo::uid).containsExactlyElementsOf(uids.subList(7, 12));
            assertThat(source.listMessages("INBOX", uids.get(24), 10)).isEmpty();
            assertThat(source.listMessages("INBOX", uids.get(24) + 1000, 10)).isEmpty();
            assertThat(source.listMessages("INBOX", uids.get(23), 10)).extracting(MessageInfo::uid)
                    .containsExactly(uids.get(24));
        }
    }

    @Test
    void fetchedBytesAreIdenticalAndTheSourceStaysUnseen() {
        Credentials erin = server.newUser("erin");
        byte[] bareLf = ("From: a@example.test\r\nTo: b@example.test\r\nSubject: bare LF\r\n\r\n"
                + "line one\nline two\n\nlast line without newline").getBytes(StandardCharsets.US_ASCII);
        byte[] eightBit = ("From: =?utf-8?q?J=C3=BCrgen?= <j@example.test>\r\nTo: b@example.test\r\n"
                + "Subject: Grüße aus Köln – 東京\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nÄÖÜ äöü ß € 東京\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] large = TestMessages.large("five megabytes", 5 * 1024 * 1024, 42);
        byte[] small = TestMessages.simple("small");
        List<byte[]> all = List.of(bareLf, eightBit, large, small);
        try (TargetMailbox target = server.openTarget(erin)) {
            List<AppendRequest> requests = all.stream()
                    .map(b -> TestMessages.request(b, MessageFlags.NONE, null)).toList();
            assertThat(target.append("INBOX", requests)).allMatch(AppendResult::stored);
        }
        try (SourceMailbox source = server.openSource(erin)) {
            List<MessageInfo> listed = source.listMessages("INBOX", 0, 10);
            assertThat(listed).hasSize(4);
            assertThat(listed.get(2).size()).isEqualTo(large.length);
            Map<Long, String> fetched = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            source.fetchMessages("INBOX", listed, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws IOException {
                    fetched.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    failures.add(message.uid() + ": " + reason);
                }
            });
            assertThat(failures).isEmpty();
            assertThat(fetched.keySet()).containsExactlyElementsOf(listed.stream().map(MessageInfo::uid).toList());
            assertThat(fetched.values()).containsExactlyElementsOf(all.stream().map(TestMessages::sha256).toList());
            // BODY.PEEK[] leaves \Seen unset
            assertThat(source.fetchFlags("INBOX", 1, listed.get(3).uid(), 0).values())
                    .allMatch(f -> !f.contains(MessageFlags.SEEN));
        }
        try (SourceMailbox again = server.openSource(erin)) {
            assertThat(again.listMessages("INBOX", 0, 10)).allMatch(m -> !m.flags().contains(MessageFlags.SEEN));
        }
    }

    @Test
    void headerFieldsAreFetchedInBulkOnBothSidesAndTargetMessagesCanBeReadUnchanged() {
        Credentials hank = server.newUser("hank");
        byte[] folded = ("Message-ID: <folded@example.test>\r\nFrom: Hank\r\n <h@example.test>\r\n"
                + "X-Other: not asked for\r\nSubject: folded\r\n  subject\r\nDate: Tue, 1 Jan 2002 10:00:00 +0100\r\n"
                + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] noId = "From: x@example.test\r\nSubject: no id\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] large = TestMessages.large("large", 3 * 1024 * 1024, 7);
        List<byte[]> all = List.of(folded, noId, large);
        List<String> fields = List.of("Message-ID", "Date", "From", "Subject");
        List<Long> uids;
        try (TargetMailbox target = server.openTarget(hank)) {
            uids = target.append("INBOX", all.stream().map(b -> TestMessages.request(b, MessageFlags.NONE, null)).toList())
                    .stream().map(AppendResult::uid).toList();
            List<io.mailferry.core.spi.MessageHeaders> headers = target.fetchHeaders("INBOX", 1, 4_294_967_295L, fields);
            assertThat(headers).extracting(io.mailferry.core.spi.MessageHeaders::uid).containsExactlyElementsOf(uids);
            assertThat(headers).extracting(io.mailferry.core.spi.MessageHeaders::size)
                    .containsExactly((long) folded.length, (long) noId.length, (long) large.length);
            String first = new String(headers.get(0).fields(), StandardCharsets.US_ASCII);
            assertThat(first).contains("Message-ID: <folded@example.test>\r\n", "From: Hank\r\n <h@example.test>\r\n",
                    "Subject: folded\r\n  subject\r\n", "Date: Tue, 1 Jan 2002 10:00:00 +0100").doesNotContain("X-Other");
            assertThat(new String(headers.get(1).fields(), StandardCharsets.US_ASCII))
                    .contains("Subject: no id").doesNotContain("Message-ID");
            assertThat(target.fetchHeaders("INBOX", uids.get(1), uids.get(1), fields)).hasSize(1);

            Map<Long, String> read = new LinkedHashMap<>();
            target.fetchMessages("INBOX", headers.stream()
                    .map(h -> new MessageInfo(h.uid(), h.size(), MessageFlags.NONE, null, 0)).toList(), new MessageSink() {
                        @Override
                        public void accept(MessageInfo message, InputStream content) throws IOException {
                            read.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
                        }

                        @Override
                        public void failed(MessageInfo message, String reason) {
                            read.put(message.uid(), reason);
                        }
                    });
            assertThat(read.values()).containsExactlyElementsOf(all.stream().map(TestMessages::sha256).toList());
            assertThat(target.fetchFlags("INBOX", uids).values()).allMatch(f -> !f.contains(MessageFlags.SEEN));
        }
        try (SourceMailbox source = server.openSource(hank)) {
            assertThat(source.fetchHeaders("INBOX", uids.get(0), uids.get(2), fields))
                    .extracting(io.mailferry.core.spi.MessageHeaders::uid).containsExactlyElementsOf(uids);
        }
    }

    @Test
    void aMessageTheServerDoesNotDeliverIsReportedAndTheOthersArrive() {
        Credentials frank = server.newUser("frank");
        try (TargetMailbox target = server.openTarget(frank)) {
            target.append("INBOX", List.of(
                    TestMessages.request(TestMessages.simple("a"), MessageFlags.NONE, null),
                    TestMessages.request(TestMessages.simple("b"), MessageFlags.NONE, null)));
        }
        try (SourceMailbox source = server.openSource(frank)) {
            List<MessageInfo> listed = new ArrayList<>(source.listMessages("INBOX", 0, 10));
            MessageInfo ghost = new MessageInfo(listed.get(1).uid() + 100, 10, MessageFlags.NONE, null, 0);
            listed.add(1, ghost);
            List<Long> delivered = new ArrayList<>();
            List<Long> failed = new ArrayList<>();
            source.fetchMessages("INBOX", listed, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws IOException {
                    content.readAllBytes();
                    delivered.add(message.uid());
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    assertThat(reason).isNotBlank();
                    failed.add(message.uid());
                }
            });
            assertThat(delivered).containsExactly(listed.get(0).uid(), listed.get(2).uid());
            assertThat(failed).containsExactly(ghost.uid());
        }
    }

    @Test
    void flagsRoundTrip() {
        Credentials gina = server.newUser("gina");
        try (TargetMailbox target = server.openTarget(gina)) {
            List<AppendResult> r = target.append("INBOX", List.of(
                    TestMessages.request(TestMessages.simple("f1"), MessageFlags.of("\\Flagged"), null),
                    TestMessages.request(TestMessages.simple("f2"), MessageFlags.of("\\Flagged"), null),
                    TestMessages.request(TestMessages.simple("f3"), MessageFlags.NONE, null)));
            List<Long> uids = r.stream().map(AppendResult::uid).toList();
            target.updateFlags("INBOX", List.of(
                    new FlagUpdate(uids.get(0), MessageFlags.of("\\Seen", "$Label1"), MessageFlags.of("\\Flagged")),
                    new FlagUpdate(uids.get(1), MessageFlags.of("\\Seen", "$Label1"), MessageFlags.of("\\Flagged")),
                    new FlagUpdate(uids.get(2), MessageFlags.of("\\Answered"), MessageFlags.NONE)));
            Map<Long, MessageFlags> flags = target.fetchFlags("INBOX", uids);
            assertThat(flags).containsEntry(uids.get(0), MessageFlags.of("\\Seen", "$Label1"))
                    .containsEntry(uids.get(1), MessageFlags.of("\\Seen", "$Label1"))
                    .containsEntry(uids.get(2), MessageFlags.of("\\Answered"));
            assertThat(target.fetchFlags("INBOX", List.of(uids.get(2), 9999L))).containsOnlyKeys(uids.get(2));
        }
        try (SourceMailbox source = server.openSource(gina)) {
            Map<Long, MessageFlags> flags = source.fetchFlags("INBOX", 1, 1_000_000, 0);
            assertThat(flags.values().stream().map(MessageFlags::toString).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("$Label1 \\Seen", "$Label1 \\Seen", "\\Answered");
        }
    }
}
