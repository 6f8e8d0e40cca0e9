package io.mailferry.core.spi.memory;

import io.mailferry.core.Credentials;
import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SkippedFolder;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.UnableToConnectException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A mail server in memory, the reference implementation of the connector SPI for tests: users with
 * passwords, an optional administrator who may open every mailbox, and per user a folder tree whose
 * folders hold messages with raw bytes, flags, INTERNALDATE and MODSEQ, UIDVALIDITY, UIDNEXT and
 * HIGHESTMODSEQ, as an IMAP server (RFC 3501, RFC 7162) keeps them.
 *
 * <p>Sessions are opened through an {@link InMemoryConnectorProvider} (or {@link #openSource} /
 * {@link #openTarget} directly). Test helpers change the mailboxes behind the sessions' backs:
 * {@link #append seed} and {@link #deliver deliver} mail, {@link #setFlags change flags},
 * {@link #expunge expunge}, {@link #rebuildFolder rebuild a folder with a new UIDVALIDITY}, and
 * read back what a session did ({@link #messages}, {@link #folderNames}).
 *
 * <p>Faults on demand: wrong passwords fail with {@link AuthenticationFailedException}; appends the
 * {@linkplain #refuseAppends(Predicate, String) refusal predicate} matches, or over the
 * {@linkplain #maxMessageSize(long) size limit}, are refused; a message can be made
 * {@linkplain #makeUnfetchable unfetchable}; a connection can
 * {@linkplain #dropConnectionAfter(String, int) drop} after a number of operations; the server can
 * be {@linkplain #reachable(boolean) unreachable}; every operation can be slowed by a
 * {@linkplain #latency(Duration) latency} or held at an {@linkplain #gate(OperationGate) gate}.
 *
 * <p>Labels: with {@link ConnectorCapability#FOLDER_LABELS} among its capabilities the server keeps
 * one message shown in several folders, as Gmail does: every appended message gets a cross-folder
 * identity, and {@link TargetMailbox#addLabels} shows it in one more folder (a message with a new
 * UID there and the same identity, once per folder; nothing for a folder with role
 * {@link FolderRole#ALL}). {@link #crossFolderId} and {@link #folderNamesShowing} read it back;
 * {@link #refuseLabels} makes label adds fail with {@code NO}.
 *
 * <p>Instrumentation: sessions open at once (now and at the peak) per server and per mailbox,
 * sessions opened per mailbox, operations done by kind.
 *
 * <p>Thread-safe: one lock guards the state; latency and gates are applied outside it.
 */
public final class InMemoryMailServer {

    /** The operations sessions perform, as counted by {@link #operations(Operation)}. */
    public enum Operation {
        /** {@code listFolders}. */
        LIST_FOLDERS,
        /** {@code selectFolder}. */
        SELECT,
        /** {@code listMessages}. */
        LIST_MESSAGES,
        /** {@code fetchFlags}, source or target. */
        FETCH_FLAGS,
        /** One message delivered by {@code fetchMessages}. */
        FETCH_MESSAGE,
        /** {@code createFolder}. */
        CREATE_FOLDER,
        /** {@code append}, one per call whatever the number of messages. */
        APPEND,
        /** {@code updateFlags}. */
        STORE_FLAGS,
        /** {@code fetchHeaders}, source or target, one per call. */
        FETCH_HEADERS,
        /** {@code addLabels}, one per call whatever the number of messages. */
        ADD_LABELS
    }

    /**
     * A stored message as the server holds it.
     *
     * @param uid          its UID
     * @param raw          its bytes (a copy)
     * @param flags        its flags
     * @param internalDate its INTERNALDATE, second precision
     * @param modSeq       its MODSEQ
     */
    public record Message(long uid, byte[] raw, MessageFlags flags, Instant internalDate, long modSeq) {
        /** Returns the size in bytes. */
        public int size() {
            return raw.length;
        }

        @Override
        public String toString() {
            return "Message[uid=" + uid + ", size=" + raw.length + ", flags=" + flags + ", internalDate="
                    + internalDate + ", modSeq=" + modSeq + "]";
        }
    }

    /** The default capabilities: UIDPLUS, CONDSTORE, SPECIAL_USE and BINARY. */
    public static final Set<ConnectorCapability> DEFAULT_CAPABILITIES = Set.copyOf(EnumSet.of(
            ConnectorCapability.UIDPLUS, ConnectorCapability.CONDSTORE, ConnectorCapability.SPECIAL_USE,
            ConnectorCapability.BINARY));

    private static final String INBOX = "INBOX";

    private final String host;
    private char separator = '/';
    private Set<ConnectorCapability> capabilities = EnumSet.copyOf(DEFAULT_CAPABILITIES);
    private Clock clock = Clock.systemUTC();
    private String adminUser;
    private String adminPassword;
    private String masterUserSeparator = "*";
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private long nextUidValidity = 1_000;

    // faults
    private Predicate<byte[]> refuse;
    private String refuseReason;
    private long maxMessageSize;
    private String dropMailbox;
    private int dropCountdown = -1;
    private Duration latency = Duration.ZERO;
    private OperationGate gate;
    private Set<Operation> gatedOperations = EnumSet.allOf(Operation.class);
    private boolean reachable = true;
    private String refuseLabels;
    /** The next identity the server gives an appended message under FOLDER_LABELS. */
    private long nextCrossFolderId = 1L << 40;

    // instrumentation
    private int openSessions;
    private int peakOpenSessions;
    private final Map<String, int[]> sessionsByMailbox = new HashMap<>();
    private final EnumMap<Operation, Long> operations = new EnumMap<>(Operation.class);
    private long loginFailures;
    private long connectionsRefused;

    /**
     * @param host the host name endpoints use to reach this server (see
     *             {@link InMemoryConnectorProvider#register}), never {@code null}
     */
    public InMemoryMailServer(String host) {
        this.host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
    }

    /** Returns the host name this server answers to, in lower case. */
    public String host() {
        return host;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Sets the hierarchy separator. Set it before creating folders below the top level.
     *
     * @param separator e.g. {@code '/'} (the default) or {@code '.'}; {@link FolderInfo#NO_SEPARATOR}
     *                  for a flat namespace
     * @return this server
     */
    public synchronized InMemoryMailServer separator(char separator) {
        this.separator = separator;
        return this;
    }

    /** Returns the hierarchy separator. */
    public synchronized char separator() {
        return separator;
    }

    /**
     * Sets the capabilities sessions opened from now on report and honour.
     *
     * @param capabilities the capabilities, e.g. none to act as a minimal IMAP4rev1 server
     * @return this server
     */
    public synchronized InMemoryMailServer withCapabilities(ConnectorCapability... capabilities) {
        this.capabilities = capabilities.length == 0 ? EnumSet.noneOf(ConnectorCapability.class)
                : EnumSet.copyOf(Arrays.asList(capabilities));
        return this;
    }

    /**
     * Sets the capabilities sessions opened from now on report and honour.
     *
     * @param capabilities the capabilities
     * @return this server
     */
    public synchronized InMemoryMailServer withCapabilities(Collection<ConnectorCapability> capabilities) {
        this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(ConnectorCapability.class)
                : EnumSet.copyOf(capabilities);
        return this;
    }

    /** Returns the capabilities. */
    public synchronized Set<ConnectorCapability> capabilities() {
        return Set.copyOf(capabilities);
    }

    /**
     * Sets the clock that dates delivered mail and appends without INTERNALDATE.
     *
     * @param clock the clock
     * @return this server
     */
    public synchronized InMemoryMailServer clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Adds a user with an empty INBOX.
     *
     * @param name     login name and mailbox name (on a target usually the e-mail address)
     * @param password the password
     * @return this server
     * @throws IllegalStateException if the user exists
     */
    public synchronized InMemoryMailServer addUser(String name, String password) {
        Objects.requireNonNull(password, "password");
        if (accounts.containsKey(name)) {
            throw new IllegalStateException("user " + name + " exists");
        }
        Account a = new Account(password);
        a.folders.put(INBOX, newFolder(INBOX, null, true));
        accounts.put(name, a);
        return this;
    }

    /**
     * Changes a user's password.
     *
     * @param name     the user
     * @param password the new password
     * @return this server
     */
    public synchronized InMemoryMailServer password(String name, String password) {
        account(name).password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * Sets the administrator (master user) who may open every mailbox: with
     * {@link MailboxAccess#impersonate()} and the administrator's credentials, or with the login
     * string {@code <user><separator><admin>} and the administrator's password (Dovecot's master
     * user login).
     *
     * @param name     administrator login
     * @param password administrator password
     * @return this server
     */
    public synchronized InMemoryMailServer admin(String name, String password) {
        this.adminUser = Objects.requireNonNull(name, "name");
        this.adminPassword = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * @param separator the master-user separator of login strings ({@code *} by default)
     * @return this server
     */
    public synchronized InMemoryMailServer masterUserSeparator(String separator) {
        this.masterUserSeparator = Objects.requireNonNull(separator, "separator");
        return this;
    }

    // ------------------------------------------------------------------ faults

    /**
     * Makes the server refuse appends of messages a predicate matches, with a reason, as an IMAP
     * server answers {@code NO} to one {@code APPEND}.
     *
     * @param which  tested on each message's bytes; {@code null} refuses nothing
     * @param reason the server's answer, e.g. {@code NO [CANNOT] Message contains a virus}
     * @return this server
     */
    public synchronized InMemoryMailServer refuseAppends(Predicate<byte[]> which, String reason) {
        this.refuse = which;
        this.refuseReason = reason;
        return this;
    }

    /**
     * Refuses appends of messages larger than a size, with {@code NO [LIMIT] Message too large}.
     *
     * @param bytes the largest accepted size; 0 for no limit (the default)
     * @return this server
     */
    public synchronized InMemoryMailServer maxMessageSize(long bytes) {
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Makes one message impossible to fetch: {@code fetchMessages} reports it to
     * {@link io.mailferry.core.spi.MessageSink#failed} with the reason.
     *
     * @param user   mailbox
     * @param folder folder
     * @param uid    the message
     * @param reason what the server says
     * @return this server
     */
    public synchronized InMemoryMailServer makeUnfetchable(String user, String folder, long uid, String reason) {
        Msg m = folder(user, folder).messages.get(uid);
        if (m == null) {
            throw new IllegalArgumentException("no message " + uid + " in " + folder);
        }
        m.unfetchable = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /**
     * Drops one connection: the session of {@code mailbox} (any mailbox if {@code null}) that
     * attempts the operation after the next {@code operations} ones fails it with a
     * {@link ConnectorException.Kind#PROTOCOL} error, as does every later call on that session.
     * The operation has no effect (an append stores nothing). One-shot: call again for another
     * drop.
     *
     * @param mailbox    the mailbox whose session drops, or {@code null} for any
     * @param operations operations that still succeed before the drop, 0 or more
     * @return this server
     */
    public synchronized InMemoryMailServer dropConnectionAfter(String mailbox, int operations) {
        if (operations < 0) {
            throw new IllegalArgumentException("operations must be 0 or more");
        }
        this.dropMailbox = mailbox;
        this.dropCountdown = operations;
        return this;
    }

    /**
     * Makes the server unreachable: logins fail with {@link UnableToConnectException} of kind
     * {@link ConnectorException.Kind#CONNECTION}. Open sessions are not affected.
     *
     * @param reachable {@code false} to refuse connections
     * @return this server
     */
    public synchronized InMemoryMailServer reachable(boolean reachable) {
        this.reachable = reachable;
        return this;
    }

    /**
     * Delays every operation (a slow server). Not a way for tests to wait for state.
     *
     * @param latency the delay, {@link Duration#ZERO} for none
     * @return this server
     */
    public synchronized InMemoryMailServer latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /**
     * Holds operations at a gate before they run.
     *
     * @param gate       the gate, or {@code null} for none
     * @param operations which operations the gate holds; none given means all
     * @return this server
     */
    public synchronized InMemoryMailServer gate(OperationGate gate, Operation... operations) {
        this.gate = gate;
        this.gatedOperations = operations.length == 0 ? EnumSet.allOf(Operation.class)
                : EnumSet.copyOf(Arrays.asList(operations));
        return this;
    }

    // ------------------------------------------------------------------ instrumentation

    /** Returns how many sessions are open now. */
    public synchronized int openSessions() {
        return openSessions;
    }

    /** Returns the most sessions that were open at once since creation or {@link #resetCounters()}. */
    public synchronized int peakOpenSessions() {
        return peakOpenSessions;
    }

    /**
     * @param mailbox a mailbox
     * @return how many sessions on it are open now
     */
    public synchronized int openSessions(String mailbox) {
        return sessionsByMailbox.getOrDefault(mailbox, new int[3])[0];
    }

    /**
     * @param mailbox a mailbox
     * @return the most sessions on it that were open at once
     */
    public synchronized int peakOpenSessions(String mailbox) {
        return sessionsByMailbox.getOrDefault(mailbox, new int[3])[1];
    }

    /**
     * @param mailbox a mailbox
     * @return how many sessions were opened on it (successful logins)
     */
    public synchronized int sessionsOpened(String mailbox) {
        return sessionsByMailbox.getOrDefault(mailbox, new int[3])[2];
    }

    /** Returns {@code false} while the server refuses connections. */
    public synchronized boolean isReachable() {
        return reachable;
    }

    /** Returns how many connection attempts were refused while {@linkplain #reachable(boolean) unreachable}. */
    public synchronized long connectionsRefused() {
        return connectionsRefused;
    }

    /** Returns how many logins failed. */
    public synchronized long loginFailures() {
        return loginFailures;
    }

    /**
     * @param operation an operation
     * @return how many times sessions performed it (including ones that failed)
     */
    public synchronized long operations(Operation operation) {
        return operations.getOrDefault(operation, 0L);
    }

    /** Returns how many operations sessions performed in all. */
    public synchronized long operations() {
        return operations.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Resets peaks and counters (open-session counts stay, as sessions stay open). */
    public synchronized void resetCounters() {
        peakOpenSessions = openSessions;
        for (int[] c : sessionsByMailbox.values()) {
            c[1] = c[0];
            c[2] = 0;
        }
        operations.clear();
        loginFailures = 0;
        connectionsRefused = 0;
    }

    // ------------------------------------------------------------------ test helpers: folders

    /**
     * Creates a selectable folder and any missing parent; nothing happens if it exists.
     *
     * @param user the mailbox
     * @param name full folder name with this server's separator
     * @return this server
     */
    public synchronized InMemoryMailServer createFolder(String user, String name) {
        createFolderLocked(account(user), name, null, true);
        return this;
    }

    /**
     * Creates a selectable folder with a special-use role (listed with its RFC 6154 attribute while
     * the server has {@link ConnectorCapability#SPECIAL_USE}).
     *
     * @param user the mailbox
     * @param name full folder name
     * @param role the role
     * @return this server
     */
    public synchronized InMemoryMailServer createFolder(String user, String name, FolderRole role) {
        createFolderLocked(account(user), name, role, true);
        return this;
    }

    /**
     * Creates a folder that cannot hold messages ({@code \Noselect}), e.g. a pure parent.
     *
     * @param user the mailbox
     * @param name full folder name
     * @return this server
     */
    public synchronized InMemoryMailServer createNonSelectableFolder(String user, String name) {
        createFolderLocked(account(user), name, null, false);
        return this;
    }

    /**
     * Adds a folder that a source session leaves out of {@code listFolders} and reports in
     * {@link io.mailferry.core.spi.SourceMailbox#skippedFolders()}, as the Exchange connector does
     * with calendar, contacts and tasks folders.
     *
     * @param user      the mailbox
     * @param name      full folder name with this server's separator
     * @param reason    why it is left out
     * @param itemCount items it holds, or -1
     * @param size      its size in bytes, or -1
     * @return this server
     */
    public synchronized InMemoryMailServer addNonMailFolder(String user, String name, String reason, long itemCount,
                                                            long size) {
        account(user).leftOut.add(new SkippedFolder(name, separator, reason, itemCount, size));
        return this;
    }

    synchronized List<SkippedFolder> skippedFoldersFor(String mailbox) {
        return List.copyOf(account(mailbox).leftOut);
    }

    /**
     * @param user the mailbox
     * @return its folders as {@code listFolders} reports them
     */
    public synchronized List<FolderInfo> folders(String user) {
        return listFoldersLocked(account(user), capabilities);
    }

    /**
     * @param user the mailbox
     * @return its folder names, parents first
     */
    public synchronized List<String> folderNames(String user) {
        return folders(user).stream().map(FolderInfo::name).toList();
    }

    /**
     * @param user   the mailbox
     * @param folder a folder
     * @return its state as {@code selectFolder} reports it (HIGHESTMODSEQ always included)
     */
    public synchronized FolderStatus status(String user, String folder) {
        Folder f = folder(user, folder);
        return new FolderStatus(f.uidValidity, f.uidNext, f.messages.size(), f.highestModSeq, true);
    }

    /**
     * Gives a folder a new UIDVALIDITY and renumbers its messages from UID 1 (as a server does
     * when it rebuilds its index); bytes, flags and dates stay.
     *
     * @param user   the mailbox
     * @param folder the folder
     * @return the new UIDVALIDITY
     */
    public synchronized long rebuildFolder(String user, String folder) {
        Folder f = folder(user, folder);
        List<Msg> old = new ArrayList<>(f.messages.values());
        f.messages.clear();
        f.uidValidity = nextUidValidity++;
        f.uidNext = 1;
        for (Msg m : old) {
            m.uid = f.uidNext++;
            m.modSeq = ++f.highestModSeq;
            f.messages.put(m.uid, m);
        }
        return f.uidValidity;
    }

    // ------------------------------------------------------------------ test helpers: messages

    /**
     * Stores a message (seeding a mailbox, as an MTA or an administrator would).
     *
     * @param user         the mailbox
     * @param folder       the folder, which must exist
     * @param raw          the bytes
     * @param flags        its flags
     * @param internalDate its INTERNALDATE (kept to the second), or {@code null} for now
     * @return its UID
     */
    public synchronized long append(String user, String folder, byte[] raw, MessageFlags flags, Instant internalDate) {
        return store(folder(user, folder), raw, flags, internalDate).uid;
    }

    /**
     * Adds a message with a cross-folder identity, as Gmail shows a message under each of its
     * labels: listed with {@link MessageInfo#crossFolderId()} by sessions whose capabilities include
     * {@link ConnectorCapability#CROSS_FOLDER_IDENTITY}. See {@link #label}.
     *
     * @param user          the mailbox
     * @param folder        the folder, which must exist
     * @param raw           the bytes
     * @param flags         its flags
     * @param internalDate  its INTERNALDATE, or {@code null} for now
     * @param crossFolderId its identity, not 0
     * @return its UID
     */
    public synchronized long append(String user, String folder, byte[] raw, MessageFlags flags, Instant internalDate,
                                    long crossFolderId) {
        if (crossFolderId == 0) {
            throw new IllegalArgumentException("crossFolderId must not be 0");
        }
        Msg m = store(folder(user, folder), raw, flags, internalDate);
        m.crossFolderId = crossFolderId;
        return m.uid;
    }

    /**
     * Shows a message in one more folder, as Gmail does when a label is added: a new message (new
     * UID) in {@code toFolder} with the same bytes, flags, date and cross-folder identity.
     *
     * @param user     the mailbox
     * @param folder   the folder holding the message
     * @param uid      the message, which must carry an identity ({@link #append(String, String, byte[], MessageFlags, Instant, long)})
     * @param toFolder the label's folder, which must exist
     * @return the UID in {@code toFolder}
     */
    public synchronized long label(String user, String folder, long uid, String toFolder) {
        Msg m = folder(user, folder).messages.get(uid);
        if (m == null || m.crossFolderId == 0) {
            throw new IllegalArgumentException("no message " + uid + " with a cross-folder identity in " + folder);
        }
        Msg copy = store(folder(user, toFolder), m.raw, m.flags, m.internalDate);
        copy.crossFolderId = m.crossFolderId;
        return copy.uid;
    }

    /**
     * Makes label adds ({@link TargetMailbox#addLabels}) fail with a {@code NO}, or succeed again.
     *
     * @param reason the server's answer, e.g. {@code NO [LIMIT] Too many labels}, or {@code null}
     *               to accept label adds again
     * @return this server
     */
    public synchronized InMemoryMailServer refuseLabels(String reason) {
        this.refuseLabels = reason;
        return this;
    }

    /**
     * @param user   the mailbox
     * @param folder the folder
     * @param uid    a message in it
     * @return its cross-folder identity, 0 if it has none
     * @throws IllegalArgumentException if there is no such message
     */
    public synchronized long crossFolderId(String user, String folder, long uid) {
        Msg m = folder(user, folder).messages.get(uid);
        if (m == null) {
            throw new IllegalArgumentException("no message " + uid + " in " + folder);
        }
        return m.crossFolderId;
    }

    /**
     * @param user          the mailbox
     * @param crossFolderId a message's identity, not 0
     * @return the folders showing the message with that identity, in folder order
     */
    public synchronized List<String> folderNamesShowing(String user, long crossFolderId) {
        List<String> out = new ArrayList<>();
        for (Folder f : account(user).folders.values()) {
            if (f.messages.values().stream().anyMatch(m -> m.crossFolderId == crossFolderId && crossFolderId != 0)) {
                out.add(f.name);
            }
        }
        return out;
    }

    /**
     * Delivers new mail: no flags, dated now.
     *
     * @param user   the mailbox
     * @param folder the folder
     * @param raw    the bytes
     * @return its UID
     */
    public synchronized long deliver(String user, String folder, byte[] raw) {
        return append(user, folder, raw, MessageFlags.NONE, null);
    }

    /**
     * @param user   the mailbox
     * @param folder the folder
     * @return its messages in UID order
     */
    public synchronized List<Message> messages(String user, String folder) {
        return folder(user, folder).messages.values().stream().map(Msg::snapshot).toList();
    }

    /**
     * @param user   the mailbox
     * @param folder the folder
     * @param uid    a UID
     * @return the message, if there is one with that UID
     */
    public synchronized Optional<Message> message(String user, String folder, long uid) {
        return Optional.ofNullable(folder(user, folder).messages.get(uid)).map(Msg::snapshot);
    }

    /**
     * Replaces a message's flags (as a mail client would), giving it a new MODSEQ.
     *
     * @param user   the mailbox
     * @param folder the folder
     * @param uid    the message
     * @param flags  its new flags
     * @return this server
     */
    public synchronized InMemoryMailServer setFlags(String user, String folder, long uid, MessageFlags flags) {
        Folder f = folder(user, folder);
        Msg m = f.messages.get(uid);
        if (m == null) {
            throw new IllegalArgumentException("no message " + uid + " in " + folder);
        }
        m.flags = flags;
        m.modSeq = ++f.highestModSeq;
        return this;
    }

    /**
     * Removes messages (as a mail client's expunge would).
     *
     * @param user   the mailbox
     * @param folder the folder
     * @param uids   the messages; unknown UIDs are ignored
     * @return this server
     */
    public synchronized InMemoryMailServer expunge(String user, String folder, long... uids) {
        Folder f = folder(user, folder);
        for (long uid : uids) {
            if (f.messages.remove(uid) != null) {
                f.highestModSeq++;
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ sessions

    /**
     * Logs in and opens a mailbox to read from.
     *
     * @param access which mailbox and how to log in
     * @return the open session
     * @throws AuthenticationFailedException if the credentials are refused or the mailbox is unknown
     * @throws UnableToConnectException      if the server is {@linkplain #reachable(boolean) unreachable}
     */
    public SourceMailbox openSource(MailboxAccess access) {
        return new InMemorySourceMailbox(this, login(access), capabilities());
    }

    /**
     * Logs in and opens a mailbox to write to.
     *
     * @param access which mailbox and how to log in
     * @return the open session
     * @throws AuthenticationFailedException if the credentials are refused or the mailbox is unknown
     * @throws UnableToConnectException      if the server is {@linkplain #reachable(boolean) unreachable}
     */
    public TargetMailbox openTarget(MailboxAccess access) {
        return new InMemoryTargetMailbox(this, login(access), capabilities());
    }

    private synchronized String login(MailboxAccess access) {
        if (!reachable) {
            connectionsRefused++;
            throw new UnableToConnectException(ConnectorException.Kind.CONNECTION,
                    "Connection to " + host + " refused (in-memory server unreachable)", null);
        }
        Credentials c = access.credentials();
        String mailbox;
        if (access.impersonate()) {
            if (!isAdmin(c.username(), c.password())) {
                loginFailures++;
                throw new AuthenticationFailedException("[AUTHENTICATIONFAILED] Authentication failed for administrator '"
                        + c.username() + "' on " + host);
            }
            mailbox = access.mailbox();
        } else if (adminUser != null && c.username().endsWith(masterUserSeparator + adminUser)
                && c.username().length() > masterUserSeparator.length() + adminUser.length()) {
            if (!adminPassword.equals(c.password())) {
                loginFailures++;
                throw new AuthenticationFailedException("[AUTHENTICATIONFAILED] Authentication failed for '"
                        + c.username() + "' on " + host);
            }
            mailbox = c.username().substring(0, c.username().length() - masterUserSeparator.length() - adminUser.length());
        } else {
            Account a = accounts.get(c.username());
            if (a == null || !a.password.equals(c.password())) {
                loginFailures++;
                throw new AuthenticationFailedException("[AUTHENTICATIONFAILED] Authentication failed for user '"
                        + c.username() + "' on " + host);
            }
            mailbox = c.username();
        }
        if (!accounts.containsKey(mailbox)) {
            loginFailures++;
            throw new AuthenticationFailedException("[AUTHENTICATIONFAILED] No mailbox '" + mailbox + "' on " + host);
        }
        openSessions++;
        peakOpenSessions = Math.max(peakOpenSessions, openSessions);
        int[] c3 = sessionsByMailbox.computeIfAbsent(mailbox, k -> new int[3]);
        c3[0]++;
        c3[1] = Math.max(c3[1], c3[0]);
        c3[2]++;
        return mailbox;
    }

    private boolean isAdmin(String user, String password) {
        return adminUser != null && adminUser.equals(user) && adminPassword.equals(password);
    }

    synchronized void sessionClosed(String mailbox) {
        openSessions--;
        sessionsByMailbox.get(mailbox)[0]--;
    }

    /**
     * Called by a session before each operation: counts it, drops the connection if planned, then
     * applies latency and the gate (outside the lock).
     */
    void beforeOperation(InMemorySession session, Operation op) {
        OperationGate g;
        Duration delay;
        synchronized (this) {
            operations.merge(op, 1L, Long::sum);
            if (dropCountdown >= 0 && (dropMailbox == null || dropMailbox.equals(session.mailbox()))) {
                if (dropCountdown == 0) {
                    dropCountdown = -1;
                    session.drop();
                    throw new ConnectorException(ConnectorException.Kind.PROTOCOL,
                            "* BYE Connection to " + host + " lost during " + op + " (injected fault)");
                }
                dropCountdown--;
            }
            g = gatedOperations.contains(op) ? gate : null;
            delay = latency;
        }
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
            }
            if (g != null) {
                g.pass();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.drop();
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "Interrupted during " + op);
        }
    }

    // ------------------------------------------------------------------ used by sessions (lock held by callers)

    synchronized List<FolderInfo> listFoldersFor(String mailbox, Set<ConnectorCapability> caps) {
        return listFoldersLocked(account(mailbox), caps);
    }

    synchronized FolderStatus selectFor(String mailbox, String folder, Set<ConnectorCapability> caps) {
        Folder f = requireSelectable(mailbox, folder);
        return new FolderStatus(f.uidValidity, f.uidNext, f.messages.size(),
                caps.contains(ConnectorCapability.CONDSTORE) ? f.highestModSeq : 0, true);
    }

    synchronized List<MessageInfo> listMessagesFor(String mailbox, String folder, long afterUid, int limit,
                                                   Set<ConnectorCapability> caps) {
        Folder f = requireSelectable(mailbox, folder);
        List<MessageInfo> out = new ArrayList<>();
        for (Msg m : f.messages.tailMap(afterUid, false).values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(m.info(caps.contains(ConnectorCapability.CONDSTORE),
                    caps.contains(ConnectorCapability.CROSS_FOLDER_IDENTITY)));
        }
        return out;
    }

    synchronized Map<Long, MessageFlags> sourceFlagsFor(String mailbox, String folder, long from, long to,
                                                       long changedSince, Set<ConnectorCapability> caps) {
        Folder f = requireSelectable(mailbox, folder);
        boolean condstore = caps.contains(ConnectorCapability.CONDSTORE) && changedSince > 0;
        Map<Long, MessageFlags> out = new LinkedHashMap<>();
        for (Msg m : f.messages.subMap(from, true, to, true).values()) {
            if (!condstore || m.modSeq > changedSince) {
                out.put(m.uid, m.flags);
            }
        }
        return out;
    }

    /** The messages of a UID range, for header fetches: UID → bytes (unfetchable ones left out). */
    synchronized java.util.SortedMap<Long, byte[]> rawMessagesFor(String mailbox, String folder, long from, long to) {
        Folder f = requireSelectable(mailbox, folder);
        java.util.SortedMap<Long, byte[]> out = new TreeMap<>();
        for (Msg m : f.messages.subMap(from, true, to, true).values()) {
            if (m.unfetchable == null) {
                out.put(m.uid, m.raw);
            }
        }
        return out;
    }

    /** Returns the message's bytes, or a {@link String} reason why it cannot be fetched. */
    synchronized Object fetchFor(String mailbox, String folder, long uid) {
        Folder f = requireSelectable(mailbox, folder);
        Msg m = f.messages.get(uid);
        if (m == null) {
            return "NO Message with UID " + uid + " no longer exists in '" + folder + "'";
        }
        if (m.unfetchable != null) {
            return m.unfetchable;
        }
        return m.raw;
    }

    synchronized void createFor(String mailbox, String folder) {
        if (folder.isEmpty() || (separator != FolderInfo.NO_SEPARATOR
                && Arrays.stream(folder.split(Pattern.quote(String.valueOf(separator)), -1)).anyMatch(String::isEmpty))) {
            throw new ConnectorException(ConnectorException.Kind.REFUSED, "NO Invalid mailbox name '" + folder + "'");
        }
        createFolderLocked(account(mailbox), folder, null, true);
    }

    synchronized AppendResult appendFor(String mailbox, String folder, byte[] raw, MessageFlags flags,
                                        Instant internalDate, Set<ConnectorCapability> caps) {
        Folder f = account(mailbox).folders.get(canonical(folder));
        if (f == null) {
            throw new ConnectorException(ConnectorException.Kind.FOLDER_NOT_FOUND,
                    "NO [TRYCREATE] Mailbox does not exist: " + folder);
        }
        if (!f.selectable) {
            throw new ConnectorException(ConnectorException.Kind.REFUSED, "NO Mailbox is not selectable: " + folder);
        }
        if (maxMessageSize > 0 && raw.length > maxMessageSize) {
            return AppendResult.refused("NO [LIMIT] Message too large (" + raw.length + " > " + maxMessageSize + " bytes)");
        }
        if (refuse != null && refuse.test(raw.clone())) {
            return AppendResult.refused(refuseReason);
        }
        Msg m = store(f, raw, flags, internalDate);
        if (caps.contains(ConnectorCapability.FOLDER_LABELS)) {
            m.crossFolderId = nextCrossFolderId++;
        }
        return caps.contains(ConnectorCapability.UIDPLUS) ? AppendResult.stored(m.uid, f.uidValidity)
                : AppendResult.stored(0, 0);
    }

    /** Shows messages of {@code folder} in {@code labelFolder} too; see the class comment. */
    synchronized void addLabelsFor(String mailbox, String folder, Collection<Long> uids, String labelFolder) {
        Folder f = requireSelectable(mailbox, folder);
        Folder to = requireSelectable(mailbox, labelFolder);
        if (to.role == FolderRole.ALL || to == f) {
            return; // every message is shown there already: nothing asked of the server
        }
        if (refuseLabels != null) {
            throw new ConnectorException(ConnectorException.Kind.REFUSED, refuseLabels);
        }
        for (Long uid : new TreeSet<>(uids)) {
            Msg m = f.messages.get(uid);
            if (m == null) {
                continue; // as UID STORE: a UID without message is no error
            }
            if (m.crossFolderId == 0) {
                m.crossFolderId = nextCrossFolderId++;
            }
            long id = m.crossFolderId;
            if (to.messages.values().stream().noneMatch(x -> x.crossFolderId == id)) {
                Msg copy = store(to, m.raw, m.flags, m.internalDate);
                copy.crossFolderId = id;
            }
        }
    }

    synchronized Map<Long, MessageFlags> targetFlagsFor(String mailbox, String folder, Collection<Long> uids) {
        Folder f = requireSelectable(mailbox, folder);
        Map<Long, MessageFlags> out = new LinkedHashMap<>();
        for (Long uid : new TreeSet<>(uids)) {
            Msg m = f.messages.get(uid);
            if (m != null) {
                out.put(uid, m.flags);
            }
        }
        return out;
    }

    synchronized void updateFlagsFor(String mailbox, String folder, long uid, MessageFlags add, MessageFlags remove) {
        Folder f = requireSelectable(mailbox, folder);
        Msg m = f.messages.get(uid);
        if (m == null) {
            return;
        }
        Set<String> next = new TreeSet<>(m.flags.flags());
        next.addAll(add.flags());
        next.removeAll(remove.flags());
        MessageFlags updated = new MessageFlags(next);
        if (!updated.equals(m.flags)) {
            m.flags = updated;
            m.modSeq = ++f.highestModSeq;
        }
    }

    // ------------------------------------------------------------------ internals

    private Account account(String user) {
        Account a = accounts.get(user);
        if (a == null) {
            throw new IllegalArgumentException("no user " + user + " on " + host);
        }
        return a;
    }

    private Folder folder(String user, String name) {
        Folder f = account(user).folders.get(canonical(name));
        if (f == null) {
            throw new IllegalArgumentException("no folder '" + name + "' for " + user + " on " + host);
        }
        return f;
    }

    private Folder requireSelectable(String mailbox, String name) {
        Folder f = account(mailbox).folders.get(canonical(name));
        if (f == null) {
            throw new ConnectorException(ConnectorException.Kind.FOLDER_NOT_FOUND,
                    "NO Mailbox does not exist: " + name);
        }
        if (!f.selectable) {
            throw new ConnectorException(ConnectorException.Kind.REFUSED, "NO Mailbox is not selectable: " + name);
        }
        return f;
    }

    /** INBOX is case-insensitive (RFC 3501 section 5.1), also as the first level of a name. */
    private String canonical(String name) {
        if (name.equalsIgnoreCase(INBOX)) {
            return INBOX;
        }
        if (separator != FolderInfo.NO_SEPARATOR && name.length() > 6
                && name.regionMatches(true, 0, INBOX + separator, 0, 6)) {
            return INBOX + name.substring(5);
        }
        return name;
    }

    private List<String> segments(String name) {
        if (separator == FolderInfo.NO_SEPARATOR) {
            return List.of(name);
        }
        return List.of(name.split(Pattern.quote(String.valueOf(separator)), -1));
    }

    private void createFolderLocked(Account a, String name, FolderRole role, boolean selectable) {
        String canonical = canonical(name);
        List<String> segs = segments(canonical);
        for (int k = 1; k < segs.size(); k++) {
            String parent = String.join(String.valueOf(separator), segs.subList(0, k));
            a.folders.computeIfAbsent(parent, p -> newFolder(p, null, true));
        }
        Folder existing = a.folders.get(canonical);
        if (existing == null) {
            a.folders.put(canonical, newFolder(canonical, role, selectable));
        } else if (role != null) {
            existing.role = role;
        }
    }

    private Folder newFolder(String name, FolderRole role, boolean selectable) {
        Folder f = new Folder(name);
        f.role = role;
        f.selectable = selectable;
        f.uidValidity = nextUidValidity++;
        return f;
    }

    private List<FolderInfo> listFoldersLocked(Account a, Set<ConnectorCapability> caps) {
        List<Folder> sorted = new ArrayList<>(a.folders.values());
        Comparator<Folder> bySegments = (x, y) -> {
            if (x.name.equals(INBOX) != y.name.equals(INBOX)) {
                return x.name.equals(INBOX) ? -1 : 1;
            }
            List<String> sx = segments(x.name);
            List<String> sy = segments(y.name);
            for (int i = 0; i < Math.min(sx.size(), sy.size()); i++) {
                int c = sx.get(i).compareTo(sy.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(sx.size(), sy.size());
        };
        sorted.sort(bySegments);
        List<FolderInfo> out = new ArrayList<>();
        for (Folder f : sorted) {
            Set<String> attributes = new LinkedHashSet<>();
            if (!f.selectable) {
                attributes.add("\\Noselect");
            }
            boolean children = separator != FolderInfo.NO_SEPARATOR
                    && a.folders.keySet().stream().anyMatch(n -> n.startsWith(f.name + separator));
            attributes.add(children ? "\\HasChildren" : "\\HasNoChildren");
            FolderRole role = null;
            if (f.name.equals(INBOX)) {
                role = FolderRole.INBOX;
            } else if (f.role != null && caps.contains(ConnectorCapability.SPECIAL_USE)) {
                role = f.role;
                f.role.attribute().ifPresent(attributes::add);
            }
            out.add(new FolderInfo(f.name, separator, attributes, role, f.selectable));
        }
        return out;
    }

    private Msg store(Folder f, byte[] raw, MessageFlags flags, Instant internalDate) {
        Msg m = new Msg();
        m.uid = f.uidNext++;
        m.raw = raw.clone();
        m.flags = new MessageFlags(flags.flags());
        m.internalDate = (internalDate != null ? internalDate : clock.instant()).truncatedTo(ChronoUnit.SECONDS);
        m.modSeq = ++f.highestModSeq;
        f.messages.put(m.uid, m);
        return m;
    }

    private static final class Account {
        String password;
        final Map<String, Folder> folders = new LinkedHashMap<>();
        final List<SkippedFolder> leftOut = new ArrayList<>();

        Account(String password) {
            this.password = password;
        }
    }

    private static final class Folder {
        final String name;
        FolderRole role;
        boolean selectable;
        long uidValidity;
        long uidNext = 1;
        long highestModSeq = 1;
        final TreeMap<Long, Msg> messages = new TreeMap<>();

        Folder(String name) {
            this.name = name;
        }
    }

    private static final class Msg {
        long uid;
        byte[] raw;
        MessageFlags flags;
        Instant internalDate;
        long modSeq;
        /** The message's identity across folders (Gmail's X-GM-MSGID), 0 if none. */
        long crossFolderId;
        String unfetchable;

        Message snapshot() {
            return new Message(uid, raw.clone(), flags, internalDate, modSeq);
        }

        MessageInfo info(boolean condstore, boolean identity) {
            return new MessageInfo(uid, raw.length, flags, internalDate, condstore ? modSeq : 0,
                    identity ? crossFolderId : 0);
        }
    }
}
