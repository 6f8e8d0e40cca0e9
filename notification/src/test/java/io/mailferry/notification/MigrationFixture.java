package io.mailferry.notification;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchBuilder;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryConnectorProvider;
import io.mailferry.core.spi.memory.InMemoryMailServer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-memory source and target servers, a service on them, and a probe that tells when the
 * service's listeners (the reporter first) have seen an event.
 */
final class MigrationFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String TARGET_ADMIN_PASSWORD = "Target-Admin-Secret-55";

    final InMemoryMailServer source = new InMemoryMailServer("old.test");
    final InMemoryMailServer target = new InMemoryMailServer("new.test").admin("admin", TARGET_ADMIN_PASSWORD);
    final InMemoryConnectorProvider memory = new InMemoryConnectorProvider().register(source).register(target);
    final Probe probe = new Probe();
    /** One thread: the reporter's reports are written and sent here, in order. */
    final ExecutorService reportThread = Executors.newSingleThreadExecutor();
    private final List<MigrationService> services = new ArrayList<>();

    static String email(String login) {
        return login + "@new.example";
    }

    static String password(String login) {
        return "Src-Pw-" + login + "-9931";
    }

    /** A user with {@code messages} messages in the source INBOX. */
    MigrationUserEntry user(String login, int messages) {
        source.addUser(login, password(login));
        target.addUser(email(login), "unused");
        for (int i = 0; i < messages; i++) {
            source.append(login, "INBOX", TestMessages.plain(login + " " + i, "body " + i), MessageFlags.NONE,
                    Instant.parse("2023-01-01T00:00:00Z").plusSeconds(i));
        }
        return MigrationUserEntry.of(email(login), login, password(login));
    }

    MigrationService service(Clock clock, MigrationListener reporter) {
        MigrationService s = MigrationService.builder().connectors(Connectors.of(List.of(memory))).clock(clock)
                .listener(reporter).listener(probe).build();
        services.add(s);
        return s;
    }

    MigrationBatchBuilder batch(MigrationService service, String name, MigrationUserEntry... users) {
        return service.newBatch(name).sourceEndpoint(memory.endpoint("old", source).build())
                .targetEndpoint(memory.endpoint("new", target).adminCredentials(new Credentials("admin",
                        TARGET_ADMIN_PASSWORD)).build())
                .users(List.of(users));
    }

    /** Starts a batch and waits until every listener has seen it reach {@code status}. */
    void startAndAwait(MigrationBatch batch, BatchStatus status) throws Exception {
        batch.start();
        probe.await(batch.name(), status);
    }

    /** Waits until the reports submitted so far have been written and sent. */
    void flushReports() throws InterruptedException, ExecutionException, TimeoutException {
        reportThread.submit(() -> { }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        services.forEach(MigrationService::close);
        reportThread.shutdownNow();
    }

    /** Records batch status changes; registered after the reporter, so it sees them after it. */
    static final class Probe implements MigrationListener {
        private final LinkedBlockingQueue<MigrationEvent.BatchStatusChanged> events = new LinkedBlockingQueue<>();

        @Override
        public void onBatchStatusChanged(MigrationEvent.BatchStatusChanged event) {
            events.add(event);
        }

        /** Waits for the batch to reach a status, consuming the events up to it. */
        MigrationEvent.BatchStatusChanged await(String batch, BatchStatus status) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                MigrationEvent.BatchStatusChanged e = events.poll(Math.max(1, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                assertThat(e).as("batch %s reaches %s", batch, status).isNotNull();
                if (e.batchName().equals(batch) && e.current() == status) {
                    return e;
                }
            }
        }
    }
}
