package io.mailferry.cli;

import io.mailferry.testing.AppendReport;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation's proof on a real server: the Enron mailboxes and the hard real-world messages
 * loaded into one Dovecot (hierarchy separator {@code /}, source special-use {@code Sent Items}),
 * migrated by {@code mailferry migrate} into another Dovecot (separator {@code .}, its own
 * special-use folders), source logins in Dovecot's {@code user*admin} form, the target opened by
 * SASL PLAIN with an authorization identity. Source and target are compared per folder by the
 * multiset of SHA-256 of each message's raw bytes, with flags and INTERNALDATE; a second run
 * copies nothing.
 *
 * <p>Runs on the shared corpus ({@code ../shared/corpus}: 9,458 Enron messages and the nasty set)
 * when present, else on the bundled sample.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DovecotMigrationIT {

    private static final String ADMIN = "mfadmin";
    private static final String ADMIN_PASSWORD = "Adm1n-secret";
    private static final String DOMAIN = "@enron.example";
    private static final String NASTY = "nasty";

    private static Corpus corpus;
    private static DovecotServer source;
    private static DovecotServer target;
    private static Path work;
    private static final Map<String, MailboxSnapshot> SOURCE_SNAPSHOTS = new LinkedHashMap<>();
    private static int loaded;
    private static int refusedAtLoad;

    @BeforeAll
    static void start() throws IOException {
        DovecotServer.assumeInstalled();
        corpus = Corpus.shared().orElseGet(Corpus::bundled);
        work = Files.createTempDirectory("mailferry-dovecot-it");
        List<String> users = new ArrayList<>();
        corpus.enronUsers().forEach(u -> users.add(u.name()));
        users.add(NASTY);

        DovecotServer.Builder src = DovecotServer.builder().separator('/').masterUser(ADMIN, ADMIN_PASSWORD)
                .specialUseFolder("\\Sent", "Sent Items");
        DovecotServer.Builder dst = DovecotServer.builder().separator('.').masterUser(ADMIN, ADMIN_PASSWORD)
                .specialUseFolders();
        for (String u : users) {
            src.user(u, "pw-" + u);
            dst.user(u + DOMAIN, "pw-" + u);
        }
        source = src.build().start();
        target = dst.build().start();

        AtomicInteger n = new AtomicInteger();
        for (CorpusUser u : corpus.enronUsers()) {
            try (ImapTestClient c = source.login(u.name())) {
                AppendReport r = c.loadUser(u, m -> withFlags(m, n.incrementAndGet()));
                loaded += r.appended();
                refusedAtLoad += r.refusals().size();
            }
        }
        try (ImapTestClient c = source.login(NASTY)) {
            for (String s : corpus.nastySources()) {
                List<RawMessage> msgs = new ArrayList<>();
                for (CorpusMessage m : corpus.nastyMessages(s)) {
                    msgs.add(withFlags(RawMessage.of(m), n.incrementAndGet()));
                }
                c.createFolder(s);
                AppendReport r = c.append(s, msgs);
                loaded += r.appended();
                refusedAtLoad += r.refusals().size();
            }
            // A special-use folder and non-ASCII, nested names.
            List<CorpusMessage> few = corpus.enronUsers().get(0).messages().subList(0, 5);
            for (String folder : List.of("Sent Items", "Entwürfe", "Entwürfe/送信済み")) {
                c.createFolder(folder);
                List<RawMessage> msgs = few.stream().map(m -> RawMessage.of(m).withCrlfLineEndings().withFlags("\\Seen"))
                        .toList();
                loaded += c.append(folder, msgs).appended();
            }
        }
        for (String u : users) {
            try (ImapTestClient c = source.login(u)) {
                SOURCE_SNAPSHOTS.put(u, c.snapshot());
            }
        }
        System.out.printf("DovecotMigrationIT: %s corpus, %d users, %,d messages loaded into the source (%d refused by it)%n",
                Corpus.shared().isPresent() ? "shared" : "bundled", users.size(), loaded, refusedAtLoad);
    }

    /** A deterministic mix of system flags and keywords. */
    private static RawMessage withFlags(RawMessage m, int i) {
        List<String> flags = new ArrayList<>();
        if (i % 3 == 0) {
            flags.add("\\Seen");
        }
        if (i % 7 == 0) {
            flags.add("\\Flagged");
        }
        if (i % 11 == 0) {
            flags.add("\\Answered");
        }
        if (i % 13 == 0) {
            flags.add("$Forwarded");
        }
        if (i % 17 == 0) {
            flags.add("Project_X");
        }
        if (i % 97 == 0) {
            flags.add("\\Deleted");
        }
        return m.withFlags(java.util.Set.copyOf(flags));
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        if (work != null) {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    @Test
    @Order(1)
    void firstRunCopiesEverythingByteForByte() throws Exception {
        Path csv = writeCsv();
        long t0 = System.nanoTime();
        Result r = migrate(csv);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("DovecotMigrationIT: first run %.1f s%n", seconds);
        assertThat(r.code).as(r.out).isEqualTo(MailFerryCli.EXIT_OK);

        long compared = 0;
        for (Map.Entry<String, MailboxSnapshot> e : SOURCE_SNAPSHOTS.entrySet()) {
            SnapshotComparison c = compare(e.getKey(), e.getValue());
            assertThat(c.isIdentical()).as("%s:%n%s", e.getKey(), c).isTrue();
            compared += c.sourceMessages();
        }
        assertThat(compared).isEqualTo(loaded);
        String stats = Files.readString(work.resolve("reports/MigrationStatistics.csv"), StandardCharsets.UTF_8);
        assertThat(stats).doesNotContain(ADMIN_PASSWORD);
        // The special-use folder went to the target's own \Sent folder.
        try (ImapTestClient c = target.login(NASTY + DOMAIN)) {
            assertThat(c.messageCount("Sent")).isEqualTo(5);
            // Entwürfe (German for Drafts, no special-use attribute on the source) went to the target's
            // \Drafts folder by the localized-name dictionary; its child followed
            assertThat(c.listFolders()).extracting(ImapTestClient.Folder::name)
                    .contains("Drafts", "Drafts.送信済み").doesNotContain("Sent Items", "Entwürfe");
        }
    }

    @Test
    @Order(2)
    void secondRunCopiesNothing() throws Exception {
        int before = targetMessages();
        long t0 = System.nanoTime();
        Result r = migrate(writeCsv());
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("DovecotMigrationIT: second run %.1f s%n", seconds);
        assertThat(r.code).as(r.out).isEqualTo(MailFerryCli.EXIT_OK);
        assertThat(r.out).contains("Continuing batch");
        assertThat(targetMessages()).isEqualTo(before);
        for (Map.Entry<String, MailboxSnapshot> e : SOURCE_SNAPSHOTS.entrySet()) {
            assertThat(compare(e.getKey(), e.getValue()).isIdentical()).isTrue();
        }
    }

    private static SnapshotComparison compare(String user, MailboxSnapshot sourceSnapshot) {
        try (ImapTestClient c = target.login(user + DOMAIN)) {
            UnaryOperator<String> separators = MailboxSnapshot.separatorMapping('/', '.');
            return MailboxSnapshot.compare(sourceSnapshot, c.snapshot(),
                    name -> name.equals("Sent Items") ? "Sent"
                            : separators.apply(name.startsWith("Entwürfe") ? "Drafts" + name.substring("Entwürfe".length())
                            : name));
        }
    }

    private static int targetMessages() {
        int n = 0;
        for (String u : SOURCE_SNAPSHOTS.keySet()) {
            try (ImapTestClient c = target.login(u + DOMAIN)) {
                n += c.snapshot().messageCount();
            }
        }
        return n;
    }

    /** Source logins in Dovecot's master-user form: UserName user*admin, the admin's password. */
    private static Path writeCsv() throws IOException {
        StringBuilder sb = new StringBuilder("EmailAddress,UserName,Password\r\n");
        for (String u : SOURCE_SNAPSHOTS.keySet()) {
            sb.append(u).append(DOMAIN).append(',').append(source.masterLogin(u)).append(',').append(ADMIN_PASSWORD)
                    .append("\r\n");
        }
        return Files.writeString(work.resolve("users.csv"), sb);
    }

    private record Result(int code, String out) {
    }

    private static Result migrate(Path csv) {
        StringWriter out = new StringWriter();
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("migrate",
                "--source-host", source.host(), "--source-port", String.valueOf(source.port()),
                "--source-security", "none",
                "--target-host", target.host(), "--target-port", String.valueOf(target.port()),
                "--target-security", "none",
                "--target-admin", ADMIN, "--target-admin-password", ADMIN_PASSWORD,
                "--users", csv.toString(), "--state", work.resolve("state").toString(),
                "--report-dir", work.resolve("reports").toString(), "--batch", "dovecot-it",
                "--bad-item-limit", "0", "--max-concurrent", "4", "--quiet");
        System.out.println(out);
        return new Result(code, out.toString());
    }
}
