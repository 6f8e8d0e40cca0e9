package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ImapTestClient against a second IMAP implementation (GreenMail, in-process): nothing Dovecot-only. */
class ImapTestClientGreenMailTest {

    private GreenMail greenMail;
    private int port;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        greenMail.setUser("u@example.org", "u", "pw");
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    @Test
    void appendsListsAndSnapshots() {
        byte[] one = "Subject: one\r\n\r\n1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] two = "Subject: two\r\n\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        OffsetDateTime date = OffsetDateTime.of(2001, 5, 14, 16, 39, 0, 0, ZoneOffset.ofHours(-7));
        try (ImapTestClient c = ImapTestClient.connect("127.0.0.1", port).login("u", "pw")) {
            char sep = c.separator();
            assertThat(c.createFolder("Entwürfe")).isTrue();
            assertThat(c.createFolder("Entwürfe" + sep + "Alt")).isTrue();
            AppendReport r = c.append("Entwürfe" + sep + "Alt", List.of(
                    RawMessage.of("one", one).withFlags("\\Seen", "$Forwarded").withInternalDate(date),
                    RawMessage.of("two", two)));
            assertThat(r.appended()).as(r.toString()).isEqualTo(2);
            assertThat(c.listFolders()).extracting(ImapTestClient.Folder::name).contains("Entwürfe", "Entwürfe" + sep + "Alt");
            MailboxSnapshot.Folder f = c.snapshot().folder("Entwürfe" + sep + "Alt").orElseThrow();
            assertThat(f.messages()).extracting(MailboxSnapshot.Message::sha256)
                    .containsExactly(MailboxSnapshot.sha256(one), MailboxSnapshot.sha256(two));
            assertThat(f.messages().get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Forwarded");
            assertThat(f.messages().get(0).internalDate()).isEqualTo(date.toInstant());
            assertThat(f.messages().get(1).flags()).isEmpty();
            System.out.println("GreenMail capabilities: " + c.capabilities());
        }
    }

    @Test
    void appendsSingleMessagesReadsThemBackReplacesFlagsAndExpungesOne() {
        byte[] one = "Subject: one\r\n\r\n1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] two = "Subject: two\r\n\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        OffsetDateTime date = OffsetDateTime.of(2001, 5, 14, 16, 39, 0, 0, ZoneOffset.ofHours(-7));
        try (ImapTestClient c = ImapTestClient.connect("127.0.0.1", port).login("u", "pw")) {
            long a = c.appendMessage("INBOX", RawMessage.of("one", one).withFlags("\\Answered", "Work").withInternalDate(date));
            long b = c.appendMessage("INBOX", RawMessage.of("two", two));
            assertThat(b).isGreaterThan(a);
            List<ImapTestClient.FetchedMessage> read = c.fetchMessages("INBOX");
            assertThat(read).extracting(ImapTestClient.FetchedMessage::uid).containsExactly(a, b);
            assertThat(read.get(0).bytes()).isEqualTo(one);
            assertThat(read.get(0).flags()).containsExactlyInAnyOrder("\\Answered", "Work");
            assertThat(read.get(0).internalDate()).isEqualTo(date.toInstant());

            c.replaceFlags("INBOX", b, Set.of("\\Seen"));
            c.expunge("INBOX", a);

            assertThat(c.fetchMessages("INBOX")).singleElement().satisfies(m -> {
                assertThat(m.uid()).isEqualTo(b);
                assertThat(m.flags()).containsExactly("\\Seen");
            });
        }
    }

    @Test
    void greenMailCanCreateNeitherNonSelectableNorSpecialUseFolders() {
        try (ImapTestClient c = ImapTestClient.connect("127.0.0.1", port).login("u", "pw")) {
            assertThatThrownBy(() -> c.createNonSelectableFolder("Parent")).isInstanceOf(ImapTestException.class)
                    .hasMessageContaining("Parent");
            assertThatThrownBy(() -> c.createSpecialUseFolder("Sent Items", "\\Sent"))
                    .isInstanceOf(ImapTestException.class).hasMessageContaining("no such role");
        }
    }
}
