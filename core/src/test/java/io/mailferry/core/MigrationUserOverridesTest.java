package io.mailferry.core;

import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-user BadItemLimit and LargeItemLimit: a non-empty CSV cell overrides the batch; an empty one inherits. */
class MigrationUserOverridesTest {

    @TempDir
    Path spool;

    private MigrationWorld world;

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
        world.target.refuseAppends(raw -> new String(raw, StandardCharsets.ISO_8859_1).contains("Subject: Refused"),
                "NO [CANNOT] Message rejected");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    /** A user whose INBOX holds two good messages and {@code refused} messages the target refuses. */
    private MigrationUserEntry userWithRefused(String login, int refused) {
        MigrationUserEntry entry = world.user(login);
        world.seedInbox(login, 2);
        for (int i = 0; i < refused; i++) {
            world.source.append(login, "INBOX", TestMessages.plain("Refused " + i, "x"), MessageFlags.NONE, null);
        }
        return entry;
    }

    private MigrationBatchBuilder batch(MigrationService service, MigrationUserEntry... users) {
        return service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(users));
    }

    @Test
    void aUsersBadItemLimitOverridesTheBatchsAndTheOthersInheritIt() throws Exception {
        MigrationUserEntry alice = userWithRefused("alice", 2);
        MigrationUserEntry bob = userWithRefused("bob", 2);
        MigrationUserEntry carol = userWithRefused("carol", 1);
        MigrationBatch batch = batch(world.service(), alice, bob, carol)
                .badItemLimit(ItemLimit.of(1))
                .userOverrides(email("alice").toUpperCase(), new MigrationUserOverrides(ItemLimit.of(2), null))
                .userOverrides(email("carol"), new MigrationUserOverrides(ItemLimit.ZERO, ItemLimit.UNLIMITED))
                .create();

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "bob").error()).contains("2 item(s)").contains("batch's BadItemLimit of 1");
        assertThat(user(batch, "carol").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "carol").error()).contains("1 item(s)").contains("user's BadItemLimit of 0");
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
    }

    @Test
    void aUsersLargeItemLimitOverridesTheBatchs() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        MigrationUserEntry bob = world.user("bob");
        for (String login : List.of("alice", "bob")) {
            world.seedInbox(login, 1);
            world.source.append(login, "INBOX", TestMessages.ofSize("Too big", 8000), MessageFlags.NONE, null);
        }
        MigrationBatch batch = batch(world.service(), alice, bob)
                .maxMessageSize(5000)
                .userOverrides(Map.of(email("bob"), new MigrationUserOverrides(null, ItemLimit.UNLIMITED)))
                .create();

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
        assertThat(user(batch, "alice").error()).contains("batch's LargeItemLimit of 0");
        assertThat(user(batch, "bob").status()).isEqualTo(MigrationUserStatus.SYNCED);
    }

    @Test
    void addUsersCarriesOverridesForNewUsersAndReplacesThoseOfKnownUsers() throws Exception {
        MigrationUserEntry alice = userWithRefused("alice", 1);
        MigrationUserEntry bob = userWithRefused("bob", 0);
        MigrationBatch batch = batch(world.service(), alice, bob).create();
        batch.start();
        awaitSettled(batch);
        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED_WITH_ERRORS);
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);

        // alice is known: not added again, but her limit is replaced; start() retries the failed user.
        assertThat(batch.addUsers(List.of(alice), Map.of(email("alice"), new MigrationUserOverrides(ItemLimit.of(5), null))))
                .isEmpty();
        batch.start();
        assertThat(batch.awaitStatus(MigrationWorld.TIMEOUT, s -> s == BatchStatus.SYNCED)).isTrue();
        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);

        MigrationUserEntry dave = userWithRefused("dave", 3);
        assertThat(batch.addUsers(List.of(dave), Map.of(email("dave"), new MigrationUserOverrides(ItemLimit.UNLIMITED, null))))
                .extracting(MigrationUser::emailAddress).containsExactly(email("dave"));
        assertThat(batch.awaitStatus(MigrationWorld.TIMEOUT, s -> s == BatchStatus.SYNCED)).isTrue();
        assertThat(user(batch, "dave").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.skippedItems(email("dave"))).hasSize(3);
    }

    @Test
    void overridesMustNameUsersOfTheBatch() {
        MigrationUserEntry alice = world.user("alice");
        MigrationService service = world.service();
        MigrationUserOverrides unlimited = new MigrationUserOverrides(ItemLimit.UNLIMITED, null);

        assertThatThrownBy(() -> batch(service, alice).userOverrides("nobody@new.example", unlimited).create())
                .isInstanceOf(InvalidBatchDefinitionException.class).hasMessageContaining("nobody@new.example");
        MigrationBatch batch = batch(service, alice).create();
        assertThatThrownBy(() -> batch.addUsers(List.of(alice), Map.of("nobody@new.example", unlimited)))
                .isInstanceOf(InvalidBatchDefinitionException.class).hasMessageContaining("nobody@new.example");
    }

    @Test
    void aDefinitionDropsEmptyOverridesAndFindsThemIgnoringCase() {
        MigrationUserEntry alice = MigrationUserEntry.of("Alice@new.example", "alice", "pw");
        MigrationUserEntry bob = MigrationUserEntry.of("bob@new.example", "bob", "pw");
        MigrationUserOverrides five = new MigrationUserOverrides(ItemLimit.of(5), null);
        BatchDefinition def = new BatchDefinition("wave-1", world.sourceEndpoint(), world.targetEndpoint(),
                List.of(alice, bob), BatchOptions.DEFAULTS,
                Map.of("alice@NEW.example", five, "bob@new.example", MigrationUserOverrides.NONE));

        assertThat(def.userOverrides()).containsOnlyKeys("alice@NEW.example");
        assertThat(def.overridesFor("ALICE@new.example")).isEqualTo(five);
        assertThat(def.overridesFor("bob@new.example")).isEqualTo(MigrationUserOverrides.NONE);
        assertThat(new BatchDefinition("wave-1", world.sourceEndpoint(), world.targetEndpoint(), List.of(alice),
                BatchOptions.DEFAULTS).userOverrides()).isEmpty();
        assertThat(five.badItemLimit(BatchOptions.DEFAULTS)).isEqualTo(ItemLimit.of(5));
        assertThat(five.largeItemLimit(BatchOptions.DEFAULTS)).isEqualTo(ItemLimit.ZERO);
        assertThat(MigrationUserOverrides.NONE.isEmpty()).isTrue();
    }
}
