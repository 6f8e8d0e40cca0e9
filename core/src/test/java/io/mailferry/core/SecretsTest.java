package io.mailferry.core;

import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.store.UserRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No value object shows a password in {@code toString()} (DESIGN "Security"). */
class SecretsTest {

    private static final String SOURCE_SECRET = "src-Pa55word!";
    private static final String TARGET_SECRET = "tgt-Pa55word!";
    private static final String ADMIN_SECRET = "adm-Pa55word!";

    @Test
    void credentialsShowTheUserButNotThePassword() {
        Credentials c = new Credentials("alice", SOURCE_SECRET);

        assertThat(c.toString()).contains("alice").doesNotContain(SOURCE_SECRET);
        assertThat(c.password()).isEqualTo(SOURCE_SECRET);
    }

    @Test
    void userEntriesMaskBothPasswords() {
        MigrationUserEntry entry = new MigrationUserEntry("alice@new.example", "alice", SOURCE_SECRET,
                "alice@new.example", TARGET_SECRET, "/users/alice");

        assertThat(entry.toString()).contains("alice@new.example").doesNotContain(SOURCE_SECRET, TARGET_SECRET);
        assertThat(MigrationUserEntry.of("bob@new.example", "bob", SOURCE_SECRET).toString()).doesNotContain(SOURCE_SECRET);
    }

    @Test
    void userEntryWithoutSecretsHoldsNoPassword() {
        MigrationUserEntry entry = new MigrationUserEntry("alice@new.example", "alice", SOURCE_SECRET,
                "alice@new.example", TARGET_SECRET, null).withoutSecrets();

        assertThat(entry.sourcePassword()).isNull();
        assertThat(entry.targetPassword()).isEmpty();
        assertThat(entry.targetUserName()).isEqualTo("alice@new.example");
    }

    @Test
    void endpointsShowAdminUserButNotItsPassword() {
        MigrationEndpoint ep = MigrationEndpoint.imap("old").host("imap.old.example")
                .adminCredentials(new Credentials("mailadmin", ADMIN_SECRET)).build();

        assertThat(ep.toString()).contains("mailadmin").doesNotContain(ADMIN_SECRET);
    }

    @Test
    void batchDefinitionsMailboxAccessAndRecordsShowNoPassword() {
        MigrationEndpoint source = MigrationEndpoint.imap("old").host("old").adminCredentials(new Credentials("a", ADMIN_SECRET)).build();
        MigrationEndpoint target = MigrationEndpoint.imap("new").host("new").adminCredentials(new Credentials("b", ADMIN_SECRET)).build();
        MigrationUserEntry entry = new MigrationUserEntry("alice@new.example", "alice", SOURCE_SECRET,
                "alice@new.example", TARGET_SECRET, null);
        BatchDefinition def = new BatchDefinition("wave-1", source, target, List.of(entry), BatchOptions.DEFAULTS);

        assertThat(def.toString()).doesNotContain(SOURCE_SECRET, TARGET_SECRET, ADMIN_SECRET);
        assertThat(MailboxAccess.own(new Credentials("alice", SOURCE_SECRET)).toString()).doesNotContain(SOURCE_SECRET);
        assertThat(MailboxAccess.impersonating("alice", new Credentials("admin", ADMIN_SECRET)).toString())
                .doesNotContain(ADMIN_SECRET);
        UserRecord record = new UserRecord("wave-1", entry.withoutSecrets(), MigrationUserStatus.QUEUED,
                MigrationUserStatistics.EMPTY, null, Instant.EPOCH);
        assertThat(record.toString()).doesNotContain(SOURCE_SECRET, TARGET_SECRET);
    }

    @Test
    void aUserRecordRefusesToHoldAPassword() {
        MigrationUserEntry entry = MigrationUserEntry.of("alice@new.example", "alice", SOURCE_SECRET);

        assertThatThrownBy(() -> new UserRecord("wave-1", entry, MigrationUserStatus.QUEUED, MigrationUserStatistics.EMPTY,
                null, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SOURCE_SECRET);
    }
}
