package io.mailferry.testing;

import io.mailferry.testing.internal.ImapConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import jakarta.mail.Flags;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * What a mailbox holds, as seen over IMAP: per folder, every message's SHA-256 of its raw bytes
 * ({@code BODY.PEEK[]}), size, flags (without {@code \Recent}) and INTERNALDATE. Taking a snapshot
 * never changes the mailbox (folders are opened with EXAMINE, bodies fetched with
 * {@code BODY.PEEK[]}, so {@code \Seen} is never set). Immutable and thread-safe.
 *
 * <p>{@link #compare(MailboxSnapshot, MailboxSnapshot)} checks that a target holds exactly what a
 * source holds: the same multiset of messages per folder, with the same flags and dates.
 */
public final class MailboxSnapshot {

    private static final int FETCH_CHUNK = 250;
    private static final Set<String> SPECIAL_USE =
            Set.of("\\sent", "\\drafts", "\\trash", "\\junk", "\\archive", "\\all", "\\flagged");

    /**
     * One message.
     *
     * @param uid its UID in the folder
     * @param sha256 the SHA-256 of {@code BODY[]}, lower-case hex
     * @param size {@code BODY[]}'s length in bytes
     * @param flags system flags and keywords, without {@code \Recent}, sorted
     * @param internalDate the INTERNALDATE (second precision)
     */
    public record Message(long uid, String sha256, long size, Set<String> flags, Instant internalDate) {
        /** Validates and copies. */
        public Message {
            Objects.requireNonNull(sha256, "sha256");
            flags = Collections.unmodifiableSet(new TreeSet<>(flags));
            Objects.requireNonNull(internalDate, "internalDate");
        }

        /** Returns a short form: uid, hash prefix, size, flags, date. */
        @Override
        public String toString() {
            return "uid " + uid + " " + sha256.substring(0, 12) + "… (" + size + " bytes) " + flags + " " + internalDate;
        }
    }

    /**
     * One folder.
     *
     * @param name the decoded folder name
     * @param selectable whether it can hold messages (no {@code \Noselect})
     * @param attributes its LIST attributes, e.g. {@code \HasChildren}, {@code \Sent} (RFC 6154)
     * @param messages its messages in UID order; empty if not selectable
     */
    public record Folder(String name, boolean selectable, Set<String> attributes, List<Message> messages) {
        /** Validates and copies. */
        public Folder {
            Objects.requireNonNull(name, "name");
            attributes = Set.copyOf(attributes);
            messages = List.copyOf(messages);
        }

        /**
         * A folder without LIST attributes (for snapshots built by hand).
         *
         * @param name the folder name
         * @param selectable whether it can hold messages
         * @param messages its messages
         */
        public Folder(String name, boolean selectable, List<Message> messages) {
            this(name, selectable, Set.of(), messages);
        }

        /**
         * @return its special-use attribute ({@code \Sent}, {@code \Drafts}, {@code \Trash},
         *         {@code \Junk}, {@code \Archive}, {@code \All}, {@code \Flagged}), if any
         */
        public Optional<String> specialUse() {
            return attributes.stream().filter(a -> SPECIAL_USE.contains(a.toLowerCase(java.util.Locale.ROOT)))
                    .findFirst();
        }

        /**
         * @return SHA-256 → number of messages with it
         */
        public Map<String, Integer> sha256Counts() {
            Map<String, Integer> m = new TreeMap<>();
            for (Message msg : messages) {
                m.merge(msg.sha256(), 1, Integer::sum);
            }
            return m;
        }
    }

    private final char separator;
    private final Map<String, Folder> folders;

    /**
     * @param separator the hierarchy separator the folder names use
     * @param folders the folders
     */
    public MailboxSnapshot(char separator, List<Folder> folders) {
        this.separator = separator;
        Map<String, Folder> m = new TreeMap<>();
        for (Folder f : folders) {
            if (m.put(f.name(), f) != null) {
                throw new IllegalArgumentException("folder twice: " + f.name());
            }
        }
        this.folders = Collections.unmodifiableMap(m);
    }

    /**
     * Snapshots the mailbox a client is logged in to.
     *
     * @param client an authenticated client
     * @return the snapshot
     * @throws ImapTestException if the server refuses or the connection fails
     */
    public static MailboxSnapshot take(ImapTestClient client) {
        char sep = client.separator();
        List<Folder> out = new ArrayList<>();
        ImapConnection conn = client.connection();
        for (ImapTestClient.Folder f : client.listFolders()) {
            if (!f.selectable()) {
                out.add(new Folder(f.name(), false, f.attributes(), List.of()));
                continue;
            }
            try {
                MailboxInfo info = conn.examine(f.name());
                client.selected(null);
                out.add(new Folder(f.name(), true, f.attributes(), fetchAll(conn, info.total)));
            } catch (ProtocolException e) {
                throw client.failure("snapshot of " + f.name(), e);
            }
        }
        return new MailboxSnapshot(sep, out);
    }

    private static List<Message> fetchAll(ImapConnection conn, int total) throws ProtocolException {
        List<Message> out = new ArrayList<>(total);
        for (int start = 1; start <= total; start += FETCH_CHUNK) {
            int end = Math.min(total, start + FETCH_CHUNK - 1);
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
                    out.add(new Message(uid.uid, sha256(ba), ba.getCount(), flagNames(flags),
                            date.getDate().toInstant()));
                }
            }
        }
        if (out.size() != total) {
            throw new ProtocolException("fetched " + out.size() + " of " + total + " messages");
        }
        out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return out;
    }

    static Set<String> flagNames(Flags flags) {
        Set<String> out = new TreeSet<>();
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) {
                out.add("\\Seen");
            } else if (f == Flags.Flag.ANSWERED) {
                out.add("\\Answered");
            } else if (f == Flags.Flag.FLAGGED) {
                out.add("\\Flagged");
            } else if (f == Flags.Flag.DELETED) {
                out.add("\\Deleted");
            } else if (f == Flags.Flag.DRAFT) {
                out.add("\\Draft");
            }
            // \Recent is session state; USER (\*) never appears on a message
        }
        Collections.addAll(out, flags.getUserFlags());
        return out;
    }

    private static String sha256(ByteArray ba) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ba.getBytes(), ba.getStart(), ba.getCount());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param bytes raw bytes
     * @return their SHA-256, lower-case hex, as {@link Message#sha256()} computes it
     */
    public static String sha256(byte[] bytes) {
        return sha256(new ByteArray(bytes, 0, bytes.length));
    }

    /**
     * @return the hierarchy separator of the folder names
     */
    public char separator() {
        return separator;
    }

    /**
     * @return the folders by name, sorted
     */
    public Map<String, Folder> folders() {
        return folders;
    }

    /**
     * @param name a folder name
     * @return that folder
     */
    public Optional<Folder> folder(String name) {
        return Optional.ofNullable(folders.get(name));
    }

    /**
     * @return the number of messages in all folders
     */
    public int messageCount() {
        return folders.values().stream().mapToInt(f -> f.messages().size()).sum();
    }

    /**
     * Compares a target with its source, translating folder names from the source's hierarchy
     * separator to the target's ({@code a/b} → {@code a.b}).
     *
     * @param source what should have been copied
     * @param target what was copied
     * @return the differences
     */
    public static SnapshotComparison compare(MailboxSnapshot source, MailboxSnapshot target) {
        return compare(source, target, separatorMapping(source.separator(), target.separator()));
    }

    /**
     * Compares a target with its source. Every selectable source folder must exist on the target
     * under the mapped name, holding the same multiset of messages (by SHA-256) with the same flags
     * and INTERNALDATEs (compared as instants). Target folders no source folder maps to are
     * reported as unexpected if they hold messages and listed as extra if empty (servers create
     * default folders); only the former make the comparison fail.
     *
     * @param source what should have been copied
     * @param target what was copied
     * @param folderNameMapping source folder name → target folder name
     * @return the differences
     */
    public static SnapshotComparison compare(MailboxSnapshot source, MailboxSnapshot target,
            UnaryOperator<String> folderNameMapping) {
        Objects.requireNonNull(folderNameMapping, "folderNameMapping");
        List<SnapshotComparison.FolderDifference> diffs = new ArrayList<>();
        List<String> missingFolders = new ArrayList<>();
        Set<String> mappedTargets = new TreeSet<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Folder s : source.folders.values()) {
            String t = folderNameMapping.apply(s.name());
            mappedTargets.add(t);
            if (!s.selectable()) {
                continue;
            }
            Folder tf = target.folders.get(t);
            if (tf == null || !tf.selectable()) {
                missingFolders.add(s.name() + " → " + t);
                if (!s.messages().isEmpty()) {
                    diffs.add(SnapshotComparison.FolderDifference.of(s.name(), t, s.messages(), List.of()));
                }
                continue;
            }
            pairs.put(s.name(), t);
            SnapshotComparison.FolderDifference d =
                    SnapshotComparison.FolderDifference.of(s.name(), t, s.messages(), tf.messages());
            if (!d.isEmpty()) {
                diffs.add(d);
            }
        }
        List<String> unexpectedFolders = new ArrayList<>();
        List<String> extraEmptyFolders = new ArrayList<>();
        for (Folder t : target.folders.values()) {
            if (mappedTargets.contains(t.name())) {
                continue;
            }
            if (t.messages().isEmpty()) {
                extraEmptyFolders.add(t.name());
            } else {
                unexpectedFolders.add(t.name());
                diffs.add(SnapshotComparison.FolderDifference.of(null, t.name(), List.of(), t.messages()));
            }
        }
        return new SnapshotComparison(source.messageCount(), target.messageCount(), pairs.size(),
                missingFolders, unexpectedFolders, extraEmptyFolders, diffs);
    }

    /**
     * A folder name mapping between hierarchy separators: splits at {@code from}, joins with
     * {@code to}.
     *
     * @param from the source separator
     * @param to the target separator
     * @return the mapping (identity if both are equal)
     */
    public static UnaryOperator<String> separatorMapping(char from, char to) {
        if (from == to) {
            return UnaryOperator.identity();
        }
        return name -> name.replace(from, to);
    }

    /** Returns a summary: message count and per-folder counts. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MailboxSnapshot[separator '" + separator + "', "
                + messageCount() + " messages in " + folders.size() + " folders");
        folders.values().forEach(f -> b.append(", ").append(f.name()).append('=')
                .append(f.selectable() ? String.valueOf(f.messages().size()) : "\\Noselect"));
        return b.append(']').toString();
    }
}
