package io.mailferry.cli.crash;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.testing.AppendReport;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusFolder;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;
import io.mailferry.testing.SnapshotComparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Real mail on Dovecot for the exactly-once tests: the corpus ({@code ../shared/corpus}, else the
 * bundled sample) loaded into a source server with a deterministic mix of flags, users logged in as
 * {@code user*admin} (Dovecot's master user) on the source and opened by SASL impersonation on the
 * target, both servers with separator {@code /} and no special-use folders, so every folder keeps
 * its name.
 */
final class MailFixture {

    static final String ADMIN = "mfadmin";
    static final String ADMIN_PASSWORD = "Adm1n-secret";
    static final String DOMAIN = "@enron.example";
    static final String NASTY = "nasty";

    /** A message kept out of the initial load, to arrive between runs. */
    record Pooled(String user, String folder, RawMessage message) {
    }

    private MailFixture() {
    }

    static List<String> users(Corpus corpus) {
        return users(corpus, u -> true);
    }

    /** The Enron mailboxes {@code which} picks, and the nasty one. */
    static List<String> users(Corpus corpus, Predicate<CorpusUser> which) {
        List<String> users = new ArrayList<>();
        corpus.enronUsers().stream().filter(which).forEach(u -> users.add(u.name()));
        users.add(NASTY);
        return users;
    }

    static DovecotServer source(List<String> users) {
        DovecotServer.Builder b = DovecotServer.builder().separator('/').masterUser(ADMIN, ADMIN_PASSWORD);
        users.forEach(u -> b.user(u, password(u)));
        return b.build().start();
    }

    static DovecotServer target(List<String> users) {
        DovecotServer.Builder b = DovecotServer.builder().separator('/').masterUser(ADMIN, ADMIN_PASSWORD);
        users.forEach(u -> b.user(u + DOMAIN, password(u)));
        return b.build().start();
    }

    static String password(String user) {
        return "pw-" + user;
    }

    /**
     * Loads the corpus's mailboxes named in {@code users} into the source, all but the messages
     * {@code holdBack} picks (by their index in what is loaded), which are returned instead.
     *
     * @return the held-back messages; {@code loaded[0]} receives the number loaded
     */
    static List<Pooled> load(DovecotServer source, Corpus corpus, List<String> users, Predicate<Integer> holdBack,
                             int[] loaded) {
        List<Pooled> pool = new ArrayList<>();
        int n = 0;
        for (CorpusUser u : corpus.enronUsers()) {
            if (!users.contains(u.name())) {
                continue;
            }
            try (ImapTestClient c = source.login(u.name())) {
                for (CorpusFolder f : u.folders()) {
                    String name = f.imapName('/');
                    if (!name.equals("INBOX")) {
                        c.createFolder(name);
                    }
                    List<RawMessage> messages = new ArrayList<>();
                    for (CorpusMessage m : f.messages()) {
                        RawMessage raw = withFlags(RawMessage.of(m).withCrlfLineEndings(), ++n);
                        if (holdBack.test(n)) {
                            pool.add(new Pooled(u.name(), name, raw));
                        } else {
                            messages.add(raw);
                        }
                    }
                    loaded[0] += append(c, name, messages);
                }
            }
        }
        try (ImapTestClient c = source.login(NASTY)) {
            for (String s : corpus.nastySources()) {
                c.createFolder(s);
                List<RawMessage> messages = new ArrayList<>();
                for (CorpusMessage m : corpus.nastyMessages(s)) {
                    RawMessage raw = withFlags(RawMessage.of(m), ++n);
                    if (holdBack.test(n)) {
                        pool.add(new Pooled(NASTY, s, raw));
                    } else {
                        messages.add(raw);
                    }
                }
                loaded[0] += append(c, s, messages);
            }
        }
        return pool;
    }

    static int append(ImapTestClient c, String folder, List<RawMessage> messages) {
        AppendReport r = c.append(folder, messages);
        if (!r.refusals().isEmpty()) {
            throw new IllegalStateException("the source refused messages of " + folder + ": " + r.refusals());
        }
        return r.appended();
    }

    /** A deterministic mix of system flags and keywords (as DovecotMigrationIT). */
    static RawMessage withFlags(RawMessage m, int i) {
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
        return m.withFlags(Set.copyOf(flags));
    }

    /** The users CSV: source logins as {@code user*admin}. */
    static Path csv(Path dir, DovecotServer source, List<String> users) throws IOException {
        StringBuilder sb = new StringBuilder("EmailAddress,UserName,Password\r\n");
        for (String u : users) {
            sb.append(u).append(DOMAIN).append(',').append(source.masterLogin(u)).append(',').append(ADMIN_PASSWORD)
                    .append("\r\n");
        }
        return Files.writeString(dir.resolve("users.csv"), sb);
    }

    /** Opens a mailbox of a server read-write through MailFerry's own IMAP connector (to change flags). */
    static TargetMailbox open(DovecotServer server, String user) {
        MigrationEndpoint ep = MigrationEndpoint.imap("fixture").host(server.host()).port(server.port())
                .security(Security.NONE).build();
        return new ImapConnectorProvider().openTarget(ep, MailboxAccess.own(new Credentials(user, password(user))));
    }

    /**
     * Toggles {@code \Flagged} on some messages of a folder.
     *
     * @return how many messages changed
     */
    static int toggleFlagged(DovecotServer server, String user, String folder, java.util.Random random, int count) {
        try (TargetMailbox box = open(server, user)) {
            box.selectFolder(folder);
            List<MessageHeaders> all = box.fetchHeaders(folder, 1, 4_294_967_295L, List.of("Message-ID"));
            if (all.isEmpty()) {
                return 0;
            }
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                uids.add(all.get(random.nextInt(all.size())).uid());
            }
            var flags = box.fetchFlags(folder, uids);
            List<FlagUpdate> updates = new ArrayList<>();
            for (long uid : flags.keySet()) {
                boolean flagged = flags.get(uid).contains(MessageFlags.FLAGGED);
                updates.add(flagged ? new FlagUpdate(uid, MessageFlags.NONE, MessageFlags.of(MessageFlags.FLAGGED))
                        : new FlagUpdate(uid, MessageFlags.of(MessageFlags.FLAGGED), MessageFlags.NONE));
            }
            box.updateFlags(folder, updates);
            return updates.size();
        }
    }

    /** Per-user comparison of source and target: the multiset of SHA-256 per folder, flags, dates. */
    record Totals(int sourceMessages, int targetMessages, int missing, int duplicated, int unexpected,
                  int flagMismatches, int dateMismatches, String report) {

        boolean identical() {
            return report.isEmpty();
        }
    }

    static Totals compare(DovecotServer source, DovecotServer target, List<String> users) {
        int src = 0;
        int dst = 0;
        int missing = 0;
        int duplicated = 0;
        int unexpected = 0;
        int flags = 0;
        int dates = 0;
        StringBuilder report = new StringBuilder();
        for (String u : users) {
            MailboxSnapshot s;
            MailboxSnapshot t;
            try (ImapTestClient c = source.login(u)) {
                s = c.snapshot();
            }
            try (ImapTestClient c = target.login(u + DOMAIN)) {
                t = c.snapshot();
            }
            SnapshotComparison cmp = MailboxSnapshot.compare(s, t);
            src += cmp.sourceMessages();
            dst += cmp.targetMessages();
            for (SnapshotComparison.FolderDifference d : cmp.folders()) {
                missing += d.missing().size();
                duplicated += d.duplicated().size();
                unexpected += d.unexpected().size();
                flags += d.flagMismatches().size();
                dates += d.dateMismatches().size();
            }
            if (!cmp.isIdentical()) {
                report.append(u).append(":\n").append(cmp).append('\n');
            }
        }
        return new Totals(src, dst, missing, duplicated, unexpected, flags, dates, report.toString());
    }

    /**
     * Deletes a folder ({@code DELETE}, RFC 3501 section 6.3.4): what neither the test client nor
     * MailFerry ever does. A folder created again under that name gets a new UIDVALIDITY.
     */
    static void deleteFolder(DovecotServer server, String user, String folder) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(server.host(), server.port());
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                     java.nio.charset.StandardCharsets.US_ASCII));
             java.io.Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(),
                     java.nio.charset.StandardCharsets.US_ASCII)) {
            in.readLine(); // greeting
            command(in, out, "a LOGIN \"" + user + "\" \"" + password(user) + "\"");
            command(in, out, "b DELETE \"" + folder + "\"");
            command(in, out, "c LOGOUT");
        }
    }

    private static void command(java.io.BufferedReader in, java.io.Writer out, String line) throws IOException {
        out.write(line + "\r\n");
        out.flush();
        String tag = line.substring(0, line.indexOf(' '));
        for (String reply = in.readLine(); reply != null; reply = in.readLine()) {
            if (reply.startsWith(tag + " ")) {
                if (!reply.startsWith(tag + " OK")) {
                    throw new IOException(line.startsWith("a LOGIN") ? "LOGIN refused: " + reply : line + ": " + reply);
                }
                return;
            }
        }
        throw new IOException("connection closed after " + (line.startsWith("a LOGIN") ? "LOGIN" : line));
    }
}
