package io.mailferry.core.store.jdbc;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests: {@code initdb} into a temporary directory, {@code pg_ctl
 * start} on 127.0.0.1 and a free port (no other address, password authentication), databases
 * created on demand, {@code pg_ctl stop} and the directory deleted on {@link #close()}.
 *
 * <p>The binaries are looked up in system property {@value #BIN_PROPERTY} (a directory holding
 * {@code initdb}, {@code pg_ctl} and {@code postgres}), then in the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian's {@code postgresql-<version>} package), then
 * on the {@code PATH}. PostgreSQL refuses to run as root: when the tests run as root, the server
 * runs as the OS user {@code postgres} (created by Debian's package), or {@code nobody}, through
 * {@code runuser -u <user> --} (util-linux), falling back to {@code su}. The temporary directory is
 * made that user's.
 *
 * <p>With JUnit 5, {@link Extension} shares one server per test run, skips the test class when no
 * PostgreSQL is installed, and fails it instead when system property
 * {@value #REQUIRE_PROPERTY}{@code =true} (CI sets it):
 * <pre>{@code
 * @ExtendWith(PostgresTestServer.Extension.class)
 * class MyTest {
 *     @BeforeAll
 *     static void server(PostgresTestServer pg) { ... pg.dataSource(pg.createDatabase()) ... }
 * }
 * }</pre>
 */
public final class PostgresTestServer implements AutoCloseable {

    /** {@code true}: a missing PostgreSQL fails the tests instead of skipping them. */
    public static final String REQUIRE_PROPERTY = "mailferry.requirePostgres";
    /** A directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    public static final String BIN_PROPERTY = "mailferry.postgres.bin";
    /** The superuser the server is initialised with. */
    public static final String SUPERUSER = "mailferry";

    private static final long TIMEOUT_SECONDS = 60;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path base;
    private final Path data;
    private final String osUser;
    private final String password;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private PostgresTestServer(Path bin, Path base, String osUser, String password, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.osUser = osUser;
        this.password = password;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-test-server-stop");
    }

    /**
     * Finds the PostgreSQL server binaries.
     *
     * @return their directory, or empty if PostgreSQL is not installed
     */
    public static Optional<Path> findBinaries() {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return hasBinaries(p) ? Optional.of(p) : Optional.empty();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions
                        .filter(v -> v.getFileName().toString().matches("[0-9]+"))
                        .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
                        .map(v -> v.resolve("bin"))
                        .filter(PostgresTestServer::hasBinaries)
                        .findFirst();
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && hasBinaries(Path.of(dir))) {
                    return Optional.of(Path.of(dir));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                && Files.isExecutable(dir.resolve("postgres"));
    }

    /**
     * Initialises and starts a server.
     *
     * @return the running server
     * @throws IllegalStateException if PostgreSQL is not installed or does not start; the message
     *                               carries the server's log
     */
    public static PostgresTestServer start() {
        Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(missingMessage()));
        String osUser = isRoot() ? unprivilegedUser() : null;
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path base = null;
            try {
                base = Files.createTempDirectory("mailferry-pg-");
                byte[] secret = new byte[12];
                new SecureRandom().nextBytes(secret);
                String password = HexFormat.of().formatHex(secret);
                PostgresTestServer server = new PostgresTestServer(bin, base, osUser, password, freePort());
                server.initAndStart();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare a PostgreSQL test server", e);
            } catch (PortTakenException e) {
                failure = e;
                deleteTree(base);
            }
        }
        throw failure;
    }

    private static String missingMessage() {
        return "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in -D" + BIN_PROPERTY
                + ", /usr/lib/postgresql/<version>/bin or the PATH. On Debian: apt-get install postgresql-15"
                + " (or the postgresql package)";
    }

    private void initAndStart() throws IOException {
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (osUser != null) {
            giveTo(base, osUser);
            giveTo(pwfile, osUser);
        }
        run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                "--locale=C", "--no-sync"), base.resolve("initdb.log"));
        Files.deleteIfExists(pwfile);
        Path log = base.resolve("server.log");
        String options = "-h 127.0.0.1 -p " + port + " -k " + base
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        try {
            run("pg_ctl start", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w",
                    "-t", Long.toString(TIMEOUT_SECONDS), "-l", log.toString(), "-o", options, "start"), base.resolve("pg_ctl.log"));
        } catch (IllegalStateException e) {
            String serverLog = tail(log);
            stopQuietly();
            if (serverLog.contains("could not bind") || serverLog.contains("Address already in use")) {
                throw new PortTakenException(serverLog);
            }
            throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + serverLog, e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Returns the port the server listens on, on 127.0.0.1 only. */
    public int port() {
        return port;
    }

    /** Returns the superuser's password (random per server). */
    public String password() {
        return password;
    }

    /**
     * @param database a database name
     * @return its JDBC URL, without credentials
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Creates a new, empty database.
     *
     * @return its name
     */
    public String createDatabase() {
        String name = "mailferry_" + DATABASES.incrementAndGet();
        try (Connection c = dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /**
     * A pooling data source of a database, as the superuser: a new PostgreSQL connection costs
     * tens of milliseconds, a pooled one nothing. Close it at the end of the test.
     *
     * @param database the database
     * @return the pool
     */
    public SimpleConnectionPool pooledDataSource(String database) {
        return new SimpleConnectionPool(dataSource(database));
    }

    /**
     * A non-pooling data source of a database, as the superuser.
     *
     * @param database the database
     * @return the data source: a new connection per {@code getConnection()}
     */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(SUPERUSER);
        ds.setPassword(password);
        return ds;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook is running or will.
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run("pg_ctl stop", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                        "-w", "-t", Long.toString(TIMEOUT_SECONDS), "stop"), base.resolve("pg_ctl-stop.log"));
            }
        } catch (RuntimeException e) {
            System.err.println("Could not stop the PostgreSQL test server in " + base + ": " + e.getMessage());
        } finally {
            deleteTree(base);
        }
    }

    private void run(String what, List<String> command, Path output) {
        List<String> full = new ArrayList<>();
        if (osUser != null) {
            if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))) {
                full.addAll(List.of("runuser", "-u", osUser, "--"));
                full.addAll(command);
            } else {
                full.addAll(List.of("su", "-s", "/bin/sh", osUser, "-c", shellQuote(command)));
            }
        } else {
            full.addAll(command);
        }
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + TIMEOUT_SECONDS + " s: " + tail(output));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed (exit " + p.exitValue() + ")"
                        + (osUser != null ? " as OS user " + osUser : "") + ": " + tail(output));
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private static String shellQuote(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            sb.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        return sb.toString().trim();
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String unprivilegedUser() {
        UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                lookup.lookupPrincipalByName(candidate);
                return candidate;
            } catch (IOException e) {
                // Try the next one.
            }
        }
        throw new IllegalStateException("running as root, but there is neither an OS user 'postgres' nor 'nobody'"
                + " to run PostgreSQL as");
    }

    private static void giveTo(Path path, String user) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(owner);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            view.setGroup(group);
        } catch (IOException e) {
            // No group of that name: the owner is enough.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort.
                }
            });
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    @Override
    public String toString() {
        return "PostgresTestServer[127.0.0.1:" + port + ", " + base + "]";
    }

    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String log) {
            super("the chosen port was taken before PostgreSQL could bind it:\n" + log);
        }
    }

    /**
     * JUnit 5 extension: before a test class, checks that PostgreSQL is installed (skips the class
     * if not, fails it if {@value #REQUIRE_PROPERTY} is {@code true}) and resolves parameters of
     * type {@link PostgresTestServer} to one server shared by the whole test run, stopped when the
     * run ends.
     */
    public static final class Extension implements BeforeAllCallback, ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(PostgresTestServer.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            if (findBinaries().isEmpty()) {
                if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                    throw new IllegalStateException(missingMessage() + "; -D" + REQUIRE_PROPERTY
                            + "=true requires PostgreSQL tests to run");
                }
                throw new TestAbortedException(missingMessage() + "; skipping (set -D" + REQUIRE_PROPERTY
                        + "=true to fail instead)");
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PostgresTestServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared(context);
        }

        /**
         * @param context any extension context of the run
         * @return the run's server, started on first use
         */
        public static PostgresTestServer shared(ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(PostgresTestServer.class, k -> start(), PostgresTestServer.class);
        }
    }
}
