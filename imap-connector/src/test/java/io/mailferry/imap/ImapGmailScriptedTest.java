package io.mailferry.imap;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gmail's {@code X-GM-EXT-1} against {@link ScriptedImapServer}: message ids as cross-folder
 * identities (source) and labels added with {@code UID STORE +X-GM-LABELS} (target).
 */
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

    // ------------------------------------------------------------------ target: X-GM-LABELS

    private static final String GMAIL_CAPS = "IMAP4rev1 X-GM-EXT-1 UIDPLUS SPECIAL-USE LITERAL+";

    /** Gmail's folder list (as LIST RETURN (SPECIAL-USE) gives it) and OK to everything else but a refused label. */
    private static List<String> gmailTarget(Command c) {
        return switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "LIST" -> List.of("* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                    "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"",
                    "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"",
                    "* LIST (\\Drafts \\HasNoChildren) \"/\" \"[Gmail]/Drafts\"",
                    "* LIST (\\HasNoChildren \\Important) \"/\" \"[Gmail]/Important\"",
                    "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"",
                    "* LIST (\\HasNoChildren \\Junk) \"/\" \"[Gmail]/Spam\"",
                    "* LIST (\\Flagged \\HasNoChildren) \"/\" \"[Gmail]/Starred\"",
                    "* LIST (\\HasNoChildren \\Trash) \"/\" \"[Gmail]/Trash\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Work \\\"Q1\\\" plans\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Projekte/Gr&APYA3w-e\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Refused\"",
                    c.tag() + " OK done");
            case "SELECT" -> List.of("* 9 EXISTS", "* OK [UIDVALIDITY 9] ok", "* OK [UIDNEXT 50] ok",
                    "* OK [PERMANENTFLAGS (\\Seen \\*)] ok", c.tag() + " OK [READ-WRITE] done");
            case "UID STORE" -> c.line().contains("Refused")
                    ? List.of(c.tag() + " NO [CANNOT] Invalid label (Failure)")
                    : List.of("* 5 FETCH (X-GM-LABELS (\\Inbox) UID 5)", c.tag() + " OK Success");
            default -> List.of(c.tag() + " BAD unexpected " + c.name());
        };
    }

    private static List<String> stores(ScriptedImapServer s) {
        return s.received("UID STORE").stream().map(c -> c.line().substring(c.tag().length() + 1)).toList();
    }

    @Test
    void labelsAreAddedWithOneUidStorePerUidSetInTheFolderOfTheMessages() throws IOException {
        ScriptedImapServer s = server(GMAIL_CAPS, ImapGmailScriptedTest::gmailTarget);
        try (TargetMailbox m = new ImapConnectorProvider().openTarget(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(m.capabilities()).contains(ConnectorCapability.FOLDER_LABELS);

            m.addLabels("INBOX", List.of(9L, 6L, 5L, 7L), "Work \"Q1\" plans");
            m.addLabels("INBOX", List.of(5L), "Projekte/Größe");
            m.addLabels("INBOX", List.of(), "Projekte/Größe");

            assertThat(stores(s)).containsExactly(
                    "UID STORE 5:7,9 +X-GM-LABELS (\"Work \\\"Q1\\\" plans\")",
                    "UID STORE 5 +X-GM-LABELS (\"Projekte/Gr&APYA3w-e\")");
            assertThat(s.received("SELECT")).singleElement().satisfies(c -> assertThat(c.line()).endsWith("INBOX"));
        }
    }

    @Test
    void specialUseFoldersGetGmailsSystemLabelsAndAllMailNoCommand() throws IOException {
        ScriptedImapServer s = server(GMAIL_CAPS, ImapGmailScriptedTest::gmailTarget);
        try (TargetMailbox m = new ImapConnectorProvider().openTarget(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            for (String folder : List.of("INBOX", "[Gmail]/Sent Mail", "[Gmail]/Drafts", "[Gmail]/Important",
                    "[Gmail]/Starred", "[Gmail]/Spam", "[Gmail]/Trash", "[Gmail]/All Mail")) {
                m.addLabels("Work \"Q1\" plans", List.of(3L), folder);
            }

            assertThat(stores(s)).containsExactly(
                    "UID STORE 3 +X-GM-LABELS (\\Inbox)",
                    "UID STORE 3 +X-GM-LABELS (\\Sent)",
                    "UID STORE 3 +X-GM-LABELS (\\Draft)",
                    "UID STORE 3 +X-GM-LABELS (\\Important)",
                    "UID STORE 3 +X-GM-LABELS (\\Starred)",
                    "UID STORE 3 +X-GM-LABELS (\\Spam)",
                    "UID STORE 3 +X-GM-LABELS (\\Trash)");
            assertThat(s.received("LIST")).as("the folders' attributes are listed once").hasSize(1);
        }
    }

    @Test
    void aRefusedLabelIsARefusedConnectorException() throws IOException {
        ScriptedImapServer s = server(GMAIL_CAPS, ImapGmailScriptedTest::gmailTarget);
        try (TargetMailbox m = new ImapConnectorProvider().openTarget(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThatThrownBy(() -> m.addLabels("INBOX", List.of(1L, 2L), "Refused"))
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.REFUSED))
                    .hasMessageContaining("Invalid label").hasMessageContaining("'Refused'");
            m.addLabels("INBOX", List.of(1L), "INBOX");
            assertThat(stores(s)).as("the session goes on").hasSize(2);
        }
    }

    @Test
    void withoutXGmExt1ThereAreNoLabels() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 UIDPLUS SPECIAL-USE", ImapGmailScriptedTest::gmailTarget);
        try (TargetMailbox m = new ImapConnectorProvider().openTarget(endpoint(s),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(m.capabilities()).doesNotContain(ConnectorCapability.FOLDER_LABELS);
            assertThatThrownBy(() -> m.addLabels("INBOX", List.of(1L), "Work"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThat(stores(s)).isEmpty();
        }
    }
}
