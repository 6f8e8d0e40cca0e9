package io.mailferry.imap.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * IMAP sequence sets of UIDs (RFC 3501 section 9, {@code sequence-set}; RFC 4315 {@code uid-set}).
 */
final class UidSets {

    /** The largest UID: UIDs are unsigned 32-bit numbers (RFC 3501 section 2.3.1.1). */
    static final long MAX_UID = 0xFFFF_FFFFL;

    private UidSets() {
    }

    /**
     * Writes UIDs compactly, runs as ranges: {@code [1, 2, 3, 5, 7, 8]} → {@code 1:3,5,7:8}.
     *
     * @param uids positive UIDs in any order, duplicates allowed; not empty
     * @return the set
     * @throws IllegalArgumentException if {@code uids} is empty or holds a UID out of range
     */
    static String format(Collection<Long> uids) {
        List<String> chunks = format(uids, Integer.MAX_VALUE);
        return chunks.get(0);
    }

    /**
     * Writes UIDs compactly, split into sets of at most {@code maxChars} characters (a long command
     * line may be refused: servers limit line lengths, e.g. Dovecot to 64 kB).
     *
     * @param uids     positive UIDs in any order, duplicates allowed; not empty
     * @param maxChars longest set wanted (a single range is never split), at least 1
     * @return one or more sets, covering the UIDs in ascending order
     * @throws IllegalArgumentException if {@code uids} is empty or holds a UID out of range
     */
    static List<String> format(Collection<Long> uids, int maxChars) {
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("no UIDs");
        }
        TreeSet<Long> sorted = new TreeSet<>(uids);
        if (sorted.first() < 1 || sorted.last() > MAX_UID) {
            throw new IllegalArgumentException("UID out of range 1-" + MAX_UID + ": " + sorted);
        }
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long prev = -1;
        for (long uid : sorted) {
            if (start < 0) {
                start = uid;
            } else if (uid != prev + 1) {
                append(out, sb, start, prev, maxChars);
                start = uid;
            }
            prev = uid;
        }
        append(out, sb, start, prev, maxChars);
        out.add(sb.toString());
        return out;
    }

    private static void append(List<String> out, StringBuilder sb, long start, long end, int maxChars) {
        String range = start == end ? Long.toString(start) : start + ":" + end;
        if (sb.length() > 0 && sb.length() + 1 + range.length() > maxChars) {
            out.add(sb.toString());
            sb.setLength(0);
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(range);
    }

    /**
     * Expands a set in the order written: {@code 4:6,9} → {@code [4, 5, 6, 9]}; a range written
     * high to low ({@code 6:4}) expands high to low. Used for APPENDUID, whose UIDs follow the
     * order of the appended messages (RFC 4315 section 3).
     *
     * @param set a sequence set of numbers, no {@code *}
     * @return the numbers
     * @throws IllegalArgumentException if the text is not such a set, or expands to more than
     *                                  100,000 numbers
     */
    static List<Long> parse(String set) {
        List<Long> out = new ArrayList<>();
        if (set == null || set.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        for (String part : set.split(",", -1)) {
            int colon = part.indexOf(':');
            try {
                if (colon < 0) {
                    out.add(uid(part));
                } else {
                    long a = uid(part.substring(0, colon));
                    long b = uid(part.substring(colon + 1));
                    long step = a <= b ? 1 : -1;
                    if (Math.abs(b - a) + out.size() >= 100_000) {
                        throw new IllegalArgumentException("UID set too large: " + part);
                    }
                    for (long u = a; ; u += step) {
                        out.add(u);
                        if (u == b) {
                            break;
                        }
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a UID set: " + set);
            }
        }
        return out;
    }

    private static long uid(String s) {
        long n = Long.parseLong(s);
        if (n < 1 || n > MAX_UID) {
            throw new NumberFormatException(s);
        }
        return n;
    }
}
