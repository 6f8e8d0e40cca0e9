package io.mailferry.cli;

import io.mailferry.core.Credentials;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.examples.SampleMail;
import io.mailferry.imap.testing.GreenMailImap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mailferry migrate} end to end between two GreenMail servers: several users in parallel,
 * nested and non-ASCII folders, flags and INTERNALDATE preserved, a second run that copies nothing
 * and brings changed flags up to date, a failing user giving exit code 2.
 */
class MigrateGreenMailTest {

    private static final List<String> FOLDERS = List.of("INBOX", "Entwürfe", "送信済み", "Projects", "Projects.2001",
            "Projects.2001.Q3", "Empty");

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

    /** A user on each side, the source filled with real Enron mail spread over the folders. */
    private record User(String email, Credentials src, Credentials dst) {
    }

    private static User user(int n, List<SampleMail.Message> mail) {
        Credentials src = source.newUser("src");
        Credentials dst = target.newUser("dst");
        try (TargetMailbox box = source.openTarget(src)) {
            for (String f : FOLDERS) {
                if (!f.equals("INBOX")) {
                    box.createFolder(f);
                }
            }
            Map<String, List<AppendRequest>> byFolder = new TreeMap<>();
            Instant date = Instant.parse("2001-05-14T16:39:00Z");
            for (int i = 0; i < mail.size(); i++) {
                String folder = FOLDERS.get(i % (FOLDERS.size() - 1)); // "Empty" stays empty
                List<String> flags = new ArrayList<>();
                if (i % 2 == 0) {
                    flags.add(MessageFlags.SEEN);
                }
                if (i % 5 == 0) {
                    flags.add(MessageFlags.FLAGGED);
                }
                if (i % 7 == 0) {
                    flags.add("$Forwarded");
                }
                byFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(new AppendRequest(MessageFlags.of(flags),
                        date.plus(i * 37L, ChronoUnit.MINUTES), content(mail.get(i).crlfContent())));
            }
            byFolder.forEach(box::append);
        }
        return new User("user" + n + "@example.test", src, dst);
    }

    @Test
    void migratesSeveralUsersAndASecondRunCopiesNothing(@TempDir Path dir) throws Exception {
        List<SampleMail.Message> mail = SampleMail.byUser().get("badeer-r").subList(0, 60);
        List<User> users = List.of(user(1, mail), user(2, mail.subList(0, 30)), user(3, mail.subList(30, 60)));
        Path csv = csv(dir, users);

        Result first = migrate(dir, csv);
        assertThat(first.code).as(first.out).isZero();
        assertThat(first.out).contains("Synced").contains("user1@example.test").contains("Reports:");
        for (User u : users) {
            assertSame(u);
        }
        assertThat(dir.resolve("reports/MigrationStatistics.csv")).exists();
        assertThat(Files.readString(dir.resolve("reports/MigrationStatistics.csv"), StandardCharsets.UTF_8))
                .contains("user2@example.test").doesNotContain(users.get(0).src().password());

        // Between the runs: a flag changes at the source, and one new message arrives.
        User u1 = users.get(0);
        try (TargetMailbox box = source.openTarget(u1.src())) {
            box.selectFolder("INBOX");
            box.updateFlags("INBOX", List.of(new FlagUpdate(1, MessageFlags.of(MessageFlags.ANSWERED), MessageFlags.NONE)));
            box.append("Projects.2001", List.of(new AppendRequest(MessageFlags.NONE, Instant.parse("2002-01-01T00:00:00Z"),
                    content(SampleMail.byUser().get("badeer-r").get(100).crlfContent()))));
        }
        long before = countMessages(target, u1.dst());

        Result second = migrate(dir, csv);
        assertThat(second.code).as(second.out).isZero();
        assertThat(second.out).contains("Continuing batch");
        assertThat(countMessages(target, u1.dst())).isEqualTo(before + 1);
        for (User u : users) {
            assertSame(u);
        }

        Result third = migrate(dir, csv);
        assertThat(third.code).isZero();
        assertThat(countMessages(target, u1.dst())).isEqualTo(before + 1);
    }

    @Test
    void aUserWithAWrongPasswordFailsAndTheOthersFinish(@TempDir Path dir) throws Exception {
        List<SampleMail.Message> mail = SampleMail.byUser().get("badeer-r").subList(60, 70);
        User good = user(4, mail);
        User bad = new User("bad@example.test", new Credentials(source.newUser("src").username(), "wrong-password-123"),
                target.newUser("dst"));
        Path csv = csv(dir, List.of(good, bad));
        Result r = migrate(dir, csv);
        assertThat(r.code).isEqualTo(MailFerryCli.EXIT_USERS_FAILED);
        assertThat(r.out).contains("SyncedWithErrors").contains("Failed").doesNotContain("wrong-password-123");
        assertSame(good);
        String errors = Files.readString(dir.resolve("reports/MigrationErrors.csv"), StandardCharsets.UTF_8);
        assertThat(errors).contains("bad@example.test").doesNotContain("wrong-password-123");
    }

    private static Path csv(Path dir, List<User> users) throws IOException {
        StringBuilder sb = new StringBuilder("EmailAddress,UserName,Password,TargetUserName,TargetPassword\r\n");
        for (User u : users) {
            sb.append(u.email()).append(',').append(u.src().username()).append(',').append(u.src().password())
                    .append(',').append(u.dst().username()).append(',').append(u.dst().password()).append("\r\n");
        }
        return Files.writeString(dir.resolve("users.csv"), sb);
    }

    private record Result(int code, String out) {
    }

    private static Result migrate(Path dir, Path csv) {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("migrate",
                "--source-host", GreenMailImap.HOST, "--source-port", String.valueOf(source.imapPort()),
                "--source-security", "none",
                "--target-host", GreenMailImap.HOST, "--target-port", String.valueOf(target.imapPort()),
                "--target-security", "none",
                "--users", csv.toString(), "--state", dir.resolve("state").toString(),
                "--report-dir", dir.resolve("reports").toString(), "--batch", "greenmail-test", "--quiet");
        return new Result(code, out.toString());
    }

    /** Source and target hold the same folders, and in each the same messages: bytes, flags, INTERNALDATE. */
    private static void assertSame(User u) {
        Map<String, List<String>> src = describe(source, u.src());
        Map<String, List<String>> dst = describe(target, u.dst());
        assertThat(dst).containsAllEntriesOf(src);
        assertThat(dst.keySet()).containsAll(FOLDERS);
    }

    private static Map<String, List<String>> describe(GreenMailImap server, Credentials user) {
        Map<String, List<String>> out = new TreeMap<>();
        try (SourceMailbox box = server.openSource(user)) {
            for (FolderInfo f : box.listFolders()) {
                if (!f.selectable()) {
                    continue;
                }
                box.selectFolder(f.name());
                List<MessageInfo> all = box.listMessages(f.name(), 0, 100_000);
                List<String> rows = new ArrayList<>();
                box.fetchMessages(f.name(), all, new MessageSink() {
                    @Override
                    public void accept(MessageInfo m, InputStream content) throws IOException {
                        rows.add(sha256(content) + " " + m.flags() + " " + m.internalDate());
                    }

                    @Override
                    public void failed(MessageInfo m, String reason) {
                        rows.add("FAILED " + reason);
                    }
                });
                rows.sort(null);
                out.put(f.name(), rows);
            }
        }
        return out;
    }

    private static long countMessages(GreenMailImap server, Credentials user) {
        return describe(server, user).values().stream().mapToLong(List::size).sum();
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageContent content(byte[] bytes) {
        return MessageContent.of(bytes);
    }
}
