package io.mailferry.cli.crash;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.cli.internal.MigrationRun;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.Credentials;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process the crash test kills: one {@code mailferry migrate} run, one user at a time, between
 * two IMAP servers reached through {@link KillingImapProxy proxies} that SIGKILL this process at
 * the given {@link KillPoint}. Arguments are {@code key=value}:
 * <ul>
 *   <li>{@code source=host:port}, {@code target=host:port};</li>
 *   <li>{@code admin=USER}, {@code adminPassword=PASS}: the target administrator;</li>
 *   <li>{@code users=CSV}, {@code reports=DIR}, {@code batch=NAME};</li>
 *   <li>{@code state=DIR} (the CLI's H2 state, through {@code mailferry migrate}) or
 *       {@code jdbc=URL}, {@code jdbcUser=…}, {@code jdbcPassword=…} (the same run on a JDBC
 *       store, e.g. PostgreSQL, through {@link MigrationRun});</li>
 *   <li>{@code kill=KIND:N:RESPONSES} or {@code kill=none}.</li>
 * </ul>
 * Exits with the CLI's exit code, or dies with SIGKILL (exit status 137).
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        KillPoint point = a.get("kill").equals("none") ? null : KillPoint.parse(a.get("kill"));
        Runnable kill = () -> {
            System.out.println("CrashChild: SIGKILL at " + point);
            System.out.flush();
            try {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            } catch (java.io.IOException e) {
                Runtime.getRuntime().halt(137);
            }
        };
        String[] source = a.get("source").split(":");
        String[] target = a.get("target").split(":");
        KillingImapProxy sourceProxy = new KillingImapProxy(source[0], Integer.parseInt(source[1]),
                point != null && point.kind().onSource() ? point : null, kill);
        KillingImapProxy targetProxy = new KillingImapProxy(target[0], Integer.parseInt(target[1]),
                point != null && !point.kind().onSource() ? point : null, kill);
        int code;
        if (a.containsKey("state")) {
            code = MailFerryCli.commandLine().execute("migrate",
                    "--source-host", "127.0.0.1", "--source-port", String.valueOf(sourceProxy.port()),
                    "--source-security", "none",
                    "--target-host", "127.0.0.1", "--target-port", String.valueOf(targetProxy.port()),
                    "--target-security", "none",
                    "--target-admin", a.get("admin"), "--target-admin-password", a.get("adminPassword"),
                    "--users", a.get("users"), "--state", a.get("state"), "--report-dir", a.get("reports"),
                    "--batch", a.get("batch"), "--bad-item-limit", "0", "--max-concurrent", "1", "--quiet");
        } else {
            // What MigrateCommand builds from the same options, on a JDBC store instead of the H2 directory.
            String batch = a.get("batch");
            MigrationEndpoint src = MigrationEndpoint.imap(batch + "-source").host("127.0.0.1")
                    .port(sourceProxy.port()).security(Security.NONE)
                    .maxConcurrentMigrations(1).maxConcurrentIncrementalSyncs(1).build();
            MigrationEndpoint dst = MigrationEndpoint.imap(batch + "-target").host("127.0.0.1")
                    .port(targetProxy.port()).security(Security.NONE)
                    .adminCredentials(new Credentials(a.get("admin"), a.get("adminPassword")))
                    .maxConcurrentMigrations(1).maxConcurrentIncrementalSyncs(1).build();
            MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).read(Path.of(a.get("users")));
            Path reports = Path.of(a.get("reports"));
            MigrationRun.Request req = new MigrationRun.Request(batch, src, dst, csv.entries(), csv.rejectedRows(),
                    new BatchOptions(ItemLimit.of(0), ItemLimit.of(0), false, 157_286_400L), reports, reports, false);
            try (JdbcMigrationStore store = JdbcMigrationStore.connect(a.get("jdbc"), a.get("jdbcUser"),
                    a.get("jdbcPassword"))) {
                code = new MigrationRun(new PrintWriter(System.out, true), Clock.systemUTC()).execute(req, store)
                        .exitCode();
            }
        }
        sourceProxy.close();
        targetProxy.close();
        System.out.println("CrashChild: finished with exit code " + code);
        System.out.flush();
        System.exit(code);
    }
}
