package io.mailferry.ews;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.SkippedItem;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;

/**
 * The JVM {@link EwsLargeItemIT} starts with a fixed heap: migrates one mailbox Exchange → Exchange
 * (fake EWS of the parent JVM) through {@link MigrationService} and prints what happened as
 * {@code RESULT key=value} lines.
 *
 * <p>Arguments: EWS URL, service account, its password, source mailbox, target mailbox, memory
 * budget in bytes.
 */
public final class LargeItemChild {

    private LargeItemChild() {
    }

    private static MigrationEndpoint endpoint(String name, String[] args) {
        java.net.URI u = java.net.URI.create(args[0]);
        return EwsEndpoints.exchange(name).host(u.getHost()).port(u.getPort())
                .security(io.mailferry.core.Security.NONE)
                .adminCredentials(new io.mailferry.core.Credentials(args[1], args[2]))
                .property(EwsProperties.URL, args[0])
                .property(EwsProperties.MAX_BYTES_IN_FLIGHT, args[5])
                .readTimeout(Duration.ofMinutes(5))
                .build();
    }

    /**
     * @param args see the class description
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        MigrationEndpoint source = endpoint("large-source", args);
        MigrationEndpoint target = endpoint("large-target", args);
        try (MigrationService service = MigrationService.builder().build()) {
            MigrationBatch batch = service.newBatch("large").sourceEndpoint(source).targetEndpoint(target)
                    .largeItemLimit(ItemLimit.of(1))
                    .user(new MigrationUserEntry(args[4], args[3], null, null, null, null))
                    .create();
            long t0 = System.nanoTime();
            batch.start();
            if (!batch.awaitStatus(Duration.ofMinutes(10), BatchStatus::isSettled)) {
                throw new IllegalStateException("not settled: " + batch.status());
            }
            MigrationUser user = batch.users().get(0);
            System.out.println("RESULT status=" + batch.status());
            System.out.println("RESULT userError=" + user.error());
            System.out.println("RESULT synced=" + user.statistics().syncedItemCount());
            System.out.println("RESULT bytes=" + user.statistics().bytesTransferred());
            for (SkippedItem s : batch.skippedItems(user.emailAddress())) {
                System.out.println("RESULT skipped=" + s.kind() + " " + s.size() + " " + s.reason());
            }
            System.out.println("RESULT seconds=" + (System.nanoTime() - t0) / 1_000_000_000.0);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("RESULT maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.println("RESULT peakHeap=" + peak);
    }
}
