package io.mailferry.imap;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.ScriptedImapServer;
import io.mailferry.imap.testing.ScriptedImapServer.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Gmail's {@code X-GM-EXT-1} against {@link ScriptedImapServer}: message ids as cross-folder identities. */
class ImapGmailScriptedTest {
    private final List<ScriptedImapServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (ScriptedImapServer s : servers) {
            s.close();
        }
    }

    private ScriptedImapServer server(String caps, Function<Command, List<String>> handler) throws IOException {
        ScriptedImapServer s = new ScriptedImapServer(caps, handler::apply);
        servers.add(s);
        return s;
    }

    private static MigrationEndpoint endpoint(ScriptedImapServer s) {
        return MigrationEndpoint.imap("scripted").host(GreenMailImap.HOST).port(s.port()).security(Security.NONE)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();
    }

    private static List<String> answer(Command c, boolean gmail) {
        return switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "EXAMINE" -> List.of("* 3 EXISTS", "* OK [UIDVALIDITY 9] ok", "* OK [UIDNEXT 50] ok",
                    c.tag() + " OK [READ-ONLY] done");
            case "FETCH" -> gmail
                    ? List.of("* 1 FETCH (X-GM-MSGID 1278455344230334865 UID 11 RFC822.SIZE 10 FLAGS (\\Seen)"
                                    + " INTERNALDATE \"01-Jan-2020 00:00:00 +0000\")",
                            // an unsigned id above Long.MAX_VALUE, and labels a server may add unasked
                            "* 2 FETCH (UID 12 RFC822.SIZE 20 FLAGS () INTERNALDATE \"01-Jan-2020 00:00:00 +0000\""
                                    + " X-GM-MSGID 18446744073709551615 X-GM-LABELS (\\Inbox \"Work stuff\" Work))",
                            "* 3 FETCH (UID 13 RFC822.SIZE 30 FLAGS () INTERNALDATE \"01-Jan-2020 00:00:00 +0000\")",
                            c.tag() + " OK done")
                    : List.of("* 1 FETCH (UID 11 RFC822.SIZE 10 FLAGS (\\Seen) INTERNALDATE \"01-Jan-2020 00:00:00 +0000\")",
                            c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected " + c.name());
        };
    }

    @Test
    void withXGmExt1TheMessageListCarriesGmailsMessageIdAsCrossFolderIdentity() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 X-GM-EXT-1 UIDPLUS", c -> answer(c, true));
        try (SourceMailbox m = new ImapConnectorProvider().openSource(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(m.capabilities()).contains(ConnectorCapability.CROSS_FOLDER_IDENTITY);

            List<MessageInfo> list = m.listMessages("[Gmail]/All Mail", 0, 10);

            assertThat(list).extracting(MessageInfo::uid).containsExactly(11L, 12L, 13L);
            assertThat(list).extracting(MessageInfo::crossFolderId)
                    .containsExactly(1278455344230334865L, Long.parseUnsignedLong("18446744073709551615"), 0L);
            assertThat(list.get(1).size()).isEqualTo(20);
            assertThat(s.received("FETCH").get(0).line()).contains("X-GM-MSGID");
        }
    }

    @Test
    void withoutXGmExt1NoMessageIdIsAskedFor() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 UIDPLUS", c -> answer(c, false));
        try (SourceMailbox m = new ImapConnectorProvider().openSource(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(m.capabilities()).doesNotContain(ConnectorCapability.CROSS_FOLDER_IDENTITY);

            List<MessageInfo> list = m.listMessages("INBOX", 0, 10);

            assertThat(list).extracting(MessageInfo::crossFolderId).containsExactly(0L);
            assertThat(s.received("FETCH").get(0).line()).doesNotContain("X-GM");
        }
    }

    @Test
    void theGmailPresetSkipsCrossLabelDuplicates() {
        MigrationEndpoint gmail = ImapEndpointPresets.gmail("gmail").build();
        assertThat(gmail.properties()).containsEntry(MigrationEndpoint.SKIP_CROSS_DUPLICATES, "true");
        assertThat(ImapEndpointPresets.microsoft365("m365").build().properties())
                .doesNotContainKey(MigrationEndpoint.SKIP_CROSS_DUPLICATES);
    }
}
