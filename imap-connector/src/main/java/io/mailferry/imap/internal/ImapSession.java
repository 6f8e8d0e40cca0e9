package io.mailferry.imap.internal;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What source and target sessions share: capabilities, LIST, SELECT/EXAMINE, fetching flags by
 * UID, LOGOUT. Used by one thread at a time.
 *
 * <p>{@link #selectFolder} always sends SELECT/EXAMINE, so the state it returns is the server's
 * current one (UIDNEXT and HIGHESTMODSEQ are not kept up to date by untagged responses); the other
 * operations reuse the selected folder and select only when they name another one.
 */
abstract class ImapSession implements MailboxSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    /** Longest UID set written into one command (servers limit line lengths). */
    static final int MAX_SET_CHARS = 8000;

    final ImapWire wire;
    final ImapSettings settings;
    final String mailbox;
    private final boolean readOnly;
    private Set<ConnectorCapability> capabilities;
    private Map<String, String> capabilitiesFrom;
    private boolean closed;
    /** The selected folder, or {@code null}. */
    Selected selected;
    /** The endpoint's rate limits (messages and bytes moved), shared by its sessions. */
    final RateLimiter rate;
    /** How long a state read by LIST-STATUS may stand in for a SELECT: 30 s. */
    static final long PREFETCH_TTL_NANOS = 30_000_000_000L;
    /** Folder states read by the last LIST-STATUS, by folder name; each is used once. */
    private final Map<String, Prefetched> prefetched = new HashMap<>();
    /** UIDVALIDITY reported by {@link #selectFolder} without a SELECT, to check at the SELECT. */
    private final Map<String, Long> promised = new HashMap<>();

    /** State of the selected folder. */
    static final class Selected {
        final String name;
        final FolderStatus status;
        /** Keywords PERMANENTFLAGS lists explicitly, lower case. */
        final Set<String> permanentKeywords;
        final boolean anyKeyword;
        /** Sequence number and UID of the last message listed, to continue without a search. */
        long hintSeq;
        long hintUid;
        long hintExpunges = -1;
        final Set<String> droppedKeywordsLogged = new HashSet<>();

        Selected(String name, FolderStatus status, Set<String> permanentKeywords, boolean anyKeyword) {
            this.name = name;
            this.status = status;
            this.permanentKeywords = permanentKeywords;
            this.anyKeyword = anyKeyword;
        }

        /** Whether the folder stores this keyword permanently (RFC 3501 section 7.1, PERMANENTFLAGS). */
        boolean acceptsKeyword(String keyword) {
            return anyKeyword || permanentKeywords.contains(keyword.toLowerCase(Locale.ROOT));
        }
    }

    ImapSession(ImapWire wire, ImapSettings settings, String mailbox, boolean readOnly) {
        this(wire, settings, mailbox, readOnly, RateLimiter.NONE);
    }

    ImapSession(ImapWire wire, ImapSettings settings, String mailbox, boolean readOnly, RateLimiter rate) {
        this.wire = wire;
        this.settings = settings;
        this.mailbox = mailbox;
        this.readOnly = readOnly;
        this.rate = rate;
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        Map<String, String> current = wire.capabilityMap();
        if (capabilities == null || current != capabilitiesFrom) {
            EnumSet<ConnectorCapability> set = EnumSet.noneOf(ConnectorCapability.class);
            map(set, "UIDPLUS", ConnectorCapability.UIDPLUS);
            map(set, "CONDSTORE", ConnectorCapability.CONDSTORE);
            map(set, "QRESYNC", ConnectorCapability.QRESYNC);
            map(set, "MULTIAPPEND", ConnectorCapability.MULTIAPPEND);
            map(set, "LITERAL+", ConnectorCapability.LITERAL_PLUS);
            map(set, "SPECIAL-USE", ConnectorCapability.SPECIAL_USE);
            map(set, "CREATE-SPECIAL-USE", ConnectorCapability.CREATE_SPECIAL_USE);
            map(set, "BINARY", ConnectorCapability.BINARY);
            map(set, "MOVE", ConnectorCapability.MOVE);
            map(set, "NAMESPACE", ConnectorCapability.NAMESPACE);
            map(set, "X-GM-EXT-1", ConnectorCapability.CROSS_FOLDER_IDENTITY); // Gmail: X-GM-MSGID
            map(set, "X-GM-EXT-1", ConnectorCapability.FOLDER_LABELS); // Gmail: X-GM-LABELS
            if (set.contains(ConnectorCapability.QRESYNC)) {
                set.add(ConnectorCapability.CONDSTORE); // RFC 7162 section 3.2.3: QRESYNC implies CONDSTORE
            }
            capabilities = Collections.unmodifiableSet(set);
            capabilitiesFrom = current;
        }
        return capabilities;
    }

    private void map(Set<ConnectorCapability> set, String imap, ConnectorCapability cap) {
        if (wire.hasCapability(imap)) {
            set.add(cap);
        }
    }

    boolean has(ConnectorCapability cap) {
        return capabilities().contains(cap);
    }

    @Override
    public List<FolderInfo> listFolders() {
        checkOpen();
        wire.ensureNamespace();
        boolean specialUse = wire.hasCapability("SPECIAL-USE");
        // RFC 5819: the state of every folder in the same round trip as the list. Only a source
        // uses it (see selectFolder); a target SELECTs anyway before it appends.
        boolean listStatus = readOnly && settings.listStatus() && wire.hasCapability("LIST-STATUS");
        prefetched.clear();
        List<FolderInfo> folders = null;
        if (specialUse || listStatus) {
            // RFC 6154 section 2: servers need not return special-use attributes on a plain LIST
            Argument args = listArgs();
            args.writeAtom("RETURN");
            Argument options = new Argument();
            if (specialUse) {
                options.writeAtom("SPECIAL-USE");
            }
            if (listStatus) {
                Argument items = new Argument().writeAtom("MESSAGES").writeAtom("UIDNEXT").writeAtom("UIDVALIDITY");
                if (has(ConnectorCapability.CONDSTORE)) {
                    items.writeAtom("HIGHESTMODSEQ");
                }
                options.writeAtom("STATUS");
                options.writeArgument(items);
            }
            args.writeArgument(options);
            folders = list(args, false);
            if (folders == null) {
                prefetched.clear();
            }
        }
        if (folders == null) {
            folders = list(listArgs(), true);
        }
        return order(folders);
    }

    private static Argument listArgs() {
        Argument args = new Argument();
        args.writeString("");
        args.writeString("*");
        return args;
    }

    /** Runs one LIST; returns {@code null} if the server refused it and {@code mustWork} is false. */
    private List<FolderInfo> list(Argument args, boolean mustWork) {
        List<FolderInfo> out = new ArrayList<>();
        long now = System.nanoTime();
        Response done = wire.run("LIST", args, r -> {
            if (r instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                FolderInfo f = parseList(ir);
                if (f != null) {
                    out.add(f);
                }
            } else if (r instanceof IMAPResponse ir && ir.keyEquals("STATUS")) {
                prefetch(ir, now);
            }
        });
        if (!done.isOK()) {
            if (!mustWork) {
                LOG.debug("LIST RETURN (SPECIAL-USE) refused by {}: {}", wire.where(), ServerReply.of(done));
                return null;
            }
            throw ImapErrors.refused("LIST of the folders of '" + mailbox + "'", wire.where(), ServerReply.of(done));
        }
        return out;
    }

    /** Parses {@code * LIST (attrs) "sep" name} (RFC 3501 section 7.2.2); {@code null} if unreadable. */
    private FolderInfo parseList(IMAPResponse r) {
        try {
            String[] attrs = r.readSimpleList();
            r.skipSpaces();
            char separator;
            if (r.peekByte() == '"') {
                r.readByte();
                byte b = r.readByte();
                if (b == '\\') {
                    b = r.readByte();
                }
                separator = (char) (b & 0xff);
                r.readByte(); // closing quote
            } else {
                r.readAtom(); // NIL
                separator = FolderInfo.NO_SEPARATOR;
            }
            r.skipSpaces();
            String name = r.readAtomString();
            if (name == null) {
                return null;
            }
            if (!wire.supportsUtf8()) {
                name = BASE64MailboxDecoder.decode(name);
            }
            name = normaliseInbox(name, separator);
            name = wire.fromServer(name);
            if (name == null) {
                return null; // outside the personal namespace: another user's or a shared folder
            }
            Set<String> attributes = new LinkedHashSet<>();
            FolderRole role = null;
            boolean selectable = true;
            if (attrs != null) {
                for (String a : attrs) {
                    attributes.add(a);
                    if (a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent")) {
                        selectable = false;
                    }
                    if (role == null) {
                        role = FolderRole.fromAttribute(a).orElse(null);
                    }
                }
            }
            if (name.equals("INBOX")) {
                role = FolderRole.INBOX;
            }
            return new FolderInfo(name, separator, attributes, role, selectable);
        } catch (RuntimeException e) {
            LOG.debug("Ignoring an unreadable LIST response from {}: {}", wire.where(), r, e);
            return null;
        }
    }

    /** {@code inbox} → {@code INBOX}, {@code Inbox/Sub} → {@code INBOX/Sub} (RFC 3501 section 5.1: INBOX is case-insensitive). */
    static String normaliseInbox(String name, char separator) {
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (separator != FolderInfo.NO_SEPARATOR && name.length() > 6 && name.regionMatches(true, 0, "INBOX", 0, 5)
                && name.charAt(5) == separator && !name.startsWith("INBOX")) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    /** INBOX first, then parents before children, siblings by name; duplicates dropped. */
    static List<FolderInfo> order(List<FolderInfo> folders) {
        Map<String, FolderInfo> unique = new LinkedHashMap<>();
        for (FolderInfo f : folders) {
            unique.putIfAbsent(f.name(), f);
        }
        List<FolderInfo> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparing((FolderInfo f) -> !f.isInbox()).thenComparing(ImapSession::compareBySegments));
        return Collections.unmodifiableList(out);
    }

    private static int compareBySegments(FolderInfo a, FolderInfo b) {
        List<String> x = a.segments();
        List<String> y = b.segments();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    /**
     * {@inheritDoc}
     *
     * <p>A source answers from the state the last {@link #listFolders()} read with LIST-STATUS
     * (RFC 5819) when it is younger than {@link #PREFETCH_TTL_NANOS}, without a round trip; the
     * {@code EXAMINE} is then sent only by the first call that reads the folder. So a pass that
     * finds a folder unchanged costs it no command at all. That state is at most as new as the
     * listing, which only ever makes the engine look again on its next pass, never skip a message
     * for good: it records no more than it saw. If the folder's UIDVALIDITY turns out to have
     * changed when it is examined, the call fails as a transient {@link ConnectorException} so the
     * pass starts over.
     */
    @Override
    public FolderStatus selectFolder(String folder) {
        checkOpen();
        Prefetched p = prefetched.remove(folder);
        if (p != null && System.nanoTime() - p.at < PREFETCH_TTL_NANOS
                && (selected == null || !selected.name.equals(folder))) {
            promised.put(folder, p.status.uidValidity());
            return p.status;
        }
        promised.remove(folder);
        return select(folder).status;
    }

    /** Returns the folder's state, selecting it only if it is not the selected folder. */
    Selected ensureSelected(String folder) {
        checkOpen();
        if (selected != null && selected.name.equals(folder)) {
            return selected;
        }
        Selected s = select(folder);
        Long promisedValidity = promised.remove(folder);
        if (promisedValidity != null && promisedValidity != s.status.uidValidity()) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "UIDVALIDITY of folder '" + folder
                    + "' of '" + mailbox + "' on " + wire.where() + " changed during the pass (" + promisedValidity
                    + " -> " + s.status.uidValidity() + "); starting over");
        }
        return s;
    }

    /** Keeps the state of one {@code * STATUS} response of LIST-STATUS. */
    private void prefetch(IMAPResponse r, long at) {
        try {
            Status st = new Status(r);
            if (st.mbox == null || st.uidvalidity <= 0) {
                return;
            }
            String name = wire.fromServer(st.mbox.equalsIgnoreCase("INBOX") ? "INBOX" : st.mbox);
            if (name == null) {
                return;
            }
            long count = st.total >= 0 ? st.total : 0;
            long hms = st.highestmodseq > 0 ? st.highestmodseq : 0;
            // PERMANENTFLAGS is not part of STATUS: a source does not store flags anyway
            prefetched.put(name, new Prefetched(new FolderStatus(st.uidvalidity, Math.max(0, st.uidnext), count, hms,
                    true), at));
        } catch (ParsingException | RuntimeException e) {
            LOG.debug("Ignoring an unreadable STATUS response from {}: {}", wire.where(), r, e);
        }
    }

    /** A folder state from LIST-STATUS and when it was read ({@link System#nanoTime()}). */
    private record Prefetched(FolderStatus status, long at) {
    }

    /** SELECT (target) or EXAMINE (source), with CONDSTORE when offered (RFC 7162 section 3.1.8). */
    private Selected select(String folder) {
        wire.ensureNamespace();
        selected = null; // a failed SELECT leaves no folder selected (RFC 3501 section 6.3.1)
        Argument args = new Argument();
        wire.mailbox(args, folder);
        if (has(ConnectorCapability.CONDSTORE)) {
            args.writeArgument(new Argument().writeAtom("CONDSTORE"));
        }
        long[] uidValidity = {0};
        long[] uidNext = {0};
        long[] highestModSeq = {0};
        long[] exists = {-1};
        boolean[] permanentSeen = {false};
        boolean[] anyKeyword = {false};
        Set<String> keywords = new HashSet<>();
        Response done = wire.run(readOnly ? "EXAMINE" : "SELECT", args, r -> {
            if (!(r instanceof IMAPResponse ir)) {
                return;
            }
            if (ir.keyEquals("EXISTS")) {
                exists[0] = ir.getNumber();
            } else if (ir.isOK()) {
                ir.skipSpaces();
                if (ir.readByte() != '[') {
                    return;
                }
                String code = ir.readAtom();
                if (code == null) {
                    return;
                }
                switch (code.toUpperCase(Locale.ROOT)) {
                    case "UIDVALIDITY" -> uidValidity[0] = ir.readLong();
                    case "UIDNEXT" -> uidNext[0] = ir.readLong();
                    case "HIGHESTMODSEQ" -> highestModSeq[0] = ir.readLong();
                    case "PERMANENTFLAGS" -> {
                        permanentSeen[0] = true;
                        String[] flags = ir.readSimpleList();
                        if (flags != null) {
                            for (String f : flags) {
                                if (f.equals("\\*")) {
                                    anyKeyword[0] = true;
                                } else if (!f.startsWith("\\")) {
                                    keywords.add(f.toLowerCase(Locale.ROOT));
                                }
                            }
                        }
                    }
                    default -> {
                        // UNSEEN, NOMODSEQ, READ-ONLY…: not needed
                    }
                }
            }
        });
        ServerReply reply = ServerReply.of(done);
        if (!done.isOK()) {
            String what = (readOnly ? "EXAMINE" : "SELECT") + " of folder '" + folder + "' of '" + mailbox + "'";
            ConnectorException.Kind kind = ImapErrors.kindOf(reply);
            if (kind == ConnectorException.Kind.REFUSED && !reply.hasCode("NOPERM") && done.isNO()) {
                kind = ConnectorException.Kind.FOLDER_NOT_FOUND; // most servers send no code for a missing folder
            }
            throw ImapErrors.exception(kind, what + " on " + wire.where() + " failed: " + reply, reply);
        }
        if (exists[0] < 0) {
            exists[0] = 0;
        }
        wire.exists(exists[0]);
        // RFC 3501 section 7.1: without PERMANENTFLAGS, all flags can be changed permanently
        boolean keywordsAllowed = !permanentSeen[0] || anyKeyword[0];
        FolderStatus status = new FolderStatus(uidValidity[0], uidNext[0], exists[0], highestModSeq[0], keywordsAllowed);
        selected = new Selected(folder, status, keywords, keywordsAllowed);
        return selected;
    }

    /**
     * Fetches flags of UIDs ({@code UID FETCH set (UID FLAGS)}) of the selected folder.
     *
     * @param sets         UID sets, one command each (pipelined)
     * @param changedSince RFC 7162 CHANGEDSINCE value, 0 for none
     * @param from         lowest UID to keep
     * @param to           highest UID to keep
     * @return UID → flags
     */
    Map<Long, MessageFlags> fetchFlags(List<String> sets, long changedSince, long from, long to) {
        Map<Long, MessageFlags> out = new HashMap<>();
        String items = changedSince > 0 ? " (UID FLAGS) (CHANGEDSINCE " + changedSince + ")" : " (UID FLAGS)";
        List<ImapWire.Pending> pending = new ArrayList<>();
        for (String set : sets) {
            pending.add(wire.send("UID FETCH " + set + items, null));
        }
        ConnectorException failure = null;
        for (ImapWire.Pending p : pending) {
            Response done = wire.await(p, r -> {
                if (r instanceof FetchResponse fr) {
                    UID uid = fr.getItem(UID.class);
                    org.eclipse.angus.mail.imap.protocol.FLAGS flags = fr.getItem(org.eclipse.angus.mail.imap.protocol.FLAGS.class);
                    if (uid != null && flags != null && uid.uid >= from && uid.uid <= to) {
                        out.put(uid.uid, ImapFlags.fromAngus(flags));
                    }
                }
            });
            if (!done.isOK() && failure == null) {
                failure = ImapErrors.refused("FETCH of flags in folder '" + selected.name + "' of '" + mailbox + "'",
                        wire.where(), ServerReply.of(done));
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /**
     * {@code UID FETCH from:to (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (…)])} in the selected
     * folder (RFC 3501 section 6.4.5); an explicit upper bound, never {@code *} (section 6.4.8).
     */
    @Override
    public List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        Objects.requireNonNull(folder, "folder");
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("bad UID range " + fromUid + ":" + toUid);
        }
        if (fieldNames.isEmpty()) {
            throw new IllegalArgumentException("no header field names");
        }
        for (String name : fieldNames) {
            if (!name.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("not a header field name: " + name);
            }
        }
        Selected s = ensureSelected(folder);
        if (fromUid > UidSets.MAX_UID) {
            return List.of();
        }
        long to = Math.min(toUid, UidSets.MAX_UID);
        String range = fromUid == to ? Long.toString(fromUid) : fromUid + ":" + to;
        String items = "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (" + String.join(" ", fieldNames).toUpperCase(Locale.ROOT)
                + ")])";
        List<MessageHeaders> out = new ArrayList<>();
        Response done = wire.run("UID FETCH " + range + " " + items, null, r -> {
            if (!(r instanceof FetchResponse fr)) {
                return;
            }
            UID uid = fr.getItem(UID.class);
            RFC822SIZE size = fr.getItem(RFC822SIZE.class);
            BODY body = fr.getItem(BODY.class);
            if (uid == null || size == null || body == null || uid.uid < fromUid || uid.uid > to) {
                return; // an unsolicited FETCH (a flag change) or the last message of a range past it
            }
            ByteArray data = body.getByteArray();
            byte[] fields = data == null ? new byte[0]
                    : java.util.Arrays.copyOfRange(data.getBytes(), data.getStart(), data.getStart() + data.getCount());
            out.add(new MessageHeaders(uid.uid, Math.max(0, size.size), fields));
        });
        if (!done.isOK()) {
            throw ImapErrors.refused("FETCH of header fields in folder '" + s.name + "' of '" + mailbox + "'",
                    wire.where(), ServerReply.of(done));
        }
        out.sort(Comparator.comparingLong(MessageHeaders::uid));
        return out;
    }

    /**
     * Streams messages' raw bytes ({@code BODY.PEEK[]}, so {@code \\Seen} is not set): small
     * messages in pipelined groups, large ones in partial fetches. Used by the source, and by the
     * target to hash messages it may hold already.
     *
     * @param folder   full folder name
     * @param messages the messages (UID and size)
     * @param sink     receives each message
     */
    public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(sink, "sink");
        if (messages.isEmpty()) {
            return;
        }
        ensureSelected(folder);
        List<MessageInfo> group = new ArrayList<>();
        long groupBytes = 0;
        for (MessageInfo m : messages) {
            if (m.size() > settings.streamThresholdBytes()) {
                if (!group.isEmpty()) {
                    fetchGroup(group, sink);
                    group = new ArrayList<>();
                    groupBytes = 0;
                }
                fetchStreamed(m, sink);
                continue;
            }
            if (!group.isEmpty() && groupBytes + m.size() > settings.fetchBatchBytes()) {
                fetchGroup(group, sink);
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(m);
            groupBytes += m.size();
        }
        if (!group.isEmpty()) {
            fetchGroup(group, sink);
        }
    }

    /**
     * One {@code UID FETCH set (UID BODY.PEEK[])} for a group of small messages; each is handed to
     * the sink as soon as it and those before it in the group have arrived. If the server refuses
     * the command (one unreadable message can do that), each message is fetched on its own so
     * only the bad one is reported.
     */
    private void fetchGroup(List<MessageInfo> group, MessageSink sink) {
        if (!rate.unlimited()) {
            rate.acquire(group.size(), group.stream().mapToLong(MessageInfo::size).sum());
        }
        Map<Long, ByteArray> bodies = new HashMap<>();
        int[] next = {0};
        IOException[] sinkFailure = {null};
        List<Long> uids = new ArrayList<>(group.size());
        for (MessageInfo m : group) {
            uids.add(m.uid());
        }
        List<String> sets = UidSets.format(uids, MAX_SET_CHARS);
        List<ImapWire.Pending> pending = new ArrayList<>();
        for (String set : sets) {
            pending.add(wire.send("UID FETCH " + set + " (UID BODY.PEEK[])", null));
        }
        boolean refused = false;
        String refusal = null;
        for (ImapWire.Pending p : pending) {
            Response done = wire.await(p, r -> {
                if (!(r instanceof FetchResponse fr)) {
                    return;
                }
                UID uid = fr.getItem(UID.class);
                BODY body = fr.getItem(BODY.class);
                if (uid == null || body == null || !body.getSection().isEmpty() || body.getOrigin() >= 0) {
                    return;
                }
                bodies.put(uid.uid, body.getByteArray());
                // deliver in the given order as far as possible, to keep few bodies in memory
                while (sinkFailure[0] == null && next[0] < group.size() && bodies.containsKey(group.get(next[0]).uid())) {
                    MessageInfo m = group.get(next[0]++);
                    deliver(m, bodies.remove(m.uid()), sink, sinkFailure);
                }
            });
            if (!done.isOK()) {
                refused = true;
                refusal = ServerReply.of(done).toString();
                if (ImapErrors.isThrottling(ServerReply.of(done))) {
                    throw ImapErrors.refused("FETCH in folder '" + selected.name + "' of '" + mailbox + "'", wire.where(),
                            ServerReply.of(done));
                }
            }
        }
        if (sinkFailure[0] != null) {
            throw new UncheckedIOException(sinkFailure[0]);
        }
        List<MessageInfo> rest = group.subList(next[0], group.size());
        if (refused && group.size() > 1) {
            // fetch what is left one by one: only the message the server cannot deliver fails
            for (MessageInfo m : new ArrayList<>(rest)) {
                ByteArray b = bodies.remove(m.uid());
                if (b != null) {
                    deliver(m, b, sink, sinkFailure);
                } else {
                    fetchGroup(List.of(m), sink);
                }
                if (sinkFailure[0] != null) {
                    throw new UncheckedIOException(sinkFailure[0]);
                }
            }
            return;
        }
        for (MessageInfo m : new ArrayList<>(rest)) {
            ByteArray b = bodies.remove(m.uid());
            if (b != null) {
                deliver(m, b, sink, sinkFailure);
                if (sinkFailure[0] != null) {
                    throw new UncheckedIOException(sinkFailure[0]);
                }
            } else {
                sink.failed(m, refused ? "the server refused to deliver it: " + refusal
                        : "the server returned no data for UID " + m.uid() + " (deleted meanwhile?)");
            }
        }
    }

    private static void deliver(MessageInfo m, ByteArray data, MessageSink sink, IOException[] failure) {
        try {
            InputStream in = data == null ? InputStream.nullInputStream()
                    : new ByteArrayInputStream(data.getBytes(), data.getStart(), data.getCount());
            sink.accept(m, in);
        } catch (IOException e) {
            failure[0] = e;
        }
    }

    /** A large message, read in partial fetches while the sink consumes it. */
    private void fetchStreamed(MessageInfo m, MessageSink sink) {
        rate.acquire(1, m.size());
        PartialBodyStream in = new PartialBodyStream(wire, m.uid(), m.size(), settings.streamChunkBytes());
        try {
            String failure = in.start();
            if (failure != null) {
                sink.failed(m, failure);
                return;
            }
            try {
                sink.accept(m, in);
            } catch (PartialBodyStream.MessageGoneException e) {
                in.finish();
                sink.failed(m, e.getMessage());
                return;
            } catch (IOException e) {
                in.finish();
                throw new UncheckedIOException(e);
            }
            in.finish();
        } finally {
            in.closeQuietly();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the IMAP session of '" + mailbox + "' is closed");
        }
        if (wire.isBroken()) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "The connection to " + wire.where()
                    + " for '" + mailbox + "' was lost");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (wire.isBroken()) {
            return;
        }
        try {
            wire.logout();
        } catch (Exception | LinkageError e) {
            LOG.debug("LOGOUT from {} failed", wire.where(), e);
        } finally {
            try {
                wire.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("Closing the connection to {} failed", wire.where(), e);
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + mailbox + " on " + wire.where() + "]";
    }
}
