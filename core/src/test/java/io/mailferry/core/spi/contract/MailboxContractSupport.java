package io.mailferry.core.spi.contract;

import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the source and target contracts share: one {@link MailboxFixture} per test, sessions that
 * are closed after the test, and helpers to name folders and seed messages.
 */
public abstract class MailboxContractSupport {

    /** A fixed INTERNALDATE for seeded messages. */
    protected static final Instant DATE_1 = Instant.parse("2019-01-02T03:04:05Z");
    /** Another fixed INTERNALDATE, in a different year and season. */
    protected static final Instant DATE_2 = Instant.parse("2023-07-08T09:10:11Z");

    /** The fixture of the current test. */
    protected MailboxFixture fixture;

    private final List<MailboxSession> sessions = new ArrayList<>();

    /**
     * Creates a fresh fixture: a new, empty mailbox (only an INBOX) in the system under test.
     *
     * @return the fixture
     * @throws Exception if it cannot be set up
     */
    protected abstract MailboxFixture createFixture() throws Exception;

    /** Creates the fixture before each test. */
    @BeforeEach
    protected void setUpMailboxFixture() throws Exception {
        fixture = createFixture();
    }

    /** Closes the sessions the test opened, then the fixture. */
    @AfterEach
    protected void tearDownMailboxFixture() {
        for (MailboxSession s : sessions) {
            s.close();
        }
        sessions.clear();
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Opens a source session of the connector under test, closed after the test. */
    protected SourceMailbox openSource() {
        SourceMailbox s = fixture.openSource();
        sessions.add(s);
        return s;
    }

    /** Opens a target session of the connector under test, closed after the test. */
    protected TargetMailbox openTarget() {
        TargetMailbox s = fixture.openTarget();
        sessions.add(s);
        return s;
    }

    /**
     * Joins levels with the fixture's separator.
     *
     * @param levels folder levels, e.g. {@code "Projects", "2024"}
     * @return the full name
     */
    protected String folder(String... levels) {
        return String.join(String.valueOf(fixture.separator()), levels);
    }

    /**
     * Seeds plain messages numbered 1..n into a folder, without flags.
     *
     * @param folder the folder
     * @param n      how many
     * @return their UIDs, ascending
     */
    protected List<Long> seed(String folder, int n) {
        List<Long> uids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            uids.add(fixture.append(folder, new SeedMessage(TestMessages.plain("Message " + i, "Body " + i),
                    MessageFlags.NONE, DATE_1.plusSeconds(i))));
        }
        return uids;
    }

    /**
     * @param instant an instant or {@code null}
     * @return it truncated to seconds (INTERNALDATE precision)
     */
    protected static Instant seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @param messages stored messages
     * @return their SHA-256 digests, in order
     */
    protected static List<String> digests(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::sha256).toList();
    }

    /**
     * @param folders listed folders
     * @param name    a full name
     * @return the folder of that name
     */
    protected static FolderInfo find(List<FolderInfo> folders, String name) {
        return folders.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("folder '" + name + "' not listed; listed: "
                        + folders.stream().map(FolderInfo::name).toList()));
    }

    /** The fields the engine fingerprints messages by. */
    public static final List<String> FINGERPRINT_FIELDS = List.of("Message-ID", "Date", "From", "Subject");

    /**
     * Checks what {@code fetchHeaders} returned for samples stored in a folder in this order: one
     * entry per message, ascending UIDs, each message's size, and the header lines of exactly the
     * asked-for fields, byte for byte (line ends and a final empty line aside).
     *
     * @param fetched what the connector returned
     * @param samples the stored messages, in UID order
     */
    protected static void assertHeadersOf(List<io.mailferry.core.spi.MessageHeaders> fetched,
                                          List<TestMessages.Sample> samples) {
        org.assertj.core.api.Assertions.assertThat(fetched).hasSameSizeAs(samples);
        for (int i = 0; i < samples.size(); i++) {
            io.mailferry.core.spi.MessageHeaders h = fetched.get(i);
            byte[] raw = samples.get(i).raw();
            if (i > 0) {
                org.assertj.core.api.Assertions.assertThat(h.uid()).isGreaterThan(fetched.get(i - 1).uid());
            }
            org.assertj.core.api.Assertions.assertThat(h.size()).as("size of %s", samples.get(i)).isEqualTo(raw.length);
            assertFieldsOf(h, raw, samples.get(i).toString());
        }
    }

    /**
     * Checks that fetched header fields are, byte for byte (line ends and a final empty line
     * aside), the {@link #FINGERPRINT_FIELDS} of a message's raw bytes.
     *
     * @param fetched what the connector returned for the message
     * @param raw     the message's bytes (as stored, or as the server keeps them)
     * @param what    the message, for the failure text
     */
    public static void assertFieldsOf(io.mailferry.core.spi.MessageHeaders fetched, byte[] raw, String what) {
        try {
            io.mailferry.core.spi.MessageHeaders expected = io.mailferry.core.spi.MessageHeaders.extract(fetched.uid(),
                    raw.length, new java.io.ByteArrayInputStream(raw), FINGERPRINT_FIELDS);
            org.assertj.core.api.Assertions.assertThat(headerLines(fetched.fields())).as("fields of %s", what)
                    .isEqualTo(headerLines(expected.fields()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String headerLines(byte[] fields) {
        return new String(fields, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n", "\n").strip();
    }
}
