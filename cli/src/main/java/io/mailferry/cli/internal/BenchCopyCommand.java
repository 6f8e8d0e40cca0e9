package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.BatchCommand;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mailferry bench-copy}: the hook of the IMAP benchmark ({@code shared/bench}, see its
 * README): copies one mailbox to another on one IMAP server, with the durable state in a
 * directory. Every option defaults to the environment variable the harness sets, so the hook is
 * just {@code java -jar mailferry.jar bench-copy}. The first run creates a one-user batch and runs
 * the initial sync; later runs with the same state run an incremental pass (only what is new).
 */
@Command(name = "bench-copy",
        hidden = true,
        sortOptions = false,
        description = {
                "Benchmark hook: copies mailbox SRC to mailbox DST on one IMAP server (plain IMAP), state in STATE_DIR.",
                "Options default to the harness's environment variables (IMAP_HOST, IMAP_PORT, SRC_LOGIN,"
                        + " SRC_LOGIN_PASS, DST_LOGIN, DST_LOGIN_PASS, DST_USER, STATE_DIR).",
                "Exit codes: 0 the mailbox is synced; 1 usage error; 2 the pass failed."})
public final class BenchCopyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "${env:IMAP_HOST:-127.0.0.1}", paramLabel = "HOST",
            description = "IMAP server (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "${env:IMAP_PORT:-143}", paramLabel = "PORT",
            description = "IMAP port (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--security", defaultValue = "none", paramLabel = "none|ssl|starttls",
            converter = MigrateCommand.SecurityConverter.class, description = "Transport security (default ${DEFAULT-VALUE}).")
    Security security;
    @Option(names = "--auth", defaultValue = "auto", paramLabel = "auto|login|plain",
            converter = MigrateCommand.AuthConverter.class, description = "Authentication (default ${DEFAULT-VALUE}).")
    AuthenticationMethod auth;
    @Option(names = "--source-user", defaultValue = "${env:SRC_LOGIN}", paramLabel = "LOGIN")
    String sourceUser;
    @Option(names = "--source-password", defaultValue = "${env:SRC_LOGIN_PASS}", paramLabel = "PASS")
    String sourcePassword;
    @Option(names = "--target-user", defaultValue = "${env:DST_LOGIN}", paramLabel = "LOGIN")
    String targetUser;
    @Option(names = "--target-password", defaultValue = "${env:DST_LOGIN_PASS}", paramLabel = "PASS")
    String targetPassword;
    @Option(names = "--mailbox", defaultValue = "${env:DST_USER}", paramLabel = "NAME",
            description = "Name of the target mailbox, the user's identity in the batch (default: the target login).")
    String mailbox;
    @Option(names = "--state", defaultValue = "${env:STATE_DIR}", paramLabel = "DIR",
            description = "Directory of the durable state.")
    Path stateDir;
    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "Connector property for both endpoints (repeatable), e.g. imap.append.batchMessages=100.")
    java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Longest wait for the pass, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        require(sourceUser, "--source-user / SRC_LOGIN");
        require(sourcePassword, "--source-password / SRC_LOGIN_PASS");
        require(targetUser, "--target-user / DST_LOGIN");
        require(targetPassword, "--target-password / DST_LOGIN_PASS");
        if (stateDir == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--state / STATE_DIR is required");
        }
        String name = mailbox != null && !mailbox.isBlank() ? mailbox : targetUser;
        long t0 = System.nanoTime();
        Files.createDirectories(stateDir);
        MigrationEndpoint source = endpoint("bench-source");
        MigrationEndpoint target = endpoint("bench-target");
        MigrationUserEntry entry = new MigrationUserEntry(name, sourceUser, sourcePassword, targetUser,
                targetPassword, null);
        try (MigrationStore store = JdbcMigrationStore.h2File(stateDir);
             MigrationService service = MigrationService.builder().store(store).build()) {
            trace("store+service", t0);
            service.saveEndpoint(source);
            service.saveEndpoint(target);
            MigrationBatch batch = service.batch("bench").orElse(null);
            if (batch == null) {
                batch = service.newBatch("bench").sourceEndpoint(source).targetEndpoint(target).user(entry)
                        .badItemLimit(ItemLimit.ZERO).largeItemLimit(ItemLimit.ZERO).create();
                batch.start();
            } else {
                if (batch.status().allows(BatchCommand.ADD_USERS)) {
                    batch.addUsers(List.of(entry)); // hands the passwords back: the store does not keep them
                }
                if (batch.status().allows(BatchCommand.START) && batch.status() != BatchStatus.SYNCED) {
                    batch.start();
                } else {
                    batch.syncNow();
                }
            }
            trace("batch started", t0);
            if (!batch.awaitStatus(timeout, BatchStatus::isSettled)) {
                out.printf("bench-copy: the pass did not end within %s%n", timeout);
                return MailFerryCli.EXIT_USERS_FAILED;
            }
            trace("settled", t0);
            MigrationUser user = batch.users().get(0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "bench-copy: %s %s, %d items copied in total, %d skipped, %.3f s in process%n",
                    name, user.status().displayName(), user.statistics().syncedItemCount(),
                    user.statistics().skippedItemCount(), seconds);
            if (user.status().summary() != MigrationUserStatus.Summary.SYNCED) {
                out.printf("bench-copy: %s%n", user.error());
                return MailFerryCli.EXIT_USERS_FAILED;
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    private static void trace(String what, long t0) {
        if (Boolean.getBoolean("mailferry.bench.trace")) {
            System.err.printf(Locale.ROOT, "[%.3f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
        }
    }

    private MigrationEndpoint endpoint(String name) {
        MigrationEndpoint.Builder b = MigrationEndpoint.imap(name).host(host).port(port).security(security)
                .authentication(auth).maxConcurrentMigrations(4).maxConcurrentIncrementalSyncs(4);
        properties.forEach(b::property);
        return b.build();
    }

    private void require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), what + " is required");
        }
    }
}
