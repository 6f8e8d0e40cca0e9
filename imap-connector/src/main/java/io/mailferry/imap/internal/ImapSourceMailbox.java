package io.mailferry.imap.internal;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mailbox read over IMAP. Folders are opened with {@code EXAMINE} and bodies read with
 * {@code BODY.PEEK[]}, so nothing on the server changes (RFC 3501 sections 6.3.2 and 6.4.5).
 */
final class ImapSourceMailbox extends ImapSession implements SourceMailbox {

    private final RateLimiter rate;

    ImapSourceMailbox(ImapWire wire, ImapSettings settings, String mailbox) {
        this(wire, settings, mailbox, RateLimiter.NONE);
    }

    ImapSourceMailbox(ImapWire wire, ImapSettings settings, String mailbox, RateLimiter rate) {
        super(wire, settings, mailbox, true);
        this.rate = rate;
    }

    /**
     * Lists by sequence number: the first message above {@code afterUid} is found once (by
     * continuing from the previous page, by ESEARCH, or by a binary search over sequence numbers),
     * then {@code FETCH first:last} reads exactly one page. No command ever returns the whole
     * folder, so paging through a large folder costs O(pages) commands and O(messages) bytes.
     */
    @Override
    public List<MessageInfo> listMessages(String folder, long afterUid, int limit) {
        Objects.requireNonNull(folder, "folder");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (afterUid < 0) {
            throw new IllegalArgumentException("afterUid must not be negative: " + afterUid);
        }
        Selected s = ensureSelected(folder);
        for (int attempt = 0; ; attempt++) {
            if (wire.exists() == 0 || afterUid >= UidSets.MAX_UID) {
                return List.of();
            }
            long expungesBefore = wire.expunges();
            long first = firstSeqAbove(s, afterUid);
            if (first > wire.exists()) {
                return List.of();
            }
            long last = Math.min(wire.exists(), first + limit - 1);
            List<long[]> seqs = new ArrayList<>();
            List<MessageInfo> page = fetchInfo(s, first + ":" + last, seqs);
            if (wire.expunges() != expungesBefore && attempt < 3) {
                s.hintExpunges = -1; // sequence numbers moved while we looked: start over
                continue;
            }
            List<MessageInfo> out = new ArrayList<>();
            long hintSeq = 0;
            long hintUid = 0;
            for (int i = 0; i < page.size(); i++) {
                MessageInfo m = page.get(i);
                if (m.uid() > afterUid) {
                    out.add(m);
                }
                if (m.uid() > hintUid) {
                    hintUid = m.uid();
                    hintSeq = seqs.get(i)[0];
                }
            }
            out.sort(Comparator.comparingLong(MessageInfo::uid));
            if (out.size() > limit) {
                out = new ArrayList<>(out.subList(0, limit));
                hintUid = out.get(limit - 1).uid();
                hintSeq = 0;
                for (int i = 0; i < page.size(); i++) {
                    if (page.get(i).uid() == hintUid) {
                        hintSeq = seqs.get(i)[0];
                    }
                }
            }
            if (hintSeq > 0) {
                s.hintSeq = hintSeq;
                s.hintUid = hintUid;
                s.hintExpunges = wire.expunges();
            }
            return out;
        }
    }

