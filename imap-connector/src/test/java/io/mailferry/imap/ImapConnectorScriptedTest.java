package io.mailferry.imap;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.Credentials;
import io.mailferry.core.FolderRole;
import io.mailferry.core.Impersonation;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorException.Kind;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.ScriptedImapServer;
import io.mailferry.imap.testing.ScriptedImapServer.Command;
import io.mailferry.imap.testing.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Protocol situations a real server cannot be made to produce on demand, against
 * {@link ScriptedImapServer}.
 */
class ImapConnectorScriptedTest {

    private static final Credentials USER = new Credentials("user", "S3cret-pw");
    private final List<ScriptedImapServer> servers = new ArrayList<>();
    private final ImapConnectorProvider provider = new ImapConnectorProvider();

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

    /** LOGIN and SELECT/EXAMINE answered, everything else by {@code rest}. */
    private static Function<Command, List<String>> basic(String permanentFlags, Function<Command, List<String>> rest) {
        return c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "SELECT", "EXAMINE" -> List.of("* 3 EXISTS", "* OK [UIDVALIDITY 9] ok", "* OK [UIDNEXT 50] ok",
                    "* OK [HIGHESTMODSEQ 77] ok", "* OK [PERMANENTFLAGS (" + permanentFlags + ")] ok", c.tag() + " OK done");
            default -> rest.apply(c);
        };
    }

    private static List<AppendRequest> three() {
        return List.of(
                TestMessages.request(TestMessages.simple("one"), MessageFlags.of("\\Seen"), Instant.parse("2020-02-03T04:05:06Z")),
                TestMessages.request(TestMessages.simple("two"), MessageFlags.NONE, null),
                TestMessages.request(TestMessages.simple("three"), MessageFlags.of("\\Flagged", "$Forwarded"), null));
    }

    @Test
    void multiappendSendsOneCommandAndReadsTheUidSet() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS MULTIAPPEND", basic("\\Seen \\Flagged \\*",
                c -> List.of(c.tag() + " OK [APPENDUID 9 20:22] done")));
        List<AppendResult> results;
        try (TargetMailbox t = provider.openTarget(endpoint(s), MailboxAccess.own(USER))) {
            results = t.append("INBOX", three());
        }
        assertThat(results).containsExactly(AppendResult.stored(20, 9), AppendResult.stored(21, 9), AppendResult.stored(22, 9));
        List<Command> appends = s.received("APPEND");
        assertThat(appends).hasSize(1);
        Command a = appends.get(0);
        assertThat(a.literals()).hasSize(3);
        assertThat(a.literals().get(1)).isEqualTo(TestMessages.simple("two"));
        assertThat(a.line()).isEqualTo(a.tag() + " APPEND INBOX (\\Seen) \"03-Feb-2020 04:05:06 +0000\" <literal:"
                + TestMessages.simple("one").length + "> <literal:" + TestMessages.simple("two").length
                + "> (\\Flagged $Forwarded) <literal:" + TestMessages.simple("three").length + ">");
        assertThat(s.received("SELECT")).hasSize(1);
    }

    @Test
    void aRefusedMultiappendIsRetriedPerMessageSoOnlyTheBadOneIsRefused() throws IOException {
        int[] appends = {0};
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS MULTIAPPEND", basic("\\*", c -> {
            appends[0]++;
            if (c.literals().size() > 1) {
                return List.of(c.tag() + " NO [TOOBIG] One message is too large");
            }
            if (new String(c.literals().get(0), StandardCharsets.US_ASCII).contains("two")) {
                return List.of(c.tag() + " NO [TOOBIG] Message too large");
            }
            return List.of(c.tag() + " OK [APPENDUID 9 " + (30 + appends[0]) + "] done");
        }));
        List<AppendResult> results;
        try (TargetMailbox t = provider.openTarget(endpoint(s), MailboxAccess.own(USER))) {
            results = t.append("INBOX", three());
        }
        assertThat(results.get(0)).isEqualTo(AppendResult.stored(32, 9));
        assertThat(results.get(1)).isEqualTo(AppendResult.refused("NO [TOOBIG] Message too large"));
        assertThat(results.get(2)).isEqualTo(AppendResult.stored(34, 9));
        assertThat(s.received("APPEND")).hasSize(4);
    }

    @Test
    void overQuotaStopsTheAppendWithAQuotaFailure() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS", basic("\\*",
                c -> List.of(c.tag() + " NO [OVERQUOTA] Quota exceeded (mailbox for user is full)")));
        try (TargetMailbox t = provider.openTarget(endpoint(s), MailboxAccess.own(USER))) {
            assertThatThrownBy(() -> t.append("INBOX", three()))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.QUOTA))
                    .hasMessageContaining("OVERQUOTA");
        }
    }

    @Test
    void aSynchronisingLiteralRefusedByTheServerIsARefusedMessage() throws IOException {
        ScriptedImapServer s = new ScriptedImapServer("IMAP4rev1 UIDPLUS", new ScriptedImapServer.Handler() {
            @Override
            public List<String> handle(Command c) {
                return basic("\\*", x -> List.of(x.tag() + " OK [APPENDUID 9 40] done")).apply(c);
            }

            @Override
            public String beforeLiteral(String tag, String lineSoFar) {
                // the second message is the one without flags
                return !lineSoFar.contains("(") ? tag + " NO [LIMIT] Not now, this one" : null;
            }
        });
        servers.add(s);
        List<AppendResult> results;
        try (TargetMailbox t = provider.openTarget(endpoint(s), MailboxAccess.own(USER))) {
            results = t.append("INBOX", three());
            assertThat(t.selectFolder("INBOX").uidValidity()).isEqualTo(9); // the connection is still in step
        }
        assertThat(results).extracting(AppendResult::stored).containsExactly(true, false, true);
        assertThat(results.get(1).error()).isEqualTo("NO [LIMIT] Not now, this one");
    }

    @Test
    void keywordsTheFolderDoesNotKeepAreDroppedAndNulMessagesGoAsLiteral8WithBinary() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS BINARY", basic("\\Seen \\Flagged $Forwarded",
                c -> List.of(c.tag() + " OK [APPENDUID 9 60] done")));
        byte[] nul = "Subject: nul\r\n\r\na\0b\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (TargetMailbox t = provider.openTarget(endpoint(s), MailboxAccess.own(USER))) {
            t.append("INBOX", List.of(
                    TestMessages.request(TestMessages.simple("k"), MessageFlags.of("\\Seen", "$Forwarded", "$Other"), null),
                    TestMessages.request(nul, MessageFlags.NONE, null)));
        }
        List<Command> appends = s.received("APPEND");
        assertThat(appends).hasSize(2);
        assertThat(appends.get(0).line()).contains("(\\Seen $Forwarded) <literal:").doesNotContain("$Other");
        assertThat(appends.get(1).line()).endsWith("<literal8:" + nul.length + ">");
        assertThat(appends.get(1).literals().get(0)).isEqualTo(nul);
    }

    @Test
    void throttlingAndMissingFoldersAreTold() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "EXAMINE" -> c.line().contains("Busy")
                    ? List.of(c.tag() + " NO [UNAVAILABLE] Temporary failure, try again later")
                    : List.of(c.tag() + " NO [NONEXISTENT] Mailbox doesn't exist: Gone");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        try (SourceMailbox src = provider.openSource(endpoint(s), MailboxAccess.own(USER))) {
            assertThatThrownBy(() -> src.selectFolder("Busy")).isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.THROTTLED));
            assertThatThrownBy(() -> src.selectFolder("Gone")).isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.FOLDER_NOT_FOUND));
        }
    }

    @Test
    void aDroppedConnectionIsATransientProtocolFailureAndCloseStaysQuiet() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1", basic("\\*", c -> List.of()));
        SourceMailbox src = provider.openSource(endpoint(s), MailboxAccess.own(USER));
        assertThatThrownBy(() -> src.listMessages("INBOX", 0, 10)).isInstanceOf(ConnectorException.class)
                .satisfies(e -> {
                    assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.PROTOCOL);
                    assertThat(((ConnectorException) e).isTransient()).isTrue();
                });
        assertThatThrownBy(() -> src.listFolders()).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.PROTOCOL));
        src.close();
        src.close();
    }

    @Test
    void byeIsReportedWithTheServersWords() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1", basic("\\*", c -> List.of("* BYE Too many simultaneous connections")));
        try (SourceMailbox src = provider.openSource(endpoint(s), MailboxAccess.own(USER))) {
            assertThatThrownBy(() -> src.listFolders()).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("Too many simultaneous connections")
                    .satisfies(e -> assertThat(((ConnectorException) e).kind()).isEqualTo(Kind.THROTTLED));
        }
    }

    @Test
    void loginDisabledIsRefusedWithoutSendingThePassword() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 LOGINDISABLED STARTTLS", c -> List.of(c.tag() + " OK"));
        assertThatThrownBy(() -> provider.openSource(endpoint(s), MailboxAccess.own(USER)))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("LOGINDISABLED");
        assertThat(s.received("LOGIN")).isEmpty();
    }

    @Test
    void impersonationBySaslAuthorizationIdentityAndByLoginString() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=PLAIN", c -> List.of(c.tag() + " OK [CAPABILITY IMAP4rev1 UIDPLUS] ok"));
        Credentials admin = new Credentials("admin", "Adm1n-pw");
        MigrationEndpoint sasl = endpoint(s).toBuilder().adminCredentials(admin).build();
        try (SourceMailbox src = provider.openSource(sasl, MailboxAccess.impersonating("terry.adams", admin))) {
            assertThat(src.capabilities()).containsExactly(io.mailferry.core.spi.ConnectorCapability.UIDPLUS);
        }
        assertThat(s.received("AUTHENTICATE").get(0).line()).endsWith("<sasl:terry.adams\0admin\0Adm1n-pw>");

        MigrationEndpoint login = endpoint(s).toBuilder().adminCredentials(admin)
                .impersonation(Impersonation.loginString("*")).authentication(AuthenticationMethod.LOGIN).build();
        provider.openSource(login, MailboxAccess.impersonating("terry.adams", admin)).close();
        assertThat(s.received("LOGIN").get(0).line()).endsWith("LOGIN \"terry.adams*admin\" Adm1n-pw");
        // AUTO uses SASL PLAIN when offered
        provider.openSource(endpoint(s), MailboxAccess.own(USER)).close();
        assertThat(s.received("AUTHENTICATE").get(1).line()).endsWith("<sasl:\0user\0S3cret-pw>");
    }

    @Test
    void wrongCredentialsNameServerAndUserButNotThePassword() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=PLAIN",
                c -> List.of(c.tag() + " NO [AUTHENTICATIONFAILED] Authentication failed."));
        assertThatThrownBy(() -> provider.openSource(endpoint(s), MailboxAccess.own(USER)))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("127.0.0.1:" + s.port())
                .hasMessageContaining("'user'")
                .hasMessageContaining("NO [AUTHENTICATIONFAILED] Authentication failed.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("S3cret-pw"));
    }

    @Test
    void specialUseFoldersAreAskedForAndDecoded() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 SPECIAL-USE LIST-EXTENDED", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK");
            case "LIST" -> c.line().contains("RETURN (SPECIAL-USE)") ? List.of(
                    "* LIST (\\HasNoChildren) \".\" INBOX",
                    "* LIST (\\HasChildren \\Drafts) \".\" \"Entw&APw-rfe\"",
                    "* LIST (\\HasNoChildren) \".\" \"Entw&APw-rfe.Alt\"",
                    "* LIST (\\Sent \\HasNoChildren) \".\" \"&kAFP4W4IMH8w4TD8MOs-\"",
                    "* LIST (\\Noselect \\HasChildren) \".\" Archiv",
                    "* LIST (\\NonExistent \\Archive) \".\" Archiv.Leer",
                    "* LIST () NIL Flat",
                    c.tag() + " OK done") : List.of(c.tag() + " BAD expected RETURN (SPECIAL-USE)");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        List<FolderInfo> folders;
        try (SourceMailbox src = provider.openSource(endpoint(s), MailboxAccess.own(USER))) {
            folders = src.listFolders();
        }
        assertThat(folders).extracting(FolderInfo::name).containsExactly("INBOX", "Archiv", "Archiv.Leer",
                "Entwürfe", "Entwürfe.Alt", "Flat", "送信済みメール");
        assertThat(folders).extracting(FolderInfo::role).containsExactly(FolderRole.INBOX, null, FolderRole.ARCHIVE,
                FolderRole.DRAFTS, null, null, FolderRole.SENT);
        assertThat(folders).extracting(FolderInfo::selectable).containsExactly(true, false, false, true, true, true, true);
        assertThat(folders.get(5).separator()).isEqualTo(FolderInfo.NO_SEPARATOR);
        assertThat(folders.get(3).separator()).isEqualTo('.');
    }

    @Test
    void condstoreIsUsedForSelectAndChangedSince() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 CONDSTORE ESEARCH", basic("", c -> switch (c.name()) {
            case "UID FETCH" -> List.of("* 2 FETCH (UID 7 MODSEQ (80) FLAGS (\\Seen))", c.tag() + " OK done");
            case "SEARCH" -> List.of("* ESEARCH (TAG \"" + c.tag() + "\") MIN 2", c.tag() + " OK done");
            case "FETCH" -> List.of(
                    "* 2 FETCH (UID 7 RFC822.SIZE 120 FLAGS (\\Seen) INTERNALDATE \"03-Feb-2020 04:05:06 +0100\" MODSEQ (80))",
                    "* 3 FETCH (UID 9 RFC822.SIZE 130 FLAGS () INTERNALDATE \" 4-Feb-2020 04:05:06 +0000\" MODSEQ (75))",
                    c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected");
        }));
        try (SourceMailbox src = provider.openSource(endpoint(s), MailboxAccess.own(USER))) {
            FolderStatus st = src.selectFolder("INBOX");
            assertThat(st).isEqualTo(new FolderStatus(9, 50, 3, 77, false));
            assertThat(src.fetchFlags("INBOX", 1, 10, 70)).containsOnlyKeys(7L);
            List<MessageInfo> page = src.listMessages("INBOX", 5, 2);
            assertThat(page).containsExactly(
                    new MessageInfo(7, 120, MessageFlags.of("\\Seen"), Instant.parse("2020-02-03T03:05:06Z"), 80),
                    new MessageInfo(9, 130, MessageFlags.NONE, Instant.parse("2020-02-04T04:05:06Z"), 75));
        }
        assertThat(s.received("EXAMINE").get(0).line()).endsWith("EXAMINE INBOX (CONDSTORE)");
        assertThat(s.received("UID FETCH").get(0).line()).endsWith("UID FETCH 1:10 (UID FLAGS) (CHANGEDSINCE 70)");
        assertThat(s.received("SEARCH").get(0).line()).endsWith("SEARCH RETURN (MIN) UID 6:*");
        assertThat(s.received("FETCH").get(0).line()).endsWith("FETCH 2:3 (UID RFC822.SIZE FLAGS INTERNALDATE MODSEQ)");
    }
}
