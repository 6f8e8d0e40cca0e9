package io.mailferry.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folders a source leaves out whole ({@code SourceMailbox.skippedFolders()}, e.g. an Exchange calendar
 * going to IMAP) are the user's skipped items: one per folder, recorded once, counting against no limit.
 */
class NonMailFolderSkipTest {

    @TempDir
    Path spool;

    private MigrationWorld world;

    @BeforeEach
    void setUp() {
        world = new MigrationWorld(spool);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private MigrationBatch batch(MigrationService service, UnaryOperator<MigrationBatchBuilder> options,
                                 MigrationUserEntry... users) {
        return options.apply(service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                .targetEndpoint(world.targetEndpoint()).users(List.of(users))).create();
    }

    @Test
    void aFolderTheSourceLeavesOutIsOneSkippedItemOnceThatCountsAgainstNoLimit() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 3);
        world.source.addNonMailFolder("alice", "Calendar", "calendar folder (FolderClass IPF.Appointment): not mail",
                12, 34_000);
        world.source.addNonMailFolder("alice", "Contacts", "contacts folder (FolderClass IPF.Contact): not mail",
                -1, -1);
        List<MigrationEvent.ItemSkipped> events = new CopyOnWriteArrayList<>();
        CountDownLatch twoEvents = new CountDownLatch(2);
        MigrationService service = world.service(new MigrationListener() {
            @Override
            public void onItemSkipped(MigrationEvent.ItemSkipped event) {
                events.add(event);
                twoEvents.countDown();
            }
        });
        MigrationBatch batch = batch(service,
                b -> b.badItemLimit(ItemLimit.ZERO).largeItemLimit(ItemLimit.ZERO), alice);

        batch.start();
        awaitSettled(batch);
        batch.syncNow();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).as("limits of 0 are not exceeded by folders left out")
                .isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(3);
        assertThat(batch.skippedItems(email("alice"))).as("recorded by the first pass only").hasSize(2);
        assertThat(batch.skippedItems(email("alice")).get(0)).satisfies(item -> {
            assertThat(item.kind()).isEqualTo(SkippedItemKind.NON_MAIL_FOLDER);
            assertThat(item.folder()).isEqualTo("Calendar");
            assertThat(item.reason()).isEqualTo("calendar folder (FolderClass IPF.Appointment): not mail; "
                    + "12 item(s) not migrated");
            assertThat(item.size()).isEqualTo(34_000);
            assertThat(item.sourceUid()).isZero();
            assertThat(item.emailAddress()).isEqualTo(email("alice"));
        });
        assertThat(batch.skippedItems(email("alice")).get(1)).satisfies(item -> {
            assertThat(item.folder()).isEqualTo("Contacts");
            assertThat(item.reason()).isEqualTo("contacts folder (FolderClass IPF.Contact): not mail");
            assertThat(item.size()).isEqualTo(-1);
        });
        assertThat(user(batch, "alice").statistics().skippedItemCount()).isEqualTo(2);
        assertThat(user(batch, "alice").statistics().syncedItemCount()).isEqualTo(3);
        assertThat(twoEvents.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(events).extracting(e -> e.item().folder()).containsExactly("Calendar", "Contacts");
    }

    @Test
    void aFolderTheBatchExcludesIsNotRecorded() throws Exception {
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 1);
        world.source.addNonMailFolder("alice", "Calendar", "calendar folder: not mail", 1, -1);
        world.source.addNonMailFolder("alice", "Tasks", "tasks folder: not mail", 1, -1);
        MigrationBatch batch = batch(world.service(), b -> b.excludeFolders(List.of("Tasks")), alice);

        batch.start();
        awaitSettled(batch);

        assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.SYNCED);
        assertThat(batch.skippedItems(email("alice"))).extracting(SkippedItem::folder).containsExactly("Calendar");
    }
}
