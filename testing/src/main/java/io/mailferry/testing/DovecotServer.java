package io.mailferry.testing;

import io.mailferry.testing.internal.DovecotConfig;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Dovecot IMAP server for tests: its own configuration, mail, state, sockets and log in
 * a fresh temporary directory, listening on 127.0.0.1 on a free port, plain IMAP with plaintext
 * logins allowed (loopback only, {@code ssl = no}). It needs the {@code dovecot} binary (Debian:
 * {@code dovecot-imapd}), nothing else: no system configuration is read or changed.
 *
 * <pre>{@code
 * DovecotServer.assumeInstalled();
 * try (DovecotServer dovecot = DovecotServer.builder()
 *         .user("alice", "secret").user("bob", "secret")
 *         .masterUser("admin", "adminsecret")
 *         .separator('.')
 *         .build().start();
 *      ImapTestClient alice = dovecot.login("alice")) {
 *     alice.loadUser(Corpus.bundled().enronUser("badeer-r").orElseThrow());
 * }
 * }</pre>
 *
 * <h2>Root and non-root</h2>
 * As root (CI), Dovecot runs as usual: the master as root, logins as {@code dovenull}, internal
 * processes as {@code dovecot}, mail processes as the system user {@code mail} (Debian has all
 * three once Dovecot is installed). Every directory above the work directory must then be
 * traversable by others ({@code o+x}): {@code /tmp} is; a folder in root's home is not, which
 * {@link #start()} reports. As a normal user, every process runs as that user, without chroot;
 * the work directory stays private ({@code 0700}).
 *
 * <h2>Storage</h2>
 * By default mail is stored as {@link Storage#MDBOX mdbox} with Dovecot's index layout: fast
 * appends, every folder name allowed except one containing the separator, stable UIDVALIDITY. See
 * {@link Storage#MAILDIR} for a server that refuses some names.
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} waits until the port answers with this instance's greeting (bounded by
 * {@link Builder#startTimeout(Duration)}) and fails with the log's tail if it does not.
 * {@link #stop()} (also {@link #close()}) sends SIGTERM to this instance's master process only,
 * waits until it has exited and the port is closed, and deletes the work directory. A watchdog
 * shell stops the master if the JVM dies without calling {@code stop()} (even on SIGKILL), and a
 * shutdown hook stops it on a normal JVM exit.
 *
 * <p>Thread-safe. Passwords appear in the generated passwd-files (test passwords only: never use
 * real ones) but never in {@link #toString()}, logs or exceptions.
 */
public final class DovecotServer implements AutoCloseable {

    /** The separator between user and master user in a master login string: {@code alice*admin}. */
    public static final char MASTER_SEPARATOR = '*';

    /** System property: {@code true} turns {@link #assumeInstalled()}'s skip into a failure (CI). */
    public static final String REQUIRE_PROPERTY = "mailferry.requireDovecot";

    /** System property: path of the {@code dovecot} binary, if not in a usual place. */
    public static final String BINARY_PROPERTY = "mailferry.dovecot";

    /** Always 127.0.0.1. */
    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(DovecotServer.class);
    private static final List<String> CANDIDATES = List.of("/usr/sbin/dovecot", "/usr/local/sbin/dovecot",
            "/opt/homebrew/sbin/dovecot", "/opt/local/sbin/dovecot");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@+-]+");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._/+-]+");
    private static final int MAX_WORK_DIR_LENGTH = 70;
    private static final Set<String> SPECIAL_USE = Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged",
            "\\Junk", "\\Sent", "\\Trash");
    private static final int START_ATTEMPTS = 3;
    /**
     * The watchdog: a shell that waits for EOF on its stdin (a pipe from this JVM) and then sends
     * SIGTERM to Dovecot's master ({@code $1}). The pipe closes when the JVM dies, however it dies;
     * {@link #stop()} kills the watchdog first, so it never signals a PID that may have been reused.
     */
    private static final String WATCHDOG = "while read -r _; do :; done; kill -TERM \"$1\" 2>/dev/null";

    /** How Dovecot stores mail. */
    public enum Storage {
        /**
         * {@code mdbox} with {@code LAYOUT=index} (the default): many messages per file, so appends
         * are fast (measured: about 6,500 Enron messages per second, 12 times sdbox); any folder
         * name that does not contain the separator is allowed, including names with {@code .},
         * {@code ~} or a leading dot.
         */
        MDBOX,
        /**
         * {@code sdbox} with {@code LAYOUT=index}: one file per message; the same folder names as
         * {@link #MDBOX}.
         */
        SDBOX,
        /**
         * Maildir++ ({@code maildir:…}, Dovecot's classic default): one file per message; with
         * separator {@code /} a folder name containing {@code .} is refused (“Character not
         * allowed in mailbox name”) and one starting with {@code ~} is refused: a realistic server
         * with restrictions. (Not combined with {@code LAYOUT=index}: with maildir that layout
         * changes INBOX's UIDVALIDITY after the first append.)
         */
        MAILDIR
    }

    /** Dovecot's {@code mail_fsync} setting. */
    public enum MailFsync {
        /** fsync when necessary (Dovecot's default). */
        OPTIMIZED,
        /** fsync after every write. */
        ALWAYS,
        /** never fsync: fastest; a crash of the machine may lose mail (irrelevant for tests). */
        NEVER
    }

    private final Settings settings;
    private Process watchdog;
    private Process master;
    private Path workDir;
    private DovecotConfig config;
    private Thread shutdownHook;

    private record Settings(char separator, Map<String, String> users, String masterUser,
            String masterPassword, Map<String, String> specialUse, Map<String, String> declaredSpecialUse,
            Storage storage, MailFsync mailFsync,
            String imapCapability, Path parent, Duration startTimeout, boolean keepFiles) {
        @Override
        public String toString() {
            return "Settings[users " + users.keySet() + ", master " + masterUser + "]"; // no passwords
        }
    }

    private DovecotServer(Settings settings) {
        this.settings = settings;
    }

    /**
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds the {@code dovecot} binary: the system property {@value #BINARY_PROPERTY}, the usual
     * {@code sbin} directories, then {@code PATH}.
     *
     * @return its path, if found and executable
     */
    public static Optional<Path> binary() {
        String prop = System.getProperty(BINARY_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<String> places = new ArrayList<>(CANDIDATES);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    places.add(dir + "/dovecot");
                }
            }
        }
        return places.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * @return whether the {@code dovecot} binary is available
     */
    public static boolean isInstalled() {
        return binary().isPresent();
    }

    /**
     * For tests: skips the current test (a JUnit assumption) when Dovecot is not installed, or
     * fails it when the system property {@value #REQUIRE_PROPERTY} is {@code true} (as CI sets it:
     * there a missing Dovecot is a broken build, not a reason to skip).
     *
     * @throws org.opentest4j.TestAbortedException to skip
     * @throws org.opentest4j.AssertionFailedError to fail
     */
    public static void assumeInstalled() {
        if (isInstalled()) {
            return;
        }
        String prop = System.getProperty(BINARY_PROPERTY);
        String msg = prop != null && !prop.isBlank()
                ? "Dovecot is not installed: -D" + BINARY_PROPERTY + "=" + prop + " is not an executable file"
                : "Dovecot is not installed: no executable dovecot in " + CANDIDATES
                        + " or PATH (install dovecot-imapd and dovecot-core, or set -D" + BINARY_PROPERTY + "=/path)";
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            Assertions.fail(msg + "; -D" + REQUIRE_PROPERTY + "=true requires it");
        }
        Assumptions.abort(msg + "; skipping (set -D" + REQUIRE_PROPERTY + "=true to fail instead)");
    }

    /**
     * Starts the server: writes the configuration into a new work directory, starts Dovecot and
     * waits until it greets on its port.
     *
     * @return this server
     * @throws IllegalStateException if it is already running, Dovecot is not installed, the work
     *         directory is unusable, or Dovecot does not come up (the message holds the log's tail)
     * @throws UncheckedIOException if files cannot be written
     */
    public synchronized DovecotServer start() {
        if (isRunning()) {
            throw new IllegalStateException("already running: " + this);
        }
        if (master != null) {
            LOG.warn("Dovecot {} (pid {}) died on its own; last log lines:\n{}", config.instance(), master.pid(),
                    logTail(20));
            stop(); // clean up after it
        }
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "Dovecot is not installed (install dovecot-imapd, or set -D" + BINARY_PROPERTY + ")"));
        try {
            workDir = createWorkDir();
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                config = configure(freePort());
                try {
                    launch(binary);
                    return this;
                } catch (PortTakenException e) {
                    last = e;
                    LOG.info("port {} was taken before Dovecot could bind it; retrying", config.port());
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Dovecot in " + workDir, e);
        }
    }

    /**
     * Stops the server: SIGTERM to its master process (only that PID), waits until it has exited
     * and the port is closed, then deletes the work directory (unless
     * {@link Builder#keepFilesAfterStop(boolean)}). Does nothing if not running.
     *
     * @throws IllegalStateException if the port is still open 10 seconds after the master exited
     */
    public synchronized void stop() {
        if (master == null) {
            return;
        }
        Process m = master;
        int port = config.port();
        try {
            stopWatchdog();
            terminate(m, Duration.ofSeconds(20));
            awaitPortClosed(port, Duration.ofSeconds(10));
            LOG.info("Dovecot {} (pid {}) stopped", config.instance(), m.pid());
        } finally {
            master = null;
            watchdog = null;
            removeShutdownHook();
            if (!settings.keepFiles()) {
                deleteWorkDir();
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * @return whether the master process is alive
     */
    public synchronized boolean isRunning() {
        return master != null && master.isAlive();
    }

    /**
     * @return {@value #HOST}
     */
    public String host() {
        return HOST;
    }

    /**
     * @return the IMAP port
     * @throws IllegalStateException if not started
     */
    public synchronized int port() {
        return started().port();
    }

    /**
     * @return the master process's PID
     * @throws IllegalStateException if not running
     */
    public synchronized long pid() {
        if (master == null) {
            throw new IllegalStateException("not running");
        }
        return master.pid();
    }

    /**
     * @return the hierarchy separator of the personal namespace
     */
    public char separator() {
        return settings.separator();
    }

    /**
     * @return the user names, in the order they were added
     */
    public List<String> users() {
        return List.copyOf(settings.users().keySet());
    }

    /**
     * @return the master user's name, if configured
     */
    public Optional<String> masterUser() {
        return Optional.ofNullable(settings.masterUser());
    }

    /**
     * @param user a user name
     * @return the login string with which the master user logs in as {@code user}:
     *         {@code user*master}
     * @throws IllegalStateException if no master user is configured
     */
    public String masterLogin(String user) {
        return user + MASTER_SEPARATOR + masterUser().orElseThrow(
                () -> new IllegalStateException("no master user configured"));
    }

    /**
     * @return the special-use folders this server creates: attribute (e.g. {@code \Sent}) → name
     */
    public Map<String, String> specialUseFolders() {
        return settings.specialUse();
    }

    /**
     * @return the work directory (configuration, log, mail), which exists while running
     * @throws IllegalStateException if never started
     */
    public synchronized Path workDirectory() {
        if (workDir == null) {
            throw new IllegalStateException("not started");
        }
        return workDir;
    }

    /**
     * @return the log file (errors, warnings and info lines of every Dovecot process)
     * @throws IllegalStateException if never started
     */
    public synchronized Path logFile() {
        return started().logFile();
    }

    /**
     * @param lines how many lines
     * @return the last lines of the log (and of Dovecot's own output), for diagnostics; empty if
     *         there is none yet
     */
    public synchronized String logTail(int lines) {
        if (config == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(tail(config.logFile(), lines));
        String out = tail(workDir.resolve("dovecot.out"), lines);
        if (!out.isBlank()) {
            b.append(b.length() == 0 ? "" : "\n").append("-- dovecot output --\n").append(out);
        }
        return b.toString();
    }

    /**
     * Connects and logs in as a configured user with {@code LOGIN}.
     *
     * @param user a user added with {@link Builder#user(String, String)}
     * @return an authenticated client; the caller closes it
     * @throws IllegalArgumentException if the user is unknown
     * @throws ImapTestException if the login fails
     */
    public ImapTestClient login(String user) {
        String password = settings.users().get(user);
        if (password == null) {
            throw new IllegalArgumentException("unknown user " + user + "; users: " + users());
        }
        return ImapTestClient.connect(HOST, port()).login(user, password);
    }

    /**
     * Connects and logs in to {@code user}'s mailbox as the master user, with the login string
     * {@code user*master} and the master password.
     *
     * @param user any user (it must exist)
     * @return an authenticated client; the caller closes it
     * @throws IllegalStateException if no master user is configured
     * @throws ImapTestException if the login fails
     */
    public ImapTestClient loginAsMaster(String user) {
        return ImapTestClient.connect(HOST, port()).login(masterLogin(user), settings.masterPassword());
    }

    /**
     * Connects and authenticates to {@code user}'s mailbox as the master user with SASL PLAIN,
     * authorization identity {@code user}, authentication identity the master user.
     *
     * @param user any user (it must exist)
     * @return an authenticated client; the caller closes it
     * @throws IllegalStateException if no master user is configured
     * @throws ImapTestException if the authentication fails
     */
    public ImapTestClient authenticateAsMaster(String user) {
        String masterName = masterUser().orElseThrow(() -> new IllegalStateException("no master user configured"));
        return ImapTestClient.connect(HOST, port()).authenticatePlain(user, masterName, settings.masterPassword());
    }

    /** Returns instance, address, state and users; never a password. */
    @Override
    public synchronized String toString() {
        return "DovecotServer[" + (config == null ? "not started" : config.instance() + " " + HOST + ":" + config.port()
                + (isRunning() ? " running pid " + master.pid() : " stopped")) + ", separator '" + settings.separator()
                + "', " + settings.storage().name().toLowerCase(Locale.ROOT) + ", users " + users()
                + (settings.masterUser() == null ? "" : ", master user " + settings.masterUser()) + "]";
    }

    // ---------------------------------------------------------------- start

    private DovecotConfig started() {
        if (config == null) {
            throw new IllegalStateException("not started");
        }
        return config;
    }

    private Path createWorkDir() throws IOException {
        Path parent = settings.parent() != null ? settings.parent() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(parent.toAbsolutePath(), "mailferry-dovecot-").toRealPath();
        String s = dir.toString();
        if (!SAFE_PATH.matcher(s).matches() || s.length() > MAX_WORK_DIR_LENGTH) {
            Files.delete(dir);
            throw new IllegalStateException("work directory " + s + " is unusable for Dovecot: at most "
                    + MAX_WORK_DIR_LENGTH + " characters (socket paths), letters, digits and . _ / + - only;"
                    + " choose another parent with DovecotServer.Builder.workDirectoryParent");
        }
        return dir;
    }

    private DovecotConfig configure(int port) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(workDir, PosixFileAttributes.class);
        int uid = (Integer) Files.getAttribute(workDir, "unix:uid");
        int gid = (Integer) Files.getAttribute(workDir, "unix:gid");
        boolean root = uid == 0;
        String instance = "mferry-" + workDir.getFileName().toString().replace("mailferry-dovecot-", "");
        Path mail = workDir.resolve("mail");
        Files.createDirectories(mail);
        Files.createDirectories(workDir.resolve("run"));
        Files.createDirectories(workDir.resolve("state"));
        int mailUid = uid;
        int mailGid = gid;
        String ownUser = null;
        String ownGroup = null;
        UserPrincipalLookupService names = workDir.getFileSystem().getUserPrincipalLookupService();
        if (root) {
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            checkTraversable(workDir.getParent());
            UserPrincipal mailUser = lookupUser(names, "mail");
            lookupUser(names, "dovecot");
            lookupUser(names, "dovenull");
            PosixFileAttributeView view = Files.getFileAttributeView(mail, PosixFileAttributeView.class);
            view.setOwner(mailUser);
            view.setGroup(names.lookupPrincipalByGroupName("mail"));
            Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwx------"));
            mailUid = (Integer) Files.getAttribute(mail, "unix:uid");
            mailGid = (Integer) Files.getAttribute(mail, "unix:gid");
        } else {
            ownUser = attrs.owner().getName();
            ownGroup = attrs.group().getName();
        }
        DovecotConfig c = new DovecotConfig(workDir, instance, port, settings.separator(),
                settings.storage().name().toLowerCase(Locale.ROOT),
                settings.mailFsync().name().toLowerCase(Locale.ROOT), root, mailUid, mailGid, ownUser, ownGroup,
                settings.masterUser() != null, settings.specialUse(), settings.declaredSpecialUse(),
                settings.imapCapability());
        StringBuilder users = new StringBuilder();
        settings.users().forEach((u, p) -> users.append(DovecotConfig.passwdLine(u, p)));
        writeSecret(c.usersFile(), users.toString(), root, names);
        if (settings.masterUser() != null) {
            writeSecret(c.masterUsersFile(), DovecotConfig.passwdLine(settings.masterUser(), settings.masterPassword()),
                    root, names);
        }
        Files.writeString(c.configFile(), c.text(), StandardCharsets.UTF_8);
        return c;
    }

    /** passwd-files: readable by the auth process (user dovecot as root), by nobody else if possible. */
    private static void writeSecret(Path file, String text, boolean root, UserPrincipalLookupService names)
            throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        if (root) {
            try {
                GroupPrincipal dovecot = names.lookupPrincipalByGroupName("dovecot");
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(dovecot);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            } catch (UserPrincipalNotFoundException e) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    private static UserPrincipal lookupUser(UserPrincipalLookupService names, String name) throws IOException {
        try {
            return names.lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root, Dovecot needs the system user '" + name
                    + "' (created by the Debian dovecot-core and base packages)", e);
        }
    }

    /** As root, the mail and login processes (users mail, dovenull) must reach the work directory. */
    private static void checkTraversable(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("Dovecot's mail processes (user 'mail') cannot reach "
                        + dir + ": " + p + " is not traversable by others (chmod o+x), so choose another"
                        + " parent with DovecotServer.Builder.workDirectoryParent, e.g. /tmp");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private void launch(Path binary) throws IOException {
        Path out = workDir.resolve("dovecot.out");
        Files.deleteIfExists(out); // from an earlier attempt
        Files.deleteIfExists(config.logFile());
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-F", "-c", config.configFile().toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        master = pb.start();
        watchdog = new ProcessBuilder("/bin/sh", "-c", WATCHDOG, "mailferry-dovecot-watchdog",
                Long.toString(master.pid())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        String greeting = config.greeting();
        while (true) {
            if (!master.isAlive()) {
                abortStart();
                String log = logTail(40);
                if (log.contains("Address already in use")) {
                    throw new PortTakenException(log);
                }
                throw startFailure("Dovecot exited during start-up with status " + exitStatus());
            }
            String answer = greeting(config.port());
            if (answer != null) {
                if (answer.startsWith("* OK") && answer.contains(greeting)) {
                    break;
                }
                abortStart();
                throw startFailure("port " + config.port() + " answered with someone else's greeting: " + answer);
            }
            if (System.nanoTime() > deadline) {
                abortStart();
                throw startFailure("Dovecot did not greet on " + HOST + ":" + config.port() + " within "
                        + settings.startTimeout().toMillis() + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval
        }
        shutdownHook = new Thread(this::stopQuietly, "mailferry-dovecot-shutdown-" + config.port());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info("Dovecot {} started: pid {}, {}:{}, separator '{}', work directory {}", config.instance(),
                master.pid(), HOST, config.port(), settings.separator(), workDir);
    }

    private void abortStart() {
        stopWatchdog();
        terminate(master, Duration.ofSeconds(10));
    }

    private String exitStatus() {
        try {
            return String.valueOf(master.exitValue());
        } catch (IllegalThreadStateException e) {
            return "unknown";
        }
    }

    /** @return the greeting line, or null if nothing listens (yet) */
    private static String greeting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && b.length() < 1000) {
                b.append((char) c);
            }
            return b.toString().trim();
        } catch (IOException e) {
            return null;
        }
    }

    private IllegalStateException startFailure(String what) {
        String msg = what + " (work directory " + workDir + " kept for diagnosis; config " + config.configFile()
                + ")\n--- last lines of " + config.logFile() + " ---\n" + logTail(40);
        return new IllegalStateException(msg);
    }

    /** Dovecot could not bind the port chosen: someone took it in between. */
    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String log) {
            super("the chosen port was taken by another process before Dovecot bound it\n" + log);
        }
    }

    // ---------------------------------------------------------------- stop

    /** SIGTERM to this process only (Dovecot's master stops its own children), then wait. */
    private static void terminate(Process p, Duration timeout) {
        try {
            if (!p.isAlive()) {
                return;
            }
            p.destroy();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Dovecot master {} did not exit within {} ms of SIGTERM; sending SIGKILL", p.pid(),
                        timeout.toMillis());
                p.destroyForcibly();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Dovecot master " + p.pid() + " survived SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Dovecot " + p.pid(), e);
        }
    }

    /** Kills the watchdog shell (it has not signalled anything: its stdin is still open). */
    private void stopWatchdog() {
        Process w = watchdog;
        watchdog = null;
        if (w == null) {
            return;
        }
        w.destroy();
        try {
            if (!w.waitFor(10, TimeUnit.SECONDS)) {
                w.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.destroyForcibly();
        }
    }

    private static void awaitPortClosed(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 500);
            } catch (IOException e) {
                return; // refused: closed
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + " still open " + timeout.toMillis()
                        + " ms after Dovecot's master exited");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval
        }
    }

    private void stopQuietly() {
        try {
            shutdownHook = null; // running inside it: cannot be removed
            stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping Dovecot at JVM exit failed", e);
        }
    }

    private void removeShutdownHook() {
        Thread h = shutdownHook;
        shutdownHook = null;
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }

    private void deleteWorkDir() {
        Path dir = workDir;
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete Dovecot work directory {}: {}", dir, e.toString());
        }
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.isReadable(file)) {
                return "";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    // ---------------------------------------------------------------- builder

    /**
     * Configures a {@link DovecotServer}. Not thread-safe; {@link #build()} copies the settings.
     */
    public static final class Builder {
        private char separator = '/';
        private final Map<String, String> users = new LinkedHashMap<>();
        private String masterUser;
        private String masterPassword;
        private final Map<String, String> specialUse = new LinkedHashMap<>();
        private final Map<String, String> declaredSpecialUse = new LinkedHashMap<>();
        private Storage storage = Storage.MDBOX;
        private MailFsync mailFsync = MailFsync.NEVER;
        private String imapCapability;
        private Path parent;
        private Duration startTimeout = Duration.ofSeconds(30);
        private boolean keepFiles;

        private Builder() {
        }

        /**
         * Sets the personal namespace's hierarchy separator ({@code separator} of Dovecot's inbox
         * namespace). Default {@code /}.
         *
         * @param separator {@code /} or {@code .}
         * @return this builder
         * @throws IllegalArgumentException for any other character
         */
        public Builder separator(char separator) {
            if (separator != '/' && separator != '.') {
                throw new IllegalArgumentException("separator must be '/' or '.', not '" + separator + "'");
            }
            this.separator = separator;
            return this;
        }

        /**
         * Adds a user (passwd-file passdb and userdb). Its mailbox is created on first login.
         *
         * @param name letters, digits and {@code . _ @ + -}
         * @param password any password; stored base64-encoded in the work directory (test passwords only)
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid or already added
         */
        public Builder user(String name, String password) {
            checkName(name);
            Objects.requireNonNull(password, "password");
            if (users.containsKey(name) || name.equals(masterUser)) {
                throw new IllegalArgumentException("user " + name + " added twice");
            }
            users.put(name, password);
            return this;
        }

        /**
         * Adds a master user, who may log in to any user's mailbox: with the login string
         * {@code user*name} and its own password, or with SASL PLAIN, authorization identity
         * {@code user}, authentication identity {@code name}. (Dovecot master passdb with
         * {@code pass = yes}: the user must exist.)
         *
         * @param name letters, digits and {@code . _ @ + -}
         * @param password its password
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid or is also a user
         */
        public Builder masterUser(String name, String password) {
            checkName(name);
            if (users.containsKey(name)) {
                throw new IllegalArgumentException(name + " is already a normal user");
            }
            this.masterUser = name;
            this.masterPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Auto-creates the usual special-use folders (RFC 6154) for every user: {@code Drafts}
         * ({@code \Drafts}), {@code Sent} ({@code \Sent}), {@code Trash} ({@code \Trash}),
         * {@code Junk} ({@code \Junk}) and {@code Archive} ({@code \Archive}).
         *
         * @return this builder
         */
        public Builder specialUseFolders() {
            specialUseFolder("\\Drafts", "Drafts");
            specialUseFolder("\\Sent", "Sent");
            specialUseFolder("\\Trash", "Trash");
            specialUseFolder("\\Junk", "Junk");
            specialUseFolder("\\Archive", "Archive");
            return this;
        }

        /**
         * Auto-creates one special-use folder for every user, e.g. {@code ("\\Sent", "Gesendete
         * Elemente")}; replaces an earlier name for the same attribute.
         *
         * @param attribute one of {@code \All \Archive \Drafts \Flagged \Junk \Sent \Trash}
         * @param name the folder name (top level; any characters but {@code "}, {@code \},
         *        line breaks and the separator)
         * @return this builder
         * @throws IllegalArgumentException for another attribute or an unusable name
         */
        public Builder specialUseFolder(String attribute, String name) {
            checkSpecialUse(attribute, name);
            specialUse.put(attribute, name);
            return this;
        }

        /**
         * Gives a folder name a special-use attribute without creating the folder: a user's folder
         * of that name has the attribute once a client creates it (Dovecot {@code special_use} with
         * {@code auto = no}), so a fresh mailbox still holds only INBOX. Dovecot 2.3 has no
         * CREATE-SPECIAL-USE; this is how a test creates a special-use folder there (see
         * {@link ImapTestClient#createSpecialUseFolder(String, String)}).
         *
         * @param attribute one of {@code \All \Archive \Drafts \Flagged \Junk \Sent \Trash}
         * @param name the folder name (top level; as in {@link #specialUseFolder(String, String)})
         * @return this builder
         * @throws IllegalArgumentException for another attribute or an unusable name
         */
        public Builder declareSpecialUseFolder(String attribute, String name) {
            checkSpecialUse(attribute, name);
            declaredSpecialUse.put(name, attribute);
            return this;
        }

        /**
         * @param storage how mail is stored; default {@link Storage#MDBOX}
         * @return this builder
         */
        public Builder storage(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * @param mailFsync Dovecot's {@code mail_fsync}; default {@link MailFsync#NEVER} (test data
         *        is disposable, and appends are faster)
         * @return this builder
         */
        public Builder mailFsync(MailFsync mailFsync) {
            this.mailFsync = Objects.requireNonNull(mailFsync, "mailFsync");
            return this;
        }

        /**
         * Replaces the capabilities Dovecot announces after login ({@code imap_capability}), to
         * test a client against a poorer server, e.g. {@code "IMAP4rev1 UIDPLUS"} (no LITERAL+,
         * MULTIAPPEND, CONDSTORE…). A value starting with {@code +} adds to Dovecot's own list.
         * Only the announcement changes: Dovecot still accepts the extensions it has.
         *
         * @param capabilities space-separated capability names
         * @return this builder
         * @throws IllegalArgumentException if blank or not printable ASCII
         */
        public Builder imapCapability(String capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            if (capabilities.isBlank() || !capabilities.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("capabilities must be printable ASCII: '" + capabilities + "'");
            }
            this.imapCapability = capabilities;
            return this;
        }

        /**
         * @param parent where the work directory is created; default {@code java.io.tmpdir}. As
         *        root, every directory on the path must be traversable by others
         * @return this builder
         */
        public Builder workDirectoryParent(Path parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * @param timeout how long {@link DovecotServer#start()} waits for the greeting; default 30 s
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * @param keep keep the work directory after {@link DovecotServer#stop()} (for debugging);
         *        default {@code false}
         * @return this builder
         */
        public Builder keepFilesAfterStop(boolean keep) {
            this.keepFiles = keep;
            return this;
        }

        /**
         * @return a server with these settings, not started
         * @throws IllegalStateException if no user was added, or a special-use folder name contains
         *         the separator
         */
        public DovecotServer build() {
            if (users.isEmpty()) {
                throw new IllegalStateException("add at least one user");
            }
            List<String> names = new ArrayList<>(specialUse.values());
            names.addAll(declaredSpecialUse.keySet());
            for (String name : names) {
                if (name.indexOf(separator) >= 0) {
                    throw new IllegalStateException("special-use folder '" + name + "' contains the separator '"
                            + separator + "'");
                }
            }
            return new DovecotServer(new Settings(separator, Collections.unmodifiableMap(new LinkedHashMap<>(users)),
                    masterUser, masterPassword, Collections.unmodifiableMap(new LinkedHashMap<>(specialUse)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(declaredSpecialUse)),
                    storage, mailFsync, imapCapability, parent, startTimeout, keepFiles));
        }

        private static void checkSpecialUse(String attribute, String name) {
            if (!SPECIAL_USE.contains(attribute)) {
                throw new IllegalArgumentException("not a special-use attribute: " + attribute + "; one of "
                        + new TreeSet<>(SPECIAL_USE));
            }
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
                throw new IllegalArgumentException("unusable folder name for the configuration: '" + name + "'");
            }
        }

        private static void checkName(String name) {
            Objects.requireNonNull(name, "name");
            if (!USER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("user name must be letters, digits and . _ @ + -: '" + name + "'");
            }
        }
    }
}
