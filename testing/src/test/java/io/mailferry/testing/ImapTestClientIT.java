package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailferry.testing.internal.ImapDates;
import io.mailferry.testing.internal.LineEndings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ImapTestClientIT {

    private static final Logger LOG = LoggerFactory.getLogger(ImapTestClientIT.class);
    private static final Corpus BUNDLED = Corpus.bundled();
    private static final List<String> USERS =
            java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "user" + i).toList();

    private static DovecotServer slash;
    private static DovecotServer dot;
    private static int nextUser;

    @BeforeAll
    static void start() {
        DovecotServer.assumeInstalled();
        DovecotServer.Builder b = DovecotServer.builder();
        USERS.forEach(u -> b.user(u, "pw-" + u));
        slash = b.build().start();
        DovecotServer.Builder d = DovecotServer.builder().separator('.');
        USERS.forEach(u -> d.user(u, "pw-" + u));
        dot = d.build().start();
    }

    @AfterAll
    static void stop() {
        if (slash != null) {
            slash.stop();
        }
        if (dot != null) {
            dot.stop();
        }
    }

    /** A fresh (empty) account for each test. */
    private static synchronized String freshUser() {
        return USERS.get(nextUser++);
    }

    private static byte[] msg(String subject, String body) {
        return ("From: t@example.org\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendsWithFlagsAndInternalDateAndSnapshotDoesNotChangeThem() {
        OffsetDateTime d1 = OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHours(-8));
        OffsetDateTime d2 = OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 45));
        try (ImapTestClient c = slash.login(freshUser())) {
            AppendReport r = c.append("INBOX",
                    RawMessage.of("one", msg("one", "1")).withFlags("\\Seen").withInternalDate(d1),
                    RawMessage.of("two", msg("two", "2")).withFlags("\\Flagged", "\\Answered", "$Forwarded", "NonJunk")
                            .withInternalDate(d2),
                    RawMessage.of("three", msg("three", "3")));
            assertThat(r.appended()).isEqualTo(3);
            assertThat(r.isComplete()).isTrue();
            assertThat(r.bytes()).isEqualTo(msg("one", "1").length + msg("two", "2").length + msg("three", "3").length);
            MailboxSnapshot s = c.snapshot();
            List<MailboxSnapshot.Message> inbox = s.folder("INBOX").orElseThrow().messages();
            assertThat(inbox).extracting(MailboxSnapshot.Message::sha256).containsExactly(
                    MailboxSnapshot.sha256(msg("one", "1")), MailboxSnapshot.sha256(msg("two", "2")),
                    MailboxSnapshot.sha256(msg("three", "3")));
            assertThat(inbox.get(0).flags()).containsExactly("\\Seen");
            assertThat(inbox.get(0).internalDate()).isEqualTo(d1.toInstant());
            assertThat(inbox.get(1).flags()).containsExactlyInAnyOrder("\\Flagged", "\\Answered", "$Forwarded", "NonJunk");
            assertThat(inbox.get(1).internalDate()).isEqualTo(d2.toInstant());
            assertThat(inbox.get(2).flags()).isEmpty(); // no \Recent, and BODY.PEEK did not set \Seen
            assertThat(inbox.get(2).internalDate()).isAfter(Instant.now().minus(Duration.ofHours(1)));
            MailboxSnapshot again = c.snapshot();
            assertThat(MailboxSnapshot.compare(s, again).isIdentical()).isTrue();
            assertThat(again.folder("INBOX").orElseThrow().messages().get(2).flags()).isEmpty();
        }
    }

    @Test
    void refusalsAreReportedWithTheServersAnswerAndTheOthersAreStored() {
        try (ImapTestClient c = slash.login(freshUser())) {
            List<RawMessage> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(RawMessage.of("ok-" + i, msg("ok " + i, "body")));
            }
            batch.add(2, RawMessage.of("empty", new byte[0])); // Dovecot refuses a zero-byte message
            AppendReport r = c.append("INBOX", batch);
            assertThat(r.appended()).isEqualTo(5);
            assertThat(r.refusals()).singleElement().satisfies(x -> {
                assertThat(x.label()).isEqualTo("empty");
                assertThat(x.folder()).isEqualTo("INBOX");
                assertThat(x.response()).startsWith("NO");
            });
            assertThat(r.toString()).contains("1 refused", "INBOX: empty: NO");
            assertThat(c.messageCount("INBOX")).isEqualTo(5);
        }
    }

    @Test
    void withoutLiteralPlusEachMessageIsAppendedWithASynchronizingLiteral() {
        try (DovecotServer poor = DovecotServer.builder().user("u", "p").imapCapability("IMAP4rev1 UIDPLUS").build().start();
             ImapTestClient c = poor.login("u")) {
            assertThat(c.capabilities()).doesNotContain("LITERAL+", "MULTIAPPEND", "BINARY");
            OffsetDateTime d = OffsetDateTime.of(2010, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
            AppendReport r = c.append("INBOX", RawMessage.of("a", msg("a", "1")).withFlags("\\Draft", "Work").withInternalDate(d),
                    RawMessage.of("empty", new byte[0]), RawMessage.of("b", msg("b", "2")));
            assertThat(r.appended()).isEqualTo(2);
            assertThat(r.refusals()).extracting(AppendReport.Refusal::label).containsExactly("empty");
            List<MailboxSnapshot.Message> inbox = c.snapshot().folder("INBOX").orElseThrow().messages();
            assertThat(inbox).extracting(MailboxSnapshot.Message::sha256)
                    .containsExactly(MailboxSnapshot.sha256(msg("a", "1")), MailboxSnapshot.sha256(msg("b", "2")));
            assertThat(inbox.get(0).flags()).containsExactlyInAnyOrder("\\Draft", "Work");
            assertThat(inbox.get(0).internalDate()).isEqualTo(d.toInstant());
        }
    }

    @Test
    void appendsSingleMessagesReadsThemBackReplacesFlagsAndExpungesOne() {
        OffsetDateTime d = OffsetDateTime.of(2003, 4, 5, 6, 7, 8, 0, ZoneOffset.ofHours(2));
        byte[] one = msg("one", "1");
        byte[] two = msg("two", "2");
        byte[] three = msg("three", "3");
        try (ImapTestClient c = slash.login(freshUser())) {
            c.createFolder("Work");
            long a = c.appendMessage("Work", RawMessage.of("one", one).withFlags("\\Seen", "$Label1").withInternalDate(d));
            long b = c.appendMessage("Work", RawMessage.of("two", two));
            long z = c.appendMessage("Work", RawMessage.of("three", three));
            assertThat(List.of(a, b, z)).isSorted().doesNotHaveDuplicates();

            List<ImapTestClient.FetchedMessage> read = c.fetchMessages("Work");
            assertThat(read).extracting(ImapTestClient.FetchedMessage::uid).containsExactly(a, b, z);
            assertThat(read.get(0).bytes()).isEqualTo(one);
            assertThat(read.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");
            assertThat(read.get(0).internalDate()).isEqualTo(d.toInstant());
            assertThat(read.get(1).flags()).isEmpty();

            c.replaceFlags("Work", b, Set.of("\\Flagged", "$Forwarded"));
            c.replaceFlags("Work", a, Set.of());
            c.expunge("Work", z);

            List<ImapTestClient.FetchedMessage> after = c.fetchMessages("Work");
            assertThat(after).extracting(ImapTestClient.FetchedMessage::uid).containsExactly(a, b);
            assertThat(after.get(0).flags()).isEmpty();
            assertThat(after.get(1).flags()).containsExactlyInAnyOrder("\\Flagged", "$Forwarded");
            assertThat(after.get(1).bytes()).isEqualTo(two);
            assertThat(c.fetchMessages("INBOX")).isEmpty();
        }
    }

    @Test
    void withoutUidplusAppendMessageStillReturnsTheUidAndExpungeRemovesTheMessage() {
        try (DovecotServer poor = DovecotServer.builder().user("u", "p").imapCapability("IMAP4rev1").build().start();
             ImapTestClient c = poor.login("u")) {
            assertThat(c.capabilities()).doesNotContain("UIDPLUS", "LITERAL+");
            long a = c.appendMessage("INBOX", RawMessage.of("a", msg("a", "1")).withFlags("\\Draft"));
            long b = c.appendMessage("INBOX", RawMessage.of("b", msg("b", "2")));
            assertThat(b).isGreaterThan(a);
            c.expunge("INBOX", a);
            assertThat(c.fetchMessages("INBOX")).singleElement().satisfies(m -> {
                assertThat(m.uid()).isEqualTo(b);
                assertThat(m.bytes()).isEqualTo(msg("b", "2"));
            });
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void createsNonSelectableFoldersThatTakeChildren(char separator) {
        DovecotServer server = separator == '/' ? slash : dot;
        try (ImapTestClient c = server.login(freshUser())) {
            c.createNonSelectableFolder("Parent");
            c.createFolder("Parent" + separator + "Child");
            Map<String, Boolean> selectable = new TreeMap<>();
            c.listFolders().forEach(f -> selectable.put(f.name(), f.selectable()));
            assertThat(selectable).containsEntry("Parent", false).containsEntry("Parent" + separator + "Child", true);
        }
    }

    @Test
    void createsSpecialUseFoldersTheConfigurationDeclaresAndRefusesOthers() {
        try (DovecotServer server = DovecotServer.builder().user("u", "p")
                .declareSpecialUseFolder("\\Sent", "Gesendete Objekte").build().start();
             ImapTestClient c = server.login("u")) {
            assertThat(c.hasCapability("CREATE-SPECIAL-USE")).isFalse();
            assertThat(c.listFolders()).extracting(ImapTestClient.Folder::name).containsExactly("INBOX");
            assertThat(server.specialUseFolders()).isEmpty(); // declared, not auto-created

            c.createSpecialUseFolder("Gesendete Objekte", "\\Sent");

            assertThat(c.listFolders()).filteredOn(f -> f.name().equals("Gesendete Objekte")).singleElement()
                    .satisfies(f -> assertThat(f.attributes()).contains("\\Sent"));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> c.createSpecialUseFolder("Papierkorb", "\\Trash")))
                    .isInstanceOf(ImapTestException.class).hasMessageContaining("Papierkorb")
                    .hasMessageContaining("no such role");
        }
    }

    @Test
    void folderNamesWithNonAsciiAndSpecialCharactersRoundTrip() {
        List<String> names = List.of("Entwürfe", "Éléments envoyés", "送信済み", "a&b", "Mr. Smith", "Ünïcødé/Kind");
        try (ImapTestClient c = slash.login(freshUser())) {
            c.createFolder("Ünïcødé");
            for (String n : names) {
                assertThat(c.createFolder(n)).as(n).isTrue();
            }
            assertThat(c.listFolders()).extracting(ImapTestClient.Folder::name).containsAll(names);
            c.append("送信済み", RawMessage.of("m", msg("m", "x")));
            c.append("Ünïcødé/Kind", RawMessage.of("m", msg("m", "y")));
            MailboxSnapshot s = c.snapshot();
            assertThat(s.folder("送信済み").orElseThrow().messages()).hasSize(1);
            assertThat(s.folder("Ünïcødé/Kind").orElseThrow().messages()).hasSize(1);
            assertThat(c.messageCount("送信済み")).isEqualTo(1);
        }
    }

    @Test
    void loadsTheBundledNastyMessagesAsDovecotStoresThem() {
        List<CorpusMessage> nasty = BUNDLED.nastyMessages();
        try (ImapTestClient c = slash.login(freshUser())) {
            AppendReport r = c.append("INBOX", nasty.stream().map(RawMessage::of).toList());
            assertThat(r.refusals()).isEmpty();
            assertThat(r.appended()).isEqualTo(nasty.size());
            MailboxSnapshot.Folder inbox = c.snapshot().folder("INBOX").orElseThrow();
            Map<String, Integer> expected = new TreeMap<>();
            int unchanged = 0;
            for (CorpusMessage m : nasty) {
                byte[] b = m.bytes();
                byte[] stored = dovecotStores(b);
                expected.merge(MailboxSnapshot.sha256(stored), 1, Integer::sum);
                if (java.util.Arrays.equals(stored, b)) {
                    unchanged++;
                    assertThat(inbox.sha256Counts()).as(m.path()).containsKey(m.sha256()); // the manifest's SHA-256
                }
            }
            assertThat(inbox.sha256Counts()).isEqualTo(expected);
            assertThat(unchanged).isGreaterThanOrEqualTo(15);
            // the bare CR of mail_outlook_1.eml survived (sent as literal8)
            CorpusMessage outlook = BUNDLED.message("nasty/spamscope-mail-parser/mail_outlook_1.eml").orElseThrow();
            assertThat(LineEndings.hasBareCr(dovecotStores(outlook.bytes()))).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void loadsEnronUsersWithTheirFolderTreesUnderEitherSeparator(char separator) {
        DovecotServer server = separator == '/' ? slash : dot;
        String user = freshUser();
        try (ImapTestClient c = server.login(user)) {
            for (String name : List.of("germany-c", "beck-s")) {
                CorpusUser u = BUNDLED.enronUser(name).orElseThrow();
                AppendReport r = c.loadUser(u);
                assertThat(r.refusals()).isEmpty();
                assertThat(r.appended()).isEqualTo(u.messageCount());
            }
            MailboxSnapshot s = c.snapshot();
            assertThat(s.separator()).isEqualTo(separator);
            int unchangedChecked = 0;
            for (String name : List.of("germany-c", "beck-s")) {
                for (CorpusFolder f : BUNDLED.enronUser(name).orElseThrow().folders()) {
                    MailboxSnapshot.Folder got = s.folder(f.imapName(separator))
                            .orElseThrow(() -> new AssertionError("no folder " + f.imapName(separator) + " in " + s));
                    assertThat(got.selectable()).isTrue();
                    Map<String, Instant> dates = new HashMap<>();
                    for (CorpusMessage m : f.messages()) {
                        byte[] crlf = LineEndings.bareLfToCrlf(m.bytes());
                        String sha = MailboxSnapshot.sha256(crlf);
                        assertThat(got.sha256Counts()).as(m.path()).containsKey(sha);
                        dates.put(sha, ImapDates.dateHeader(crlf).orElseThrow().toInstant());
                        if (java.util.Arrays.equals(crlf, m.bytes())) {
                            assertThat(sha).isEqualTo(m.sha256());
                            unchangedChecked++;
                        }
                    }
                    // both users' folders of the same name end up in one mailbox
                    assertThat(got.messages()).as(f.path()).hasSize(countIn(f, separator));
                    got.messages().stream().filter(m -> dates.containsKey(m.sha256()))
                            .forEach(m -> assertThat(m.internalDate()).isEqualTo(dates.get(m.sha256())));
                }
            }
            LOG.info("{} messages whose bytes the CRLF normalisation left unchanged match the manifest", unchangedChecked);
        }
    }

    private static int countIn(CorpusFolder f, char sep) {
        int n = 0;
        for (String name : List.of("germany-c", "beck-s")) {
            n += BUNDLED.enronUser(name).orElseThrow().folders().stream()
                    .filter(x -> x.imapName(sep).equals(f.imapName(sep))).mapToInt(x -> x.messages().size()).sum();
        }
        return n;
    }

    @Test
    void sameMailboxUnderBothSeparatorsComparesIdentical() {
        CorpusUser beck = BUNDLED.enronUser("beck-s").orElseThrow();
        String user = freshUser();
        try (ImapTestClient a = slash.login(user); ImapTestClient b = dot.login(user)) {
            a.loadUser(beck, flagging());
            b.loadUser(beck, flagging());
            SnapshotComparison c = MailboxSnapshot.compare(a.snapshot(), b.snapshot());
            assertThat(c.isIdentical()).as(c.toString()).isTrue();
            assertThat(c.comparedFolders()).isEqualTo(beck.folders().size());
            assertThat(c.sourceMessages()).isEqualTo(135);
        }
    }

    @Test
    void compareReportsEveryKindOfDifference() {
        CorpusUser beck = BUNDLED.enronUser("beck-s").orElseThrow();
        String src = freshUser();
        String dst = freshUser();
        try (ImapTestClient s = slash.login(src); ImapTestClient d = dot.login(dst)) {
            s.loadUser(beck);
            CorpusMessage dropped = beck.folder("eol").orElseThrow().messages().get(0);
            CorpusMessage doubled = beck.folder("sap").orElseThrow().messages().get(0);
            CorpusMessage reflagged = beck.folder("chicago").orElseThrow().messages().get(0);
            CorpusMessage redated = beck.folder("global").orElseThrow().messages().get(0);
            d.loadUser(beck, m -> m.label().equals(reflagged.path()) ? m.withFlags("\\Seen")
                    : m.label().equals(redated.path()) ? m.withInternalDate(m.internalDate().plusDays(1)) : m);
            // the "dropped" difference is built in a fresh folder pair
            d.append("sap", RawMessage.of(doubled).withCrlfLineEndings());
            s.createFolder("extra");
            s.append("extra", RawMessage.of(dropped).withCrlfLineEndings());
            d.createFolder("extra");
            d.createFolder("only-on-target");
            d.append("only-on-target", RawMessage.of("x", msg("x", "x")));
            SnapshotComparison c = MailboxSnapshot.compare(s.snapshot(), d.snapshot());
            assertThat(c.isIdentical()).isFalse();
            assertThat(c.missingFolders()).isEmpty();
            assertThat(c.unexpectedFolders()).containsExactly("only-on-target");
            assertThat(c.folder("extra").missing()).hasSize(1);
            assertThat(c.folder("sap").duplicated()).hasSize(1);
            assertThat(c.folder("chicago").flagMismatches()).singleElement()
                    .satisfies(f -> assertThat(f.actual()).containsExactly("\\Seen"));
            assertThat(c.folder("global").dateMismatches()).singleElement()
                    .satisfies(f -> assertThat(Duration.between(f.expected(), f.actual())).isEqualTo(Duration.ofDays(1)));
            assertThat(c.folders()).extracting(SnapshotComparison.FolderDifference::targetFolder)
                    .containsExactlyInAnyOrder("extra", "sap", "chicago", "global", "only-on-target");
            LOG.info("comparison report:\n{}", c);
        }
    }

    /**
     * The whole shared Enron corpus (9,458 messages in 5 mailboxes) loaded into one server and
     * verified message by message; the load rate is logged.
     */
    @Test
    void loadsTheWholeSharedEnronCorpusFastAndExactly() {
        Corpus shared = Corpus.shared().orElse(null);
        assumeTrue(shared != null, "no shared corpus at -D" + Corpus.DIR_PROPERTY);
        AppendReport total = AppendReport.NONE;
        long t0 = System.nanoTime();
        Map<String, String> accounts = new TreeMap<>();
        for (CorpusUser u : shared.enronUsers()) {
            String account = freshUser();
            accounts.put(u.name(), account);
            try (ImapTestClient c = slash.login(account)) {
                AppendReport r = c.loadUser(u);
                assertThat(r.refusals()).as(u.name()).isEmpty();
                assertThat(r.appended()).as(u.name()).isEqualTo(u.messageCount());
                total = total.plus(r);
            }
        }
        Duration load = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("loaded the shared Enron corpus: {} messages, {} bytes in {} ms ({} msg/s)", total.appended(),
                total.bytes(), load.toMillis(), Math.round(total.appended() / (load.toNanos() / 1e9)));
        assertThat(total.appended()).isEqualTo(9_458);
        assertThat(load).as("loading 9,458 messages").isLessThan(Duration.ofSeconds(120));
        for (CorpusUser u : shared.enronUsers()) {
            try (ImapTestClient c = slash.login(accounts.get(u.name()))) {
                MailboxSnapshot s = c.snapshot();
                for (CorpusFolder f : u.folders()) {
                    Map<String, Integer> expected = new TreeMap<>();
                    f.messages().forEach(m -> expected.merge(
                            MailboxSnapshot.sha256(LineEndings.bareLfToCrlf(m.bytes())), 1, Integer::sum));
                    assertThat(s.folder(f.imapName('/')).orElseThrow().sha256Counts())
                            .as(u.name() + "/" + f.path()).isEqualTo(expected);
                }
                assertThat(s.messageCount()).isEqualTo(u.messageCount());
            }
        }
    }

    /** What Dovecot returns for a message appended as-is (measured): LF → CRLF, NUL → 0x80. */
    static byte[] dovecotStores(byte[] raw) {
        byte[] b = raw.clone();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                b[i] = (byte) 0x80;
            }
        }
        return LineEndings.bareLfToCrlf(b);
    }

    /** Deterministic flags: every 2nd \Seen, every 3rd \Flagged, every 5th $Forwarded. */
    static UnaryOperator<RawMessage> flagging() {
        int[] n = {0};
        return m -> {
            int i = n[0]++;
            List<String> f = new ArrayList<>();
            if (i % 2 == 0) {
                f.add("\\Seen");
            }
            if (i % 3 == 0) {
                f.add("\\Flagged");
            }
            if (i % 5 == 0) {
                f.add("$Forwarded");
            }
            return m.withFlags(Set.copyOf(f));
        };
    }
}
