package io.mailferry.core.store;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An append whose outcome is not yet checkpointed: written to the store <em>before</em> the engine
 * sends a chunk of messages to the target, cleared by the checkpoint that records the chunk's
 * copies. Found on resume, it says which source messages may or may not be on the target already
 * and where to look for them: target messages with a UID of at least {@code targetUidNext} in a
 * target folder whose UIDVALIDITY is still {@code targetUidValidity} (RFC 3501 section 2.3.1.1:
 * UIDs are assigned in ascending order).
 *
 * @param sourceUids        the source UIDs being appended, ascending, not empty
 * @param targetUidValidity the target folder's UIDVALIDITY before the append, 0 if unknown
 * @param targetUidNext     a lower bound of the target UIDs the append can produce (the target
 *                          folder's UIDNEXT before the append, or higher than every UID of
 *                          earlier appends), 0 if unknown: then every target message is a
 *                          candidate
 */
public record InFlightAppend(List<Long> sourceUids, long targetUidValidity, long targetUidNext) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if {@code sourceUids} is or holds {@code null}
     * @throws IllegalArgumentException if {@code sourceUids} is empty, not ascending or not
     *                                  positive, or a number is negative
     */
    public InFlightAppend {
        sourceUids = List.copyOf(sourceUids);
        if (sourceUids.isEmpty()) {
            throw new IllegalArgumentException("an in-flight append has at least one source UID");
        }
        long previous = 0;
        for (long uid : sourceUids) {
            if (uid <= previous) {
                throw new IllegalArgumentException("source UIDs must be positive and ascending: " + sourceUids);
            }
            previous = uid;
        }
        if (targetUidValidity < 0 || targetUidNext < 0) {
            throw new IllegalArgumentException("negative UIDVALIDITY or UIDNEXT");
        }
    }

    /** Returns the lowest source UID. */
    public long firstSourceUid() {
        return sourceUids.get(0);
    }

    /** Returns the highest source UID. */
    public long lastSourceUid() {
        return sourceUids.get(sourceUids.size() - 1);
    }

    /**
     * Encodes the source UIDs compactly (a count, then the gaps between them as unsigned LEB128
     * varints): what stores persist.
     *
     * @return the encoded UIDs
     */
    public byte[] encodeSourceUids() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + sourceUids.size() * 2);
        Varints.write(out, sourceUids.size());
        long previous = 0;
        for (long uid : sourceUids) {
            Varints.write(out, uid - previous);
            previous = uid;
        }
        return out.toByteArray();
    }

    /**
     * Decodes what {@link #encodeSourceUids()} wrote.
     *
     * @param bytes the encoded UIDs, not {@code null}
     * @return the UIDs, ascending
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    public static List<Long> decodeSourceUids(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int[] pos = {0};
        try {
            long n = Varints.read(bytes, pos, "in-flight UIDs");
            if (n <= 0 || n > bytes.length) {
                throw new IllegalArgumentException("corrupt in-flight UIDs: " + n + " UIDs in " + bytes.length + " bytes");
            }
            List<Long> out = new ArrayList<>((int) n);
            long previous = 0;
            for (long i = 0; i < n; i++) {
                long gap = Varints.read(bytes, pos, "in-flight UIDs");
                if (gap <= 0) {
                    throw new IllegalArgumentException("corrupt in-flight UIDs: not ascending");
                }
                previous += gap;
                out.add(previous);
            }
            if (pos[0] != bytes.length) {
                throw new IllegalArgumentException("corrupt in-flight UIDs: trailing bytes");
            }
            return List.copyOf(out);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("corrupt in-flight UIDs: truncated", e);
        }
    }
}
