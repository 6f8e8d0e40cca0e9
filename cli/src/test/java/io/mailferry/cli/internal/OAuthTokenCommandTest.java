package io.mailferry.cli.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.imap.OAuthTokenProvider;
import io.mailferry.imap.testing.GreenMailImap;
import io.mailferry.imap.testing.ScriptedImapServer;
import io.mailferry.imap.testing.ScriptedImapServer.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OAuth token command (mbsync's {@code PassCmd}) and the CLI's token provider: placeholders
 * passed as variables, failures as typed errors without the output, and a new token from the
 * command when the server refuses one.
 */
class OAuthTokenCommandTest {

    @Test
    void theTrimmedOutputIsTheTokenAndThePlaceholdersAreTheLoginAndTheAddress() {
        OAuthTokenCommand c = new OAuthTokenCommand("printf '  tok-%s-%s-%s\\n\\n' {user} \"{email}\" \"$MAILFERRY_ENDPOINT\"");
        assertThat(c.fetch("gmail", "imap.gmail.com", "terry", "terry@contoso.com", false))
                .isEqualTo("tok-terry-terry@contoso.com-gmail");
        assertThat(new OAuthTokenCommand("printf %s-%s \"$1\" \"$2\"").fetch("e", "h", "u", "u@x", false))
                .isEqualTo("u-u@x");
        assertThat(new OAuthTokenCommand("printf %s \"$MAILFERRY_TOKEN_REFUSED\"").fetch("e", "h", "u", "u@x", true))
                .isEqualTo("true");
    }

    @Test
    void aUserNameIsNeverParsedByTheShell(@TempDir Path dir) {
        Path marker = dir.resolve("pwned");
        String hostile = "a;touch${IFS}" + marker + ";$(touch${IFS}" + marker + ")`touch${IFS}" + marker + "`";
        assertThat(hostile).doesNotContain(" ");

        String token = new OAuthTokenCommand("printf %s {user}").fetch("e", "h", hostile, hostile, false);

        assertThat(token).isEqualTo(hostile);
        assertThat(marker).doesNotExist();
        assertThat(OAuthTokenCommand.shellText("x {user} \"--to={email}\" \\{user}"))
                .isEqualTo("x \"${MAILFERRY_USER}\" \"--to=${MAILFERRY_EMAIL}\" \\{user}");
    }

    @Test
    void aPlaceholderInsideSingleQuotesIsRefused() {
        assertThatThrownBy(() -> new OAuthTokenCommand("oauth2l fetch --email '{email}'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{email}").hasMessageContaining("single quotes");
        assertThatThrownBy(() -> new OAuthTokenCommand("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingCommandNamesItsExitStatusButNeverItsOutput() {
        OAuthTokenCommand failing = new OAuthTokenCommand("echo SECRET-ON-STDOUT; echo SECRET-ON-STDERR >&2; exit 7");
        assertThatThrownBy(() -> failing.fetch("m365", "h", "terry", "terry@x", false))
                .isInstanceOf(OAuthTokenException.class)
                .hasMessageContaining("exit status 7").hasMessageContaining("'m365'").hasMessageContaining("'terry'")
                .hasMessageNotContaining("SECRET");

        assertThatThrownBy(() -> new OAuthTokenCommand("printf '  \\n'").fetch("e", "h", "u", "u", false))
                .isInstanceOf(OAuthTokenException.class).hasMessageContaining("printed no token");
        assertThatThrownBy(() -> new OAuthTokenCommand("echo SECRET-A; echo SECRET-B").fetch("e", "h", "u", "u", false))
                .isInstanceOf(OAuthTokenException.class).hasMessageContaining("more than one token")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> new OAuthTokenCommand("exec /nonexistent/oauth-helper").fetch("e", "h", "u", "u", false))
                .isInstanceOf(OAuthTokenException.class).hasMessageMatching(".*failed with exit status [1-9][0-9]*");
    }

    @Test
    void aCommandThatDoesNotFinishInTimeIsKilled() {
        OAuthTokenCommand slow = new OAuthTokenCommand("echo SECRET-EARLY; sleep 60", Duration.ofMillis(300));
        assertThatThrownBy(() -> slow.fetch("e", "h", "u", "u", false))
                .isInstanceOf(OAuthTokenException.class).hasMessageContaining("did not finish within")
                .hasMessageNotContaining("SECRET");
        assertThat(OAuthTokenCommand.TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutACommandTheTokenComesFromTheEnvironmentAndWithoutBothTheErrorSaysWhatToGive() {
        CliTokenProvider tokens = new CliTokenProvider(Map.of("MAILFERRY_OAUTH_TOKEN_GMAIL_1", "endpoint-token",
                "MAILFERRY_OAUTH_TOKEN", "any-token")::get);
        assertThat(tokens.accessToken(new OAuthTokenProvider.TokenRequest("gmail-1", "h", "u", false)))
                .isEqualTo("endpoint-token");
        assertThat(tokens.accessToken(new OAuthTokenProvider.TokenRequest("other", "h", "u", false)))
                .isEqualTo("any-token");
        CliTokenProvider none = new CliTokenProvider(Map.<String, String>of()::get);
        assertThatThrownBy(() -> none.accessToken(new OAuthTokenProvider.TokenRequest("gmail-1", "h", "u", false)))
                .isInstanceOf(OAuthTokenException.class)
                .hasMessageContaining("--oauth-token-command").hasMessageContaining("MAILFERRY_OAUTH_TOKEN_GMAIL_1");
    }

    @Test
    void xoauth2CarriesTheCommandsOutputAndARefusedTokenRunsTheCommandAgain(@TempDir Path dir) throws IOException {
        try (ScriptedImapServer s = new ScriptedImapServer("IMAP4rev1 AUTH=XOAUTH2", c -> switch (c.name()) {
            case "AUTHENTICATE" -> c.line().contains("auth=Bearer tok-2")
                    ? List.of(c.tag() + " OK [CAPABILITY IMAP4rev1 UIDPLUS] welcome")
                    : List.of(c.tag() + " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            case "LIST" -> List.of(c.tag() + " OK done");
            default -> List.of(c.tag() + " BAD unexpected");
        })) {
            Path counter = dir.resolve("count");
            // each run prints the next token: tok-1, tok-2, ...
            String command = "n=$(cat '" + counter + "' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '" + counter
                    + "'; echo \"tok-$n\"";
            MigrationEndpoint ep = MigrationEndpoint.imap("scripted").host(GreenMailImap.HOST).port(s.port())
                    .security(Security.NONE).connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10))
                    .property("imap.auth.mechanism", "XOAUTH2")
                    .property(ImapEndpointSettings.TOKEN_COMMAND, command).build();
            MigrationService.Builder b = MigrationService.builder();
            CliTokenProvider tokens = new CliTokenProvider(Map.<String, String>of()::get);
            try (MigrationService service = b.build()) {
                tokens.bind(service);
                service.saveEndpoint(ep);
                try (SourceMailbox m = new ImapConnectorProvider(tokens).openSource(ep,
                        MailboxAccess.own(new Credentials("alice@example.com", ImapEndpointSettings.OAUTH_PASSWORD)))) {
                    assertThat(m.listFolders()).isEmpty();
                }
            }
            List<Command> auth = s.received("AUTHENTICATE");
            assertThat(auth).hasSize(2);
            // the server decodes the SASL response: it was the base64 of exactly this
            assertThat(auth.get(0).line()).startsWith(auth.get(0).tag() + " AUTHENTICATE XOAUTH2")
                    .endsWith("<sasl:user=alice@example.com\u0001auth=Bearer tok-1\u0001\u0001>");
            assertThat(auth.get(1).line()).endsWith("<sasl:user=alice@example.com\u0001auth=Bearer tok-2\u0001\u0001>");
            assertThat(Files.readString(counter, StandardCharsets.US_ASCII).trim()).isEqualTo("2");
            assertThat(auth).noneMatch(c -> c.line().contains(ImapEndpointSettings.OAUTH_PASSWORD));
        }
    }
}
