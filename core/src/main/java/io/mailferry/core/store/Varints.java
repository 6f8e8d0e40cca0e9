package io.mailferry.core.store;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 variable-length integers, as {@link UidMap} and {@link InFlightAppend} encode them. */
final class Varints {

    private Varints() {
    }

    static void write(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /**
     * Reads one varint at {@code pos[0]} and advances it.
     *
     * @throws IllegalArgumentException       if the varint is longer than 64 bits
     * @throws ArrayIndexOutOfBoundsException if the bytes end inside it
     */
    static long read(byte[] in, int[] pos, String what) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = in[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalArgumentException("corrupt " + what + ": varint too long");
            }
        }
    }
}
