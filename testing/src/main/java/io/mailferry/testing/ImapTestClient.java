package io.mailferry.testing;

import io.mailferry.testing.internal.ImapConnection;
import io.mailferry.testing.internal.ImapConnection.AppendCommand;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jakarta.mail.Flags;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small IMAP client for tests, independent of MailFerry's own connector (it is built on Angus
 * Mail's protocol layer), so that what a test checks does not depend on the code under test. It
 * logs in, creates folders, appends raw messages fast and {@link #snapshot() snapshots} a mailbox.
 *
 * <p>Appending pipelines {@code APPEND} commands with non-synchronizing literals (LITERAL+) and
 * puts up to {@value #MESSAGES_PER_COMMAND} messages in one command where the server offers
 * MULTIAPPEND; the target folder is selected first (Dovecot stores faster then). A message the
 * server refuses is reported in the {@link AppendReport} with the server's answer instead of
 * failing the whole call.
 *
 * <p>For connector contract tests it also prepares and reads single messages the way a mail client
 * would: {@link #appendMessage} (returns the UID), {@link #fetchMessages} (bytes, flags,
 * INTERNALDATE, without changing anything), {@link #replaceFlags}, {@link #expunge}, and creates
 * {@linkplain #createNonSelectableFolder non-selectable} and {@linkplain #createSpecialUseFolder
 * special-use} folders where the server can.
 *
 * <pre>{@code
 * try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port()).login("alice", "secret")) {
 *     AppendReport r = c.loadUser(Corpus.bundled().enronUser("badeer-r").orElseThrow());
 *     MailboxSnapshot s = c.snapshot();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one client per thread. Passwords are never logged or put in exceptions.
 */
public final class ImapTestClient implements AutoCloseable {

    /** Messages per MULTIAPPEND command, at most. */
    public static final int MESSAGES_PER_COMMAND = 100;

    /** Connect and read timeout. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(ImapTestClient.class);
    private static final long BYTES_PER_COMMAND = 8L << 20;
    private static final int WINDOW = 4;
    private static final int FETCH_CHUNK = 250;
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)\\]", Pattern.CASE_INSENSITIVE);

    /**
     * A folder as listed by the server.
     *
     * @param name the decoded name, e.g. {@code Entwürfe} or {@code INBOX/ncl}
     * @param separator the hierarchy separator, or {@code 0} if the server reported none
     * @param attributes the LIST attributes, e.g. {@code \Noselect}, {@code \HasChildren},
     *        {@code \Sent}
     */
    public record Folder(String name, char separator, Set<String> attributes) {
        /** Validates and copies. */
        public Folder {
            Objects.requireNonNull(name, "name");
            attributes = Set.copyOf(attributes);
        }

        /**
         * @return whether the folder can be selected (no {@code \Noselect} or {@code \NonExistent})
         */
        public boolean selectable() {
            return attributes.stream().noneMatch(a -> a.equalsIgnoreCase("\\Noselect")
                    || a.equalsIgnoreCase("\\NonExistent"));
        }
    }

    /**
     * A message as {@link #fetchMessages(String)} read it back.
     *
     * @param uid its UID
     * @param bytes {@code BODY[]} exactly as the server sent it (not copied: do not change it)
     * @param flags system flags and keywords, without {@code \Recent}
     * @param internalDate its INTERNALDATE
     */
    public record FetchedMessage(long uid, byte[] bytes, Set<String> flags, Instant internalDate) {
        /** Validates and copies the flags. */
        public FetchedMessage {
            Objects.requireNonNull(bytes, "bytes");
            flags = Set.copyOf(flags);
            Objects.requireNonNull(internalDate, "internalDate");
        }

        /** Returns UID, size, flags and date; never the content. */
        @Override
        public String toString() {
            return "FetchedMessage[uid " + uid + ", " + bytes.length + " bytes, flags=" + new TreeSet<>(flags)
                    + ", internalDate=" + internalDate + "]";
        }
    }

    private final ImapConnection conn;
    private final String address;
    private String user;
    private String selected;

    private ImapTestClient(ImapConnection conn, String address) {
        this.conn = conn;
        this.address = address;
    }

    /**
     * Connects without logging in (plain IMAP, no TLS).
     *
     * @param host the server
     * @param port its port
     * @return a client in the not-authenticated state
     * @throws ImapTestException if the connection or the greeting fails
     */
    public static ImapTestClient connect(String host, int port) {
        Objects.requireNonNull(host, "host");
        try {
            return new ImapTestClient(new ImapConnection(host, port, TIMEOUT), host + ":" + port);
        } catch (IOException | ProtocolException e) {
            throw new ImapTestException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Logs in with {@code LOGIN} (RFC 3501 section 6.2.3). For a Dovecot master user, pass
     * {@code user*master} as the user name and the master user's password.
     *
     * @param user the login name
     * @param password the password
     * @return this client, authenticated
     * @throws ImapTestException if the server refuses; the connection is then closed
     */
    public ImapTestClient login(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        try {
            conn.login(user, password);
            conn.capability();
            this.user = user;
            return this;
        } catch (ProtocolException e) {
            conn.closeQuietly();
            throw failure("LOGIN as " + user, e);
        }
    }

    /**
     * Authenticates with SASL PLAIN (RFC 4616): {@code authenticationId} proves its identity with
     * {@code password} and acts as {@code authorizationId}. With Dovecot this is how a master user
     * logs in to another user's mailbox without the {@code user*master} login string.
     *
     * @param authorizationId the user to act as, or {@code null} to act as oneself
     * @param authenticationId the user whose password is given
     * @param password its password
     * @return this client, authenticated
     * @throws ImapTestException if the server refuses; the connection is then closed
     */
    public ImapTestClient authenticatePlain(String authorizationId, String authenticationId, String password) {
        Objects.requireNonNull(authenticationId, "authenticationId");
        Objects.requireNonNull(password, "password");
        try {
            conn.authplain(authorizationId == null ? "" : authorizationId, authenticationId, password);
            conn.capability();
            this.user = authorizationId == null || authorizationId.isEmpty()
                    ? authenticationId : authorizationId + " (as " + authenticationId + ")";
            return this;
        } catch (ProtocolException e) {
            conn.closeQuietly();
            throw failure("AUTHENTICATE PLAIN as " + authenticationId
                    + (authorizationId == null ? "" : " for " + authorizationId), e);
        }
    }

    /**
     * @return the capabilities the server announced last, upper case (e.g. {@code MULTIAPPEND},
     *         {@code AUTH=PLAIN})
     */
    public Set<String> capabilities() {
        return new TreeSet<>(conn.getCapabilities().keySet());
    }

    /**
     * @param capability a capability name, any case
     * @return whether the server announced it
     */
    public boolean hasCapability(String capability) {
        return conn.hasCapability(capability.toUpperCase(Locale.ROOT));
    }

    /**
     * The hierarchy separator of the personal namespace ({@code LIST "" ""}).
     *
     * @return the separator, e.g. {@code /} or {@code .}
     * @throws ImapTestException if the server does not answer with one
     */
    public char separator() {
        try {
            ListInfo[] li = conn.list("", "");
            if (li == null || li.length == 0 || li[0].separator == 0) {
                throw new ImapTestException("server reported no hierarchy separator", null);
            }
            return li[0].separator;
        } catch (ProtocolException e) {
            throw failure("LIST \"\" \"\"", e);
        }
    }

    /**
     * Lists every folder ({@code LIST "" "*"}).
     *
     * @return the folders sorted by name
     * @throws ImapTestException if the server refuses
     */
    public List<Folder> listFolders() {
        try {
            ListInfo[] li = conn.list("", "*");
            List<Folder> out = new ArrayList<>();
            if (li != null) {
                for (ListInfo l : li) {
                    out.add(new Folder(l.name, l.separator, Set.copyOf(Arrays.asList(l.attrs))));
                }
            }
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        } catch (ProtocolException e) {
            throw failure("LIST \"\" \"*\"", e);
        }
    }

    /**
     * Creates a folder; its parents must exist (a server may create missing ones as
     * {@code \Noselect}).
     *
     * @param name the decoded name, e.g. {@code Entwürfe} (sent in modified UTF-7)
     * @return {@code true} if created, {@code false} if it already existed
     * @throws ImapTestException if the server refuses for another reason
     */
    public boolean createFolder(String name) {
        Objects.requireNonNull(name, "name");
        try {
            conn.create(name);
            return true;
        } catch (ProtocolException e) {
            if (listFolders().stream().anyMatch(f -> f.name().equals(name))) {
                return false;
            }
            throw failure("CREATE " + name, e);
        }
    }

    /**
     * Creates a folder that cannot hold messages ({@code \Noselect}) but can have children, with
     * {@code CREATE name<separator>} (RFC 3501 section 6.3.3: a trailing separator declares that
     * the name is meant for children). Dovecot creates a {@code \Noselect} folder that way; a
     * server that creates a selectable folder (GreenMail) makes this method fail.
     *
     * @param name the decoded name, without the trailing separator
     * @throws ImapTestException if the server refuses or the folder it created is selectable
     */
    public void createNonSelectableFolder(String name) {
        Objects.requireNonNull(name, "name");
        try {
            conn.create(name + separator());
        } catch (ProtocolException e) {
            throw failure("CREATE " + name + separator(), e);
        }
        Folder f = listFolders().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new ImapTestException("CREATE " + name + separator() + " on " + address
                        + " created no folder " + name, null));
        if (f.selectable()) {
            throw new ImapTestException("server " + address + " created '" + name + "' as a selectable folder "
                    + f.attributes() + ": it cannot create \\Noselect folders this way", null);
        }
    }

    /**
     * Creates a folder with an RFC 6154 special-use attribute where the server can: with
     * {@code CREATE name (USE (attribute))} where it offers CREATE-SPECIAL-USE, else with a plain
     * {@code CREATE} of a name its configuration gives that attribute (Dovecot's
     * {@code special_use} setting, see {@link DovecotServer.Builder#declareSpecialUseFolder}).
     * Either way the folder must then be listed with the attribute.
     *
     * @param name the decoded name
     * @param attribute e.g. {@code \Sent}
     * @throws ImapTestException if the server refuses, or lists the folder without the attribute
     */
    public void createSpecialUseFolder(String name, String attribute) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attribute, "attribute");
        if (hasCapability("CREATE-SPECIAL-USE")) {
            Response[] r = conn.command("CREATE " + ImapConnection.quoteMailbox(name) + " (USE (" + attribute + "))",
                    null);
            Response done = r[r.length - 1];
            if (!done.isOK()) {
                throw new ImapTestException("CREATE " + name + " (USE (" + attribute + ")) on " + address
                        + " failed: " + answer(done), null);
            }
        } else {
            createFolder(name);
        }
        Folder f = listFolders().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new ImapTestException("folder " + name + " not listed on " + address, null));
        if (f.attributes().stream().noneMatch(a -> a.equalsIgnoreCase(attribute))) {
            throw new ImapTestException("server " + address + " lists '" + name + "' with " + f.attributes()
                    + ", not " + attribute + ": it offers no CREATE-SPECIAL-USE and its configuration gives that"
                    + " name no such role", null);
        }
    }

    /**
     * Appends one message and returns its UID: from {@code APPENDUID} (RFC 4315), or, on a server
     * without UIDPLUS, the highest UID of the folder afterwards (so no one else may append to the
     * folder meanwhile). Messages with NUL or bare CR are sent as {@code literal8} where the server
     * offers BINARY, as {@link #append(String, List)} does.
     *
     * @param folder the target folder; it must exist
     * @param message the message
     * @return its UID
     * @throws ImapTestException if the server refuses the message or the connection fails
     */
    public long appendMessage(String folder, RawMessage message) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(message, "message");
        select(folder);
        try {
            if (conn.hasCapability("LITERAL+")) {
                Response r = conn.appendPipelined(List.of(new AppendCommand(folder, List.of(message))), 1)[0];
                if (!r.isOK()) {
                    throw new ImapTestException("APPEND of " + message.label() + " to " + folder + " on " + address
                            + " refused: " + answer(r), null);
                }
                Matcher m = APPENDUID.matcher(r.toString());
                if (m.find()) {
                    return Long.parseLong(m.group(2));
                }
            } else {
                List<AppendReport.Refusal> refusals = new ArrayList<>();
                AppendUID uid = appendSynchronized(folder, message, refusals);
                if (!refusals.isEmpty()) {
                    throw new ImapTestException("APPEND of " + message.label() + " to " + folder + " on " + address
                            + " refused: " + refusals.get(0).response(), null);
                }
                if (uid != null) {
                    return uid.uid;
                }
            }
            // no UIDPLUS: the newest message is ours
            conn.noop();
            long max = 0;
            for (long u : conn.fetchSequenceNumbers(1, jakarta.mail.UIDFolder.LASTUID)) {
                max = Math.max(max, u);
            }
            return max;
        } catch (IOException | ProtocolException e) {
            throw failure("APPEND to " + folder, e);
        }
    }

    /**
     * Reads every message of a folder back without changing it (EXAMINE, {@code BODY.PEEK[]}).
     *
     * @param folder a folder name
     * @return its messages in ascending UID order
     * @throws ImapTestException if the server refuses or the connection fails
     */
    public List<FetchedMessage> fetchMessages(String folder) {
        Objects.requireNonNull(folder, "folder");
        try {
            MailboxInfo info = conn.examine(folder);
            selected = null; // EXAMINEd: a later write must SELECT again
            List<FetchedMessage> out = new ArrayList<>(info.total);
            for (int start = 1; start <= info.total; start += FETCH_CHUNK) {
                int end = Math.min(info.total, start + FETCH_CHUNK - 1);
                Response[] r = conn.fetch(start, end, "UID FLAGS INTERNALDATE BODY.PEEK[]");
                conn.notifyResponseHandlers(r);
                conn.handleResult(r[r.length - 1]);
                for (Response x : r) {
                    if (x instanceof FetchResponse fr) {
                        BODY body = fr.getItem(BODY.class);
                        UID uid = fr.getItem(UID.class);
                        FLAGS flags = fr.getItem(FLAGS.class);
                        INTERNALDATE date = fr.getItem(INTERNALDATE.class);
                        if (body == null || uid == null || flags == null || date == null) {
                            continue; // an unsolicited FETCH (flag update), not an answer
                        }
                        ByteArray ba = body.getByteArray();
                        out.add(new FetchedMessage(uid.uid, ba.getNewBytes(), MailboxSnapshot.flagNames(flags),
                                date.getDate().toInstant()));
                    }
                }
            }
            if (out.size() != info.total) {
                throw new ImapTestException("fetched " + out.size() + " of " + info.total + " messages of " + folder
                        + " on " + address, null);
            }
            out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
            return out;
        } catch (ProtocolException e) {
            throw failure("FETCH of the messages of " + folder, e);
        }
    }

    /**
     * Replaces a message's flags ({@code UID STORE uid FLAGS.SILENT (...)}), as a mail client would.
     *
     * @param folder the folder
     * @param uid the message
     * @param flags its new system flags and keywords ({@code \Recent} cannot be set)
     * @throws IllegalArgumentException if a flag is not an IMAP flag
     * @throws ImapTestException if the server refuses or the connection fails
     */
    public void replaceFlags(String folder, long uid, Set<String> flags) {
        Objects.requireNonNull(folder, "folder");
        flags.forEach(RawMessage::checkFlag);
        select(folder);
        uidCommand("UID STORE " + uid + " FLAGS.SILENT (" + String.join(" ", new TreeSet<>(flags)) + ")", folder);
    }

    /**
     * Removes one message for good: marks it {@code \Deleted}, then {@code UID EXPUNGE uid}
     * (UIDPLUS). On a server without UIDPLUS a plain {@code EXPUNGE} also removes any other message
     * of the folder that was marked {@code \Deleted}.
     *
     * @param folder the folder
     * @param uid the message
     * @throws ImapTestException if the server refuses or the connection fails
     */
    public void expunge(String folder, long uid) {
        Objects.requireNonNull(folder, "folder");
        select(folder);
        uidCommand("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)", folder);
        uidCommand(hasCapability("UIDPLUS") ? "UID EXPUNGE " + uid : "EXPUNGE", folder);
    }

    private void uidCommand(String command, String folder) {
        Response[] r = conn.command(command, null);
        conn.notifyResponseHandlers(r);
        Response done = r[r.length - 1];
        if (!done.isOK()) {
            throw new ImapTestException(command + " in " + folder + " on " + address + " failed: " + answer(done), null);
        }
    }

    /**
     * @param folder a folder name
     * @return its number of messages ({@code STATUS MESSAGES})
     * @throws ImapTestException if the server refuses
     */
    public int messageCount(String folder) {
        try {
            Status s = conn.status(folder, new String[] {"MESSAGES"});
            return s.total;
        } catch (ProtocolException e) {
            throw failure("STATUS " + folder, e);
        }
    }

    /**
     * @param folder a folder name
     * @return its UIDVALIDITY ({@code STATUS UIDVALIDITY})
     * @throws ImapTestException if the server refuses
     */
    public long uidValidity(String folder) {
        try {
            return conn.status(folder, new String[] {"UIDVALIDITY"}).uidvalidity;
        } catch (ProtocolException e) {
            throw failure("STATUS " + folder, e);
        }
    }

    /**
     * Appends messages.
     *
     * @param folder the target folder; it must exist
     * @param messages the messages, appended in this order
     * @return what was stored and what the server refused
     * @throws ImapTestException if the folder cannot be selected or the connection fails
     */
    public AppendReport append(String folder, RawMessage... messages) {
        return append(folder, List.of(messages));
    }

    /**
     * Appends messages, as described in the class comment.
     *
     * @param folder the target folder; it must exist
     * @param messages the messages, appended in this order
     * @return what was stored and what the server refused (with its answer)
     * @throws ImapTestException if the folder cannot be selected or the connection fails
     */
    public AppendReport append(String folder, List<RawMessage> messages) {
        Objects.requireNonNull(folder, "folder");
        long t0 = System.nanoTime();
        if (messages.isEmpty()) {
            return AppendReport.NONE;
        }
        select(folder);
        List<AppendReport.Refusal> refusals = new ArrayList<>();
        int appended = 0;
        long bytes = 0;
        try {
            if (!conn.hasCapability("LITERAL+")) {
                for (RawMessage m : messages) {
                    int before = refusals.size();
                    appendSynchronized(folder, m, refusals);
                    if (refusals.size() == before) {
                        appended++;
                        bytes += m.size();
                    }
                }
            } else {
                List<AppendCommand> commands = batches(folder, messages, conn.hasCapability("MULTIAPPEND"));
                Response[] results = conn.appendPipelined(commands, WINDOW);
                List<AppendCommand> retry = new ArrayList<>();
                for (int i = 0; i < results.length; i++) {
                    AppendCommand c = commands.get(i);
                    if (results[i].isOK()) {
                        appended += c.messages().size();
                        bytes += c.messages().stream().mapToLong(RawMessage::size).sum();
                    } else if (c.messages().size() == 1) {
                        refusals.add(new AppendReport.Refusal(folder, c.messages().get(0).label(),
                                answer(results[i])));
                    } else {
                        // MULTIAPPEND is all or nothing (RFC 3502): find the culprit(s) one by one
                        for (RawMessage m : c.messages()) {
                            retry.add(new AppendCommand(folder, List.of(m)));
                        }
                    }
                }
                if (!retry.isEmpty()) {
                    Response[] again = conn.appendPipelined(retry, WINDOW);
                    for (int i = 0; i < again.length; i++) {
                        RawMessage m = retry.get(i).messages().get(0);
                        if (again[i].isOK()) {
                            appended++;
                            bytes += m.size();
                        } else {
                            refusals.add(new AppendReport.Refusal(folder, m.label(), answer(again[i])));
                        }
                    }
                }
            }
        } catch (IOException | ProtocolException e) {
            throw failure("APPEND to " + folder, e);
        }
        AppendReport r = new AppendReport(appended, bytes, refusals, Duration.ofNanos(System.nanoTime() - t0));
        LOG.debug("{}: {}", folder, r);
        return r;
    }

    /**
     * Loads an Enron mailbox: creates every folder (CMU's {@code inbox} becomes {@code INBOX},
     * see {@link CorpusFolder#imapName(char)}) and appends its messages in CMU's order with CRLF
     * line ends ({@link RawMessage#withCrlfLineEndings()}; nothing else is changed), no flags and
     * their {@code Date:} as INTERNALDATE.
     *
     * @param user the mailbox
     * @return the sum of the appends
     * @throws ImapTestException if a folder cannot be created or the connection fails
     */
    public AppendReport loadUser(CorpusUser user) {
        return loadUser(user, UnaryOperator.identity());
    }

    /**
     * Loads an Enron mailbox as {@link #loadUser(CorpusUser)} does, letting the caller change each
     * message first (to set flags, for instance).
     *
     * @param user the mailbox
     * @param adjust applied to each message after line-end normalisation
     * @return the sum of the appends
     * @throws ImapTestException if a folder cannot be created or the connection fails
     */
    public AppendReport loadUser(CorpusUser user, UnaryOperator<RawMessage> adjust) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(adjust, "adjust");
        char sep = separator();
        AppendReport total = AppendReport.NONE;
        long t0 = System.nanoTime();
        for (CorpusFolder f : user.folders()) {
            String name = f.imapName(sep);
            if (!name.equals("INBOX")) {
                createFolder(name);
            }
            List<RawMessage> messages = new ArrayList<>(f.messages().size());
            for (CorpusMessage m : f.messages()) {
                messages.add(adjust.apply(RawMessage.of(m).withCrlfLineEndings()));
            }
            total = total.plus(append(name, messages));
        }
        AppendReport r = new AppendReport(total.appended(), total.bytes(), total.refusals(),
                Duration.ofNanos(System.nanoTime() - t0));
        LOG.info("loaded {} into {} ({}): {}", user.name(), this.user, address, r);
        return r;
    }

    /**
     * Takes a {@link MailboxSnapshot} of every folder of the logged-in mailbox, without changing it
     * (EXAMINE, {@code BODY.PEEK[]}).
     *
     * @return the snapshot
     * @throws ImapTestException if the server refuses or the connection fails
     */
    public MailboxSnapshot snapshot() {
        return MailboxSnapshot.take(this);
    }

    /**
     * Logs out and closes the connection. Never expunges.
     */
    @Override
    public void close() {
        try {
            conn.logout();
        } catch (ProtocolException e) {
            LOG.debug("LOGOUT failed on {}: {}", address, e.toString());
        }
    }

    /** Returns server address and user; never a password. */
    @Override
    public String toString() {
        return "ImapTestClient[" + address + (user == null ? "" : ", " + user) + "]";
    }

    ImapConnection connection() {
        return conn;
    }

    /** Forgets the selected folder (after {@link MailboxSnapshot} examined another). */
    void selected(String folder) {
        this.selected = folder;
    }

    private void select(String folder) {
        if (folder.equals(selected)) {
            return;
        }
        try {
            conn.select(folder);
            selected = folder;
        } catch (ProtocolException e) {
            selected = null;
            throw failure("SELECT " + folder, e);
        }
    }

    private AppendUID appendSynchronized(String folder, RawMessage m, List<AppendReport.Refusal> refusals)
            throws ProtocolException {
        Flags flags = new Flags();
        for (String f : m.flags()) {
            switch (f.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> flags.add(Flags.Flag.SEEN);
                case "\\answered" -> flags.add(Flags.Flag.ANSWERED);
                case "\\flagged" -> flags.add(Flags.Flag.FLAGGED);
                case "\\deleted" -> flags.add(Flags.Flag.DELETED);
                case "\\draft" -> flags.add(Flags.Flag.DRAFT);
                default -> flags.add(f);
            }
        }
        Date date = m.internalDate() == null ? null : Date.from(m.internalDate().toInstant());
        byte[] bytes = m.bytes();
        try {
            return conn.appenduid(folder, flags, date, new Literal() {
                @Override
                public int size() {
                    return bytes.length;
                }

                @Override
                public void writeTo(java.io.OutputStream os) throws IOException {
                    os.write(bytes);
                }
            });
        } catch (CommandFailedException e) {
            refusals.add(new AppendReport.Refusal(folder, m.label(), e.getMessage()));
            return null;
        }
    }

    private static List<AppendCommand> batches(String folder, List<RawMessage> messages, boolean multi) {
        List<AppendCommand> out = new ArrayList<>();
        List<RawMessage> batch = new ArrayList<>();
        long size = 0;
        for (RawMessage m : messages) {
            if (!batch.isEmpty() && (!multi || batch.size() >= MESSAGES_PER_COMMAND
                    || size + m.size() > BYTES_PER_COMMAND)) {
                out.add(new AppendCommand(folder, batch));
                batch = new ArrayList<>();
                size = 0;
            }
            batch.add(m);
            size += m.size();
        }
        out.add(new AppendCommand(folder, batch));
        return out;
    }

    private static String answer(Response r) {
        String s = r.toString();
        String tag = r.getTag();
        return tag != null && s.startsWith(tag + " ") ? s.substring(tag.length() + 1) : s;
    }

    ImapTestException failure(String what, Exception e) {
        String detail = e instanceof ProtocolException pe && pe.getResponse() != null
                ? answer(pe.getResponse()) : String.valueOf(e.getMessage());
        return new ImapTestException(what + " on " + address + " failed: " + detail, e);
    }
}
