package io.mailferry.core.store;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.BatchPriority;
import io.mailferry.core.FolderPattern;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.notification.NotificationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link MigrationStore} does, stated as tests. A store implementation extends this
 * class with {@link #createStore()} (a new, empty store per test) and, for a durable store,
 * {@link #reopen(MigrationStore)} (close it and open it again on the same data), so that every
 * round trip below also proves the data survives a restart.
 *
 * <p>Shipped in mailferry-core's test-jar.
 */
public abstract class MigrationStoreContract {

    /** An instant with nanoseconds, as a clock with nanosecond resolution gives. */
    protected static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456789Z");

    /** The store under test; {@link #reopened()} replaces it. */
    protected MigrationStore store;

    /**
     * Creates a new, empty store.
     *
     * @return the store
     * @throws Exception if it cannot be created
     */
    protected abstract MigrationStore createStore() throws Exception;

    /**
     * Closes a store and opens it again on the same data. A store that keeps nothing beyond its
     * own life returns it unchanged (the default).
     *
     * @param current the open store
     * @return the store to continue with
     * @throws Exception if it cannot be reopened
     */
    protected MigrationStore reopen(MigrationStore current) throws Exception {
        return current;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Reopens {@link #store} (see {@link #reopen(MigrationStore)}) and returns it. */
    protected final MigrationStore reopened() throws Exception {
        store = reopen(store);
        return store;
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures

    /** An endpoint with every component set away from its default. */
    protected static MigrationEndpoint fullEndpoint(String name) {
        return MigrationEndpoint.imap(name)
                .host("imap.example.org")
                .port(1993)
                .security(Security.STARTTLS)
                .authentication(AuthenticationMethod.PLAIN)
                .adminCredentials(new Credentials("master*admin", ""))
                .impersonation(Impersonation.loginString("*"))
                .maxConcurrentMigrations(17)
                .maxConcurrentIncrementalSyncs(5)
                .acceptUntrustedCertificates(true)
                .connectTimeout(Duration.ofSeconds(3, 123_456_789))
                .readTimeout(Duration.ofNanos(987_654_321_123L))
                .property("imap.idle", "false")
                .property("x-ünïcode", "välue ✓")
                .build();
    }

    /** An endpoint with only what is required. */
    protected static MigrationEndpoint minimalEndpoint(String name) {
        return MigrationEndpoint.imap(name).host("mail." + name + ".example").build();
    }

    protected static BatchRecord batch(String name, Instant createdAt) {
        return new BatchRecord(name, "src", "dst", BatchOptions.DEFAULTS, BatchStatus.CREATED, createdAt,
                null, null, null, null);
    }

    /** Options with every component set away from its default. */
    protected static BatchOptions fullOptions() {
        return BatchOptions.builder()
                .badItemLimit(ItemLimit.of(42))
                .largeItemLimit(ItemLimit.UNLIMITED)
                .autoStart(true)
                .maxMessageSize(0)
                .autoComplete(true)
                .startAfter(T0.plusSeconds(86_400).plusNanos(3))
                .completeAfter(T0.plusSeconds(7 * 86_400).plusNanos(9))
                .allowIncrementalSyncs(false)
                .incrementalSyncInterval(Duration.ofHours(6).plusNanos(1))
                .includeFolders(List.of("#Inbox#/*", "Projects/2024", "\\#Hashed\\#", "Ünïcödé/*"))
                .excludeFolders(List.of("#JunkEmail#", "#DeletedItems#/*"))
                .receivedAfter(T0.minusSeconds(365L * 86_400).plusNanos(5))
                .receivedBefore(T0.plusNanos(7))
                .notificationEmails(List.of("admin@example.com", "ops@example.org"))
                .reportInterval(Duration.ZERO)
                .priority(BatchPriority.HIGHEST)
                .build();
    }

    protected static BatchRecord fullBatch(String name) {
        return new BatchRecord(name, "source-endpoint", "target-endpoint", fullOptions(),
                BatchStatus.SYNCED_WITH_ERRORS, T0, T0.plusNanos(1), T0.plusSeconds(3600).plusNanos(7),
                Duration.ofSeconds(3599, 999_999_006), T0.plusSeconds(7200).plusNanos(999_999_999),
                T0.plusSeconds(9000).plusNanos(11), "Terry Adams (admin) ✓",
                NotificationOutcome.failed(T0.plusSeconds(9001).plusNanos(13), "Migration batch " + name
                        + " has synced with errors", "Could not send the e-mail through smtp.example.org:587 (STARTTLS):"
                        + " connection refused ✓"));
    }

    protected static UserRecord user(String batch, String email) {
        return new UserRecord(batch, MigrationUserEntry.of(email, email, null), MigrationUserStatus.QUEUED,
                MigrationUserStatistics.EMPTY, null, T0);
    }

    protected static UserRecord fullUser(String batch, String email) {
        MigrationUserEntry entry = new MigrationUserEntry(email, "src-login", "source-secret", "target-login",
                "target-secret", "/users/" + email,
                new UserOverrides(T0.plusSeconds(60).plusNanos(1), T0.plusSeconds(120).plusNanos(2),
                        ItemLimit.UNLIMITED, ItemLimit.of(7))).withoutSecrets();
        MigrationUserStatistics stats = new MigrationUserStatistics(1000, 123_456_789_012L, 990, 3,
                120_000_000_000L, 12, 4, 77, T0.plusNanos(5), 6, 99, Duration.ofSeconds(11, 1),
                Duration.ofHours(2).plusNanos(2), Duration.ofDays(3).plusNanos(3), Duration.ofMinutes(4).plusNanos(4));
        return new UserRecord(batch, entry, MigrationUserStatus.INCREMENTAL_FAILED, stats,
                "Target refused: quota exceeded ✉", T0.plusNanos(11), "Stalled: server busy ✓");
    }

    protected static SkippedItem skipped(String email, String folder, long uid, Instant recordedAt) {
        return new SkippedItem(email, folder, uid, "Subject " + uid, T0.minusSeconds(uid), 1000 + uid,
                SkippedItemKind.REFUSED_BY_TARGET, "NO [LIMIT] message " + uid + " too big", recordedAt);
    }

    protected static FolderSyncState folderState(String mailboxKey, String folder, UidMap map) {
        return new FolderSyncState(mailboxKey, folder, 1_700_000_001L, map.highestSourceUid(), 0, "Target/" + folder,
                4_000_000_000L, map, null);
    }

    /** A map of {@code n} messages copied as one run. */
    protected static UidMap oneRun(long firstSource, long firstTarget, long n) {
        UidMap.Builder b = UidMap.builder();
        for (long i = 0; i < n; i++) {
            b.put(firstSource + i, firstTarget + i);
        }
        return b.build();
    }

    /**
     * A map where every message is its own run: target UIDs interleaved with other mail, gaps in
     * the source UIDs (expunged messages), stretches with unknown target UIDs.
     */
    protected static UidMap fragmented(int n) {
        UidMap.Builder b = UidMap.builder();
        long source = 1;
        long target = 5_000_000;
        for (int i = 0; i < n; i++) {
            source += 1 + (i % 7 == 0 ? 3 : 0);
            target += 2 + (i % 11 == 0 ? 100_000 : 0);
            b.put(source, i % 13 == 0 ? 0 : target);
        }
        return b.build();
    }

    // ---------------------------------------------------------------------------------------------
    // Endpoints

    @Test
    void endpointShouldRoundTripEveryComponent() throws Exception {
        MigrationEndpoint full = fullEndpoint("source");
        MigrationEndpoint minimal = minimalEndpoint("target");
        store.saveEndpoint(full);
        store.saveEndpoint(minimal);

        reopened();
        assertThat(store.findEndpoint("source")).contains(full);
        assertThat(store.findEndpoint("target")).contains(minimal);
        assertThat(store.findEndpoint("target").orElseThrow().adminCredentials()).isNull();
        assertThat(store.findEndpoint("target").orElseThrow().properties()).isEmpty();
        assertThat(store.findEndpoint("nope")).isEmpty();
    }

    @Test
    void endpointAdminCredentialsShouldComeBackWithAnEmptyPassword() throws Exception {
        store.saveEndpoint(fullEndpoint("dovecot"));

        reopened();
        Credentials admin = store.findEndpoint("dovecot").orElseThrow().adminCredentials();
        assertThat(admin.username()).isEqualTo("master*admin");
        assertThat(admin.password()).isEmpty();
    }

    @Test
    void endpointsShouldBeListedByNameAndReplacedAndDeleted() throws Exception {
        store.saveEndpoint(minimalEndpoint("zeta"));
        store.saveEndpoint(minimalEndpoint("Alpha"));
        store.saveEndpoint(minimalEndpoint("beta"));
        MigrationEndpoint changed = fullEndpoint("beta");
        store.saveEndpoint(changed);
        store.saveEndpoint(MigrationEndpoint.imap("gamma").host("h").property("a", "1").property("b", "2").build());
        store.saveEndpoint(MigrationEndpoint.imap("gamma").host("h").property("b", "3").build());

        reopened();
        assertThat(store.endpoints()).extracting(MigrationEndpoint::name)
                .containsExactly("Alpha", "beta", "gamma", "zeta");
        assertThat(store.findEndpoint("beta")).contains(changed);
        assertThat(store.findEndpoint("gamma").orElseThrow().properties()).containsOnly(java.util.Map.entry("b", "3"));

        store.deleteEndpoint("beta");
        store.deleteEndpoint("no-such-endpoint");
        reopened();
        assertThat(store.endpoints()).extracting(MigrationEndpoint::name).containsExactly("Alpha", "gamma", "zeta");
        assertThat(store.findEndpoint("beta")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Batches

    @Test
    void batchShouldRoundTripEveryComponentExactly() throws Exception {
        BatchRecord full = fullBatch("full");
        store.saveBatch(full);

        reopened();
        BatchRecord read = store.findBatch("full").orElseThrow();
        assertThat(read).isEqualTo(full);
        assertThat(read.startedAt().getNano()).isEqualTo(123_456_790);
        assertThat(read.initialSyncDuration()).isEqualTo(Duration.ofSeconds(3599, 999_999_006));
        assertThat(read.options().largeItemLimit().isUnlimited()).isTrue();
        assertThat(read.options()).isEqualTo(fullOptions());
        assertThat(read.options().includeFolders()).extracting(FolderPattern::text)
                .containsExactly("#Inbox#/*", "Projects/2024", "\\#Hashed\\#", "Ünïcödé/*");
        assertThat(read.options().notificationEmails()).containsExactly("admin@example.com", "ops@example.org");
        assertThat(read.completedAt()).isEqualTo(T0.plusSeconds(9000).plusNanos(11));
        assertThat(read.createdBy()).isEqualTo("Terry Adams (admin) ✓");
        assertThat(read.lastNotification().error()).endsWith("connection refused ✓");
    }

    @Test
    void aBatchsLastNotificationShouldBeReplacedAndSentOnesHaveNoError() throws Exception {
        BatchRecord full = fullBatch("b");
        store.saveBatch(full);
        BatchRecord sent = full.withLastNotification(NotificationOutcome.sent(T0.plusSeconds(99999), "Migration batch b"
                + " has completed successfully"));
        store.saveBatch(sent);

        reopened();
        assertThat(store.findBatch("b")).contains(sent);
        assertThat(store.findBatch("b").orElseThrow().lastNotification().isSent()).isTrue();
        store.saveBatch(sent.withLastNotification(null));
        assertThat(store.findBatch("b").orElseThrow().lastNotification()).isNull();
    }

    @Test
    void batchOptionsShouldBeReplacedBySavingAgain() throws Exception {
        BatchRecord full = fullBatch("b");
        store.saveBatch(full);
        BatchRecord plain = full.withOptions(BatchOptions.DEFAULTS);
        store.saveBatch(plain);

        reopened();
        assertThat(store.findBatch("b")).contains(plain);
        assertThat(store.findBatch("b").orElseThrow().options().includeFolders()).isEmpty();
        assertThat(store.findBatch("b").orElseThrow().options().notificationEmails()).isEmpty();
    }

    @Test
    void batchNullableComponentsShouldStayNull() throws Exception {
        store.saveBatch(batch("new", T0));

        reopened();
        BatchRecord read = store.findBatch("new").orElseThrow();
        assertThat(read).isEqualTo(batch("new", T0));
        assertThat(read.startedAt()).isNull();
        assertThat(read.initialSyncAt()).isNull();
        assertThat(read.initialSyncDuration()).isNull();
        assertThat(read.lastSyncedAt()).isNull();
        assertThat(read.lastNotification()).isNull();
        assertThat(read.completedAt()).isNull();
        assertThat(read.createdBy()).isNull();
        assertThat(read.options()).isEqualTo(BatchOptions.DEFAULTS);
        assertThat(store.findBatch("other")).isEmpty();
    }

    @Test
    void batchesShouldBeListedByCreationTimeThenFirstSave() throws Exception {
        store.saveBatch(batch("late", T0.plusSeconds(10)));
        store.saveBatch(batch("tie-first", T0.plusNanos(1)));
        store.saveBatch(batch("early", T0));
        store.saveBatch(batch("tie-second", T0.plusNanos(1)));
        store.saveBatch(batch("tie-first", T0.plusNanos(1)).withStatus(BatchStatus.SYNCING));

        reopened();
        assertThat(store.batches()).extracting(BatchRecord::name)
                .containsExactly("early", "tie-first", "tie-second", "late");
    }

    @Test
    void batchShouldBeReplacedBySavingAgain() throws Exception {
        BatchRecord b = batch("b", T0);
        store.saveBatch(b);
        BatchRecord started = b.withStatus(BatchStatus.SYNCING).withStartedAt(T0.plusSeconds(1));
        store.saveBatch(started);
        BatchRecord synced = started.withStatus(BatchStatus.SYNCED).withPassEnd(T0.plusSeconds(61));
        store.saveBatch(synced);

        reopened();
        assertThat(store.batches()).containsExactly(synced);
        assertThat(store.findBatch("b").orElseThrow().initialSyncDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void deleteBatchShouldRemoveItsUsersAndSkippedItemsButKeepFolderStates() throws Exception {
        store.saveBatch(batch("b", T0));
        store.saveBatch(batch("b2", T0));
        store.saveUser(user("b", "terry@example.com"));
        store.saveUser(user("b2", "terry@example.com"));
        FolderSyncState state = folderState("terry@example.com|terry", "INBOX", oneRun(1, 1, 10));
        store.saveFolderState("b", state, List.of(skipped("terry@example.com", "INBOX", 3, T0)));
        store.saveFolderState("b2", folderState("terry@example.com|terry", "Sent", oneRun(1, 1, 2)),
                List.of(skipped("terry@example.com", "Sent", 1, T0)));

        store.deleteBatch("b");
        store.deleteBatch("no-such-batch");

        reopened();
        assertThat(store.findBatch("b")).isEmpty();
        assertThat(store.users("b")).isEmpty();
        assertThat(store.skippedItems("b", "terry@example.com")).isEmpty();
        assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state);
        assertThat(store.findBatch("b2")).isPresent();
        assertThat(store.users("b2")).hasSize(1);
        assertThat(store.skippedItems("b2", "terry@example.com")).hasSize(1);
        assertThat(store.findUsersByEmail("terry@example.com")).extracting(UserRecord::batchName).containsExactly("b2");
    }

    // ---------------------------------------------------------------------------------------------
    // Users

    @Test
    void userShouldRoundTripEveryComponentExactly() throws Exception {
        UserRecord full = fullUser("b", "Terry.Adams@Example.com");
        store.saveUser(full);

        reopened();
        assertThat(store.users("b")).containsExactly(full);
        UserRecord read = store.users("b").get(0);
        assertThat(read.entry().sourcePassword()).isNull();
        assertThat(read.entry().targetPassword()).isEmpty();
        assertThat(read.statistics().lastSuccessfulSyncTime()).isEqualTo(T0.plusNanos(5));
        assertThat(read.statistics().totalStalledDuration()).isEqualTo(Duration.ofMinutes(4).plusNanos(4));
        assertThat(read.entry().overrides().largeItemLimit()).isEqualTo(ItemLimit.of(7));
        assertThat(read.mailboxKey()).isEqualTo(full.mailboxKey());
    }

    @Test
    void deleteUserShouldRemoveTheUserAndItsSkippedItemsButKeepFolderStatesAndOtherUsers() throws Exception {
        store.saveUser(user("b", "terry@example.com"));
        store.saveUser(user("b", "pat@example.com"));
        store.saveUser(user("b2", "terry@example.com"));
        FolderSyncState state = folderState("terry@example.com|terry", "INBOX", oneRun(1, 1, 10));
        store.saveFolderState("b", state, List.of(skipped("terry@example.com", "INBOX", 3, T0)));
        store.saveFolderState("b2", folderState("terry@example.com|terry", "Sent", oneRun(1, 1, 2)),
                List.of(skipped("terry@example.com", "Sent", 1, T0)));

        store.deleteUser("b", "TERRY@example.com");
        store.deleteUser("b", "nobody@example.com");

        reopened();
        assertThat(store.users("b")).extracting(UserRecord::emailAddress).containsExactly("pat@example.com");
        assertThat(store.skippedItems("b", "terry@example.com")).isEmpty();
        assertThat(store.folderState("terry@example.com|terry", "INBOX")).contains(state);
        assertThat(store.users("b2")).hasSize(1);
        assertThat(store.skippedItems("b2", "terry@example.com")).hasSize(1);
    }

    @Test
    void userNullableComponentsShouldStayNull() throws Exception {
        UserRecord plain = user("b", "pat@example.com");
        store.saveUser(plain);

        reopened();
        UserRecord read = store.users("b").get(0);
        assertThat(read).isEqualTo(plain);
        assertThat(read.error()).isNull();
        assertThat(read.entry().targetUserName()).isNull();
        assertThat(read.entry().targetPassword()).isNull();
        assertThat(read.entry().userRoot()).isNull();
        assertThat(read.entry().overrides()).isEqualTo(UserOverrides.NONE);
        assertThat(read.statistics().lastSuccessfulSyncTime()).isNull();
    }

    @Test
    void usersShouldKeepTheOrderOfTheirFirstSave() throws Exception {
        List<String> emails = List.of("zoe@example.com", "adam@example.com", "mia@example.com", "bob@example.com");
        for (String e : emails) {
            store.saveUser(user("b", e));
        }
        store.saveUser(user("other", "first-elsewhere@example.com"));
        store.saveUser(new UserRecord("b", MigrationUserEntry.of("adam@example.com", "adam", null),
                MigrationUserStatus.SYNCED, MigrationUserStatistics.EMPTY, null, T0.plusSeconds(1)));

        reopened();
        assertThat(store.users("b")).extracting(UserRecord::emailAddress).containsExactlyElementsOf(emails);
        assertThat(store.users("b").get(1).status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(store.users("nobody")).isEmpty();
    }

    @Test
    void userShouldBeKeyedByBatchAndEmailIgnoringCase() throws Exception {
        store.saveUser(user("b", "Terry@Example.COM"));
        store.saveUser(user("b", "pat@example.com"));
        UserRecord sameUser = new UserRecord("b", MigrationUserEntry.of("terry@example.com", "terry2", null),
                MigrationUserStatus.FAILED, MigrationUserStatistics.EMPTY, "wrong password", T0.plusSeconds(5));
        store.saveUser(sameUser);

        reopened();
        assertThat(store.users("b")).containsExactly(sameUser, user("b", "pat@example.com"));
    }

    @Test
    void findUsersByEmailShouldSearchEveryBatchIgnoringCase() throws Exception {
        store.saveUser(user("b1", "terry@example.com"));
        store.saveUser(user("b2", "TERRY@example.com"));
        store.saveUser(user("b2", "pat@example.com"));

        reopened();
        assertThat(store.findUsersByEmail("Terry@Example.com"))
                .extracting(UserRecord::batchName).containsExactlyInAnyOrder("b1", "b2");
        assertThat(store.findUsersByEmail("pat@EXAMPLE.com")).containsExactly(user("b2", "pat@example.com"));
        assertThat(store.findUsersByEmail("nobody@example.com")).isEmpty();
    }

    @Test
    void userRecordShouldRejectPasswordsSoNoneCanReachAStore() {
        assertThatThrownBy(() -> new UserRecord("b", MigrationUserEntry.of("a@example.com", "a", "secret"),
                MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new UserRecord("b", new MigrationUserEntry("a@example.com", "a", null, "t", "pw", null),
                MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY, null, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------
    // Skipped items

    @Test
    void skippedItemsShouldComeBackOldestFirstPerBatchAndUser() throws Exception {
        String key = "terry@example.com|terry";
        store.saveFolderState("b", folderState(key, "INBOX", oneRun(1, 1, 5)),
                List.of(skipped("terry@example.com", "INBOX", 7, T0), skipped("Terry@example.com", "INBOX", 3, T0)));
        store.saveFolderState("b", folderState(key, "Sent", oneRun(1, 1, 5)),
                List.of(skipped("terry@example.com", "Sent", 1, T0.minusSeconds(60))));
        store.saveFolderState("b", folderState("pat@example.com|pat", "INBOX", UidMap.EMPTY),
                List.of(skipped("pat@example.com", "INBOX", 9, T0)));
        store.saveFolderState("other", folderState(key, "Drafts", UidMap.EMPTY),
                List.of(skipped("terry@example.com", "Drafts", 2, T0)));

        reopened();
        assertThat(store.skippedItems("b", "TERRY@example.com")).containsExactly(
                skipped("terry@example.com", "INBOX", 7, T0), skipped("Terry@example.com", "INBOX", 3, T0),
                skipped("terry@example.com", "Sent", 1, T0.minusSeconds(60)));
        assertThat(store.skippedItems("b", "pat@example.com")).hasSize(1);
        assertThat(store.skippedItems("other", "terry@example.com")).hasSize(1);
        assertThat(store.skippedItems("b", "nobody@example.com")).isEmpty();
    }

    @Test
    void skippedItemsWithoutACheckpointShouldBeAppendedAndWriteNoFolderState() throws Exception {
        String key = "terry@example.com|terry";
        store.saveFolderState("b", folderState(key, "INBOX", oneRun(1, 1, 5)),
                List.of(skipped("terry@example.com", "INBOX", 7, T0)));
        SkippedItem calendar = new SkippedItem("terry@example.com", "Calendar", 0, null, null, -1,
                SkippedItemKind.NON_MAIL_FOLDER, "calendar folder (FolderClass IPF.Appointment): not mail; 3 item(s)",
                T0.plusSeconds(1));
        store.saveSkippedItems("b", List.of(calendar));
        store.saveSkippedItems("b", List.of());

        reopened();
        assertThat(store.skippedItems("b", "terry@example.com"))
                .containsExactly(skipped("terry@example.com", "INBOX", 7, T0), calendar);
        assertThat(store.folderState(key, "Calendar")).isEmpty();
        assertThat(store.folderStates(key)).hasSize(1);
    }

    @Test
    void skippedItemShouldKeepNullsAndAnyMessageDateExactly() throws Exception {
        SkippedItem bare = new SkippedItem("a@example.com", "Ünïcödé/Ordner ✓", 0, null, null, -1,
                SkippedItemKind.CORRUPT, "The source could not deliver the message", T0);
        SkippedItem ancient = new SkippedItem("a@example.com", "INBOX", 1, "", Instant.parse("0001-01-01T00:00:00.000000001Z"),
                0, SkippedItemKind.LARGE_ITEM, "big", T0.plusNanos(1));
        SkippedItem future = new SkippedItem("a@example.com", "INBOX", 4_294_967_295L, "Re: ☃",
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Long.MAX_VALUE, SkippedItemKind.LARGE_ITEM, "huge",
                T0.plusNanos(2));
        store.saveFolderState("b", folderState("a@example.com|a", "INBOX", UidMap.EMPTY), List.of(bare, ancient, future));

        reopened();
        assertThat(store.skippedItems("b", "a@example.com")).containsExactly(bare, ancient, future);
    }

    // ---------------------------------------------------------------------------------------------
    // Folder states

    @Test
    void folderStateShouldRoundTripAndBeReplaced() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState first = FolderSyncState.initial(key, "INBOX", 42, "INBOX");
        store.saveFolderState("b", first, List.of());
        reopened();
        assertThat(store.folderState(key, "INBOX")).contains(first);

        FolderSyncState second = first.withProgress(100, oneRun(1, 501, 100), 9_000_000_000L)
                .withPassEnd(Long.MAX_VALUE, T0.plusNanos(999));
        store.saveFolderState("b", second, List.of());
        reopened();
        assertThat(store.folderState(key, "INBOX")).contains(second);
        assertThat(store.folderStates(key)).containsExactly(second);
        assertThat(store.folderState(key, "Sent")).isEmpty();
        assertThat(store.folderState("other|other", "INBOX")).isEmpty();
    }

    @Test
    void folderStatesShouldBeListedAndDeletedPerMailbox() throws Exception {
        String terry = "terry@example.com|terry";
        String pat = "pat@example.com|pat";
        FolderSyncState inbox = folderState(terry, "INBOX", oneRun(1, 1, 3));
        FolderSyncState sent = folderState(terry, "Sent Items", oneRun(5, 10, 3));
        FolderSyncState nested = folderState(terry, "Archiv/2023/Rechnungen ä", UidMap.EMPTY);
        FolderSyncState patInbox = folderState(pat, "INBOX", oneRun(1, 1, 1));
        for (FolderSyncState s : List.of(inbox, sent, nested, patInbox)) {
            store.saveFolderState("b", s, List.of());
        }

        reopened();
        assertThat(store.folderStates(terry)).containsExactlyInAnyOrder(inbox, sent, nested);
        store.deleteFolderStates(terry);
        store.deleteFolderStates("no-such|mailbox");
        reopened();
        assertThat(store.folderStates(terry)).isEmpty();
        assertThat(store.folderStates(pat)).containsExactly(patInbox);
    }

    @Test
    void saveFolderStateShouldStoreStateAndSkippedItemsTogetherOrNeither() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState before = folderState(key, "INBOX", oneRun(1, 1, 10));
        SkippedItem first = skipped("terry@example.com", "INBOX", 4, T0);
        store.saveFolderState("b", before, List.of(first));

        FolderSyncState after = folderState(key, "INBOX", oneRun(1, 1, 20));
        List<SkippedItem> brokenList = Arrays.asList(skipped("terry@example.com", "INBOX", 15, T0), null);
        assertThatThrownBy(() -> store.saveFolderState("b", after, brokenList)).isInstanceOf(RuntimeException.class);

        reopened();
        assertThat(store.folderState(key, "INBOX")).contains(before);
        assertThat(store.skippedItems("b", "terry@example.com")).containsExactly(first);
    }

    // ---------------------------------------------------------------------------------------------
    // Checkpoints (what the engine writes after every chunk)

    /** A checkpoint of {@code base}'s folder with new values and added pairs. */
    protected static FolderCheckpoint checkpoint(FolderSyncState values, UidMap added) {
        return FolderCheckpoint.of(values, added);
    }

    @Test
    void checkpointShouldAddItsPairsAndReplaceTheValues() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState base = folderState(key, "INBOX", oneRun(1, 101, 10));
        store.saveFolderState("b", base, List.of());

        UidMap added = UidMap.builder().put(12, 500).put(13, 0).build();
        FolderSyncState values = new FolderSyncState(key, "INBOX", base.sourceUidValidity(), 13, 77, "Target/INBOX",
                4_000_000_001L, UidMap.EMPTY, T0);
        store.saveFolderCheckpoint("b", checkpoint(values, added),
                List.of(skipped("terry@example.com", "INBOX", 11, T0)));

        reopened();
        FolderSyncState read = store.folderState(key, "INBOX").orElseThrow();
        assertThat(read.highestUid()).isEqualTo(13);
        assertThat(read.highestModSeq()).isEqualTo(77);
        assertThat(read.targetUidValidity()).isEqualTo(4_000_000_001L);
        assertThat(read.lastSyncedAt()).isEqualTo(T0);
        assertThat(read.inFlight()).isNull();
        assertThat(read.uidMap()).isEqualTo(oneRun(1, 101, 10).toBuilder().putAll(added).build());
        assertThat(read.uidMap().targetUid(12)).isEqualTo(500);
        assertThat(read.uidMap().targetUid(13)).isZero();
        assertThat(read.uidMap().containsSource(11)).isFalse();
        assertThat(store.skippedItems("b", "terry@example.com")).extracting(SkippedItem::sourceUid).containsExactly(11L);
        assertThat(store.folderStates(key)).containsExactly(read);
    }

    @Test
    void checkpointWithIdentitiesShouldRecordThemForTheMailboxUntilItsStatesAreDeleted() throws Exception {
        String key = "gail@example.com|gail";
        FolderSyncState inbox = FolderSyncState.initial(key, "INBOX", 9, "INBOX").withProgress(2, UidMap.EMPTY, 4);
        store.saveFolderCheckpoint("b", checkpoint(inbox, oneRun(1, 1, 2)), List.of(),
                new long[] {Long.MAX_VALUE, 1_234_567_890_123_456_789L, 0});
        FolderSyncState work = FolderSyncState.initial(key, "Work", 9, "Work").withProgress(1, UidMap.EMPTY, 4);
        store.saveFolderCheckpoint("b", checkpoint(work, oneRun(1, 1, 1)), List.of(),
                new long[] {-5, 1_234_567_890_123_456_789L});
        store.saveFolderCheckpoint("b", checkpoint(work, UidMap.EMPTY), List.of(), new long[0]);
        store.saveFolderCheckpoint("b", checkpoint(FolderSyncState.initial("other|o", "INBOX", 1, "INBOX"),
                UidMap.EMPTY), List.of(), new long[] {42});

        reopened();
        assertThat(store.copiedIdentities(key)).containsExactlyInAnyOrder(Long.MAX_VALUE, 1_234_567_890_123_456_789L, -5L);
        assertThat(store.copiedIdentities("other|o")).containsExactly(42L);
        assertThat(store.copiedIdentities("nobody|n")).isEmpty();
        assertThat(store.folderState(key, "INBOX").orElseThrow().uidMap()).isEqualTo(oneRun(1, 1, 2));

        store.deleteFolderStates(key);
        reopened();
        assertThat(store.copiedIdentities(key)).isEmpty();
        assertThat(store.copiedIdentities("other|o")).containsExactly(42L);
    }

    @Test
    void checkpointWithIdentitiesAndTargetUidsShouldKeepWhereEachFirstCopyIs() throws Exception {
        String key = "gail@example.com|gail";
        FolderSyncState inbox = FolderSyncState.initial(key, "INBOX", 9, "INBOX").withProgress(3, UidMap.EMPTY, 4);
        store.saveFolderCheckpoint("b", checkpoint(inbox, oneRun(1, 1, 3)), List.of(),
                new long[] {30, Long.MIN_VALUE, 10, 0}, new long[] {3, 4_294_967_295L, 1, 7});
        // the same message found again from another folder keeps its first location
        FolderSyncState work = FolderSyncState.initial(key, "Work", 9, "Work Target").withProgress(2, UidMap.EMPTY, 5);
        store.saveFolderCheckpoint("b", checkpoint(work, oneRun(1, 1, 2)), List.of(),
                new long[] {10, 20}, new long[] {8, 0});
        // without locations (a five-argument-less caller, or a target without UIDPLUS)
        store.saveFolderCheckpoint("b", checkpoint(work, UidMap.EMPTY), List.of(), new long[] {40});

        reopened();
        FirstCopies copies = store.firstCopies(key);
        assertThat(copies.identities()).containsExactly(Long.MIN_VALUE, 10, 20, 30, 40);
        assertThat(store.copiedIdentities(key)).containsExactlyInAnyOrder(Long.MIN_VALUE, 10L, 20L, 30L, 40L);
        assertThat(where(copies, Long.MIN_VALUE)).isEqualTo("INBOX#4294967295");
        assertThat(where(copies, 10)).isEqualTo("INBOX#1");
        assertThat(where(copies, 20)).isEqualTo("null#0");
        assertThat(where(copies, 30)).isEqualTo("INBOX#3");
        assertThat(where(copies, 40)).isEqualTo("null#0");
        assertThat(copies.indexOf(50)).isNegative();
        assertThat(store.firstCopies("nobody|n").size()).isZero();
        assertThatThrownBy(() -> store.saveFolderCheckpoint("b", checkpoint(work, UidMap.EMPTY), List.of(),
                new long[] {1, 2}, new long[] {1})).isInstanceOf(IllegalArgumentException.class);

        store.deleteFolderStates(key);
        reopened();
        assertThat(store.firstCopies(key).size()).isZero();
    }

    private static String where(FirstCopies copies, long id) {
        int i = copies.indexOf(id);
        assertThat(i).as("identity %d", id).isNotNegative();
        return copies.targetFolder(i) + "#" + copies.targetUid(i);
    }

    @Test
    void firstCheckpointOfAFolderShouldBecomeItsState() throws Exception {
        String key = "pat@example.com|pat";
        FolderSyncState values = FolderSyncState.initial(key, "Sent", 9, "Sent").withProgress(3, UidMap.EMPTY, 4);
        store.saveFolderCheckpoint("b", checkpoint(values, oneRun(1, 1, 3)), List.of());

        reopened();
        assertThat(store.folderState(key, "Sent")).contains(values.withProgress(3, oneRun(1, 1, 3), 4));
    }

    @Test
    void addedPairShouldReplaceAStoredPairOfTheSameSourceUid() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState base = folderState(key, "INBOX", oneRun(1, 1, 5));
        store.saveFolderState("b", base, List.of());
        store.saveFolderCheckpoint("b", checkpoint(base, UidMap.builder().put(3, 0).build()), List.of());

        reopened();
        UidMap map = store.folderState(key, "INBOX").orElseThrow().uidMap();
        assertThat(map.size()).isEqualTo(5);
        assertThat(map.targetUid(2)).isEqualTo(2);
        assertThat(map.targetUid(3)).isZero();
        assertThat(map.targetUid(4)).isEqualTo(4);
    }

    /**
     * Many checkpoints of a fragmented folder, as a long copy makes them: a durable store that
     * appends segments must compact them (here more than once) without losing or reordering a pair.
     */
    @Test
    void manyCheckpointsShouldAddUpToTheWholeMap() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState values = FolderSyncState.initial(key, "INBOX", 5, "INBOX");
        UidMap.Builder expected = UidMap.builder();
        long source = 0;
        long target = 1000;
        for (int checkpoint = 0; checkpoint < 1500; checkpoint++) {
            UidMap.Builder added = UidMap.builder();
            for (int i = 0; i < 4; i++) {
                source += 1 + (checkpoint + i) % 3;  // gaps: expunged source messages
                target += 1 + (i == 2 ? 1 : 0);      // target UIDs taken by other mail
                long t = checkpoint % 50 == 7 ? 0 : target;
                added.put(source, t);
                expected.put(source, t);
            }
            values = values.withProgress(source, UidMap.EMPTY, 44);
            store.saveFolderCheckpoint("b", checkpoint(values, added.build()), List.of());
            if (checkpoint == 700) {
                reopened();
                assertThat(store.folderState(key, "INBOX").orElseThrow().uidMap()).isEqualTo(expected.build());
            }
        }

        reopened();
        FolderSyncState read = store.folderState(key, "INBOX").orElseThrow();
        assertThat(read.uidMap()).isEqualTo(expected.build());
        assertThat(read.uidMap().size()).isEqualTo(6000);
        assertThat(read.highestUid()).isEqualTo(source);
    }

    @Test
    void inFlightAppendShouldBeStoredUntilACheckpointClearsIt() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState base = folderState(key, "INBOX", oneRun(1, 1, 10));
        store.saveFolderState("b", base, List.of());
        InFlightAppend append = new InFlightAppend(List.of(11L, 12L, 15L, 4_294_967_295L), 4_000_000_000L, 11);
        store.saveFolderCheckpoint("b", checkpoint(base.withInFlight(append), UidMap.EMPTY), List.of());

        reopened();
        FolderSyncState read = store.folderState(key, "INBOX").orElseThrow();
        assertThat(read.inFlight()).isEqualTo(append);
        assertThat(read.uidMap()).isEqualTo(base.uidMap());
        assertThat(read).isEqualTo(base.withInFlight(append));

        store.saveFolderCheckpoint("b", checkpoint(base.withProgress(15, UidMap.EMPTY, 4_000_000_000L), oneRun(11, 11, 2)),
                List.of());
        reopened();
        read = store.folderState(key, "INBOX").orElseThrow();
        assertThat(read.inFlight()).isNull();
        assertThat(read.uidMap()).isEqualTo(oneRun(1, 1, 12));

        // A whole state replaces the in-flight append too, and the pairs added before.
        store.saveFolderCheckpoint("b", checkpoint(read.withInFlight(append), UidMap.EMPTY), List.of());
        store.saveFolderState("b", base, List.of());
        reopened();
        assertThat(store.folderState(key, "INBOX")).contains(base);
    }

    @Test
    void deletedFolderStatesShouldTakeTheirCheckpointsAlong() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState values = FolderSyncState.initial(key, "INBOX", 5, "INBOX");
        for (int i = 0; i < 10; i++) {
            store.saveFolderCheckpoint("b", checkpoint(values.withProgress(i + 1, UidMap.EMPTY, 1), oneRun(i + 1, i + 1, 1)),
                    List.of());
        }
        store.deleteFolderStates(key);
        store.saveFolderCheckpoint("b", checkpoint(values, oneRun(100, 100, 1)), List.of());

        reopened();
        assertThat(store.folderState(key, "INBOX").orElseThrow().uidMap()).isEqualTo(oneRun(100, 100, 1));
    }

    @Test
    void checkpointShouldStoreValuesPairsAndSkippedItemsTogetherOrNeither() throws Exception {
        String key = "terry@example.com|terry";
        FolderSyncState before = folderState(key, "INBOX", oneRun(1, 1, 10));
        store.saveFolderState("b", before, List.of());
        List<SkippedItem> brokenList = Arrays.asList(skipped("terry@example.com", "INBOX", 15, T0), null);
        assertThatThrownBy(() -> store.saveFolderCheckpoint("b",
                checkpoint(before.withProgress(20, UidMap.EMPTY, 1), oneRun(11, 11, 5)), brokenList))
                .isInstanceOf(RuntimeException.class);

        reopened();
        assertThat(store.folderState(key, "INBOX")).contains(before);
        assertThat(store.skippedItems("b", "terry@example.com")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Sealed secrets

    @Test
    void sealedSecretsShouldRoundTripAndBeReplacedAndDeleted() throws Exception {
        byte[] sealed = {1, 0, -1, 42, 7};
        store.saveSealedSecret("endpoint/source/admin", sealed);
        store.saveSealedSecret("user/b/terry%40example.com/source", new byte[] {9});
        store.saveSealedSecret("user/b/terry%40example.com/source", new byte[] {8, 8});
        sealed[0] = 99; // the store keeps its own copy

        reopened();
        assertThat(store.sealedSecret("endpoint/source/admin")).hasValueSatisfying(
                b -> assertThat(b).containsExactly(1, 0, -1, 42, 7));
        assertThat(store.sealedSecret("user/b/terry%40example.com/source")).hasValueSatisfying(
                b -> assertThat(b).containsExactly(8, 8));
        assertThat(store.sealedSecret("nothing")).isEmpty();
        store.deleteSealedSecret("endpoint/source/admin");
        store.deleteSealedSecret("nothing");
        reopened();
        assertThat(store.sealedSecret("endpoint/source/admin")).isEmpty();
    }

    @Test
    void encryptedSecretsShouldSurviveAReopenWithTheKeyAndOnlyWithIt() throws Exception {
        javax.crypto.SecretKey key = EncryptingSecretStore.newKey();
        EncryptingSecretStore secrets = EncryptingSecretStore.create(store, key);
        secrets.put("endpoint/target/admin", "Adm1n-päss ✓");

        reopened();
        assertThat(new String(store.sealedSecret("endpoint/target/admin").orElseThrow(),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Adm1n");
        assertThat(EncryptingSecretStore.create(store, key).get("endpoint/target/admin")).contains("Adm1n-päss ✓");
        assertThatThrownBy(() -> EncryptingSecretStore.create(store, EncryptingSecretStore.newKey())
                .get("endpoint/target/admin"))
                .isInstanceOf(io.mailferry.core.MigrationException.class)
                .hasMessageContaining("endpoint/target/admin")
                .hasMessageNotContaining("Adm1n");
    }

    @Test
    void uidMapShouldRoundTripLargeAndFragmented() throws Exception {
        UidMap large = oneRun(1, 1001, 500_000);
        UidMap frag = fragmented(400_000);
        assertThat(frag.runCount()).isGreaterThan(399_000);
        assertThat(frag.encode().length).as("larger than H2's VARBINARY limit").isGreaterThan(1_000_000);
        store.saveFolderState("b", folderState("k|k", "Large", large), List.of());
        store.saveFolderState("b", folderState("k|k", "Fragmented", frag), List.of());

        reopened();
        UidMap readLarge = store.folderState("k|k", "Large").orElseThrow().uidMap();
        UidMap readFrag = store.folderState("k|k", "Fragmented").orElseThrow().uidMap();
        assertThat(readLarge).isEqualTo(large);
        assertThat(readLarge.size()).isEqualTo(500_000);
        assertThat(readLarge.targetUid(500_000)).isEqualTo(501_000);
        assertThat(readFrag).isEqualTo(frag);
        assertThat(readFrag.size()).isEqualTo(400_000);
        assertThat(readFrag.encode()).isEqualTo(frag.encode());
    }

    @Test
    void instantsShouldRoundTripToTheNanosecond() throws Exception {
        List<Instant> instants = List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("1970-01-01T00:00:00.000000001Z"), T0, Instant.parse("2200-02-28T12:00:00.5Z"));
        for (int i = 0; i < instants.size(); i++) {
            Instant t = instants.get(i);
            store.saveBatch(new BatchRecord("b" + i, "s", "t", BatchOptions.DEFAULTS, BatchStatus.SYNCED, t, t, t,
                    Duration.ofNanos(i * 1_000_000_007L), t));
            store.saveUser(new UserRecord("b" + i, MigrationUserEntry.of("u@example.com", "u", null),
                    MigrationUserStatus.SYNCED, new MigrationUserStatistics(0, 0, 0, 0, 0, 0, 0, 0, t), null, t));
            store.saveFolderState("b" + i, new FolderSyncState("k|k", "F" + i, 1, 0, 0, "F", 0, UidMap.EMPTY, t),
                    List.of(new SkippedItem("u@example.com", "F", 1, null, t, 1, SkippedItemKind.CORRUPT, "r", t)));
        }

        reopened();
        for (int i = 0; i < instants.size(); i++) {
            Instant t = instants.get(i);
            BatchRecord b = store.findBatch("b" + i).orElseThrow();
            assertThat(List.of(b.createdAt(), b.startedAt(), b.initialSyncAt(), b.lastSyncedAt())).containsOnly(t);
            assertThat(b.initialSyncDuration()).isEqualTo(Duration.ofNanos(i * 1_000_000_007L));
            UserRecord u = store.users("b" + i).get(0);
            assertThat(u.lastStatusChange()).isEqualTo(t);
            assertThat(u.statistics().lastSuccessfulSyncTime()).isEqualTo(t);
            assertThat(store.folderState("k|k", "F" + i).orElseThrow().lastSyncedAt()).isEqualTo(t);
            SkippedItem s = store.skippedItems("b" + i, "u@example.com").get(0);
            assertThat(List.of(s.date(), s.recordedAt())).containsOnly(t);
        }
    }

    @Test
    void emptyStoreShouldListNothing() {
        assertThat(store.endpoints()).isEmpty();
        assertThat(store.batches()).isEmpty();
        assertThat(store.users("b")).isEmpty();
        assertThat(store.findUsersByEmail("a@example.com")).isEmpty();
        assertThat(store.skippedItems("b", "a@example.com")).isEmpty();
        assertThat(store.folderStates("a@example.com|a")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Threads

    @Test
    void storeShouldTakeCheckpointsFromManyThreadsAtOnce() throws Exception {
        int threads = 8;
        int foldersPerThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    String email = "user" + thread + "@example.com";
                    store.saveUser(user("b", email));
                    for (int f = 0; f < foldersPerThread; f++) {
                        UidMap map = oneRun(1, 1, f + 1L);
                        store.saveFolderState("b", folderState(email + "|" + thread, "Folder " + f, map),
                                List.of(skipped(email, "Folder " + f, f + 100L, T0.plusNanos(f))));
                        assertThat(store.folderState(email + "|" + thread, "Folder " + f).orElseThrow().uidMap())
                                .isEqualTo(map);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        reopened();
        assertThat(store.users("b")).hasSize(threads);
        for (int t = 0; t < threads; t++) {
            String email = "user" + t + "@example.com";
            assertThat(store.folderStates(email + "|" + t)).hasSize(foldersPerThread);
            assertThat(store.skippedItems("b", email)).extracting(SkippedItem::sourceUid)
                    .containsExactlyInAnyOrderElementsOf(
                            java.util.stream.LongStream.range(100, 100 + foldersPerThread).boxed().toList());
        }
    }
}
