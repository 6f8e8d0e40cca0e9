package io.mailferry.core.engine;

import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Finds which source messages of a folder are already in its target folder: reads the
 * fingerprint fields of both sides in bulk ({@link MailboxSession#fetchHeaders}), range by range so
 * a large folder is never held whole, and lets {@link MessageMatcher} pair them, hashing the
 * bodies of only the messages fingerprints cannot tell apart.
 *
 * <p>Costs a header fetch of both folders: used only where a checkpoint cannot say what was
 * copied (none, a changed source UIDVALIDITY, an interrupted append).
 */
final class ExistingCopies {

    /** The highest UID IMAP allows (RFC 3501 section 9, nz-number). */
    static final long MAX_UID = 4_294_967_295L;
    /** UIDs asked for per header fetch at first; doubled while ranges come back sparse. */
    private static final long FIRST_RANGE = 20_000;

    private final SourceMailbox src;
    private final String sourceFolder;
    private final TargetMailbox dst;
    private final String targetFolder;
    private final Runnable checkInterrupted;

    ExistingCopies(SourceMailbox src, String sourceFolder, TargetMailbox dst, String targetFolder,
                   Runnable checkInterrupted) {
        this.src = src;
        this.sourceFolder = sourceFolder;
        this.dst = dst;
        this.targetFolder = targetFolder;
        this.checkInterrupted = checkInterrupted;
    }

    /**
     * Pairs source messages with their copies on the target.
     *
     * @param sourceFrom   lowest source UID to consider
     * @param sourceTo     highest source UID to consider
     * @param sourceWanted which source UIDs of that range to consider
     * @param targetFrom   lowest target UID to consider
     * @param targetTo     highest target UID to consider
     * @param targetWanted which target UIDs of that range to consider
     * @return the pairs, or {@code null} if the target connector cannot read messages
     */
    MessageMatcher.Result find(long sourceFrom, long sourceTo, LongPredicate sourceWanted,
                               long targetFrom, long targetTo, LongPredicate targetWanted) {
        List<MessageFingerprint> targets;
        try {
            targets = scan(dst, targetFolder, targetFrom, targetTo, targetWanted);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (targets.isEmpty()) {
            return new MessageMatcher.Result(Map.of(), 0);
        }
        List<MessageFingerprint> sources = scan(src, sourceFolder, sourceFrom, sourceTo, sourceWanted);
        if (sources.isEmpty()) {
            return new MessageMatcher.Result(Map.of(), 0);
        }
        return MessageMatcher.match(sources, targets,
                messages -> hash(messages, (infos, sink) -> src.fetchMessages(sourceFolder, infos, sink)),
                messages -> {
                    try {
                        return hash(messages, (infos, sink) -> dst.fetchMessages(targetFolder, infos, sink));
                    } catch (UnsupportedOperationException e) {
                        return Map.of(); // bodies unreadable: ambiguous messages stay unpaired
                    }
                });
    }

    private List<MessageFingerprint> scan(MailboxSession session, String folder, long from, long to,
                                          LongPredicate wanted) {
        List<MessageFingerprint> out = new ArrayList<>();
        long step = FIRST_RANGE;
        long lo = Math.max(1, from);
        long end = Math.min(to, MAX_UID);
        while (lo <= end) {
            checkInterrupted.run();
            long hi = Math.min(end, lo + step - 1);
            List<MessageHeaders> headers = session.fetchHeaders(folder, lo, hi, MessageFingerprint.FIELDS);
            for (MessageHeaders h : headers) {
                if (h.uid() >= lo && h.uid() <= hi && wanted.test(h.uid())) {
                    out.add(MessageFingerprint.of(h));
                }
            }
            if (headers.size() < step / 4) {
                step = Math.min(step * 2, 1L << 26);
            }
            lo = hi + 1;
        }
        return out;
    }

    @FunctionalInterface
    private interface Fetch {
        void run(List<MessageInfo> messages, MessageSink sink);
    }

    private Map<Long, String> hash(List<MessageFingerprint> messages, Fetch fetch) {
        List<MessageInfo> infos = new ArrayList<>(messages.size());
        for (MessageFingerprint m : messages) {
            infos.add(new MessageInfo(m.uid(), m.size(), MessageFlags.NONE, null, 0));
        }
        infos.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        Map<Long, String> out = new HashMap<>();
        checkInterrupted.run();
        fetch.run(infos, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                MessageDigest sha = sha256();
                new DigestInputStream(content, sha).transferTo(java.io.OutputStream.nullOutputStream());
                out.put(message.uid(), HexFormat.of().formatHex(sha.digest()));
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                // unreadable: cannot be paired
            }
        });
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
