package io.mailferry.core;

import io.mailferry.core.spi.Connectors;
import io.mailferry.core.store.EncryptingSecretStore;
import io.mailferry.core.store.SecretStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host restarting its service on the same JDBC store gets its batches back with their
 * passwords when it gives the service a secret store, and only then; the database never holds a
 * password in clear text.
 */
class SecretStoreRestartTest {

    @TempDir
    Path spool;

    private MigrationWorld world;
    private JdbcDataSource database;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
        users.add(world.user("alice"));
        users.add(world.user("bob"));
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:secrets-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        database.setUser("sa");
        database.setPassword("");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        world.close();
    }

    /** A service as a host builds it after each start: a new store on the same database. */
    private MigrationService start(SecretKey key) {
        JdbcMigrationStore store = JdbcMigrationStore.create(database);
        open.add(store);
        MigrationService.Builder b = MigrationService.builder()
                .store(store)
                .connectors(Connectors.of(List.of(world.memory)))
                .engineSetting("mailferry.spoolDir", spool.toString());
        if (key != null) {
            SecretStore secrets = EncryptingSecretStore.create(store, key);
            b.secretStore(secrets);
        }
        MigrationService service = b.build();
        open.add(service);
        return service;
    }

    private final List<MigrationUserEntry> users = new ArrayList<>();

    private MigrationBatch createBatch(MigrationService service) {
        return service.newBatch("wave").sourceEndpoint(world.sourceEndpoint()).targetEndpoint(world.targetEndpoint())
                .users(users).create();
    }

    /** Every value of every table, as H2 scripts the database. */
    private String databaseDump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SCRIPT")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void withASecretStoreARestartedServiceRunsItsBatchWithoutBeingGivenThePasswordsAgain() throws Exception {
        SecretKey key = EncryptingSecretStore.newKey();
        world.seedInbox("alice", 4);
        world.seedInbox("bob", 2);
        createBatch(start(key));
        open.get(open.size() - 1).close(); // the host stops

        MigrationService restarted = start(key);
        MigrationBatch batch = restarted.getBatch("wave");
        assertThat(restarted.endpoint("new").orElseThrow().adminCredentials().password())
                .isEqualTo(MigrationWorld.TARGET_ADMIN_PASSWORD);
        batch.start();
        awaitSettled(batch);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(4);
        assertThat(world.target.messages(email("bob"), "INBOX")).hasSize(2);
        String dump = databaseDump();
        assertThat(dump).contains("mailferry_secret".toUpperCase()).contains("alice@new.example")
                .doesNotContain(MigrationWorld.password("alice"), MigrationWorld.password("bob"),
                        MigrationWorld.TARGET_ADMIN_PASSWORD);
    }

    @Test
    void withoutASecretStoreTheRestartedServiceAsksForThePasswords() throws Exception {
        world.seedInbox("alice", 1);
        createBatch(start(null));
        open.get(open.size() - 1).close();

        MigrationService restarted = start(null);
        MigrationBatch batch = restarted.getBatch("wave");
        assertThat(restarted.endpoint("new").orElseThrow().adminCredentials().password()).isEmpty();
        batch.start();

        MigrationUser waiting = user(batch, "alice");
        assertThat(waiting.status()).isEqualTo(MigrationUserStatus.QUEUED);
        assertThat(waiting.statusDetail()).contains("Waiting for credentials")
                .contains("the source password of alice@new.example")
                .contains("the administrator password of target endpoint 'new'");
        assertThat(databaseDump()).doesNotContain(MigrationWorld.password("alice"), MigrationWorld.TARGET_ADMIN_PASSWORD);

        // Handing the passwords back lets the waiting users run.
        assertThat(batch.addUsers(users)).isEmpty();
        restarted.setEndpoint(world.targetEndpoint());
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(1);
        assertThat(databaseDump()).doesNotContain(MigrationWorld.password("alice"), MigrationWorld.TARGET_ADMIN_PASSWORD);
    }

    @Test
    void theWrongKeyIsLikeNoSecretStoreAndRevealsNothing() throws Exception {
        world.seedInbox("alice", 1);
        createBatch(start(EncryptingSecretStore.newKey()));
        open.get(open.size() - 1).close();

        MigrationService restarted = start(EncryptingSecretStore.newKey());
        MigrationBatch batch = restarted.getBatch("wave");
        assertThat(restarted.endpoint("new").orElseThrow().adminCredentials().password()).isEmpty();
        batch.start();

        MigrationUser waiting = user(batch, "alice");
        assertThat(waiting.status()).isEqualTo(MigrationUserStatus.QUEUED);
        assertThat(waiting.statusDetail()).contains("Waiting for credentials")
                .doesNotContain(MigrationWorld.password("alice"), MigrationWorld.TARGET_ADMIN_PASSWORD);
        assertThat(waiting.toString()).doesNotContain(MigrationWorld.password("alice"));
    }
}
