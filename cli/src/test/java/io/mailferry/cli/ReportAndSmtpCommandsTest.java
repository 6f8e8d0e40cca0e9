package io.mailferry.cli;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.core.Credentials;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code mailferry report} and the {@code --smtp-*} options end to end: two GreenMail IMAP servers,
 * a GreenMail SMTP server that receives the report e-mails, each command in-process on one state
 * directory (the SMTP password test runs the CLI in a child JVM, as only there the environment
 * variable can be set).
 */
class ReportAndSmtpCommandsTest {

    private static final String ADMIN = "admin@contoso.test";
    private static final String OPS = "ops@contoso.test";
    private static final String SMTP_LOGIN = "reports@mailferry.test";
    private static final String SMTP_PASSWORD = "Smtp-Cli-Secret-4417";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String FORMULA_ROW = "=HYPERLINK(\"http://evil.test\")";

    private static GreenMailImap source;
    private static GreenMailImap target;
    private GreenMail smtp;

    @TempDir
    Path dir;
    private Path state;

    @BeforeAll
    static void startImap() {
        source = GreenMailImap.start();
        target = GreenMailImap.start();
    }

    @AfterAll
    static void stopImap() {
        source.close();
        target.close();
    }

    @BeforeEach
    void startSmtp() {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(TIMEOUT.toMillis());
        smtp = new GreenMail(setup);
        smtp.withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_LOGIN, SMTP_LOGIN, SMTP_PASSWORD));
        smtp.start();
        state = dir.resolve("state");
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private record Result(int code, String out) {
    }

    private Result run(String... args) {
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

    private List<String> smtpOptions(int port) {
        return List.of("--smtp-host", "127.0.0.1", "--smtp-port", String.valueOf(port), "--smtp-security", "none",
                "--smtp-from", SMTP_LOGIN);
    }

    /** The command, then the SMTP options. */
    private static String[] args(List<String> smtpOptions, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(smtpOptions);
        return all.toArray(String[]::new);
    }

    private record User(String email, Credentials src, Credentials dst) {
    }

    private static User user(String prefix, int messages) {
        Credentials src = source.newUser(prefix);
        Credentials dst = target.newUser(prefix);
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            byte[] raw = ("From: a@example.test\r\nTo: b@example.test\r\nSubject: " + prefix + " " + i
                    + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            requests.add(new AppendRequest(MessageFlags.NONE, Instant.parse("2023-05-01T00:00:00Z").plusSeconds(i),
                    MessageContent.of(raw)));
        }
        try (TargetMailbox box = source.openTarget(src)) {
            box.append("INBOX", requests);
        }
        return new User(dst.username() + "@example.test", src, dst);
    }

    /** Endpoints old and new, and a batch of the users plus a rejected row whose address is a formula. */
    private Path createBatch(String name, List<User> users) throws IOException {
        assertThat(run("endpoint", "new", "--name", "old", "--host", GreenMailImap.HOST, "--port",
                String.valueOf(source.imapPort()), "--security", "none").code()).isZero();
        assertThat(run("endpoint", "new", "--name", "new", "--host", GreenMailImap.HOST, "--port",
                String.valueOf(target.imapPort()), "--security", "none").code()).isZero();
        StringBuilder sb = new StringBuilder("EmailAddress,UserName,Password,TargetUserName,TargetPassword\r\n");
        for (User u : users) {
            sb.append(u.email()).append(',').append(u.src().username()).append(',').append(u.src().password())
                    .append(',').append(u.dst().username()).append(',').append(u.dst().password()).append("\r\n");
        }
        sb.append('"').append(FORMULA_ROW.replace("\"", "\"\"")).append("\",x,Rejected-Row-Pw-1,,\r\n");
        Path csv = Files.writeString(dir.resolve("users.csv"), sb);
        Result r = run("batch", "new", "--name", name, "--csv", csv.toString(), "--source-endpoint", "old",
                "--target-endpoint", "new", "--notification-emails", ADMIN + "," + OPS);
        assertThat(r.code()).as(r.out()).isEqualTo(MailFerryCli.EXIT_USERS_FAILED); // the rejected row
        return csv;
    }

    private List<MimeMessage> awaitMessages(int count) {
        assertThat(smtp.waitForIncomingEmail(TIMEOUT.toMillis(), count)).as("%d message(s) arrive", count).isTrue();
        return List.of(smtp.getReceivedMessages());
    }

    private static Map<String, String> attachments(MimeMessage m) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        Multipart mixed = (Multipart) m.getContent();
        for (int i = 0; i < mixed.getCount(); i++) {
            Part p = mixed.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                files.put(p.getFileName(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static String raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aBatchStartedWithSmtpOptionsMailsItsReportAndTheReportCommandWritesAndMailsTheFiles() throws Exception {
        User alice = user("alice", 4);
        User bob = user("bob", 2);
        Path csv = createBatch("wave-1", List.of(alice, bob));

        Result r = run(args(smtpOptions(smtp.getSmtp().getPort()), "batch", "start", "wave-1", "--csv", csv.toString(),
                "-q"));

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Batch 'wave-1' is Synced")
                .contains("Report e-mail 'Migration batch wave-1 has synced successfully' sent to " + ADMIN + ", " + OPS);
        List<MimeMessage> first = awaitMessages(2);
        assertThat(first).hasSize(2);
        for (MimeMessage m : first) {
            assertThat(m.getSubject()).isEqualTo("Migration batch wave-1 has synced successfully");
            Map<String, String> files = attachments(m);
            assertThat(files.keySet()).containsExactly("MigrationStatistics.csv", "MigrationErrors.csv");
            assertThat(files.get("MigrationStatistics.csv")).contains(alice.email() + ",Synced,4")
                    .contains(bob.email() + ",Synced,2");
            assertThat(files.get("MigrationErrors.csv")).contains("'" + FORMULA_ROW.replace("\"", "\"\""));
            for (User u : List.of(alice, bob)) {
                assertThat(raw(m)).doesNotContain(u.src().password()).doesNotContain(u.dst().password());
            }
            assertThat(raw(m)).doesNotContain("Rejected-Row-Pw-1");
        }
        assertThat(run("batch", "get", "wave-1").out()).contains("Last report e-mail")
                .contains("'Migration batch wave-1 has synced successfully': sent");

        // The report command: the files from the state, the CSV's rejected rows escaped.
        Path reports = dir.resolve("reports");
        r = run("report", "--name", "wave-1", "--report-dir", reports.toString(), "--csv", csv.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Wrote 2 report file(s) of batch 'wave-1' (Synced, 2 user(s))");
        String statistics = Files.readString(reports.resolve("MigrationStatistics.csv"), StandardCharsets.UTF_8);
        assertThat(statistics).startsWith("\uFEFFEmailAddress,Status,ItemsSynced")
                .contains(alice.email() + ",Synced,4,0,").contains(bob.email() + ",Synced,2,0,");
        String errors = Files.readString(reports.resolve("MigrationErrors.csv"), StandardCharsets.UTF_8);
        assertThat(errors).startsWith("\uFEFFEmailAddress,ErrorMessage\r\n")
                .contains("\"'" + FORMULA_ROW.replace("\"", "\"\"") + "\",\"CSV line 4: EmailAddress ")
                .doesNotContain("Rejected-Row-Pw-1");
        assertThat(smtp.getReceivedMessages()).hasSize(2);

        // --email: the report goes out now, to the batch's NotificationEmails.
        r = run(args(smtpOptions(smtp.getSmtp().getPort()), "report", "--name", "wave-1", "--report-dir",
                reports.toString(), "--csv", csv.toString(), "--email"));
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Report e-mail 'Migration batch wave-1 status report: Synced' sent to");
        List<MimeMessage> all = awaitMessages(4);
        assertThat(all).hasSize(4);
        assertThat(all.get(3).getSubject()).isEqualTo("Migration batch wave-1 status report: Synced");
        // The same files: this process saw no pass, so neither has sync durations.
        assertThat(attachments(all.get(3)).get("MigrationStatistics.csv")).isEqualTo(statistics);
        assertThat(attachments(all.get(3)).get("MigrationErrors.csv")).isEqualTo(errors);
    }

    @Test
    void anSmtpServerThatIsDownLeavesTheBatchSyncedAndTheFailureOnTheBatch() throws Exception {
        User carol = user("carol", 3);
        Path csv = createBatch("wave-2", List.of(carol));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }

        Result r = run(args(smtpOptions(closed), "batch", "start", "wave-2", "--csv", csv.toString(), "-q"));

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Batch 'wave-2' is Synced")
                .contains("Report e-mail 'Migration batch wave-2 has synced successfully' to " + ADMIN + ", " + OPS
                        + " could not be sent: ")
                .contains("127.0.0.1:" + closed);
        r = run("batch", "get", "wave-2");
        assertThat(r.out()).contains("Synced").contains("NOT SENT: ").contains("127.0.0.1:" + closed);
        r = run(args(smtpOptions(closed), "report", "--name", "wave-2", "--report-dir", dir.resolve("r").toString(),
                "--email"));
        assertThat(r.code()).as(r.out()).isEqualTo(MailFerryCli.EXIT_USERS_FAILED);
        assertThat(r.out()).contains("could not be sent");
    }

    @Test
    void smtpOptionsAreCheckedAndThePasswordComesOnlyFromTheEnvironment() throws Exception {
        assumeThat(System.getenv("MAILFERRY_SMTP_PASSWORD")).as("the test sets it itself").isNull();
        createBatch("wave-3", List.of(user("dave", 1)));

        Result r = run("report", "--name", "wave-3", "--report-dir", dir.resolve("r").toString(), "--email");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("--email needs --smtp-host");
        r = run("report", "--name", "wave-3", "--report-dir", dir.resolve("r").toString(), "--email",
                "--smtp-host", "127.0.0.1", "--smtp-user", SMTP_LOGIN);
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("needs a password: set the environment variable MAILFERRY_SMTP_PASSWORD");
        r = run("report", "--name", "wave-3", "--email", "--smtp-host", "127.0.0.1", "--smtp-password", "x");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("Unknown options: '--smtp-password'");
        r = run("report", "--name", "wave-3", "--email", "--smtp-host", "127.0.0.1");
        assertThat(r.out()).contains("--smtp-from");

        // In a child JVM with the password in its environment: SMTP AUTH succeeds, the password shows nowhere.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MailFerryCli.class.getName(), "report", "--name", "wave-3", "--report-dir",
                dir.resolve("child").toString(), "--email", "--state", state.toString(),
                "--smtp-host", "127.0.0.1", "--smtp-port", String.valueOf(smtp.getSmtp().getPort()),
                "--smtp-security", "none", "--smtp-user", SMTP_LOGIN)
                .redirectErrorStream(true);
        pb.environment().put("MAILFERRY_SMTP_PASSWORD", SMTP_PASSWORD);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Report e-mail 'Migration batch wave-3 status report: Created' sent to")
                .doesNotContain(SMTP_PASSWORD);
        List<MimeMessage> messages = awaitMessages(2);
        assertThat(messages).extracting(MimeMessage::getSubject)
                .containsOnly("Migration batch wave-3 status report: Created");
        for (MimeMessage m : messages) {
            assertThat(raw(m)).doesNotContain(SMTP_PASSWORD);
        }
        try (var files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain(SMTP_PASSWORD);
            }
        }
    }
}
