package io.mailferry.imap;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.TestMessages;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusFolder;
import io.mailferry.testing.CorpusMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real mail from the shared corpus through the connector and GreenMail (an integration test: about
 * a minute, GreenMail answers each command after some 40 ms). Skipped without the corpus.
 */
class ImapCorpusGreenMailIT {
    private static final Logger LOG = LoggerFactory.getLogger(ImapCorpusGreenMailIT.class);

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

    /** Small batches, so that a folder takes many bulk commands. */
    private MigrationEndpoint smallBatches() {
        return server.endpoint("corpus").property(ImapProperties.FETCH_BATCH_BYTES, "65536")
                .property(ImapProperties.APPEND_BATCH_MESSAGES, "50").build();
    }

    @Test
    void enronMailboxesRoundTripByteForByteWithTheirFolderTree() {
        Corpus corpus = corpus();
        for (String user : List.of("badeer-r", "germany-c")) {
            Credentials account = server.newUser(user);
            Map<String, Map<Long, String>> expected = new LinkedHashMap<>();
            Map<Long, MessageFlags> expectedFlags = new HashMap<>();
            int total = 0;
            long t0 = System.nanoTime();
            try (TargetMailbox target = provider.openTarget(smallBatches(), MailboxAccess.own(account))) {
                char sep = target.listFolders().get(0).separator();
                for (CorpusFolder folder : corpus.enronUser(user).orElseThrow().folders()) {
                    String name = folder.imapName(sep);
                    target.createFolder(name);
                    List<byte[]> bodies = folder.messages().stream().map(CorpusMessage::bytes).toList();
                    List<AppendRequest> requests = new ArrayList<>();
                    for (int i = 0; i < bodies.size(); i++) {
                        MessageFlags flags = i % 3 == 0 ? MessageFlags.of("\\Seen", "$Label" + (i % 5)) : MessageFlags.NONE;
                        requests.add(TestMessages.request(bodies.get(i), flags, Instant.ofEpochSecond(1_000_000_000L + i * 3600L)));
                    }
                    List<AppendResult> results = target.append(name, requests);
                    assertThat(results).hasSize(bodies.size()).allMatch(AppendResult::stored);
                    Map<Long, String> byUid = new LinkedHashMap<>();
                    for (int i = 0; i < results.size(); i++) {
                        byUid.put(results.get(i).uid(), TestMessages.sha256(bodies.get(i)));
                        expectedFlags.put(((long) name.hashCode() << 32) ^ results.get(i).uid(), requests.get(i).flags());
                    }
                    expected.put(name, byUid);
                    total += bodies.size();
                }
            }
            assertThat(total).isGreaterThan(50);
            LOG.info("{}: {} messages appended in {} ms", user, total, (System.nanoTime() - t0) / 1_000_000);
            t0 = System.nanoTime();

            try (SourceMailbox source = provider.openSource(smallBatches(), MailboxAccess.own(account))) {
                List<String> listed = source.listFolders().stream().filter(FolderInfo::selectable)
                        .map(FolderInfo::name).toList();
                assertThat(listed).containsAll(expected.keySet());
                for (Map.Entry<String, Map<Long, String>> e : expected.entrySet()) {
                    String folder = e.getKey();
                    List<MessageInfo> all = new ArrayList<>();
                    long after = 0;
                    for (List<MessageInfo> page; !(page = source.listMessages(folder, after, 37)).isEmpty(); ) {
                        all.addAll(page);
                        after = page.get(page.size() - 1).uid();
                    }
                    assertThat(all).extracting(MessageInfo::uid).containsExactlyElementsOf(e.getValue().keySet());
                    for (MessageInfo m : all) {
                        assertThat(m.flags()).isEqualTo(expectedFlags.get(((long) folder.hashCode() << 32) ^ m.uid()));
                    }
                    Map<Long, String> fetched = new LinkedHashMap<>();
                    source.fetchMessages(folder, all, sink(fetched, new ArrayList<>()));
                    assertThat(fetched).as("folder %s of %s", folder, user).isEqualTo(e.getValue());
                }
            }
            LOG.info("{}: listed and fetched in {} ms", user, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void nastyMessagesAreStoredUnchangedOrRefusedAndFetchedExactlyAsStored() throws Exception {
        List<CorpusMessage> files = corpus().nastyMessages();
        assertThat(files).hasSizeGreaterThan(200);
        Credentials account = server.newUser("nasty");
        List<byte[]> bodies = files.stream().map(CorpusMessage::bytes).toList();
        // One message per APPEND: GreenMail (2.1.13) drops the connection on a few of these
        // messages (an exception in its MIME parser); the connector must report that as a
        // transient PROTOCOL failure, and the next session goes on.
        List<AppendResult> results = new ArrayList<>();
        int crashed = 0;
        TargetMailbox target = provider.openTarget(smallBatches(), MailboxAccess.own(account));
        try {
            target.createFolder("Nasty");
            for (int i = 0; i < bodies.size(); i++) {
                AppendRequest request = TestMessages.request(bodies.get(i), MessageFlags.of("\\Seen"),
                        Instant.parse("2001-02-03T04:05:06Z"));
                try {
                    results.add(target.append("Nasty", List.of(request)).get(0));
                } catch (ConnectorException e) {
                    assertThat(e.kind()).as(files.get(i).path()).isEqualTo(ConnectorException.Kind.PROTOCOL);
                    LOG.info("GreenMail dropped the connection on {}: {}", files.get(i).path(), e.getMessage());
                    results.add(AppendResult.refused("connection dropped: " + e.getMessage()));
                    crashed++;
                    target.close();
                    target = provider.openTarget(smallBatches(), MailboxAccess.own(account));
                }
            }
        } finally {
            target.close();
        }
        assertThat(crashed).isLessThan(files.size() / 10);
        assertThat(results).hasSize(files.size());
        List<MessageInfo> listed;
        Map<Long, String> fetched = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (SourceMailbox source = provider.openSource(smallBatches(), MailboxAccess.own(account))) {
            listed = source.listMessages("Nasty", 0, 10_000);
            source.fetchMessages("Nasty", listed, sink(fetched, failures));
        }
        long stored = results.stream().filter(AppendResult::stored).count();
        assertThat(listed).hasSize((int) stored);
        assertThat(failures).isEmpty();

        // What the connector fetched is exactly what GreenMail holds (GreenMail itself re-writes some
        // headers of what it stores, so compare with its own rendering as well as with the file).
        GreenMailUser user = server.greenMail().getUserManager().getUser(account.username());
        MailFolder folder = server.greenMail().getManagers().getImapHostManager().getFolder(user, "Nasty");
        int identical = 0;
        int refused = 0;
        for (int i = 0; i < files.size(); i++) {
            AppendResult r = results.get(i);
            if (!r.stored()) {
                refused++;
                assertThat(r.error()).as(files.get(i).path()).isNotBlank();
                LOG.info("GreenMail refused {}: {}", files.get(i).path(), r.error());
                continue;
            }
            StoredMessage m = folder.getMessage(r.uid());
            ByteArrayOutputStream held = new ByteArrayOutputStream();
            m.getMimeMessage().writeTo(held);
            assertThat(fetched.get(r.uid())).as(files.get(i).path()).isEqualTo(TestMessages.sha256(held.toByteArray()));
            if (fetched.get(r.uid()).equals(TestMessages.sha256(bodies.get(i)))) {
                identical++;
            }
        }
        LOG.info("nasty corpus on GreenMail: {} messages, {} stored ({} byte-identical to the file), {} refused"
                + " ({} of them by a dropped connection)", files.size(), stored, identical, refused, crashed);
    }

    private static MessageSink sink(Map<Long, String> fetched, List<String> failures) {
        return new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                fetched.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                failures.add(message.uid() + ": " + reason);
            }
        };
    }

    /** The shared corpus ({@code ../shared/corpus}); the test is skipped where there is none. */
    private static Corpus corpus() {
        var corpus = Corpus.shared();
        Assumptions.assumeTrue(corpus.isPresent(), "no mail corpus (system property " + Corpus.DIR_PROPERTY + ")");
        return corpus.get();
    }
}
