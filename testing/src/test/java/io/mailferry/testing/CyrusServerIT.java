package io.mailferry.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CyrusServerIT {

    private static final byte[] HELLO = "From: a@example.org\r\nSubject: hello\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void cyrus() {
        CyrusServer.assumeInstalled();
    }

    @ParameterizedTest
    @ValueSource(chars = {'.', '/'})
    void startsWithEitherSeparatorStoresMailAndStopReleasesThePort(char separator) {
        int port;
        try (CyrusServer server = CyrusServer.builder().separator(separator).user("alice", "secret").build().start();
             ImapTestClient alice = server.login("alice")) {
            port = server.port();
            assertThat(alice.separator()).isEqualTo(separator);
            assertThat(alice.capabilities()).contains("IMAP4REV1", "LITERAL+", "MULTIAPPEND", "UIDPLUS", "NAMESPACE",
                    "CONDSTORE");
            assertThat(alice.createFolder("Archive")).isTrue();
            assertThat(alice.createFolder("Archive" + separator + "2019")).isTrue();
            assertThat(alice.append("Archive" + separator + "2019", RawMessage.of("hello", HELLO)).appended()).isEqualTo(1);
            assertThat(alice.listFolders()).extracting(ImapTestClient.Folder::name)
                    .contains("INBOX", "Archive", "Archive" + separator + "2019");
            MailboxSnapshot snap = alice.snapshot();
            assertThat(snap.folder("Archive" + separator + "2019").orElseThrow().messages()).singleElement()
                    .satisfies(m -> assertThat(m.sha256()).isEqualTo(MailboxSnapshot.sha256(HELLO)));
            assertThat(server.toString()).doesNotContain("secret");
        }
        assertThat(listening(port)).isFalse();
    }

    @Test
    void theTraditionalNamespaceKeepsPersonalFoldersUnderInbox() {
        try (CyrusServer server = CyrusServer.builder().inboxPrefix(true).user("bob", "pw").build().start();
             ImapTestClient bob = server.login("bob")) {
            assertThat(server.inboxPrefix()).isTrue();
            assertThat(bob.createFolder("INBOX.Sent")).isTrue();
            assertThatThrownBy(() -> bob.createFolder("Sent")).as("no personal folders outside INBOX.")
                    .hasMessageContaining("Permission denied");
            assertThat(bob.listFolders()).extracting(ImapTestClient.Folder::name).contains("INBOX", "INBOX.Sent");
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(CyrusServer.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
