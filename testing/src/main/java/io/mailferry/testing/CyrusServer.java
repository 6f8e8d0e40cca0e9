package io.mailferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Cyrus IMAP server for tests: its own {@code imapd.conf}, {@code cyrus.conf}, mail
 * spool, databases and sockets in a fresh temporary directory, the {@code master} process
 * listening on 127.0.0.1 on a free port, plain IMAP with plaintext logins. Nothing of the system's
 * configuration is read or changed.
 *
 * <pre>{@code
 * CyrusServer.assumeInstalled();
 * try (CyrusServer cyrus = CyrusServer.builder().user("alice", "secret").build().start();
 *      ImapTestClient alice = cyrus.login("alice")) {
 *     alice.loadUser(Corpus.bundled().enronUser("badeer-r").orElseThrow());
 * }
 * }</pre>
 *
 * <p><b>Installation.</b> Debian's {@code cyrus-common} package (the {@code master} process and
 * tools in {@code /usr/lib/cyrus/bin}) and the {@code imapd} binary of {@code cyrus-imapd}. Debian's
 * {@code cyrus-imapd} package cannot be installed beside {@code dovecot-imapd} (both provide
 * {@code imap-server}), so CI unpacks it instead:
 * {@code apt-get download cyrus-imapd && dpkg-deb -x cyrus-imapd_*.deb /opt/mailferry/cyrus-imapd}.
 * The binaries are looked for in {@code /usr/lib/cyrus/bin} and under {@code /opt/mailferry/cyrus-imapd},
 * or where the system properties {@value #MASTER_PROPERTY} and {@value #IMAPD_PROPERTY} say.
 * Cyrus runs as the system user {@code cyrus} (created by {@code cyrus-common}): the fixture must
 * run as root, which starts the master and lets it drop to that user, or as {@code cyrus} itself.
 *
 * <p><b>Users.</b> Every login is accepted with any password ({@code sasl_pwcheck_method:
 * alwaystrue}, test servers only); the fixture creates each user's {@code INBOX} as the Cyrus
 * administrator {@value #ADMIN}. By default the server uses the alternative namespace (personal
 * folders at the top level, as Dovecot); {@link Builder#inboxPrefix(boolean)} switches to Cyrus'
 * traditional one, where personal folders live under {@code INBOX.} (RFC 2342 personal namespace
 * prefix {@code INBOX.}).
 */
public final class CyrusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CyrusServer.class);

    /** System property: {@code true} makes {@link #assumeInstalled()} fail instead of skip. */
    public static final String REQUIRE_PROPERTY = "mailferry.requireCyrus";
    /** System property: path of Cyrus' {@code master}. */
    public static final String MASTER_PROPERTY = "mailferry.cyrus.master";
    /** System property: path of Cyrus' {@code imapd}. */
    public static final String IMAPD_PROPERTY = "mailferry.cyrus.imapd";
    /** The Cyrus administrator the fixture creates mailboxes as. */
    public static final String ADMIN = "cyrus";
    /** Where the server listens. */
    public static final String HOST = "127.0.0.1";

    private static final List<String> MASTER_CANDIDATES = List.of("/usr/lib/cyrus/bin/master",
            "/opt/mailferry/cyrus-imapd/usr/lib/cyrus/bin/master", "/usr/libexec/cyrus-imapd/master");
    private static final List<String> IMAPD_CANDIDATES = List.of("/usr/lib/cyrus/bin/imapd",
            "/opt/mailferry/cyrus-imapd/usr/lib/cyrus/bin/imapd", "/usr/libexec/cyrus-imapd/imapd");
    private static final int START_ATTEMPTS = 3;

    private final Map<String, String> users;
    private final char separator;
    private final boolean inboxPrefix;
    private final Duration startTimeout;
    private final boolean keepFiles;
    private Path workDir;
    private Process master;
    private int port;
    private Thread shutdownHook;

    private CyrusServer(Builder b) {
        this.users = Map.copyOf(b.users);
        this.separator = b.separator;
        this.inboxPrefix = b.inboxPrefix;
        this.startTimeout = b.startTimeout;
        this.keepFiles = b.keepFiles;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the path of {@code master}, if found. */
    public static Optional<Path> masterBinary() {
        return find(MASTER_PROPERTY, MASTER_CANDIDATES);
    }

    /** Returns the path of {@code imapd}, if found. */
    public static Optional<Path> imapdBinary() {
        return find(IMAPD_PROPERTY, IMAPD_CANDIDATES);
    }

    private static Optional<Path> find(String property, List<String> candidates) {
        String prop = System.getProperty(property);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Returns {@code true} if both binaries are there and this process may start Cyrus. */
    public static boolean isInstalled() {
        return masterBinary().isPresent() && imapdBinary().isPresent() && whyNotRunnable() == null;
    }

    private static String whyNotRunnable() {
        String me = System.getProperty("user.name");
        if (!"root".equals(me) && !ADMIN.equals(me)) {
            return "Cyrus must be started as root or as the user 'cyrus', not '" + me + "'";
        }
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ADMIN);
        } catch (IOException e) {
            return "there is no system user 'cyrus' (Debian's cyrus-common creates it)";
        }
        return null;
    }

    /**
     * For tests: skips the current test when Cyrus is not installed, or fails it when
     * {@value #REQUIRE_PROPERTY} is {@code true} (CI).
     */
    public static void assumeInstalled() {
        if (isInstalled()) {
            return;
        }
        String msg = masterBinary().isEmpty() ? "Cyrus is not installed: no master in " + MASTER_CANDIDATES
                + " (install cyrus-common, or set -D" + MASTER_PROPERTY + ")"
                : imapdBinary().isEmpty() ? "Cyrus imapd is not installed: none in " + IMAPD_CANDIDATES
                + " (unpack cyrus-imapd's package there, see CyrusServer's javadoc, or set -D" + IMAPD_PROPERTY + ")"
                : whyNotRunnable();
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            Assertions.fail(msg + "; -D" + REQUIRE_PROPERTY + "=true requires it");
        }
        Assumptions.abort(msg + "; skipping (set -D" + REQUIRE_PROPERTY + "=true to fail instead)");
    }

    /**
     * Writes the configuration, starts the master, waits for the greeting and creates the users'
     * mailboxes.
     *
     * @return this server
     * @throws IllegalStateException if Cyrus is missing or does not come up (with its output)
     */
    public synchronized CyrusServer start() {
        if (master != null) {
            throw new IllegalStateException("already running: " + this);
        }
        Path masterBin = masterBinary().orElseThrow(() -> new IllegalStateException("Cyrus master not found"));
        Path imapd = imapdBinary().orElseThrow(() -> new IllegalStateException("Cyrus imapd not found"));
        try {
            workDir = Files.createTempDirectory("mailferry-cyrus-").toRealPath();
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                port = freePort();
                configure(masterBin, imapd);
                try {
                    launch(masterBin);
                    createMailboxes();
                    return this;
                } catch (IllegalStateException e) {
                    last = e;
                    stopProcess();
                    LOG.info("Cyrus did not come up on port {} (attempt {}): {}", port, attempt, e.getMessage());
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Cyrus in " + workDir, e);
        }
    }

    private void configure(Path masterBin, Path imapd) throws IOException {
        for (String d : List.of("conf", "spool", "sieve", "socket", "log")) {
            Files.createDirectories(workDir.resolve(d));
        }
        Path conf = workDir.resolve("imapd.conf");
        String imapdConf = String.join("\n",
                "configdirectory: " + workDir.resolve("conf"),
                "defaultpartition: default",
                "partition-default: " + workDir.resolve("spool"),
                "sievedir: " + workDir.resolve("sieve"),
                "admins: " + ADMIN,
                "sasl_pwcheck_method: alwaystrue",
                "allowplaintext: yes",
                "sasl_mech_list: PLAIN LOGIN",
                "altnamespace: " + (inboxPrefix ? "no" : "yes"),
                "unixhierarchysep: " + (separator == '/' ? "yes" : "no"),
                "servername: localhost",
                "lmtpsocket: " + workDir.resolve("socket/lmtp"),
                "idlesocket: " + workDir.resolve("socket/idle"),
                "notifysocket: " + workDir.resolve("socket/notify"),
                "syslog_prefix: mailferry-cyrus-" + port,
                "");
        Files.writeString(conf, imapdConf, StandardCharsets.UTF_8);
        Path ctl = masterBin.resolveSibling("ctl_cyrusdb");
        String cyrusConf = String.join("\n",
                "START {",
                "  recover cmd=\"" + ctl + " -C " + conf + " -r\"",
                "}",
                "SERVICES {",
                "  imap cmd=\"" + imapd + " -C " + conf + "\" listen=\"" + HOST + ":" + port + "\" prefork=0",
                "}",
                "EVENTS {",
                "}",
                "");
        Files.writeString(workDir.resolve("cyrus.conf"), cyrusConf, StandardCharsets.UTF_8);
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipalLookupService names = workDir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal cyrus = names.lookupPrincipalByName(ADMIN);
            GroupPrincipal mail = names.lookupPrincipalByGroupName("mail");
            try (Stream<Path> all = Files.walk(workDir)) {
                for (Path p : all.toList()) {
                    Files.setOwner(p, cyrus);
                    Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(mail);
                }
            }
        }
    }

    private void launch(Path masterBin) throws IOException {
        Path log = workDir.resolve("log/master.log");
        master = new ProcessBuilder(masterBin.toString(), "-C", workDir.resolve("imapd.conf").toString(),
                "-M", workDir.resolve("cyrus.conf").toString(), "-p", workDir.resolve("master.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::stopProcess, "cyrus-stop-" + port);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("Cyrus master exited with " + master.exitValue() + ": " + logTail());
            }
            if (greets()) {
                LOG.info("Cyrus on {}:{} (pid {}), work directory {}", HOST, port, master.pid(), workDir);
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50); // polling the port: the master gives no other sign
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Cyrus");
            }
        }
        throw new IllegalStateException("Cyrus did not greet on " + HOST + ":" + port + " within " + startTimeout
                + ": " + logTail());
    }

    private boolean greets() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n = in.read(buf);
            return n > 4 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("* OK");
        } catch (IOException e) {
            return false;
        }
    }

    private void createMailboxes() {
        try (ImapTestClient admin = ImapTestClient.connect(HOST, port).login(ADMIN, "admin")) {
            for (String u : users.keySet()) {
                if (!admin.createFolder("user" + separator + u)) {
                    throw new IllegalStateException("Cyrus refused to create the mailbox of " + u);
                }
            }
        }
    }

    /** Stops the master (SIGTERM, then SIGKILL) and deletes the work directory. */
    public synchronized void stop() {
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            shutdownHook = null;
        }
        if (workDir != null && !keepFiles) {
            try (Stream<Path> all = Files.walk(workDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.debug("could not delete {}", workDir, e);
            }
        }
    }

    private synchronized void stopProcess() {
        Process m = master;
        if (m == null) {
            return;
        }
        master = null;
        List<ProcessHandle> children = new ArrayList<>(m.descendants().toList());
        m.destroy();
        try {
            if (!m.waitFor(20, TimeUnit.SECONDS)) {
                m.destroyForcibly();
                m.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Returns {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** Returns the IMAP port. */
    public synchronized int port() {
        if (master == null) {
            throw new IllegalStateException("not running");
        }
        return port;
    }

    /** Returns the hierarchy separator. */
    public char separator() {
        return separator;
    }

    /** Returns {@code true} if personal folders live under {@code INBOX.} (traditional namespace). */
    public boolean inboxPrefix() {
        return inboxPrefix;
    }

    /** Returns the user names. */
    public List<String> users() {
        return List.copyOf(users.keySet());
    }

    /**
     * Logs in as a user.
     *
     * @param user a user of the builder
     * @return an authenticated client; the caller closes it
     */
    public ImapTestClient login(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("unknown user " + user + "; users: " + users());
        }
        return ImapTestClient.connect(HOST, port()).login(user, password);
    }

    /** Returns the last lines the master wrote (it logs to syslog; this holds start-up errors). */
    public synchronized String logTail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("log/master.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public synchronized String toString() {
        return "CyrusServer[" + HOST + ":" + port + (master != null ? " running pid " + master.pid() : " stopped")
                + ", separator '" + separator + "', " + (inboxPrefix ? "INBOX. prefix" : "alternative namespace")
                + ", users " + users() + "]";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** Builds a {@link CyrusServer}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private char separator = '.';
        private boolean inboxPrefix;
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean keepFiles;

        private Builder() {
        }

        /**
         * Adds a user (any password is accepted at login; this one is what {@link #login} sends).
         *
         * @param name     login name: letters, digits, {@code -} and {@code _}
         * @param password password
         * @return this builder
         */
        public Builder user(String name, String password) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("Cyrus user names here: letters, digits, - and _ only: " + name);
            }
            users.put(name, password);
            return this;
        }

        /**
         * @param separator {@code .} (Cyrus' default) or {@code /} ({@code unixhierarchysep})
         * @return this builder
         */
        public Builder separator(char separator) {
            if (separator != '.' && separator != '/') {
                throw new IllegalArgumentException("Cyrus separates levels with '.' or '/', not '" + separator + "'");
            }
            this.separator = separator;
            return this;
        }

        /**
         * @param inboxPrefix {@code true} for the traditional namespace (personal prefix
         *                    {@code INBOX.}); {@code false} (default) for the alternative one
         * @return this builder
         */
        public Builder inboxPrefix(boolean inboxPrefix) {
            this.inboxPrefix = inboxPrefix;
            return this;
        }

        /**
         * @param timeout how long to wait for the greeting
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * @param keep {@code true} to leave the work directory after {@link #stop()}
         * @return this builder
         */
        public Builder keepFilesAfterStop(boolean keep) {
            this.keepFiles = keep;
            return this;
        }

        /** Returns the server, not started. */
        public CyrusServer build() {
            return new CyrusServer(this);
        }
    }
}
