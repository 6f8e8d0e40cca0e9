package io.mailferry.imap.internal;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mailbox read over IMAP. Folders are opened with {@code EXAMINE} and bodies read with
 * {@code BODY.PEEK[]}, so nothing on the server changes (RFC 3501 sections 6.3.2 and 6.4.5).
 */
final class ImapSourceMailbox extends ImapSession implements SourceMailbox {

    ImapSourceMailbox(ImapWire wire, ImapSettings settings, String mailbox) {
        this(wire, settings, mailbox, RateLimiter.NONE);
    }

    ImapSourceMailbox(ImapWire wire, ImapSettings settings, String mailbox, RateLimiter rate) {
        super(wire, settings, mailbox, true, rate);
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

    /**
     * {@code FETCH set (UID RFC822.SIZE FLAGS INTERNALDATE [MODSEQ] [X-GM-MSGID])}; seqs receives
     * each message's number. With Gmail's {@code X-GM-EXT-1} the message id becomes
     * {@link MessageInfo#crossFolderId()}.
     */
    private List<MessageInfo> fetchInfo(Selected s, String seqSet, List<long[]> seqs) {
        boolean condstore = has(ConnectorCapability.CONDSTORE) && s.status.highestModSeq() > 0;
        boolean gmail = has(ConnectorCapability.CROSS_FOLDER_IDENTITY);
        String items = "(UID RFC822.SIZE FLAGS INTERNALDATE" + (condstore ? " MODSEQ" : "")
                + (gmail ? " " + ImapWire.X_GM_MSGID : "") + ")";
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
            Object msgId = fr.getExtensionItems() == null ? null : fr.getExtensionItems().get(ImapWire.X_GM_MSGID);
            out.add(new MessageInfo(uid.uid, Math.max(0, size.size), ImapFlags.fromAngus(flags), internalDate,
                    modseq == null ? 0 : modseq.modseq, msgId instanceof Long id ? id : 0));
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
}
