package io.mailferry.imap;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.testing.AppendReport;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.CyrusServer;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interoperability matrix: GreenMail, Dovecot and Cyrus IMAP, each as source and as target of
 * each (nine migrations through {@link MigrationService}), on real mail from the corpus — two Enron
 * mailboxes' folder trees and the hard real-world messages — plus a nested non-ASCII folder. Every
 * message must arrive byte-identical in the folder of the same name (hierarchy separators
 * translated), with its system flags and INTERNALDATE; a second pass copies nothing.
 *
 * <p>Of the hard messages, only those that every server stores unchanged are used: a probe loads
 * them into each server first and keeps the ones each returns byte for byte (a server that rewrites
 * or refuses a message tells nothing about MailFerry); how many that leaves is printed. Cyrus also
 * runs in its traditional namespace (personal folders under {@code INBOX.}) as a target, to show
 * that the connector puts folders under the personal prefix.
 */
class ImapInteropMatrixIT {

    enum Kind { GREENMAIL, DOVECOT, CYRUS }

    private static GreenMailServer greenMail;
    private static DovecotServer dovecot;
    private static CyrusServer cyrus;
    private static CyrusServer cyrusInboxPrefix;
    private static final Map<Kind, MailboxSnapshot> SOURCES = new EnumMap<>(Kind.class);
    private static final List<RawMessage> MAIL = new ArrayList<>();
    private static int portableNasty;
    private static int nasty;

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Kind s : Kind.values()) {
            for (Kind t : Kind.values()) {
                out.add(Arguments.of(s, t));
            }
        }
        return out.stream();
    }

    private static String targetUser(Kind source) {
        return "from-" + source.name().toLowerCase(java.util.Locale.ROOT);
    }

    @BeforeAll
    static void start() {
        DovecotServer.assumeInstalled();
        CyrusServer.assumeInstalled();
        Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
        greenMail = GreenMailServer.start();
        DovecotServer.Builder d = DovecotServer.builder().separator('/');
        CyrusServer.Builder c = CyrusServer.builder().separator('.');
        for (String u : users()) {
            d.user(u, "pw-" + u);
            c.user(u, "pw-" + u);
            greenMail.greenMail().setUser(u + "@example.org", u, "pw-" + u);
        }
        dovecot = d.build().start();
        cyrus = c.build().start();
        cyrusInboxPrefix = CyrusServer.builder().inboxPrefix(true).user("from-dovecot", "pw").build().start();

        // which hard messages every server keeps byte for byte
        List<RawMessage> candidates = new ArrayList<>();
        for (String s : corpus.nastySources()) {
            for (CorpusMessage m : corpus.nastyMessages(s)) {
                candidates.add(RawMessage.of(m));
            }
        }
        nasty = candidates.size();
        Set<String> portable = null;
        for (Kind k : Kind.values()) {
            Set<String> kept = new HashSet<>();
            ImapTestClient probe = login(k, "probe");
            try {
                for (RawMessage m : candidates) {
                    try {
                        probe.append("INBOX", m);
                    } catch (io.mailferry.testing.ImapTestException e) {
                        // refused so hard that the server hung up (Cyrus on some malformed mail)
                        probe.close();
                        probe = login(k, "probe");
                    }
                }
                probe.snapshot().folder("INBOX").orElseThrow().messages().forEach(m -> kept.add(m.sha256()));
            } finally {
                probe.close();
            }
            if (portable == null) {
                portable = kept;
            } else {
                portable.retainAll(kept);
            }
        }
        AtomicInteger n = new AtomicInteger();
        for (RawMessage m : candidates) {
            if (portable.contains(MailboxSnapshot.sha256(m.bytes()))) {
                MAIL.add(flags(m, n.incrementAndGet()));
            }
        }
        portableNasty = MAIL.size();

        List<CorpusUser> enron = corpus.enronUsers().stream()
                .sorted(java.util.Comparator.comparingInt(CorpusUser::messageCount)).limit(2).toList();
        for (Kind k : Kind.values()) {
            try (ImapTestClient client = login(k, "source")) {
                char sep = client.separator();
                int loaded = 0;
                for (CorpusUser u : enron) {
                    client.createFolder(u.name());
                    AppendReport r = client.loadUser(prefixed(u), m -> flags(m, n.incrementAndGet()));
                    loaded += r.appended();
                    assertThat(r.refusals()).as("%s refused Enron messages", k).isEmpty();
                }
                client.createFolder("hard");
                loaded += client.append("hard", MAIL).appended();
                client.createFolder("Entwürfe");
                client.createFolder("Entwürfe" + sep + "送信済み");
                loaded += client.append("Entwürfe" + sep + "送信済み", MAIL.subList(0, Math.min(3, MAIL.size())))
                        .appended();
                SOURCES.put(k, client.snapshot());
                assertThat(SOURCES.get(k).messageCount()).isEqualTo(loaded);
            }
        }
        System.out.printf("ImapInteropMatrixIT: %s corpus; Enron %s; %d of %d hard messages kept unchanged by all "
                        + "three servers; %d messages per source%n", Corpus.shared().isPresent() ? "shared" : "bundled",
                enron.stream().map(u -> u.name() + " (" + u.messageCount() + ")").toList(), portableNasty, nasty,
                SOURCES.get(Kind.DOVECOT).messageCount());
    }

    /** The Enron user's folders below a folder named after the user. */
    private static CorpusUser prefixed(CorpusUser u) {
        List<io.mailferry.testing.CorpusFolder> folders = new ArrayList<>();
        for (io.mailferry.testing.CorpusFolder f : u.folders()) {
            folders.add(new io.mailferry.testing.CorpusFolder(u.name() + "/" + f.path(), f.messages()));
        }
        return new CorpusUser(u.name(), folders);
    }

    private static List<String> users() {
        List<String> u = new ArrayList<>(List.of("probe", "source"));
        for (Kind k : Kind.values()) {
            u.add(targetUser(k));
        }
        return u;
    }

    /** System flags only: keywords are a server's choice (PERMANENTFLAGS), not an interop question. */
    private static RawMessage flags(RawMessage m, int i) {
        Set<String> f = new HashSet<>();
        if (i % 3 == 0) {
            f.add("\\Seen");
        }
        if (i % 7 == 0) {
            f.add("\\Flagged");
        }
        if (i % 11 == 0) {
            f.add("\\Answered");
        }
        return m.withFlags(f);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {greenMail, dovecot, cyrus, cyrusInboxPrefix}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private static ImapTestClient login(Kind k, String user) {
        return switch (k) {
            case GREENMAIL -> ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort()).login(user, "pw-" + user);
            case DOVECOT -> dovecot.login(user);
            case CYRUS -> cyrus.login(user);
        };
    }

    private static MigrationEndpoint endpoint(String name, String host, int port) {
        return MigrationEndpoint.imap(name).host(host).port(port).security(Security.NONE)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60)).build();
    }

    private static MigrationEndpoint endpoint(Kind k) {
        return switch (k) {
            case GREENMAIL -> endpoint("greenmail", GreenMailServer.HOST, greenMail.imapPort());
            case DOVECOT -> endpoint("dovecot", dovecot.host(), dovecot.port());
            case CYRUS -> endpoint("cyrus", cyrus.host(), cyrus.port());
        };
    }

    private static char separator(Kind k) {
        return switch (k) {
            case GREENMAIL -> '.';
            case DOVECOT -> '/';
            case CYRUS -> '.';
        };
    }

    /** Runs passes until the batch settles; returns the user. */
    private static MigrationUser migrate(MigrationEndpoint from, MigrationEndpoint to, String targetUser,
                                         String targetPassword, int passes) throws InterruptedException {
        try (MigrationService service = MigrationService.builder().build()) {
            MigrationBatch batch = service.newBatch("matrix").sourceEndpoint(from).targetEndpoint(to)
                    .user(new MigrationUserEntry(targetUser + "@example.org", "source", "pw-source", targetUser,
                            targetPassword, null))
                    .badItemLimit(ItemLimit.ZERO).create();
            batch.start();
            assertThat(batch.awaitStatus(Duration.ofMinutes(5), BatchStatus::isSettled)).isTrue();
            for (int i = 1; i < passes; i++) {
                batch.syncNow();
                assertThat(batch.awaitStatus(Duration.ofMinutes(5), BatchStatus::isSettled)).isTrue();
            }
            MigrationUser u = batch.users().get(0);
            assertThat(u.status().summary()).as("%s: %s", u.status(), u.error()).isEqualTo(MigrationUserStatus.Summary.SYNCED);
            assertThat(batch.skippedItems(u.emailAddress())).isEmpty();
            return u;
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void everyMessageArrivesUnchangedWithFlagsAndDateAndASecondPassCopiesNothing(Kind from, Kind to)
            throws InterruptedException {
        String user = targetUser(from);
        MailboxSnapshot source = SOURCES.get(from);
        MigrationUser u = migrate(endpoint(from), endpoint(to), user, "pw-" + user, 2);

        assertThat(u.statistics().syncedItemCount()).isEqualTo(source.messageCount());
        MailboxSnapshot target;
        try (ImapTestClient c = login(to, user)) {
            target = c.snapshot();
        }
        UnaryOperator<String> names = MailboxSnapshot.separatorMapping(separator(from), separator(to));
        assertSame(source, target, names, from + " -> " + to, to == Kind.GREENMAIL);
    }

    @Test
    void aTargetWithThePersonalPrefixInboxDotGetsEveryFolderUnderIt() throws InterruptedException {
        MailboxSnapshot source = SOURCES.get(Kind.DOVECOT);
        migrate(endpoint(Kind.DOVECOT), endpoint("cyrus-inbox", cyrusInboxPrefix.host(), cyrusInboxPrefix.port()),
                "from-dovecot", "pw", 1);

        MailboxSnapshot target;
        try (ImapTestClient c = cyrusInboxPrefix.login("from-dovecot")) {
            target = c.snapshot();
        }
        UnaryOperator<String> separators = MailboxSnapshot.separatorMapping('/', '.');
        assertThat(target.folders().keySet()).allSatisfy(n -> assertThat(n).startsWith("INBOX"));
        assertSame(source, target, n -> n.equals("INBOX") ? n : "INBOX." + separators.apply(n), "Dovecot -> Cyrus INBOX.",
                false);
    }

    /**
     * Per folder the same multiset of (SHA-256, system flags, INTERNALDATE); no other folder with
     * mail. {@code greenMailDates}: GreenMail 2.1 parses an APPEND's INTERNALDATE with a 12-hour
     * clock, so it stores 12:38 as 00:38 whoever sends it (its own bug; Dovecot and Cyrus keep the
     * hour): expected dates are read as GreenMail stores them.
     */
    private static void assertSame(MailboxSnapshot source, MailboxSnapshot target, UnaryOperator<String> names,
                                   String what, boolean greenMailDates) {
        Map<String, Map<String, Integer>> expected = new TreeMap<>();
        for (MailboxSnapshot.Folder f : source.folders().values()) {
            if (f.selectable()) {
                expected.put(names.apply(f.name()), multiset(f, greenMailDates));
            }
        }
        Map<String, Map<String, Integer>> actual = new TreeMap<>();
        for (MailboxSnapshot.Folder f : target.folders().values()) {
            if (f.selectable() && (expected.containsKey(f.name()) || !f.messages().isEmpty())) {
                actual.put(f.name(), multiset(f, false));
            }
        }
        List<String> diff = new ArrayList<>();
        Set<String> folders = new java.util.TreeSet<>(expected.keySet());
        folders.addAll(actual.keySet());
        for (String f : folders) {
            Map<String, Integer> e = expected.getOrDefault(f, Map.of());
            Map<String, Integer> a = actual.getOrDefault(f, Map.of());
            if (!expected.containsKey(f) || !actual.containsKey(f)) {
                diff.add(f + (expected.containsKey(f) ? ": folder missing on the target" : ": unexpected folder"));
            }
            for (Map.Entry<String, Integer> x : e.entrySet()) {
                if (!x.getValue().equals(a.get(x.getKey()))) {
                    diff.add(f + ": expected " + x.getValue() + "x " + x.getKey() + ", found " + a.getOrDefault(x.getKey(), 0));
                }
            }
            for (Map.Entry<String, Integer> x : a.entrySet()) {
                if (!e.containsKey(x.getKey())) {
                    diff.add(f + ": unexpected " + x.getValue() + "x " + x.getKey());
                }
            }
        }
        assertThat(diff.subList(0, Math.min(12, diff.size()))).as("%s: %d difference(s), first ones", what, diff.size())
                .isEmpty();
    }

    private static Map<String, Integer> multiset(MailboxSnapshot.Folder f, boolean greenMailDates) {
        Map<String, Integer> m = new HashMap<>();
        for (MailboxSnapshot.Message msg : f.messages()) {
            Set<String> system = new java.util.TreeSet<>();
            for (String flag : msg.flags()) {
                if (flag.startsWith("\\") && !flag.equalsIgnoreCase("\\Recent")) {
                    system.add(flag);
                }
            }
            Instant date = msg.internalDate();
            if (greenMailDates && date != null && date.atZone(java.time.ZoneOffset.UTC).getHour() == 12) {
                date = date.minus(Duration.ofHours(12));
            }
            m.merge(msg.sha256() + " " + system + " " + date, 1, Integer::sum);
        }
        return m;
    }
}
