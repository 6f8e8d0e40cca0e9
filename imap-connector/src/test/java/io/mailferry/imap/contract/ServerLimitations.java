package io.mailferry.imap.contract;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.MailboxContractSupport;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SeedMessage;
import io.mailferry.core.spi.contract.StoredMessage;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.ImapTestException;
import io.mailferry.testing.RawMessage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For servers that change some messages themselves (GreenMail rewrites, Dovecot's line ends):
 * <ul>
 *   <li>{@link #assumeServerReturnsUnchanged} skips a byte-identity rule of the kit only where the
 *       server cannot give the rule's messages back unchanged <em>to any client</em>, measured with
 *       the independent {@link ImapTestClient}; where it can, the rule runs unchanged (so a server
 *       version that stops changing messages gets the full rule again);</li>
 *   <li>{@link #assertSourceDeliversWhatTheServerStores} and
 *       {@link #assertTargetStoresWhatTheServerStores} keep the connector's part of those rules
 *       tested: it changes nothing the server would not change for any client.</li>
 * </ul>
 */
final class ServerLimitations {

    private static final Instant DATE = Instant.parse("2019-01-02T03:04:05Z");

    private ServerLimitations() {
    }

    /**
     * Aborts the current test (a JUnit assumption) if the server changes any of the samples.
     *
     * @param fixture    the test's fixture (an {@link ImapMailboxFixture})
     * @param samples    the messages the rule needs back byte for byte
     * @param limitation what the server does, for the skip message
     */
    static void assumeServerReturnsUnchanged(MailboxFixture fixture, List<TestMessages.Sample> samples,
            String limitation) {
        List<String> changed = ((ImapMailboxFixture) fixture).notReturnedUnchanged(samples);
        assumeTrue(changed.isEmpty(), () -> "server limitation, not a connector failure: " + limitation
                + "; measured with an independent client: " + changed);
    }

    /**
     * Aborts the current test if the server does not return the header fields of the text samples
     * as stored ({@code BODY.PEEK[HEADER.FIELDS]} of the fingerprint fields), measured with a plain
     * socket.
     *
     * @param fixture the test's fixture (an {@link ImapMailboxFixture})
     */
    static void assumeHeaderFieldsReturnedUnchanged(MailboxFixture fixture) {
        List<String> changed = ((ImapMailboxFixture) fixture).headerFieldsNotReturnedUnchanged(textSamples(),
                List.of("Message-ID", "Date", "From", "Subject"));
        assumeTrue(changed.isEmpty(), () -> "server limitation, not a connector failure: the server re-encodes"
                + " 8-bit header fields in HEADER.FIELDS; measured with a plain socket: " + changed);
    }

    /** The samples of the kit's byte-identity rules for text messages: built ones and real text. */
    static List<TestMessages.Sample> textSamples() {
        List<TestMessages.Sample> samples = new ArrayList<>(TestMessages.built());
        samples.addAll(TestMessages.realText());
        return samples;
    }

    /** Every sample of the kit: built, real text, and real ones as found (bare LF, NUL, bare CR). */
    static List<TestMessages.Sample> allSamples() {
        List<TestMessages.Sample> samples = textSamples();
        samples.addAll(TestMessages.realAsFound());
        return samples;
    }

    /** The samples whose header section (up to the first empty line) is 7-bit. */
    static List<TestMessages.Sample> withAsciiHeaders(List<TestMessages.Sample> samples) {
        List<TestMessages.Sample> ascii = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            byte[] raw = s.raw();
            boolean eightBit = false;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\n' && (i + 1 < raw.length && raw[i + 1] == '\n'
                        || i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n')) {
                    break;
                }
                if (raw[i] < 0) {
                    eightBit = true;
                    break;
                }
            }
            if (!eightBit) {
                ascii.add(s);
            }
        }
        return ascii;
    }

    /**
     * The source's part of byte identity on a server that changes messages: the samples are stored
     * by the independent client, read back by it, and the connector must deliver exactly those
     * bytes, with those sizes listed.
     *
     * @param fixture the test's fixture
     * @param source  a session of the connector under test
     * @param samples the messages
     */
    static void assertSourceDeliversWhatTheServerStores(MailboxFixture fixture, SourceMailbox source,
            List<TestMessages.Sample> samples) {
        fixture.createFolder("Stored");
        for (TestMessages.Sample s : samples) {
            fixture.append("Stored", SeedMessage.of(s.raw()));
        }
        List<StoredMessage> stored = fixture.messages("Stored");
        source.selectFolder("Stored");
        List<MessageInfo> listed = source.listMessages("Stored", 0, 1000);
        List<String> fetched = new ArrayList<>();

        source.fetchMessages("Stored", listed, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                fetched.add(TestMessages.sha256(content.readAllBytes()));
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                throw new AssertionError("UID " + message.uid() + " not delivered: " + reason);
            }
        });

        assertThat(fetched).as("what the connector delivers is what the server stores")
                .containsExactlyElementsOf(stored.stream().map(StoredMessage::sha256).toList());
        assertThat(listed).extracting(MessageInfo::size)
                .containsExactlyElementsOf(stored.stream().map(m -> (long) m.raw().length).toList());
    }

    /**
     * The target's part of byte identity on a server that changes messages: the connector stores
     * each sample exactly as the server stores it when the independent client appends it, or
     * refuses it with a reason; results come one per message, in order.
     *
     * @param fixture the test's fixture (an {@link ImapMailboxFixture})
     * @param target  a session of the connector under test
     * @param samples the messages
     */
    static void assertTargetStoresWhatTheServerStores(MailboxFixture fixture, TargetMailbox target,
            List<TestMessages.Sample> samples) {
        ImapTestClient client = ((ImapMailboxFixture) fixture).client();
        fixture.createFolder("ByClient");
        List<String> byClient = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            try {
                long uid = client.appendMessage("ByClient", RawMessage.of(s.name(), s.raw()));
                byClient.add(fixture.messages("ByClient").stream().filter(m -> m.uid() == uid).findFirst()
                        .orElseThrow().sha256());
            } catch (ImapTestException refused) {
                byClient.add(null);
            }
        }
        target.createFolder("ByConnector");

        List<AppendResult> results = target.append("ByConnector",
                samples.stream().map(s -> new AppendRequest(MessageFlags.NONE, DATE, content(s.raw()))).toList());

        assertThat(results).hasSameSizeAs(samples);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (results.get(i).stored()) {
                assertThat(byClient.get(i)).as("%s stored by the connector but refused by the server from another"
                        + " client", samples.get(i)).isNotNull();
                expected.add(byClient.get(i));
            } else {
                assertThat(results.get(i).error()).as("reason for refusing %s", samples.get(i)).isNotBlank();
            }
        }
        assertThat(fixture.messages("ByConnector")).extracting(StoredMessage::sha256)
                .as("what the connector stored is what the server stores from any client, in order")
                .containsExactlyElementsOf(expected);
    }

    /**
     * The header rule of fingerprint matching on a server that changes messages: the samples are
     * stored by the independent client, and the fields the connector fetches are byte for byte
     * those of the message as the server stores it (line ends aside), one entry per message in UID
     * order with the stored size.
     *
     * @param fixture the test's fixture
     * @param session a session of the connector under test (source or target)
     * @param samples the messages
     */
    static void assertHeadersAreThoseTheServerStores(MailboxFixture fixture, MailboxSession session,
            List<TestMessages.Sample> samples) {
        assertThat(samples).as("samples to check").hasSizeGreaterThan(3);
        fixture.createFolder("Headers");
        for (TestMessages.Sample s : samples) {
            fixture.append("Headers", SeedMessage.of(s.raw()));
        }
        List<StoredMessage> stored = fixture.messages("Headers");
        session.selectFolder("Headers");
        List<MessageHeaders> fetched = session.fetchHeaders("Headers", 1, 4_294_967_295L,
                MailboxContractSupport.FINGERPRINT_FIELDS);

        assertThat(fetched).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            StoredMessage m = stored.get(i);
            MessageHeaders h = fetched.get(i);
            assertThat(h.uid()).isEqualTo(m.uid());
            assertThat(h.size()).as("size of UID %d", m.uid()).isEqualTo(m.raw().length);
            MailboxContractSupport.assertFieldsOf(h, m.raw(), "UID " + m.uid());
        }
    }

    private static MessageContent content(byte[] raw) {
        return MessageContent.of(raw);
    }
}
