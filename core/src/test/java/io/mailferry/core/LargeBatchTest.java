package io.mailferry.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of 2,000 users with small mailboxes (3 messages each) on the in-memory connector and the
 * default endpoint limits (100 initial syncs at once): every user is synced, the threads the
 * service starts stay within the slots, and the heap the batch holds stays small. The figures are
 * printed for the record; the assertions are bounds, not timings.
 */
class LargeBatchTest {

    static final int USERS = 2_000;
    static final int MESSAGES_EACH = 3;

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

    @Test
    void twoThousandUsersSyncWithBoundedThreadsAndMemory() throws Exception {
        List<MigrationUserEntry> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String login = "u" + i;
            users.add(world.user(login));
            world.seedInbox(login, MESSAGES_EACH);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);
        MigrationService service = world.service();
        MigrationEndpoint source = world.sourceEndpoint();
        assertThat(source.maxConcurrentMigrations()).isEqualTo(MigrationEndpoint.DEFAULT_MAX_CONCURRENT_MIGRATIONS);
        MigrationBatch batch = service.newBatch("big").sourceEndpoint(source).targetEndpoint(world.targetEndpoint())
                .users(users).create();

        long start = System.nanoTime();
        batch.start();
        assertThat(batch.awaitStatus(Duration.ofMinutes(5), BatchStatus::isSettled))
                .as("settled; %s", batch.statistics()).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mailferry-user-")).count();
        long heapAfter = usedHeapAfterGc(memory);

        assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
        MigrationBatchStatistics stats = batch.statistics();
        assertThat(stats.totalCount()).isEqualTo(USERS);
        assertThat(stats.syncedCount()).isEqualTo(USERS);
        assertThat(stats.syncedItemCount()).isEqualTo((long) USERS * MESSAGES_EACH);
        assertThat(world.source.peakOpenSessions()).isLessThanOrEqualTo(source.maxConcurrentMigrations());
        assertThat(workers).as("worker threads the service started").isLessThanOrEqualTo(source.maxConcurrentMigrations());
        for (int i : new int[] {0, USERS / 2, USERS - 1}) {
            world.assertMirrored("u" + i, Map.of("INBOX", "INBOX"));
        }
        long heapDelta = heapAfter - heapBefore;
        assertThat(heapDelta).as("heap held by the service and its batch").isLessThan(256L << 20);
        System.out.printf("LargeBatchTest: %,d users x %d messages synced in %d ms (%.0f users/s); "
                        + "peak source sessions %d, worker threads %d, heap held %,d KB (%,d bytes per user)%n",
                USERS, MESSAGES_EACH, took.toMillis(), USERS / Math.max(0.001, took.toMillis() / 1000.0),
                world.source.peakOpenSessions(), workers, heapDelta / 1024, heapDelta / USERS);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
