package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.core.SkippedItem;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsvReader;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.AppendReport;
import io.mailferry.testing.Corpus;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;
import io.mailferry.testing.SnapshotComparison;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real corpus ({@code ../shared/corpus} when present, else the bundled sample) through
 * {@link MigrationService} with the EWS connector on one side:
 * <ul>
 *   <li>Exchange (fake EWS, staged batch from a CSV of {@code EmailAddress} rows, service account
 *       with ApplicationImpersonation) → Dovecot (master user);</li>
 *   <li>Exchange → GreenMail (users' own credentials);</li>
 *   <li>Dovecot → Exchange (offboarding CSV, {@code EmailAddress,TargetDatabase}).</li>
 * </ul>
 * Each side is compared per folder by the multiset of SHA-256 of the raw messages, with flags and
 * INTERNALDATE: 0 missing, 0 duplicated (a message the target refused must be a skipped item with a
 * reason). A second pass copies nothing.
 */
class EwsCorpusMigrationIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final String DOMAIN = "@enron.example";
    private static final String NASTY = "nasty";
    private static final String ADMIN = "mfadmin";
    private static final String ADMIN_PASSWORD = "Adm1n-secret";

    private static Corpus corpus;

    @BeforeAll
    static void corpus() {
        corpus = Corpus.shared().orElseGet(Corpus::bundled);
    }

    /** Loads every Enron user and the nasty messages into a fake Exchange; returns the users' addresses. */
    private static List<String> load(FakeExchange exchange) {
        return load(exchange, true);
    }

    private static List<String> load(FakeExchange exchange, boolean withNasty) {
        List<String> users = new ArrayList<>();
        int[] counter = {0};
        int loaded = 0;
        for (CorpusUser u : corpus.enronUsers()) {
            FakeMailbox mb = exchange.mailbox(u.name() + DOMAIN);
            loaded += EwsTestData.load(mb, u, counter);
            users.add(mb.address());
        }
        if (!withNasty) {
            System.out.printf("EwsCorpusMigrationIT: %s corpus, %d mailboxes, %,d messages in the fake Exchange%n",
                    Corpus.shared().isPresent() ? "shared" : "bundled", users.size(), loaded);
            return users;
        }
        FakeMailbox nasty = exchange.mailbox(NASTY + DOMAIN);
        for (String source : corpus.nastySources()) {
            FakeFolder f = nasty.createFolder("nasty/" + source, "IPF.Note");
            for (CorpusMessage m : corpus.nastyMessages(source)) {
                // Exchange renders MIME from its store with CRLF line ends and never with NUL bytes
                // or bare CRs: the messages that have them cannot come out of an Exchange source
                RawMessage raw = RawMessage.of(m).withCrlfLineEndings();
                if (hasNulOrBareCr(raw.bytes())) {
                    continue;
                }
                EwsTestData.deliver(nasty, f, raw.bytes(), raw.internalDateIfSet().map(d -> d.toInstant()).orElse(null),
                        ++counter[0]);
                loaded++;
            }
        }
        // non-ASCII and nested names, a slash inside a name, a mail folder below the calendar
        List<CorpusMessage> few = corpus.enronUsers().get(0).messages().subList(0, 5);
        for (String path : List.of("Entwürfe", "Entwürfe/送信済み", "Q1\u2215Q2 reports", "Calendar/Einladungen")) {
            FakeFolder f = nasty.createFolder(path, "IPF.Note");
            for (CorpusMessage m : few) {
                RawMessage raw = RawMessage.of(m).withCrlfLineEndings();
                EwsTestData.deliver(nasty, f, raw.bytes(), null, ++counter[0]);
                loaded++;
            }
        }
        users.add(nasty.address());
        System.out.printf("EwsCorpusMigrationIT: %s corpus, %d mailboxes, %,d messages in the fake Exchange%n",
                Corpus.shared().isPresent() ? "shared" : "bundled", users.size(), loaded);
        return users;
    }

    private static boolean hasNulOrBareCr(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0 || (b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n'))) {
                return true;
            }
        }
        return false;
    }

    private static MigrationBatch runToSettled(MigrationBatch batch, Runnable command) throws InterruptedException {
        long t0 = System.nanoTime();
        command.run();
        assertThat(batch.awaitStatus(TIMEOUT, BatchStatus::isSettled)).as("%s", batch.status()).isTrue();
        System.out.printf("EwsCorpusMigrationIT: %s pass of batch %s: %.1f s, %s%n",
                batch.statistics().syncedItemCount() == 0 ? "first" : "a", batch.name(),
                (System.nanoTime() - t0) / 1e9, batch.statistics());
        for (MigrationUser u : batch.users()) {
            assertThat(u.error()).as(u.emailAddress()).isNull();
        }
        return batch;
    }

    /**
     * Removes from a source snapshot the messages the batch recorded as skipped (the target
     * refused them, with a reason), so the comparison asks: everything else arrived exactly once.
     */
    private static MailboxSnapshot withoutSkipped(MailboxSnapshot source, List<SkippedItem> skipped,
                                                  UnaryOperator<String> sourceNameOf) {
        Map<String, List<Long>> skippedUids = new LinkedHashMap<>();
        for (SkippedItem s : skipped) {
            assertThat(s.reason()).isNotBlank();
            skippedUids.computeIfAbsent(s.folder(), k -> new ArrayList<>()).add(s.sourceUid());
        }
        List<MailboxSnapshot.Folder> folders = new ArrayList<>();
        for (MailboxSnapshot.Folder f : source.folders().values()) {
            List<Long> gone = skippedUids.getOrDefault(sourceNameOf.apply(f.name()), List.of());
            folders.add(new MailboxSnapshot.Folder(f.name(), f.selectable(), f.attributes(),
                    f.messages().stream().filter(m -> !gone.contains(m.uid())).toList()));
        }
        return new MailboxSnapshot(source.separator(), folders);
    }

    @Test
    void exchangeToDovecotWithAStagedBatch() throws Exception {
        DovecotServer.assumeInstalled();
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        List<String> users = load(exchange);
        DovecotServer.Builder b = DovecotServer.builder().separator('/').masterUser(ADMIN, ADMIN_PASSWORD)
                .specialUseFolders();
        users.forEach(u -> b.user(u, "pw-" + u));
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); DovecotServer dovecot = b.build().start();
             MigrationService service = MigrationService.builder().build()) {
            StringBuilder csv = new StringBuilder("EmailAddress\r\n");
            users.forEach(u -> csv.append(u).append("\r\n"));
            List<MigrationUserEntry> entries = MigrationCsvReader.of(CsvSchema.STAGED)
                    .read(new StringReader(csv.toString())).entries();
            MigrationEndpoint target = MigrationEndpoint.imap("dovecot").host(dovecot.host()).port(dovecot.port())
                    .security(Security.NONE).adminCredentials(new Credentials(ADMIN, ADMIN_PASSWORD)).build();
            MigrationBatch batch = service.newBatch("staged-exchange").sourceEndpoint(
                    EwsMailboxFixture.endpoint(ews, "exchange-2016")).targetEndpoint(target).users(entries).create();
            runToSettled(batch, batch::start);

            int compared = 0;
            int skipped = 0;
            for (String u : users) {
                FakeMailbox mb = exchange.findMailbox(u).orElseThrow();
                List<SkippedItem> items = batch.skippedItems(u);
                skipped += items.size();
                MailboxSnapshot source = withoutSkipped(EwsTestData.snapshot(mb), items, n -> n);
                try (ImapTestClient c = dovecot.login(u)) {
                    SnapshotComparison cmp = MailboxSnapshot.compare(source, c.snapshot(), EwsTestData.toDovecotNames());
                    assertThat(cmp.isIdentical()).as("%s:%n%s", u, cmp).isTrue();
                    compared += cmp.sourceMessages();
                }
            }
            System.out.printf("EwsCorpusMigrationIT: Exchange -> Dovecot: %,d messages identical, %d skipped with "
                    + "a reason%n", compared, skipped);
            // the special-use folders went to Dovecot's own, the mail below the calendar kept its path
            try (ImapTestClient c = dovecot.login(NASTY + DOMAIN)) {
                assertThat(c.listFolders()).extracting(ImapTestClient.Folder::name)
                        .contains("Entwürfe/送信済み", "Q1\u2215Q2 reports", "Calendar/Einladungen")
                        .doesNotContain("Sent Items", "Deleted Items", "Junk E-mail");
                assertThat(c.messageCount("Calendar/Einladungen")).isEqualTo(5);
            }

            long synced = batch.statistics().syncedItemCount();
            runToSettled(batch, batch::syncNow);
            assertThat(batch.statistics().syncedItemCount()).as("a second pass copies nothing").isEqualTo(synced);
        }
    }

    /**
     * The Enron mailboxes only: GreenMail's own MIME parser throws on several of the nasty messages
     * and drops the connection (Dovecot takes them all, see above).
     */
    @Test
    void exchangeToGreenMail() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        List<String> users = load(exchange, false);
        try (FakeEwsServer ews = FakeEwsServer.start(exchange); GreenMailServer greenMail = GreenMailServer.start();
             MigrationService service = MigrationService.builder().build()) {
            List<MigrationUserEntry> entries = new ArrayList<>();
            for (String u : users) {
                greenMail.greenMail().setUser(u, u, "pw-" + u);
                entries.add(new MigrationUserEntry(u, u, null, u, "pw-" + u, null));
            }
            MigrationEndpoint target = MigrationEndpoint.imap("greenmail").host(GreenMailServer.HOST)
                    .port(greenMail.imapPort()).security(Security.NONE).build();
            MigrationBatch batch = service.newBatch("exchange-to-greenmail").sourceEndpoint(
                    EwsMailboxFixture.endpoint(ews, "exchange-2019")).targetEndpoint(target).users(entries).create();
            runToSettled(batch, batch::start);
            int compared = 0;
            int skipped = 0;
            for (String u : users) {
                List<SkippedItem> items = batch.skippedItems(u);
                skipped += items.size();
                MailboxSnapshot source = withoutSkipped(EwsTestData.snapshot(exchange.findMailbox(u).orElseThrow()),
                        items, n -> n);
                try (ImapTestClient c = ImapTestClient.connect(GreenMailServer.HOST, greenMail.imapPort())
                        .login(u, "pw-" + u)) {
                    SnapshotComparison cmp = EwsTestData.compareWithGreenMail(source, c.snapshot());
                    assertThat(cmp.isIdentical()).as("%s:%n%s", u, cmp).isTrue();
                    compared += cmp.sourceMessages();
                }
            }
            System.out.printf("EwsCorpusMigrationIT: Exchange -> GreenMail: %,d messages identical, %d skipped with "
                    + "a reason%n", compared, skipped);
        }
    }

    @Test
    void dovecotToExchangeWithAnOffboardingBatch() throws Exception {
        DovecotServer.assumeInstalled();
        List<String> users = new ArrayList<>();
        corpus.enronUsers().forEach(u -> users.add(u.name() + DOMAIN));
        DovecotServer.Builder b = DovecotServer.builder().separator('/').masterUser(ADMIN, ADMIN_PASSWORD)
                .specialUseFolders();
        users.forEach(u -> b.user(u, "pw-" + u));
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        users.forEach(exchange::mailbox);
        try (DovecotServer dovecot = b.build().start(); FakeEwsServer ews = FakeEwsServer.start(exchange);
             MigrationService service = MigrationService.builder().build()) {
            int[] n = {0};
            int loaded = 0;
            Map<String, MailboxSnapshot> sources = new LinkedHashMap<>();
            for (CorpusUser u : corpus.enronUsers()) {
                try (ImapTestClient c = dovecot.login(u.name() + DOMAIN)) {
                    AppendReport r = c.loadUser(u, m -> m.withFlags(EwsTestData.flagMix(++n[0]).flags()));
                    loaded += r.appended();
                    sources.put(u.name() + DOMAIN, c.snapshot());
                }
            }
            StringBuilder csv = new StringBuilder("EmailAddress,TargetDatabase\r\n");
            users.forEach(u -> csv.append(u).append(",DB01\r\n"));
            List<MigrationUserEntry> entries = MigrationCsvReader.of(CsvSchema.OFFBOARDING)
                    .read(new StringReader(csv.toString())).entries();
            MigrationEndpoint source = MigrationEndpoint.imap("dovecot").host(dovecot.host()).port(dovecot.port())
                    .security(Security.NONE).adminCredentials(new Credentials(ADMIN, ADMIN_PASSWORD)).build();
            MigrationBatch batch = service.newBatch("offboarding").sourceEndpoint(source)
                    .targetEndpoint(EwsMailboxFixture.endpoint(ews, "exchange-se")).users(entries).create();
            runToSettled(batch, batch::start);
            int compared = 0;
            // Dovecot's special-use folders go to Exchange's; mail of a folder named like one of
            // Exchange's calendar, contacts… folders goes to "<Name> (mail)" next to it
            UnaryOperator<String> toExchange = EwsTestData.toExchangeNames('/');
            for (Map.Entry<String, MailboxSnapshot> e : sources.entrySet()) {
                assertThat(batch.skippedItems(e.getKey())).isEmpty();
                MailboxSnapshot target = EwsTestData.snapshot(exchange.findMailbox(e.getKey()).orElseThrow());
                SnapshotComparison cmp = MailboxSnapshot.compare(e.getValue(), target, toExchange);
                assertThat(cmp.isIdentical()).as("%s:%n%s", e.getKey(), cmp).isTrue();
                compared += cmp.sourceMessages();
            }
            assertThat(compared).isEqualTo(loaded);
            System.out.printf("EwsCorpusMigrationIT: Dovecot -> Exchange: %,d messages identical%n", compared);

            long synced = batch.statistics().syncedItemCount();
            int items = exchange.findMailbox(users.get(0)).orElseThrow().itemCount();
            runToSettled(batch, batch::syncNow);
            assertThat(batch.statistics().syncedItemCount()).isEqualTo(synced);
            assertThat(exchange.findMailbox(users.get(0)).orElseThrow().itemCount()).isEqualTo(items);
        }
    }
}
