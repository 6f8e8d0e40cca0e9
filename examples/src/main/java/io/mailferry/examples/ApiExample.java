package io.mailferry.examples;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.Security;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The library API in one program: two endpoints, a batch from an IMAP migration CSV, start, wait,
 * statistics.
 *
 * <pre>
 * java -cp … io.mailferry.examples.ApiExample SOURCE_HOST SOURCE_PORT TARGET_HOST TARGET_PORT users.csv
 * </pre>
 * The servers are reached without TLS here to keep the example short: use {@link Security#SSL} (the
 * default) for real servers. The CSV must give each row's target credentials
 * ({@code EmailAddress,UserName,Password,TargetUserName,TargetPassword}).
 */
public final class ApiExample {

    private ApiExample() {
    }

    /**
     * Migrates every user of a CSV file and returns the batch's statistics.
     *
     * @param sourceHost source IMAP host
     * @param sourcePort source IMAP port
     * @param targetHost target IMAP host
     * @param targetPort target IMAP port
     * @param usersCsv   the users
     * @param timeout    how long to wait for the batch
     * @return the batch's statistics once it is settled
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the batch did not settle within the timeout
     */
    public static MigrationBatchStatistics migrate(String sourceHost, int sourcePort, String targetHost, int targetPort,
                                                   Path usersCsv, Duration timeout) throws InterruptedException {
        // tag::api[]
        MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).read(usersCsv);
        try (MigrationService service = MigrationService.builder().build()) {
            MigrationEndpoint source = MigrationEndpoint.imap("old-server")
                    .host(sourceHost).port(sourcePort).security(Security.NONE).build();
            MigrationEndpoint target = MigrationEndpoint.imap("new-server")
                    .host(targetHost).port(targetPort).security(Security.NONE).build();
            MigrationBatch batch = service.newBatch("example")
                    .sourceEndpoint(source)
                    .targetEndpoint(target)
                    .users(csv.entries())
                    .create();
            batch.start();
            if (!batch.awaitStatus(timeout, BatchStatus::isSettled)) {
                throw new IllegalStateException("batch not settled after " + timeout + ": " + batch.status());
            }
            for (MigrationUser user : batch.users()) {
                System.out.printf("%-30s %-12s %6d items %s%n", user.emailAddress(), user.status(),
                        user.statistics().syncedItemCount(), user.error() == null ? "" : user.error());
            }
            return batch.statistics();
        }
        // end::api[]
    }

    /**
     * Runs {@link #migrate} from the command line.
     *
     * @param args {@code SOURCE_HOST SOURCE_PORT TARGET_HOST TARGET_PORT USERS_CSV}
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: ApiExample SOURCE_HOST SOURCE_PORT TARGET_HOST TARGET_PORT USERS_CSV");
            System.exit(1);
        }
        MigrationBatchStatistics s = migrate(args[0], Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]),
                Path.of(args[4]), Duration.ofHours(24));
        System.out.printf("%d of %d users synced, %d items copied%n", s.syncedCount(), s.totalCount(), s.syncedItemCount());
        System.exit(s.failedCount() == 0 ? 0 : 2);
    }
}
