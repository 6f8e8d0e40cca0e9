package io.mailferry.testing.internal;

import java.io.ByteArrayOutputStream;

/** Byte-level line-ending helpers for raw RFC 5322 messages. */
public final class LineEndings {

    private LineEndings() {
    }

    /**
     * Turns every bare LF into CRLF; CRLF, bare CR and every other byte stay as they are.
     *
     * @param raw the message
     * @return {@code raw} itself if it has no bare LF, else a normalised copy
     */
    public static byte[] bareLfToCrlf(byte[] raw) {
        int bare = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + bare);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(raw[i]);
        }
        return out.toByteArray();
    }

    /**
     * @param raw a message
     * @return whether it contains a CR not followed by LF
     */
    public static boolean hasBareCr(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\r' && (i + 1 == raw.length || raw[i + 1] != '\n')) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param raw a message
     * @return whether it contains a NUL byte
     */
    public static boolean hasNul(byte[] raw) {
        for (byte b : raw) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
