package io.mailferry.core.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which source UID became which target UID in one folder: an immutable, compact map stored as runs
 * of consecutive pairs ({@code source s..s+n-1 → target t..t+n-1}). A folder copied in one pass
 * into a target that reports {@code APPENDUID} (RFC 4315) is one run, whatever its size.
 *
 * <p>A target UID of 0 means "copied, target UID unknown" (the target had no UIDPLUS).
 *
 * <p>{@link #encode()} writes the runs as variable-length integers; {@link #decode(byte[])} reads
 * them back. That form is what stores persist.
 */
public final class UidMap {

    /** The empty map. */
    public static final UidMap EMPTY = new UidMap(new long[0], new long[0], new long[0], 0);

    private final long[] sourceStart;
    private final long[] targetStart;
    private final long[] length;
    private final long size;

    private UidMap(long[] sourceStart, long[] targetStart, long[] length, long size) {
        this.sourceStart = sourceStart;
        this.targetStart = targetStart;
        this.length = length;
        this.size = size;
    }

    /** Returns the number of mapped source UIDs. */
    public long size() {
        return size;
    }

    /** Returns {@code true} if nothing is mapped. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the number of runs (what the encoded form costs). */
    public int runCount() {
        return sourceStart.length;
    }

    /** Returns the highest mapped source UID, or 0 if empty. */
    public long highestSourceUid() {
        int n = sourceStart.length;
        return n == 0 ? 0 : sourceStart[n - 1] + length[n - 1] - 1;
    }

    /**
     * @param sourceUid a source UID
     * @return {@code true} if it is mapped (its target UID may still be unknown)
     */
    public boolean containsSource(long sourceUid) {
        return run(sourceUid) >= 0;
    }

    /**
     * @param sourceUid a source UID
     * @return its target UID; 0 if mapped with an unknown target UID; -1 if not mapped
     */
    public long targetUid(long sourceUid) {
        int r = run(sourceUid);
        if (r < 0) {
            return -1;
        }
        return targetStart[r] == 0 ? 0 : targetStart[r] + (sourceUid - sourceStart[r]);
    }

    private int run(long sourceUid) {
        int lo = 0;
        int hi = sourceStart.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sourceUid < sourceStart[mid]) {
                hi = mid - 1;
            } else if (sourceUid >= sourceStart[mid] + length[mid]) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Receives the pairs of a map. */
    @FunctionalInterface
    public interface PairConsumer {
        /**
         * @param sourceUid the source UID
         * @param targetUid the target UID, 0 if unknown
         */
        void accept(long sourceUid, long targetUid);
    }

    /**
     * Calls {@code consumer} for every pair, in ascending source UID order.
     *
     * @param consumer receives the pairs
     */
    public void forEach(PairConsumer consumer) {
        for (int r = 0; r < sourceStart.length; r++) {
            for (long i = 0; i < length[r]; i++) {
                consumer.accept(sourceStart[r] + i, targetStart[r] == 0 ? 0 : targetStart[r] + i);
            }
        }
    }

    /**
     * Calls {@code consumer} for every pair whose source UID is in {@code [from, to]}.
     *
     * @param from     lowest source UID
     * @param to       highest source UID
     * @param consumer receives the pairs
     */
    public void forEachInRange(long from, long to, PairConsumer consumer) {
        for (int r = 0; r < sourceStart.length; r++) {
            long s = Math.max(from, sourceStart[r]);
            long e = Math.min(to, sourceStart[r] + length[r] - 1);
            for (long u = s; u <= e; u++) {
                consumer.accept(u, targetStart[r] == 0 ? 0 : targetStart[r] + (u - sourceStart[r]));
            }
        }
    }

    /** Returns a builder holding this map's pairs, to add more. */
    public Builder toBuilder() {
        return new Builder().putAll(this);
    }

    /** Returns a new empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Encodes the runs compactly: a count, then per run the gap from the previous run's end,
     * the zig-zag delta of the target start, and the length, all as unsigned LEB128 varints.
     *
     * @return the encoded bytes
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + sourceStart.length * 6);
        Varints.write(out, sourceStart.length);
        long prevSourceEnd = 0;
        long prevTarget = 0;
        for (int r = 0; r < sourceStart.length; r++) {
            Varints.write(out, sourceStart[r] - prevSourceEnd);
            long delta = targetStart[r] - prevTarget;
            Varints.write(out, (delta << 1) ^ (delta >> 63));
            Varints.write(out, length[r]);
            prevSourceEnd = sourceStart[r] + length[r];
            prevTarget = targetStart[r] == 0 ? prevTarget : targetStart[r] + length[r];
        }
        return out.toByteArray();
    }

    /**
     * Decodes what {@link #encode()} wrote.
     *
     * @param bytes the encoded form, not {@code null}
     * @return the map
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    public static UidMap decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int[] pos = {0};
        try {
            long n = Varints.read(bytes, pos, "UID map");
            if (n < 0 || n > bytes.length) {
                throw new IllegalArgumentException("corrupt UID map: " + n + " runs in " + bytes.length + " bytes");
            }
            long[] s = new long[(int) n];
            long[] t = new long[(int) n];
            long[] l = new long[(int) n];
            long prevSourceEnd = 0;
            long prevTarget = 0;
            long size = 0;
            for (int r = 0; r < n; r++) {
                long gap = Varints.read(bytes, pos, "UID map");
                s[r] = prevSourceEnd + gap;
                long z = Varints.read(bytes, pos, "UID map");
                t[r] = prevTarget + ((z >>> 1) ^ -(z & 1));
                l[r] = Varints.read(bytes, pos, "UID map");
                // A negative gap (a varint with bit 63 set) would make runs overlap and break lookups.
                if (gap < 0 || l[r] <= 0 || s[r] <= 0 || t[r] < 0 || s[r] > Long.MAX_VALUE - l[r]) {
                    throw new IllegalArgumentException("corrupt UID map: run " + r);
                }
                prevSourceEnd = s[r] + l[r];
                prevTarget = t[r] == 0 ? prevTarget : t[r] + l[r];
                size += l[r];
            }
            if (pos[0] != bytes.length) {
                throw new IllegalArgumentException("corrupt UID map: trailing bytes");
            }
            return new UidMap(s, t, l, size);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("corrupt UID map: truncated", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidMap m && Arrays.equals(sourceStart, m.sourceStart)
                && Arrays.equals(targetStart, m.targetStart) && Arrays.equals(length, m.length);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sourceStart) * 31 + Arrays.hashCode(targetStart);
    }

    @Override
    public String toString() {
        return "UidMap[size=" + size + ", runs=" + sourceStart.length + "]";
    }

    /**
     * Collects pairs; cheapest when they come in ascending source UID order (as copies do). Not
     * thread-safe.
     */
    public static final class Builder {
        private long[] s = new long[8];
        private long[] t = new long[8];
        private long[] l = new long[8];
        private int n;
        private boolean sorted = true;

        private Builder() {
        }

        /**
         * Adds a pair; a later pair for the same source UID replaces the earlier one.
         *
         * @param sourceUid source UID, positive
         * @param targetUid target UID, or 0 if unknown
         * @return this builder
         * @throws IllegalArgumentException if a UID is out of range
         */
        public Builder put(long sourceUid, long targetUid) {
            if (sourceUid <= 0 || targetUid < 0) {
                throw new IllegalArgumentException("invalid UID pair " + sourceUid + "->" + targetUid);
            }
            if (n > 0) {
                long end = s[n - 1] + l[n - 1];
                boolean targetFollows = t[n - 1] == 0 ? targetUid == 0 : targetUid == t[n - 1] + l[n - 1];
                if (sourceUid == end && targetFollows) {
                    l[n - 1]++;
                    return this;
                }
                if (sourceUid < end) {
                    sorted = false;
                }
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                t = Arrays.copyOf(t, n * 2);
                l = Arrays.copyOf(l, n * 2);
            }
            s[n] = sourceUid;
            t[n] = targetUid;
            l[n] = 1;
            n++;
            return this;
        }

        /**
         * Adds every pair of a map.
         *
         * @param map the pairs to add
         * @return this builder
         */
        public Builder putAll(UidMap map) {
            for (int r = 0; r < map.sourceStart.length; r++) {
                putRun(map.sourceStart[r], map.targetStart[r], map.length[r]);
            }
            return this;
        }

        /** Adds a run: in O(1) when it lies above every pair so far, else pair by pair. */
        private void putRun(long sourceStart, long targetStart, long length) {
            if (n > 0 && sourceStart < s[n - 1] + l[n - 1]) {
                for (long i = 0; i < length; i++) {
                    put(sourceStart + i, targetStart == 0 ? 0 : targetStart + i);
                }
                return;
            }
            put(sourceStart, targetStart);
            l[n - 1] += length - 1;
        }

        /** Returns the map. The builder can be used further. */
        public UidMap build() {
            if (!sorted) {
                return normalise();
            }
            long size = 0;
            for (int i = 0; i < n; i++) {
                size += l[i];
            }
            return new UidMap(Arrays.copyOf(s, n), Arrays.copyOf(t, n), Arrays.copyOf(l, n), size);
        }

        private UidMap normalise() {
            java.util.TreeMap<Long, Long> pairs = new java.util.TreeMap<>();
            for (int r = 0; r < n; r++) {
                for (long i = 0; i < l[r]; i++) {
                    pairs.put(s[r] + i, t[r] == 0 ? 0 : t[r] + i);
                }
            }
            Builder b = new Builder();
            pairs.forEach(b::put);
            return b.build();
        }
    }
}
