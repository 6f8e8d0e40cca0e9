package io.mailferry.cli;

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
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The cmdlet-like commands end to end on two GreenMail servers, each invocation a new service on
 * the same state directory, as an administrator would run them one after the other.
 */
class CmdletCommandsGreenMailTest {

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

    private record User(String email, Credentials src, Credentials dst) {
    }

    private static User user(String prefix, int messages) {
        Credentials src = source.newUser(prefix);
        Credentials dst = target.newUser(prefix);
        deliver(src, messages, prefix);
        return new User(dst.username() + "@example.test", src, dst);
    }

    private static void deliver(Credentials user, int n, String prefix) {
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] raw = ("From: a@example.test\r\nTo: b@example.test\r\nSubject: " + prefix + " " + i + " "
                    + System.nanoTime() + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            requests.add(new AppendRequest(MessageFlags.NONE, Instant.parse("2023-05-01T00:00:00Z").plusSeconds(i),
                    new MessageContent() {
                        @Override
                        public long size() {
                            return raw.length;
                        }

                        @Override
                        public InputStream openStream() {
                            return new ByteArrayInputStream(raw);
                        }
                    }));
        }
        try (TargetMailbox box = source.openTarget(user)) {
            box.append("INBOX", requests);
        }
    }

    private static long inbox(GreenMailImap server, Credentials user) {
        try (SourceMailbox box = server.openSource(user)) {
            return box.selectFolder("INBOX").messageCount();
        }
    }

    private static Path csv(Path dir, List<User> users) throws IOException {
        StringBuilder sb = new StringBuilder("EmailAddress,UserName,Password,TargetUserName,TargetPassword\r\n");
        for (User u : users) {
            sb.append(u.email()).append(',').append(u.src().username()).append(',').append(u.src().password())
                    .append(',').append(u.dst().username()).append(',').append(u.dst().password()).append("\r\n");
        }
        return Files.writeString(dir.resolve("users.csv"), sb);
    }

    @Test
    void endpointsBatchesAndUsersThroughTheirLifecycleOnTheDurableState(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        User alice = user("alice", 6);
        User bob = user("bob", 3);
        Path csv = csv(dir, List.of(alice, bob));
        String sourcePort = String.valueOf(source.imapPort());
        String targetPort = String.valueOf(target.imapPort());

        Result r = run(state, "endpoint", "new", "--name", "old", "--host", GreenMailImap.HOST, "--port", sourcePort,
                "--security", "none", "--max-concurrent-migrations", "5");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Created endpoint 'old'").contains("connection tested");
        r = run(state, "endpoint", "new", "--name", "new", "--host", GreenMailImap.HOST, "--port", targetPort,
                "--security", "none");
        assertThat(r.code()).as(r.out()).isZero();
        r = run(state, "endpoint", "get");
        assertThat(r.out()).contains("old").contains("new").contains("127.0.0.1:" + sourcePort);
        r = run(state, "endpoint", "test", "new", "--user", alice.dst().username(), "--password", alice.dst().password());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Authenticated:").contains("true").contains("IMAP4rev1");
        r = run(state, "endpoint", "test", "new", "--user", alice.dst().username(), "--password", "Wr0ng");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USERS_FAILED);
        assertThat(r.out()).contains("AUTHENTICATION");

        r = run(state, "batch", "new", "--name", "wave-1", "--csv", csv.toString(), "--source-endpoint", "old",
                "--target-endpoint", "new", "--exclude-folders", "#JunkEmail#", "--notification-emails", "it@example.test");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(run(state, "batch", "get").out()).contains("wave-1").contains("Created");
        r = run(state, "batch", "complete", "wave-1", "--csv", csv.toString());
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("is Created and cannot complete").contains("start, remove, add-users, set");

        r = run(state, "batch", "start", "wave-1", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Batch 'wave-1' is Synced");
        assertThat(inbox(target, alice.dst())).isEqualTo(6);
        assertThat(inbox(target, bob.dst())).isEqualTo(3);

        r = run(state, "user", "get", alice.email());
        assertThat(r.out()).contains("Synced").contains("SyncedItemCount:").contains("6").contains("Stage:");
        r = run(state, "batch", "get", "wave-1");
        assertThat(r.out()).contains("Status:").contains("Synced").contains("ExcludeFolders:").contains("#JunkEmail#")
                .contains("it@example.test").contains(alice.email());

        deliver(alice.src(), 2, "later");
        r = run(state, "batch", "sync-now", "wave-1", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(inbox(target, alice.dst())).isEqualTo(8);

        r = run(state, "batch", "stop", "wave-1");
        assertThat(r.out()).contains("is Stopped");
        r = run(state, "batch", "set", "wave-1", "--bad-item-limit", "Unlimited", "--report-interval", "12h");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(run(state, "batch", "get", "wave-1").out()).contains("Unlimited").contains("12:00:00");
        r = run(state, "batch", "start", "wave-1", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();

        r = run(state, "user", "stop", bob.email());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(run(state, "user", "get", bob.email()).out()).contains("IncrementalStopped");
        r = run(state, "user", "set", bob.email(), "--bad-item-limit", "7");
        assertThat(r.out()).contains("badItemLimit=7");
        r = run(state, "user", "start", bob.email(), "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(run(state, "user", "get", bob.email()).out()).contains("Synced");

        r = run(state, "batch", "complete", "wave-1", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Batch 'wave-1' is Completed");
        r = run(state, "endpoint", "remove", "old");
        assertThat(r.code()).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(r.out()).contains("wave-1");

        assertThat(run(state, "batch", "remove", "wave-1").code()).isZero();
        assertThat(run(state, "batch", "get").out()).contains("No batches");
        assertThat(run(state, "endpoint", "remove", "old").code()).isZero();

        // the state never held a password
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (User u : List.of(alice, bob)) {
                    assertThat(bytes).as(f.toString()).doesNotContain(u.src().password()).doesNotContain(u.dst().password());
                }
            }
        }
    }

    @Test
    void aBatchStartedWithoutPasswordsWaitsForThemAndTheNextStartWithTheCsvContinuesIt(@TempDir Path dir)
            throws Exception {
        Path state = dir.resolve("state");
        User carol = user("carol", 4);
        Path csv = csv(dir, List.of(carol));
        run(state, "endpoint", "new", "--name", "old", "--host", GreenMailImap.HOST, "--port",
                String.valueOf(source.imapPort()), "--security", "none");
        run(state, "endpoint", "new", "--name", "new", "--host", GreenMailImap.HOST, "--port",
                String.valueOf(target.imapPort()), "--security", "none");
        assertThat(run(state, "batch", "new", "--name", "w", "--csv", csv.toString(), "--source-endpoint", "old",
                "--target-endpoint", "new").code()).isZero();

        Result r = run(state, "batch", "start", "w", "--no-wait");
        assertThat(r.code()).as(r.out()).isZero();
        r = run(state, "user", "get", carol.email());
        assertThat(r.out()).contains("Queued").contains("Waiting for credentials").contains("source password");
        assertThat(inbox(target, carol.dst())).isZero();

        r = run(state, "batch", "start", "w", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("is Synced");
        assertThat(inbox(target, carol.dst())).isEqualTo(4);
    }

    @Test
    void helpListsTheCmdletCommands() {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--help")).isZero();
        assertThat(out.toString()).contains("endpoint").contains("batch").contains("user").contains("serve");
        out.getBuffer().setLength(0);
        assertThat(cl.execute("batch", "--help")).isZero();
        assertThat(out.toString()).contains("new").contains("get").contains("set").contains("start").contains("stop")
                .contains("complete").contains("remove").contains("sync-now");
    }
}
