package io.mailferry.cli;

import io.mailferry.core.Credentials;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands with an Exchange source: {@code endpoint new --type exchange} against the fake EWS
 * server, {@code endpoint test} with its structured result, a batch from the EWS CSV format
 * ({@code EmailAddress, BadItemLimit, LargeItemLimit, MailboxType}) into GreenMail, the calendar
 * among the user's skipped items, and no password in the state.
 */
class ExchangeCommandsTest {

    private static final String ADMIN = "CONTOSO\\migrator";
    private static final String ADMIN_PASSWORD = "S3cret!migrator-cli";

    private record Result(int code, String out) {
    }

    private static Result run(Path state, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state");
        all.add(state.toString());
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, out.toString());
    }

    private static byte[] mail(String subject) {
        return ("From: boss@contoso.test\r\nTo: ann@contoso.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '.') + "@contoso.test>\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anExchangeEndpointTestedAndABatchFromTheEwsCsvIntoImap(@TempDir Path dir) throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(ADMIN, ADMIN_PASSWORD);
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailImap greenMail = GreenMailImap.start()) {
            Credentials dst = greenMail.newUser("ann");
            String email = dst.username() + "@example.test";
            FakeMailbox mb = exchange.mailbox(email);
            for (int i = 0; i < 3; i++) {
                mb.deliver(mb.distinguished("inbox"), mail("Mail " + i), i == 0, Instant.parse("2025-01-0" + (i + 1)
                        + "T09:00:00Z"));
            }
            mb.deliver(mb.distinguished("calendar"), mail("Meeting"), true, Instant.parse("2025-02-01T09:00:00Z"));
            Path state = dir.resolve("state");

            Result r = run(state, "endpoint", "new", "--name", "exchange-2016", "--type", "imap",
                    "--ews-url", ews.ewsUrl().toString());
            assertThat(r.code()).as(r.out()).isEqualTo(MailFerryCli.EXIT_USAGE);
            assertThat(r.out()).contains("need --type exchange");

            r = run(state, "endpoint", "new", "--name", "exchange-2016", "--type", "exchange",
                    "--ews-url", ews.ewsUrl().toString(), "--security", "none", "--admin", ADMIN,
                    "--admin-password", ADMIN_PASSWORD, "--ews-auth", "basic", "--server-version", "Exchange2010_SP2",
                    "--max-concurrent-migrations", "4");
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Created endpoint 'exchange-2016' (EXCHANGE, " + ews.ewsUrl() + ")")
                    .contains("connection tested").doesNotContain(ADMIN_PASSWORD);
            r = run(state, "endpoint", "new", "--name", "greenmail", "--host", GreenMailImap.HOST,
                    "--port", String.valueOf(greenMail.imapPort()), "--security", "none");
            assertThat(r.code()).as(r.out()).isZero();
            r = run(state, "endpoint", "get");
            assertThat(r.out()).contains("exchange-2016").contains("EXCHANGE").contains(ews.ewsUrl().toString())
                    .contains(ADMIN).contains("greenmail").contains("IMAP");

            r = run(state, "endpoint", "test", "exchange-2016", "--admin-password", ADMIN_PASSWORD, "--mailbox", email);
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Result:").contains("Success").contains("Authenticated:")
                    .contains("ApplicationImpersonation").contains("ServerVersion=").doesNotContain(ADMIN_PASSWORD);
            r = run(state, "endpoint", "test", "exchange-2016", "--admin-password", "Wr0ng", "--mailbox", email);
            assertThat(r.code()).as(r.out()).isEqualTo(MailFerryCli.EXIT_USERS_FAILED);
            assertThat(r.out()).contains("AUTHENTICATION");

            // the EWS onboarding format; GreenMail has no administrator, so the row logs in to the target itself
            Path csv = Files.writeString(dir.resolve("ews.csv"),
                    "EmailAddress,BadItemLimit,LargeItemLimit,MailboxType,TargetUserName,TargetPassword\r\n"
                            + email + ",0,0,PrimaryOnly," + dst.username() + "," + dst.password() + "\r\n");
            r = run(state, "batch", "new", "--name", "ews-1", "--csv", csv.toString(),
                    "--source-endpoint", "exchange-2016", "--target-endpoint", "greenmail");
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Created batch 'ews-1' with 1 user(s)");
            r = run(state, "batch", "start", "ews-1", "--csv", csv.toString(), "--source-admin-password",
                    ADMIN_PASSWORD, "-q");
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Batch 'ews-1' is Synced");
            try (SourceMailbox box = greenMail.openSource(dst)) {
                assertThat(box.selectFolder("INBOX").messageCount()).isEqualTo(3);
            }
            r = run(state, "user", "get", email, "--skipped-items");
            assertThat(r.out()).contains("Synced").contains("Calendar").contains("NON_MAIL_FOLDER")
                    .contains("1 item(s) not migrated");

            // an IMAP-format CSV is not what an Exchange batch reads, unless told so
            Path imapCsv = Files.writeString(dir.resolve("imap.csv"),
                    "EmailAddress,UserName,Password\r\n" + email + ",ann,pw\r\n");
            r = run(state, "batch", "new", "--name", "ews-2", "--csv", imapCsv.toString(),
                    "--source-endpoint", "exchange-2016", "--target-endpoint", "greenmail");
            assertThat(r.code()).as(r.out()).isNotZero();
            assertThat(r.out()).contains("UserName");

            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(f.toString()).doesNotContain(ADMIN_PASSWORD).doesNotContain(dst.password());
                }
            }
        }
    }
}
