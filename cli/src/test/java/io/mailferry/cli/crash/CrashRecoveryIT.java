package io.mailferry.cli.crash;

import io.mailferry.core.store.jdbc.PostgresTestServer;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The crash test: the corpus migrated from Dovecot to Dovecot by {@code mailferry migrate} in a
 * child JVM that is killed with SIGKILL at 20 points chosen by a seeded random schedule — during a
 * body FETCH, as an APPEND is sent, between APPEND and checkpoint (the target stored the messages,
 * the engine never heard), during folder creation, during a flag update — and restarted each time
 * on the same state. Between runs new mail arrives, folders appear and flags change on the source,
 * as they do while a migration runs for days. At the end source and target hold the same multiset
 * of messages (SHA-256 of the raw bytes) per folder, with the same flags and dates: 0 missing, 0
 * duplicated. Once with the CLI's H2 state directory, once with the store on PostgreSQL.
 *
 * <p>The kill points are reached through {@link KillingImapProxy} (no hook in the code under
 * test); the child migrates one user at a time, so a schedule replays the same way every time.
 * Seed: {@code -Dmailferry.crashSeed} (default {@value #DEFAULT_SEED}).
 */
class CrashRecoveryIT {

    static final long DEFAULT_SEED = 20_260_415L;
    static final int KILLS = 20;
    private static final int MAX_RUNS = 60;
    private static final long RUN_TIMEOUT_MINUTES = 10;
    private static final Pattern RESOLVED = Pattern.compile(
            "(\\d+) of the (\\d+) message\\(s\\) of the interrupted append are on target folder");
    private static final Pattern NONE_ARRIVED = Pattern.compile("none of the (\\d+) message\\(s\\) of the interrupted append");

    @Test
    void killedTwentyTimesWithTheH2StateNothingIsLostOrDuplicated(@TempDir Path dir) throws Exception {
        new Scenario(dir, "h2", List.of("state=" + dir.resolve("state")), u -> true).run();
    }

    /**
     * The same on PostgreSQL (a new database of the test server), over the smaller Enron mailboxes
     * (fewer than 1,000 messages and 50 folders each: with the shared corpus badeer-r and
     * germany-c) and the nasty messages, to keep the build's time in bounds.
     */
    @Nested
    @ExtendWith(PostgresTestServer.Extension.class)
    class OnPostgres {
        @Test
        void killedTwentyTimesWithThePostgresStoreNothingIsLostOrDuplicated(PostgresTestServer pg, @TempDir Path dir)
                throws Exception {
            String db = pg.createDatabase();
            new Scenario(dir, "postgresql", List.of("jdbc=" + pg.jdbcUrl(db), "jdbcUser=" + PostgresTestServer.SUPERUSER,
                    "jdbcPassword=" + pg.password()), u -> u.messageCount() < 1000 && u.folders().size() < 50).run();
        }
    }

    /** One crash test on one store. */
    private static final class Scenario {
        private final Path dir;
        private final String storeName;
        private final List<String> storeArgs;
        private final java.util.function.Predicate<io.mailferry.testing.CorpusUser> mailboxes;
        private final Random random = new Random(Long.getLong("mailferry.crashSeed", DEFAULT_SEED));
        private final List<String> history = new ArrayList<>();
        private DovecotServer source;
        private DovecotServer target;
        private List<String> users;
        private List<MailFixture.Pooled> pool;
        private int poolNext;
        private Path csv;
        private int runs;
        private int resolutions;
        private int resolvedFound;
        private int resolvedInFlight;

        Scenario(Path dir, String storeName, List<String> storeArgs,
                 java.util.function.Predicate<io.mailferry.testing.CorpusUser> mailboxes) {
            this.mailboxes = mailboxes;
            this.dir = dir;
            this.storeName = storeName;
            this.storeArgs = storeArgs;
        }

        void run() throws Exception {
            DovecotServer.assumeInstalled();
            Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
            users = MailFixture.users(corpus, mailboxes);
            long t0 = System.nanoTime();
            try (DovecotServer src = MailFixture.source(users); DovecotServer dst = MailFixture.target(users)) {
                source = src;
                target = dst;
                int[] loaded = {0};
                pool = MailFixture.load(source, corpus, users, i -> i % 40 == 0, loaded);
                Collections.shuffle(pool, random);
                csv = MailFixture.csv(dir, source, users);
                List<KillPoint.Kind> kinds = schedule();

                int kills = 0;
                int completed = 0;
                for (int entry = 0; kills < KILLS; entry++) {
                    KillPoint.Kind kind = kinds.get(entry % kinds.size());
                    String prepared = prepare(kind);
                    KillPoint point = point(kind);
                    int code = child(point.toString());
                    if (code == 137) {
                        kills++;
                        history.add(String.format(Locale.ROOT, "run %2d: %-24s killed   (%s)", runs, point, prepared));
                    } else if (code == 0) {
                        completed++;
                        history.add(String.format(Locale.ROOT, "run %2d: %-24s finished (%s)", runs, point, prepared));
                    } else {
                        fail("run " + runs + " (" + point + ") exited with " + code + ":\n" + tail(runs));
                    }
                    if (runs >= MAX_RUNS) {
                        fail("only " + kills + " kills in " + runs + " runs:\n" + String.join("\n", history));
                    }
                }
                assertThat(child("none")).as("a last run without kill:\n%s", tail(runs)).isZero();
                history.add("run " + runs + ": no kill, finished");
                MailFixture.Totals totals = MailFixture.compare(source, target, users);
                int onTarget = targetCount();
                assertThat(child("none")).as("one more run").isZero();
                assertThat(targetCount()).as("the run after a complete one copies nothing").isEqualTo(onTarget);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "CrashRecoveryIT [%s, seed %d, mailboxes %s]: %d kills in %d runs (%d finished"
                                + " without kill), %,d messages loaded + %,d arriving between runs; source %,d, target %,d"
                                + " messages; %d missing, %d duplicated, %d unexpected, %d flag and %d date mismatches;"
                                + " %d interrupted appends resolved on resume, %d of their %d messages found on the target;"
                                + " %.0f s%n%s%n",
                        storeName, Long.getLong("mailferry.crashSeed", DEFAULT_SEED), users, kills, runs, completed, loaded[0],
                        poolNext, totals.sourceMessages(), totals.targetMessages(), totals.missing(), totals.duplicated(),
                        totals.unexpected(), totals.flagMismatches(), totals.dateMismatches(), resolutions, resolvedFound,
                        resolvedInFlight, seconds, String.join("\n", history));
                assertThat(totals.identical()).as(totals.report()).isTrue();
                assertThat(totals.missing()).isZero();
                assertThat(totals.duplicated()).isZero();
                assertThat(totals.sourceMessages()).isEqualTo(loaded[0] + poolNext);
                assertThat(kills).isEqualTo(KILLS);
                assertThat(resolutions).as("kills between APPEND and checkpoint were resolved").isPositive();
            }
        }

        /** 20 kill kinds in a seeded order: 5 FETCH, 3 APPEND sent, 4 APPEND stored, 4 CREATE, 4 STORE. */
        private List<KillPoint.Kind> schedule() {
            List<KillPoint.Kind> kinds = new ArrayList<>();
            kinds.addAll(Collections.nCopies(5, KillPoint.Kind.FETCH));
            kinds.addAll(Collections.nCopies(3, KillPoint.Kind.APPEND_SENT));
            kinds.addAll(Collections.nCopies(4, KillPoint.Kind.APPEND_STORED));
            kinds.addAll(Collections.nCopies(4, KillPoint.Kind.CREATE));
            kinds.addAll(Collections.nCopies(4, KillPoint.Kind.STORE));
            Collections.shuffle(kinds, random);
            return kinds;
        }

        private KillPoint point(KillPoint.Kind kind) {
            return switch (kind) {
                case FETCH -> new KillPoint(kind, 1 + random.nextInt(6), 1 + random.nextInt(60));
                case APPEND_SENT, APPEND_STORED -> new KillPoint(kind, 1 + random.nextInt(6), 0);
                case CREATE, STORE -> new KillPoint(kind, 1 + random.nextInt(2), 0);
            };
        }

        /**
         * Changes the source before a run so that the run has what the kill point needs: new mail in
         * many folders (fetches and appends), a new folder in every mailbox (creations), changed flags
         * (flag updates).
         */
        private String prepare(KillPoint.Kind kind) {
            switch (kind) {
                case CREATE -> {
                    for (String u : users) {
                        String folder = "Arrived " + runs;
                        try (ImapTestClient c = source.login(u)) {
                            c.createFolder(folder);
                            MailFixture.append(c, folder, List.of(next().message(), next().message()));
                        }
                    }
                    return "a new folder in every mailbox";
                }
                case STORE -> {
                    int changed = 0;
                    for (String u : users) {
                        List<String> folders = folders(u);
                        for (int i = 0; i < 3; i++) {
                            changed += MailFixture.toggleFlagged(source, u, folders.get(random.nextInt(folders.size())),
                                    random, 4);
                        }
                    }
                    return changed + " flags changed";
                }
                default -> {
                    int delivered = 0;
                    for (int i = 0; i < 12; i++) {
                        MailFixture.Pooled p = next();
                        try (ImapTestClient c = source.login(p.user())) {
                            delivered += MailFixture.append(c, p.folder(), List.of(p.message()));
                        }
                    }
                    return delivered + " new messages";
                }
            }
        }

        /**
         * The next held-back message to deliver; once all are delivered, they come again: a second
         * copy of a message in the same folder, which must end up twice on the target.
         */
        private MailFixture.Pooled next() {
            return pool.get(poolNext++ % pool.size());
        }

        private List<String> folders(String user) {
            try (ImapTestClient c = source.login(user)) {
                return c.listFolders().stream().filter(ImapTestClient.Folder::selectable).map(ImapTestClient.Folder::name)
                        .toList();
            }
        }

        /** Runs one child; returns its exit status (137: killed). */
        private int child(String kill) throws IOException, InterruptedException {
            runs++;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dmailferry.log.level=INFO",
                    "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(),
                    "source=" + source.host() + ":" + source.port(),
                    "target=" + target.host() + ":" + target.port(),
                    "admin=" + MailFixture.ADMIN, "adminPassword=" + MailFixture.ADMIN_PASSWORD,
                    "users=" + csv, "reports=" + dir.resolve("reports"), "batch=crash-" + storeName,
                    "kill=" + kill));
            command.addAll(storeArgs);
            Path log = dir.resolve("run-" + runs + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                fail("run " + runs + " (" + kill + ") did not end within " + RUN_TIMEOUT_MINUTES + " minutes:\n" + tail(runs));
            }
            count(Files.readString(log, StandardCharsets.UTF_8));
            return p.exitValue();
        }

        private void count(String log) {
            Matcher m = RESOLVED.matcher(log);
            while (m.find()) {
                resolutions++;
                resolvedFound += Integer.parseInt(m.group(1));
                resolvedInFlight += Integer.parseInt(m.group(2));
            }
            Matcher n = NONE_ARRIVED.matcher(log);
            while (n.find()) {
                resolutions++;
                resolvedInFlight += Integer.parseInt(n.group(1));
            }
        }

        /** Messages in all target mailboxes (STATUS of every folder). */
        private int targetCount() {
            int n = 0;
            for (String u : users) {
                try (ImapTestClient c = target.login(u + MailFixture.DOMAIN)) {
                    for (ImapTestClient.Folder f : c.listFolders()) {
                        if (f.selectable()) {
                            n += c.messageCount(f.name());
                        }
                    }
                }
            }
            return n;
        }

        private String tail(int run) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("run-" + run + ".log"), StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
