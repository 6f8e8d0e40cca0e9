package io.mailferry.cli.crash;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.RawMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the checkpoint cannot say what was copied, {@code mailferry migrate} recognises what is on
 * the target already, on real mail and real servers (Dovecot to Dovecot): a state directory
 * deleted after a full pass, a source folder rebuilt with a new UIDVALIDITY, a target that held
 * some of the mail before the first pass. Mailboxes: the smaller Enron ones and the nasty messages
 * (40% without Message-ID, Message-IDs shared by different messages).
 */
class NoDuplicatesDovecotIT {

    private static final Pattern COPIED = Pattern.compile("([\\d,]+) items copied");

    @TempDir
    Path dir;

    private Corpus corpus;
    private List<String> users;
    private DovecotServer source;
    private DovecotServer target;
    private int loaded;
    private Path csv;

    @BeforeEach
    void start() throws IOException {
        DovecotServer.assumeInstalled();
        corpus = Corpus.shared().orElseGet(Corpus::bundled);
        users = MailFixture.users(corpus, u -> u.messageCount() < 1000 && u.folders().size() < 50);
        source = MailFixture.source(users);
        target = MailFixture.target(users);
        int[] n = {0};
        MailFixture.load(source, corpus, users, i -> false, n);
        loaded = n[0];
        csv = MailFixture.csv(dir, source, users);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private record Run(int code, String out, long copied) {
    }

    private Run migrate(Path state) {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("migrate",
                "--source-host", source.host(), "--source-port", String.valueOf(source.port()), "--source-security", "none",
                "--target-host", target.host(), "--target-port", String.valueOf(target.port()), "--target-security", "none",
                "--target-admin", MailFixture.ADMIN, "--target-admin-password", MailFixture.ADMIN_PASSWORD,
                "--users", csv.toString(), "--state", state.toString(), "--report-dir", dir.resolve("reports").toString(),
                "--batch", "no-duplicates", "--bad-item-limit", "0", "--max-concurrent", "2", "--quiet");
        Matcher m = COPIED.matcher(out.toString());
        long copied = -1;
        while (m.find()) {
            copied = Long.parseLong(m.group(1).replace(",", ""));
        }
        return new Run(code, out.toString(), copied);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aStateDirectoryLostAfterAFullPassCopiesNothingAgain() throws Exception {
        Path state = dir.resolve("state");
        Run first = migrate(state);
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(first.copied()).isEqualTo(loaded);
        MailFixture.Totals before = MailFixture.compare(source, target, users);
        assertThat(before.identical()).as(before.report()).isTrue();

        deleteTree(state);
        long t0 = System.nanoTime();
        Run again = migrate(state);
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.copied()).as(again.out()).isZero();
        MailFixture.Totals after = MailFixture.compare(source, target, users);
        System.out.printf(Locale.ROOT, "NoDuplicatesDovecotIT: state deleted after a full pass of %,d messages;"
                        + " the next run copied %d, %d missing, %d duplicated (%.1f s, headers of both sides read)%n",
                loaded, again.copied(), after.missing(), after.duplicated(), seconds);
        assertThat(after.identical()).as(after.report()).isTrue();
        assertThat(after.targetMessages()).isEqualTo(loaded);
    }

    @Test
    void aSourceFolderRebuiltWithANewUidValidityCopiesOnlyWhatIsReallyNew() throws Exception {
        String user = MailFixture.NASTY;
        String folder = "Rebuilt";
        List<RawMessage> messages = new ArrayList<>();
        int i = 0;
        for (CorpusMessage m : corpus.nastyMessages()) {
            if (messages.size() == 40) {
                break;
            }
            // A fixed INTERNALDATE: the rebuilt folder must keep it (messages without a Date header
            // would otherwise get the time of their append).
            messages.add(MailFixture.withFlags(RawMessage.of(m), ++i)
                    .withInternalDate(java.time.OffsetDateTime.parse("2020-01-01T00:00:00Z").plusMinutes(i)));
        }
        long oldValidity;
        try (ImapTestClient c = source.login(user)) {
            c.createFolder(folder);
            MailFixture.append(c, folder, messages);
            oldValidity = c.uidValidity(folder);
        }
        Path state = dir.resolve("state");
        Run first = migrate(state);
        assertThat(first.code()).as(first.out()).isZero();

        // The server's index is rebuilt: the same messages, renumbered under a new UIDVALIDITY,
        // plus new mail: a new message, and a second copy of one already there.
        MailFixture.deleteFolder(source, user, folder);
        List<RawMessage> rebuilt = new ArrayList<>(messages);
        rebuilt.add(RawMessage.of("new", ("From: someone@example.org\r\nSubject: arrived after the rebuild\r\n"
                + "Message-ID: <after-rebuild@example.org>\r\n\r\nnew\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .withInternalDate(java.time.OffsetDateTime.parse("2021-01-01T00:00:00Z")));
        rebuilt.add(messages.get(3));
        long newValidity;
        try (ImapTestClient c = source.login(user)) {
            c.createFolder(folder);
            MailFixture.append(c, folder, rebuilt);
            newValidity = c.uidValidity(folder);
        }
        assertThat(newValidity).isNotEqualTo(oldValidity);

        Run second = migrate(state);

        assertThat(second.code()).as(second.out()).isZero();
        assertThat(second.copied() - first.copied()).as(second.out()).isEqualTo(2);
        MailFixture.Totals totals = MailFixture.compare(source, target, users);
        System.out.printf(Locale.ROOT, "NoDuplicatesDovecotIT: source folder rebuilt (UIDVALIDITY %d -> %d) with %d"
                        + " messages, 2 of them new; the next run copied %d; %d missing, %d duplicated%n",
                oldValidity, newValidity, rebuilt.size(), second.copied() - first.copied(), totals.missing(),
                totals.duplicated());
        assertThat(totals.identical()).as(totals.report()).isTrue();
    }

    @Test
    void aTargetThatAlreadyHoldsSomeOfTheMailGetsOnlyWhatIsMissing() throws Exception {
        // Before the first pass, a user moved some messages by hand (their flags differ) and
        // received one new message on the new server.
        String user = MailFixture.NASTY;
        String folder = corpus.nastySources().get(0);
        List<CorpusMessage> some = corpus.nastyMessages(folder);
        int moved = 0;
        try (ImapTestClient c = target.login(user + MailFixture.DOMAIN)) {
            c.createFolder(folder);
            List<RawMessage> byHand = new ArrayList<>();
            for (int i = 0; i < some.size(); i += 2) {
                byHand.add(RawMessage.of(some.get(i)).withFlags("\\Seen"));
            }
            byHand.add(RawMessage.of("unrelated", ("From: colleague@example.org\r\nSubject: welcome to the new server\r\n"
                    + "\r\nhello\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            moved = MailFixture.append(c, folder, byHand) - 1;
        }

        Run run = migrate(dir.resolve("state"));

        assertThat(run.code()).as(run.out()).isZero();
        assertThat(run.copied()).as(run.out()).isEqualTo(loaded - moved);
        MailFixture.Totals totals = MailFixture.compare(source, target, users);
        System.out.printf(Locale.ROOT, "NoDuplicatesDovecotIT: %d of %,d messages were on the target before the first"
                        + " pass; it copied %d; %d missing, %d duplicated, %d unexpected (the one the user received)%n",
                moved, loaded, run.copied(), totals.missing(), totals.duplicated(), totals.unexpected());
        assertThat(totals.missing()).isZero();
        assertThat(totals.duplicated()).isZero();
        assertThat(totals.unexpected()).isEqualTo(1);
        assertThat(totals.flagMismatches()).as("flags of the messages moved by hand are brought up to date").isZero();
        assertThat(totals.targetMessages()).isEqualTo(loaded + 1);
    }
}
