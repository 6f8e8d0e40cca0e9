package io.mailferry.benchmarks;

import io.mailferry.core.BatchCommand;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.Security;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark hook through the library API (no CLI): one JVM per harness phase copies mailbox
 * {@code SRC_LOGIN} to {@code DST_LOGIN} (or several pairs at once) through
 * {@link MigrationService} with the embedded H2 store in {@code STATE_DIR}, exactly as a host
 * application embedding MailFerry would, and records where the time went:
 * <ul>
 *   <li>{@code open_s}: opening the store and building the service (H2 start, schema check);</li>
 *   <li>{@code pass_s}: the pass itself, from {@code start()}/{@code syncNow()} until the batch
 *       settles (connect, list, copy, checkpoints);</li>
 *   <li>{@code close_s}: closing service and store;</li>
 *   <li>{@code warm_s}: with {@code --warm N}, N further passes in the same JVM (no-op passes of a
 *       long-running host, JVM and store already warm).</li>
 * </ul>
 * One JSON line per run is appended to {@code --timings} (default
 * {@code $BENCH_DIR/mailferry-timings.jsonl}); {@code benchmarks/report.py} puts them in the table.
 *
 * <pre>
 * java -Xmx128m -jar mailferry-benchmarks.jar [--pairs src1:dst1,src2:dst2] [--warm N] [--tag NAME]
 *      [--props imap.append.batchMessages=500,…]
 * </pre>
 */
public final class ApiCopy {

    private ApiCopy() {
    }

    /**
     * Runs one pass.
     *
     * @param args see the class description
     * @throws Exception if the pass cannot run; the exit code is 2 if a user is not synced
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        long t0 = System.nanoTime();
        Map<String, String> opt = options(args);
        String host = opt.getOrDefault("host", env("IMAP_HOST", "127.0.0.1"));
        int port = Integer.parseInt(opt.getOrDefault("port", env("IMAP_PORT", "143")));
        Path state = Path.of(opt.getOrDefault("state", env("STATE_DIR", null)));
        String tag = opt.getOrDefault("tag", "api");
        String phase = env("PHASE", "");
        // warm no-op passes only where the pass itself is a no-op (or outside the harness)
        int warm = phase.isEmpty() || phase.equals("noop") ? Integer.parseInt(opt.getOrDefault("warm", "0")) : 0;
        String benchDir = env("BENCH_DIR", state.toAbsolutePath().getParent().toString());
        Path timings = Path.of(opt.getOrDefault("timings", benchDir + "/mailferry-timings.jsonl"));

        List<MigrationUserEntry> users = new ArrayList<>();
        if (opt.containsKey("pairs")) {
            String srcPass = env("SRC_PASS", "secret");
            String dstPass = env("DST_PASS", "secret");
            for (String pair : opt.get("pairs").split(",")) {
                String[] sd = pair.split(":");
                users.add(new MigrationUserEntry(sd[1], sd[0], srcPass, sd[1], dstPass, null));
            }
        } else {
            String dst = env("DST_LOGIN", null);
            users.add(new MigrationUserEntry(env("DST_USER", dst), env("SRC_LOGIN", null), env("SRC_LOGIN_PASS", null),
                    dst, env("DST_LOGIN_PASS", null), null));
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : opt.getOrDefault("props", "").split(",")) {
            if (!kv.isBlank()) {
                props.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        MigrationEndpoint source = endpoint("bench-source", host, port, users.size(), props);
        MigrationEndpoint target = endpoint("bench-target", host, port, users.size(), props);

        Files.createDirectories(state);
        long tOpen;
        long tPass;
        long tClose;
        List<Double> warmPasses = new ArrayList<>();
        boolean allSynced;
        long copied;
        long bytes;
        try (MigrationStore store = JdbcMigrationStore.h2File(state);
             MigrationService service = MigrationService.builder().store(store).build()) {
            service.saveEndpoint(source);
            service.saveEndpoint(target);
            tOpen = System.nanoTime();
            MigrationBatch batch = service.batch("bench").orElse(null);
            if (batch == null) {
                batch = service.newBatch("bench").sourceEndpoint(source).targetEndpoint(target).users(users).create();
                batch.start();
            } else {
                if (batch.status().allows(BatchCommand.ADD_USERS)) {
                    batch.addUsers(users); // the store keeps no passwords: hand them back
                }
                if (batch.status().allows(BatchCommand.START) && batch.status() != BatchStatus.SYNCED) {
                    batch.start();
                } else {
                    batch.syncNow();
                }
            }
            settle(batch);
            tPass = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                long w0 = System.nanoTime();
                batch.syncNow();
                settle(batch);
                warmPasses.add((System.nanoTime() - w0) / 1e9);
            }
            List<MigrationUser> snapshot = batch.users();
            allSynced = snapshot.stream().allMatch(u -> u.status().summary() == MigrationUserStatus.Summary.SYNCED);
            copied = snapshot.stream().mapToLong(u -> u.statistics().syncedItemCount()).sum();
            bytes = snapshot.stream().mapToLong(u -> u.statistics().bytesTransferred()).sum();
            for (MigrationUser u : snapshot) {
                if (u.status().summary() != MigrationUserStatus.Summary.SYNCED) {
                    System.out.println("api-copy: " + u.emailAddress() + " " + u.status().displayName() + ": " + u.error());
                }
            }
            tClose = System.nanoTime();
        }
        long tEnd = System.nanoTime();
        String line = String.format(Locale.ROOT,
                "{\"tool\":\"%s\",\"phase\":\"%s\",\"users\":%d,\"open_s\":%.4f,\"pass_s\":%.4f,\"close_s\":%.4f,"
                        + "\"in_process_s\":%.4f,\"jvm_uptime_s\":%.4f,\"copied_total\":%d,\"bytes_total\":%d,"
                        + "\"ok\":%s,\"warm_s\":%s}",
                tag, phase, users.size(), (tOpen - t0) / 1e9, (tPass - tOpen) / 1e9,
                (tEnd - tClose) / 1e9, (tEnd - t0) / 1e9,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                copied, bytes, allSynced, warmPasses);
        System.out.println(line);
        try {
            Files.writeString(timings, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("api-copy: could not write " + timings + ": " + e.getMessage());
        }
        System.exit(allSynced ? 0 : 2);
    }

    private static void settle(MigrationBatch batch) throws InterruptedException {
        if (!batch.awaitStatus(Duration.ofHours(1), BatchStatus::isSettled)) {
            throw new IllegalStateException("the pass did not end within an hour");
        }
    }

    private static MigrationEndpoint endpoint(String name, String host, int port, int users, Map<String, String> props) {
        MigrationEndpoint.Builder b = MigrationEndpoint.imap(name).host(host).port(port).security(Security.NONE)
                .maxConcurrentMigrations(Math.max(users, 1)).maxConcurrentIncrementalSyncs(Math.max(users, 1));
        props.forEach(b::property);
        return b.build();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: ApiCopy [--pairs s:d,…] [--warm N] [--tag T] [--state DIR]"
                        + " [--timings FILE] [--host H] [--port P]");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            if (dflt == null) {
                throw new IllegalArgumentException("environment variable " + name + " is required");
            }
            return dflt;
        }
        return v;
    }
}
