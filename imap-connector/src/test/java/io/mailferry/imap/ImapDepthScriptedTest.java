package io.mailferry.imap;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.ScriptedImapServer;
import io.mailferry.imap.testing.ScriptedImapServer.Command;
import io.mailferry.imap.testing.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OAuth logins, LIST-STATUS, APPENDLIMIT and throttling hints against {@link ScriptedImapServer}.
 */
class ImapDepthScriptedTest {

    private static final Credentials USER = new Credentials("alice@example.com", "static-token");
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

    private static MigrationEndpoint.Builder endpoint(ScriptedImapServer s) {
        return MigrationEndpoint.imap("scripted").host(GreenMailImap.HOST).port(s.port()).security(Security.NONE)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10));
    }

    private static List<String> select(Command c) {
        return List.of("* 3 EXISTS", "* OK [UIDVALIDITY 9] ok", "* OK [UIDNEXT 50] ok",
                "* OK [PERMANENTFLAGS (\\Seen \\*)] ok", c.tag() + " OK done");
    }

    @Test
    void xoauth2SendsTheUserAndTheProvidersTokenAndAsksForANewTokenWhenTheFirstIsRefused() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=XOAUTH2", c -> switch (c.name()) {
            case "AUTHENTICATE" -> c.line().contains("auth=Bearer fresh-2")
                    ? List.of(c.tag() + " OK [CAPABILITY IMAP4rev1 UIDPLUS] welcome")
                    : List.of(c.tag() + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            case "LIST" -> List.of(c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        AtomicInteger fetched = new AtomicInteger();
        List<OAuthTokenProvider.TokenRequest> asked = new ArrayList<>();
        OAuthTokenProvider tokens = new CachingOAuthTokenProvider(r -> {
            asked.add(r);
            return new CachingOAuthTokenProvider.AccessToken("fresh-" + fetched.incrementAndGet(),
                    Instant.now().plusSeconds(3600));
        });
        MigrationEndpoint ep = endpoint(s).property(ImapProperties.AUTH_MECHANISM, "XOAUTH2").build();
        try (SourceMailbox m = new ImapConnectorProvider(tokens).openSource(ep, MailboxAccess.own(USER))) {
            assertThat(m.listFolders()).isEmpty();
        }
        List<Command> auth = s.received("AUTHENTICATE");
        assertThat(auth).hasSize(2);
        assertThat(auth.get(0).line()).contains("AUTHENTICATE XOAUTH2")
                .contains("<sasl:user=alice@example.com\u0001auth=Bearer fresh-1\u0001\u0001>");
        assertThat(auth.get(1).line()).contains("auth=Bearer fresh-2");
        assertThat(asked).extracting(OAuthTokenProvider.TokenRequest::refused).containsExactly(false, true);
        assertThat(asked.get(0).username()).isEqualTo("alice@example.com");
    }

    @Test
    void theServerTestOfAnOauthEndpointLogsInWithTheProvidersTokenNotThePassword() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=XOAUTH2", c -> switch (c.name()) {
            case "AUTHENTICATE" -> c.line().contains("auth=Bearer test-token")
                    ? List.of(c.tag() + " OK [CAPABILITY IMAP4rev1 UIDPLUS] welcome")
                    : List.of(c.tag() + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            case "LOGOUT" -> List.of("* BYE bye", c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        MigrationEndpoint ep = endpoint(s).property(ImapProperties.AUTH_MECHANISM, "XOAUTH2").build();

        ServerAvailability r = new ImapConnectorProvider(request -> "test-token")
                .testConnection(ep, MailboxAccess.own(USER));

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.authenticated()).isTrue();
        assertThat(r.capabilities()).contains("UIDPLUS");
        assertThat(s.received("LOGIN")).isEmpty();
        assertThat(s.received("AUTHENTICATE")).singleElement().satisfies(c -> assertThat(c.line())
                .contains("<sasl:user=alice@example.com\u0001auth=Bearer test-token\u0001\u0001>"));
    }

    @Test
    void oauthbearerSendsTheGs2HeaderHostAndPortAndARefusalWithoutProviderIsAnAuthenticationFailure()
            throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=OAUTHBEARER", c -> List.of(c.tag() + " NO [AUTHENTICATIONFAILED] no"));
        MigrationEndpoint ep = endpoint(s).property(ImapProperties.AUTH_MECHANISM, "OAUTHBEARER").build();

        assertThatThrownBy(() -> new ImapConnectorProvider().openTarget(ep, MailboxAccess.own(USER)))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("OAUTHBEARER").hasMessageNotContaining("static-token");
        Command auth = s.received("AUTHENTICATE").get(0);
        assertThat(auth.line()).contains("<sasl:n,a=alice@example.com,\u0001host=" + GreenMailImap.HOST + "\u0001port="
                + s.port() + "\u0001auth=Bearer static-token\u0001\u0001>");
        assertThat(s.received("AUTHENTICATE")).hasSize(1);
    }

    @Test
    void anOauthMechanismTheServerDoesNotOfferFailsClearly() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 AUTH=PLAIN", c -> List.of(c.tag() + " OK"));
        MigrationEndpoint ep = endpoint(s).property(ImapProperties.AUTH_MECHANISM, "XOAUTH2").build();

        assertThatThrownBy(() -> new ImapConnectorProvider().openSource(ep, MailboxAccess.own(USER)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("AUTH=XOAUTH2");
    }

    @Test
    void cachedTokensAreRenewedShortlyBeforeTheyExpire() {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        Clock[] clock = {Clock.fixed(now, ZoneOffset.UTC)};
        AtomicInteger fetched = new AtomicInteger();
        CachingOAuthTokenProvider tokens = new CachingOAuthTokenProvider(
                r -> new CachingOAuthTokenProvider.AccessToken("t" + fetched.incrementAndGet(), now.plusSeconds(600)),
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return clock[0].instant();
                    }
                }, Duration.ofSeconds(60));
        OAuthTokenProvider.TokenRequest r = new OAuthTokenProvider.TokenRequest("e", "h", "u", false);

        assertThat(tokens.accessToken(r)).isEqualTo("t1");
        clock[0] = Clock.fixed(now.plusSeconds(500), ZoneOffset.UTC);
        assertThat(tokens.accessToken(r)).isEqualTo("t1");
        clock[0] = Clock.fixed(now.plusSeconds(541), ZoneOffset.UTC);
        assertThat(tokens.accessToken(r)).as("within the skew of expiry").isEqualTo("t2");
        assertThat(tokens.accessToken(new OAuthTokenProvider.TokenRequest("e", "h", "u", true))).isEqualTo("t3");
        assertThat(tokens.accessToken(new OAuthTokenProvider.TokenRequest("e", "h", "other", false))).isEqualTo("t4");
        assertThat(new CachingOAuthTokenProvider.AccessToken("secret", now).toString()).doesNotContain("secret");
    }

    @Test
    void aSourceReadsEveryFolderStateWithOneListStatusAndExaminesOnlyTheFolderItReads() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 LIST-STATUS LIST-EXTENDED CONDSTORE", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "LIST" -> c.line().contains("RETURN (STATUS (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ))")
                    ? List.of("* LIST () \"/\" INBOX", "* STATUS INBOX (MESSAGES 3 UIDNEXT 50 UIDVALIDITY 9 HIGHESTMODSEQ 77)",
                    "* LIST () \"/\" Archive", "* STATUS Archive (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 12 HIGHESTMODSEQ 1)",
                    c.tag() + " OK done")
                    : List.of(c.tag() + " BAD expected LIST-STATUS");
            case "EXAMINE" -> select(c);
            case "FETCH" -> List.of("* 3 FETCH (UID 49 RFC822.SIZE 10 FLAGS (\\Seen) INTERNALDATE \"01-Jan-2020 00:00:00 +0000\" MODSEQ (70))",
                    c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected " + c.name());
        });
        try (SourceMailbox m = new ImapConnectorProvider().openSource(endpoint(s).build(),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(m.listFolders()).hasSize(2);
            FolderStatus archive = m.selectFolder("Archive");
            FolderStatus inbox = m.selectFolder("INBOX");
            assertThat(archive).isEqualTo(new FolderStatus(12, 1, 0, 1, true));
            assertThat(inbox.uidNext()).isEqualTo(50);
            assertThat(inbox.highestModSeq()).isEqualTo(77);
            assertThat(s.received("EXAMINE")).as("no round trip for the states").isEmpty();

            assertThat(m.listMessages("INBOX", 48, 10)).hasSize(1);
            assertThat(s.received("EXAMINE")).hasSize(1);
        }
    }

    @Test
    void aMessageOverTheServersAppendLimitIsNotSentAndIsReportedTooLarge() throws IOException {
        int small = TestMessages.simple("one").length;
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS APPENDLIMIT=" + (small + 10), c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "SELECT" -> select(c);
            case "APPEND" -> List.of(c.tag() + " OK [APPENDUID 9 60] done");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        byte[] big = TestMessages.simple("x".repeat(200));
        List<AppendResult> results;
        try (TargetMailbox t = new ImapConnectorProvider().openTarget(endpoint(s).build(),
                MailboxAccess.own(new Credentials("u", "p")))) {
            results = t.append("INBOX", List.of(
                    TestMessages.request(big, MessageFlags.NONE, null),
                    TestMessages.request(TestMessages.simple("one"), MessageFlags.NONE, null)));
        }
        assertThat(results.get(0).isTooLarge()).isTrue();
        assertThat(results.get(0).error()).contains("[TOOBIG]").contains(big.length + " bytes");
        assertThat(results.get(1)).isEqualTo(AppendResult.stored(60, 9));
        assertThat(s.received("APPEND")).hasSize(1);
        assertThat(AppendResult.refused("NO [TOOBIG] Message too large").isTooLarge()).isTrue();
        assertThat(AppendResult.refused("NO [LIMIT] Not now").isTooLarge()).isFalse();
    }

    @Test
    void aThrottledAppendWaitsForTheSuggestedBackoffAndSendsTheRestAgain() throws IOException {
        AtomicInteger appends = new AtomicInteger();
        ScriptedImapServer s = server("IMAP4rev1 LITERAL+ UIDPLUS", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "SELECT" -> select(c);
            case "APPEND" -> appends.incrementAndGet() == 2
                    ? List.of(c.tag() + " NO Request is throttled. Suggested Backoff Time: 20 milliseconds")
                    : List.of(c.tag() + " OK [APPENDUID 9 " + (70 + appends.get()) + "] done");
            default -> List.of(c.tag() + " BAD unexpected");
        });
        List<AppendRequest> three = List.of(
                TestMessages.request(TestMessages.simple("one"), MessageFlags.NONE, null),
                TestMessages.request(TestMessages.simple("two"), MessageFlags.NONE, null),
                TestMessages.request(TestMessages.simple("three"), MessageFlags.NONE, null));
        List<AppendResult> results;
        try (TargetMailbox t = new ImapConnectorProvider().openTarget(endpoint(s).build(),
                MailboxAccess.own(new Credentials("u", "p")))) {
            results = t.append("INBOX", three);
        }
        assertThat(results).allSatisfy(r -> assertThat(r.stored()).isTrue());
        assertThat(results.get(0).uid()).isEqualTo(71);
        assertThat(s.received("APPEND")).hasSize(4);
    }

    @Test
    void aThrottlingRefusalCarriesTheServersBackoffForTheEngine() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            default -> List.of(c.tag() + " NO Request is throttled. Suggested Backoff Time: 299609 milliseconds");
        });
        try (SourceMailbox m = new ImapConnectorProvider().openSource(endpoint(s).build(),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThatThrownBy(() -> m.selectFolder("INBOX")).isInstanceOfSatisfying(ConnectorException.class, e -> {
                assertThat(e.kind()).isEqualTo(ConnectorException.Kind.THROTTLED);
                assertThat(e.retryAfter()).contains(Duration.ofMillis(299609));
            });
        }
    }

    @Test
    void folderNamesAreRelativeToThePersonalNamespaceAndOtherNamespacesAreLeftOut() throws IOException {
        ScriptedImapServer s = server("IMAP4rev1 NAMESPACE LITERAL+ UIDPLUS", c -> switch (c.name()) {
            case "LOGIN" -> List.of(c.tag() + " OK logged in");
            case "NAMESPACE" -> List.of("* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) NIL", c.tag() + " OK done");
            case "LIST" -> List.of("* LIST (\\HasChildren) \".\" INBOX", "* LIST () \".\" INBOX.Sent",
                    "* LIST () \".\" INBOX.Archive.2019", "* LIST () \".\" user.bob.Secret", c.tag() + " OK done");
            case "SELECT" -> select(c);
            case "CREATE", "SUBSCRIBE" -> List.of(c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected " + c.name());
        });
        try (TargetMailbox t = new ImapConnectorProvider().openTarget(endpoint(s).build(),
                MailboxAccess.own(new Credentials("u", "p")))) {
            assertThat(t.listFolders()).extracting(io.mailferry.core.spi.FolderInfo::name)
                    .containsExactly("INBOX", "Archive.2019", "Sent");
            t.selectFolder("Sent");
            t.selectFolder("INBOX");
            t.createFolder("Projects");
        }
        assertThat(s.received("SELECT")).extracting(Command::line).anySatisfy(l -> assertThat(l).endsWith("SELECT INBOX.Sent"))
                .anySatisfy(l -> assertThat(l).endsWith("SELECT INBOX"));
        assertThat(s.received("CREATE")).singleElement().satisfies(c -> assertThat(c.line()).endsWith("CREATE INBOX.Projects"));
        assertThat(s.received("SUBSCRIBE")).singleElement()
                .satisfies(c -> assertThat(c.line()).endsWith("SUBSCRIBE INBOX.Projects"));
    }
}
