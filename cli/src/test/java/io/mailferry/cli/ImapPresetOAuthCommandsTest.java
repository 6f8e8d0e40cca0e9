package io.mailferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailferry.core.Credentials;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's IMAP depth through picocli: presets and their overrides on {@code endpoint new} and
 * {@code migrate}, {@code --imap-property} validation, and an XOAUTH2 migration on GreenMail (which
 * accepts {@code AUTHENTICATE XOAUTH2} with the user's password as the token) whose tokens come
 * only from the token command and never show in output, reports, logs or the state.
 */
class ImapPresetOAuthCommandsTest {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static GreenMailImap source;
    private static GreenMailImap target;

    @BeforeAll
    static void start() {
        source = GreenMailImap.start();
        target = GreenMailImap.start();
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute(args);
        return new Result(code, out.toString());
    }

    private static Result state(Path state, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state");
        all.add(state.toString());
        return run(all.toArray(String[]::new));
    }

    @Test
    void aPresetFillsTheEndpointOptionsOverrideItAndTheStateKeepsWhatItSet(@TempDir Path dir) {
        Path st = dir.resolve("state");
        Result r = state(st, "endpoint", "new", "--name", "gmail", "--preset", "gmail", "--skip-verification");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Created endpoint 'gmail' (IMAP, imap.gmail.com:993), not tested");

        // a new command (a new service on the state) shows what the preset set
        r = state(st, "endpoint", "get", "gmail");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("imap.gmail.com:993").contains("SSL").contains("XOAUTH2")
                .containsPattern("gmail .* 20 +20")
                .containsPattern("imap\\.auth\\.mechanism: +XOAUTH2")
                .containsPattern("imap\\.maxMessageBytes: +25000000")
                .containsPattern("skipCrossDuplicates: +true");

        r = state(st, "endpoint", "new", "--name", "m365", "--preset", "microsoft365", "--host", "imap.contoso.test",
                "--security", "starttls", "--max-concurrent-migrations", "8",
                "--imap-property", "imap.maxMessageBytes=150000000", "--imap-property", "imap.rate.messagesPerSecond=",
                "--oauth-token-command", "oauth2l fetch --email {email}", "--skip-verification");
        assertThat(r.code()).as(r.out()).isZero();
        r = state(st, "endpoint", "get", "m365");
        assertThat(r.out()).contains("imap.contoso.test:143").contains("STARTTLS").contains("XOAUTH2")
                .containsPattern("m365 .* 8 +8")
                .containsPattern("imap\\.maxMessageBytes: +150000000")
                .doesNotContain("imap.rate.messagesPerSecond")
                .containsPattern("OAuth token command: +oauth2l fetch --email \\{email\\}");

        // set: back to passwords (the mechanism goes), a property removed, the command removed
        r = state(st, "endpoint", "set", "gmail", "--auth", "plain", "--imap-property", "skipCrossDuplicates=");
        assertThat(r.code()).as(r.out()).isZero();
        r = state(st, "endpoint", "set", "m365", "--oauth-token-command", "none");
        assertThat(r.code()).as(r.out()).isZero();
        r = state(st, "endpoint", "get", "gmail");
        assertThat(r.out()).contains("PLAIN").doesNotContain("XOAUTH2").doesNotContain("skipCrossDuplicates")
                .contains("imap.maxMessageBytes");
        assertThat(state(st, "endpoint", "get", "m365").out()).doesNotContain("OAuth token command");
        r = state(st, "endpoint", "set", "gmail", "--auth", "oauthbearer");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(state(st, "endpoint", "get").out()).contains("OAUTHBEARER");
    }

    @Test
    void anUnknownOrInvalidPropertyIsAUsageErrorThatListsTheValidKeys(@TempDir Path dir) {
        Path st = dir.resolve("state");
        Result r = state(st, "endpoint", "new", "--name", "x", "--host", "imap.example.test",
                "--imap-property", "imap.fetch.batchbytes=8388608", "--imap-property", "imap.nope=1", "--skip-verification");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("unknown IMAP endpoint property 'imap.nope'").contains("valid keys:")
                .contains("imap.fetch.batchBytes").contains("imap.rate.messagesPerSecond").contains("skipCrossDuplicates");

        r = state(st, "endpoint", "new", "--name", "x", "--host", "imap.example.test",
                "--imap-property", "imap.fetch.batchBytes=12", "--skip-verification");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("imap.fetch.batchBytes").contains("must be in 65536-");
        r = state(st, "endpoint", "new", "--name", "x", "--host", "imap.example.test",
                "--imap-property", "skipCrossDuplicates=maybe", "--skip-verification");
        assertThat(r.out()).contains("skipCrossDuplicates must be true or false");
        r = state(st, "endpoint", "new", "--name", "x", "--host", "imap.example.test",
                "--imap-property", "noequals", "--skip-verification");
        assertThat(r.out()).contains("give KEY=VALUE");
        r = state(st, "endpoint", "new", "--name", "x", "--type", "exchange", "--host", "mail.contoso.test",
                "--preset", "gmail", "--skip-verification");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("for IMAP endpoints");
        r = state(st, "endpoint", "new", "--name", "x", "--preset", "yahoo", "--skip-verification");
        assertThat(r.out()).contains("use gmail or microsoft365");
        r = state(st, "endpoint", "new", "--name", "x", "--preset", "gmail",
                "--oauth-token-command", "oauth2l fetch --email '{email}'", "--skip-verification");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("single quotes");
        assertThat(state(st, "endpoint", "get").out()).contains("No endpoints.");

        r = run("migrate", "--source-host", "a.test", "--target-host", "b.test", "--users", dir.resolve("u.csv").toString(),
                "--target-imap-property", "imap.bogus=1");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("--target-imap-property").contains("valid keys:");
        r = run("migrate", "--target-host", "b.test", "--users", dir.resolve("u.csv").toString());
        assertThat(r.out()).contains("give --source-host or --source-preset");
        r = run("migrate", "--source-host", "a.test", "--target-host", "b.test", "--users", dir.resolve("u.csv").toString(),
                "--oauth-token-command", "echo t");
        assertThat(r.out()).contains("needs OAuth authentication");
    }

    @Test
    void helpTextsNameTheNewOptionsWithTheirUnits() {
        Result r = run("endpoint", "new", "--help");
        assertThat(r.out()).contains("--preset=gmail|microsoft365").contains("--imap-property=KEY=VALUE")
                .contains("--oauth-token-command=COMMAND").contains("xoauth2").contains("(bytes)").contains("30 s");
        r = run("migrate", "--help");
        assertThat(r.out()).contains("--source-preset").contains("--target-preset").contains("--source-imap-property")
                .contains("--oauth-token-command").contains("MAILFERRY_USER");
    }

    private record Mailbox(String login, String token) {
    }

    /** A GreenMail user whose login is its address and whose password is the OAuth token. */
    private static Mailbox mailbox(GreenMailImap server, String prefix) {
        String login = prefix + "-" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.test";
        String token = "ya29.TOKEN-" + Long.toHexString(System.nanoTime()) + "-" + USERS.incrementAndGet();
        server.greenMail().setUser(login, login, token);
        return new Mailbox(login, token);
    }

    private static void deliver(Mailbox m, int n) {
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] raw = ("From: a@example.test\r\nTo: " + m.login() + "\r\nSubject: oauth " + i + "\r\nMessage-ID: <"
                    + i + "." + m.login() + ">\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            requests.add(new AppendRequest(MessageFlags.NONE, Instant.parse("2024-02-01T00:00:00Z").plusSeconds(i),
                    MessageContent.of(raw)));
        }
        try (TargetMailbox box = source.openTarget(new Credentials(m.login(), m.token()))) {
            box.append("INBOX", requests);
        }
    }

    private static long inbox(GreenMailImap server, Mailbox m) {
        try (SourceMailbox box = server.openSource(new Credentials(m.login(), m.token()))) {
            return box.selectFolder("INBOX").messageCount();
        }
    }

    @Test
    void migrateWithXoauth2TakesEachUsersTokenFromTheCommandAndNeverShowsIt(@TempDir Path dir) throws IOException {
        Mailbox src1 = mailbox(source, "gsrc");
        Mailbox dst1 = mailbox(target, "gdst");
        Mailbox src2 = mailbox(source, "gsrc");
        Mailbox dst2 = mailbox(target, "gdst");
        deliver(src1, 4);
        deliver(src2, 2);
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        for (Mailbox m : List.of(src1, dst1, src2, dst2)) {
            Files.writeString(tokens.resolve(m.login()), m.token() + "\n");
        }
        // the CSV holds no token: Password is not used with OAuth, and the target logs in as EmailAddress
        Path csv = Files.writeString(dir.resolve("users.csv"), "EmailAddress,UserName,Password\r\n"
                + dst1.login() + "," + src1.login() + ",unused\r\n"
                + dst2.login() + "," + src2.login() + ",unused\r\n");
        String command = "cat '" + tokens + "/'{user}";

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger mailferry = (Logger) LoggerFactory.getLogger("io.mailferry");
        Level before = mailferry.getLevel();
        logs.start();
        root.addAppender(logs);
        mailferry.setLevel(Level.DEBUG);
        Result r;
        Result failed;
        try {
            r = run("migrate", "--source-preset", "gmail", "--source-host", GreenMailImap.HOST,
                    "--source-port", String.valueOf(source.imapPort()), "--source-security", "none",
                    "--target-host", GreenMailImap.HOST, "--target-port", String.valueOf(target.imapPort()),
                    "--target-security", "none", "--target-auth", "xoauth2",
                    "--oauth-token-command", command,
                    "--users", csv.toString(), "--state", dir.resolve("state").toString(),
                    "--report-dir", dir.resolve("reports").toString(), "--batch", "gmail-oauth", "--quiet");
            // the command fails for the target: the users fail with its exit status, not its output
            failed = run("migrate", "--source-preset", "gmail", "--source-host", GreenMailImap.HOST,
                    "--source-port", String.valueOf(source.imapPort()), "--source-security", "none",
                    "--target-host", GreenMailImap.HOST, "--target-port", String.valueOf(target.imapPort()),
                    "--target-security", "none", "--target-auth", "xoauth2",
                    "--source-oauth-token-command", command,
                    "--target-oauth-token-command", "cat '" + tokens + "/'{user}; echo LEAKED-OUTPUT; exit 3",
                    "--users", csv.toString(), "--state", dir.resolve("state2").toString(),
                    "--report-dir", dir.resolve("reports2").toString(), "--batch", "gmail-oauth-fails", "--quiet");
        } finally {
            root.detachAppender(logs);
            mailferry.setLevel(before);
        }

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(inbox(target, dst1)).isEqualTo(4);
        assertThat(inbox(target, dst2)).isEqualTo(2);
        assertThat(failed.code()).as(failed.out()).isEqualTo(MailFerryCli.EXIT_USERS_FAILED);
        String errors = Files.readString(dir.resolve("reports2/MigrationErrors.csv"), StandardCharsets.UTF_8);
        assertThat(errors).contains("exit status 3").doesNotContain("LEAKED-OUTPUT");
        assertThat(failed.out()).doesNotContain("LEAKED-OUTPUT");

        List<String> secrets = List.of(src1.token(), dst1.token(), src2.token(), dst2.token());
        StringBuilder logText = new StringBuilder();
        logs.list.forEach(e -> logText.append(e.getFormattedMessage()).append('\n')
                .append(e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()).append('\n'));
        assertThat(logText).as("DEBUG logs were captured").contains("gmail-oauth");
        String stateBytes = allBytes(dir.resolve("state")) + allBytes(dir.resolve("state2"));
        String reports = allBytes(dir.resolve("reports")) + allBytes(dir.resolve("reports2"));
        // the state is searchable: the token command (configuration) is in it, the tokens are not
        assertThat(stateBytes).contains("cat '" + tokens + "/'{user}");
        for (String secret : secrets) {
            assertThat(r.out()).doesNotContain(secret);
            assertThat(failed.out()).doesNotContain(secret);
            assertThat(logText.toString()).doesNotContain(secret);
            assertThat(stateBytes).doesNotContain(secret);
            assertThat(reports).doesNotContain(secret);
        }
    }

    @Test
    void cmdletEndpointsKeepTheTokenCommandAcrossCommandsAndBatchesUseItPerUser(@TempDir Path dir) throws IOException {
        Path st = dir.resolve("state");
        Mailbox src = mailbox(source, "csrc");
        Mailbox dst = mailbox(target, "cdst");
        deliver(src, 3);
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        for (Mailbox m : List.of(src, dst)) {
            Files.writeString(tokens.resolve(m.login()), m.token());
        }
        // the token command gets the e-mail address too: $2 / {email} is the batch user's EmailAddress
        Path seen = dir.resolve("seen");
        String command = "echo \"$2\" >> '" + seen + "'; cat '" + tokens + "/'{user}";
        Result r = state(st, "endpoint", "new", "--name", "old-gmail", "--preset", "gmail", "--host", GreenMailImap.HOST,
                "--port", String.valueOf(source.imapPort()), "--security", "none", "--oauth-token-command", command);
        assertThat(r.code()).as(r.out()).isZero();
        r = state(st, "endpoint", "new", "--name", "new-gmail", "--preset", "gmail", "--host", GreenMailImap.HOST,
                "--port", String.valueOf(target.imapPort()), "--security", "none", "--oauth-token-command", command);
        assertThat(r.code()).as(r.out()).isZero();
        Path csv = Files.writeString(dir.resolve("users.csv"), "EmailAddress,UserName,Password\r\n"
                + dst.login() + "," + src.login() + ",unused\r\n");

        r = state(st, "batch", "new", "--name", "wave-1", "--source-endpoint", "old-gmail", "--target-endpoint",
                "new-gmail", "--csv", csv.toString(), "--auto-start", "--quiet");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(inbox(target, dst)).isEqualTo(3);
        deliver(src, 1);
        r = state(st, "batch", "sync-now", "wave-1", "--csv", csv.toString(), "--quiet");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(inbox(target, dst)).isEqualTo(4);
        assertThat(Files.readAllLines(seen)).contains(dst.login()).doesNotContain(src.login());
        String all = r.out() + allBytes(st);
        assertThat(all).doesNotContain(src.token()).doesNotContain(dst.token());
    }

    /** Every file under a directory, as ISO-8859-1 text (bytes one to one). */
    private static String allBytes(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sb.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }
}