    /** The sequence number of the first message with a UID above {@code afterUid}, or exists+1. */
    private long firstSeqAbove(Selected s, long afterUid) {
        if (afterUid == 0) {
            return 1;
        }
        if (s.hintExpunges == wire.expunges() && s.hintUid == afterUid && s.hintSeq > 0) {
            return s.hintSeq + 1;
        }
        if (wire.hasCapability("ESEARCH")) {
            // RFC 4731: MIN of a (non-UID) SEARCH is a sequence number. "UID n:*" also matches the
            // last message when its UID is below n (RFC 3501 section 6.4.8): callers filter by UID.
            long[] min = {-1};
            Response done = wire.run("SEARCH RETURN (MIN) UID " + (afterUid + 1) + ":*", null, r -> {
                if (r instanceof IMAPResponse ir && ir.keyEquals("ESEARCH")) {
                    String line = ir.toString();
                    int i = line.toUpperCase(java.util.Locale.ROOT).indexOf(" MIN ");
                    if (i >= 0) {
                        String n = line.substring(i + 5).trim().split("\\s+")[0];
                        min[0] = Long.parseLong(n.replaceAll("[^0-9]", ""));
                    }
                }
            });
            if (done.isOK()) {
                return min[0] > 0 ? min[0] : wire.exists() + 1;
            }
        }
        // Binary search for the first sequence number whose UID is above afterUid.
        long lo = 1;
        long hi = wire.exists() + 1;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            long uid = uidAt(mid);
            if (uid < 0 || uid > afterUid) { // (no UID: the message went away meanwhile)
                hi = mid;
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private long uidAt(long seq) {
        long[] uid = {-1};
        Response done = wire.run("FETCH " + seq + " (UID)", null, r -> {
            if (r instanceof FetchResponse fr && fr.getNumber() == seq) {
                UID u = fr.getItem(UID.class);
                if (u != null) {
                    uid[0] = u.uid;
                }
            }
        });
        if (!done.isOK()) {
            throw ImapErrors.refused("FETCH in folder '" + selected.name + "' of '" + mailbox + "'", wire.where(),
                    ServerReply.of(done));
        }
        return uid[0];
    }

    /** {@code FETCH set (UID RFC822.SIZE FLAGS INTERNALDATE [MODSEQ])}; seqs receives each message's number. */
    private List<MessageInfo> fetchInfo(Selected s, String seqSet, List<long[]> seqs) {
        boolean condstore = has(ConnectorCapability.CONDSTORE) && s.status.highestModSeq() > 0;
        String items = condstore ? "(UID RFC822.SIZE FLAGS INTERNALDATE MODSEQ)" : "(UID RFC822.SIZE FLAGS INTERNALDATE)";
        List<MessageInfo> out = new ArrayList<>();
        Response done = wire.run("FETCH " + seqSet + " " + items, null, r -> {
            if (!(r instanceof FetchResponse fr)) {
                return;
            }
            UID uid = fr.getItem(UID.class);
            RFC822SIZE size = fr.getItem(RFC822SIZE.class);
            FLAGS flags = fr.getItem(FLAGS.class);
            if (uid == null || size == null || flags == null || uid.uid <= 0) {
                return; // an unsolicited FETCH (flag change) of another message
            }
            INTERNALDATE date = fr.getItem(INTERNALDATE.class);
            MODSEQ modseq = fr.getItem(MODSEQ.class);
            Instant internalDate = date == null || date.getDate() == null ? null : date.getDate().toInstant();
            out.add(new MessageInfo(uid.uid, Math.max(0, size.size), ImapFlags.fromAngus(flags), internalDate,
                    modseq == null ? 0 : modseq.modseq));
            seqs.add(new long[] {fr.getNumber()});
        });
        if (!done.isOK()) {
            throw ImapErrors.refused("FETCH of message list in folder '" + s.name + "' of '" + mailbox + "'",
                    wire.where(), ServerReply.of(done));
        }
        return out;
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq) {
        Objects.requireNonNull(folder, "folder");
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("bad UID range " + fromUid + ":" + toUid);
        }
        Selected s = ensureSelected(folder);
        if (wire.exists() == 0 || fromUid > UidSets.MAX_UID) {
            return Map.of();
        }
        long to = Math.min(toUid, UidSets.MAX_UID);
        long since = changedSinceModSeq > 0 && has(ConnectorCapability.CONDSTORE) && s.status.highestModSeq() > 0
                ? changedSinceModSeq : 0;
        // explicit upper bound, never "n:*": no last-message surprise (RFC 3501 section 6.4.8)
        return fetchFlags(List.of(fromUid == to ? Long.toString(fromUid) : fromUid + ":" + to), since, fromUid, to);
    }

    @Override
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
}
