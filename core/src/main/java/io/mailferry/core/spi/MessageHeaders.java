package io.mailferry.core.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Some header fields of a message and its size, as IMAP returns them for
 * {@code UID FETCH … (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (…)])} (RFC 3501 section 6.4.5):
 * what the engine reads to recognise messages already on the target without fetching them whole.
 *
 * @param uid    the message's UID, positive
 * @param size   its size in bytes (RFC822.SIZE), 0 or more
 * @param fields the message's header lines of the asked-for fields, unchanged (with their
 *               continuation lines, in message order, possibly followed by an empty line); empty
 *               if it has none of them; never {@code null}. Not copied: do not change it
 */
public record MessageHeaders(long uid, long size, byte[] fields) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code fields} is {@code null}
     * @throws IllegalArgumentException if {@code uid} is not positive or {@code size} negative
     */
    public MessageHeaders {
        Objects.requireNonNull(fields, "fields");
        if (uid <= 0) {
            throw new IllegalArgumentException("uid must be positive: " + uid);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    /**
     * Picks header fields out of a raw message as {@code BODY[HEADER.FIELDS (…)]} does: the lines
     * of the header (up to the first empty line, or the whole message if it has none) whose field
     * name is one of {@code names} (ignoring case), with their continuation lines, followed by an
     * empty line. For connectors that read whole messages.
     *
     * @param uid   the message's UID
     * @param size  its size
     * @param raw   the message's bytes; read up to the end of the header, not closed
     * @param names field names, e.g. {@code Message-ID}
     * @return the fields
     * @throws IOException if reading fails
     */
    public static MessageHeaders extract(long uid, long size, InputStream raw, Collection<String> names)
            throws IOException {
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean keep = false;
        while (true) {
            line.reset();
            int b;
            while ((b = raw.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            byte[] l = line.toByteArray();
            if (l.length == 0 || isEmptyLine(l)) {
                break;
            }
            if (l[0] == ' ' || l[0] == '\t') {
                if (keep) {
                    out.write(l);
                }
            } else {
                int colon = indexOf(l, (byte) ':');
                keep = colon > 0 && wanted.contains(new String(l, 0, colon, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .strip().toLowerCase(Locale.ROOT));
                if (keep) {
                    out.write(l);
                }
            }
            if (b < 0) {
                break;
            }
        }
        out.write('\r');
        out.write('\n');
        return new MessageHeaders(uid, size, out.toByteArray());
    }

    private static boolean isEmptyLine(byte[] l) {
        return (l.length == 1 && l[0] == '\n') || (l.length == 2 && l[0] == '\r' && l[1] == '\n');
    }

    private static int indexOf(byte[] l, byte c) {
        for (int i = 0; i < l.length; i++) {
            if (l[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageHeaders h && h.uid == uid && h.size == size && Arrays.equals(h.fields, fields);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid) * 31 + Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        return "MessageHeaders[uid=" + uid + ", size=" + size + ", " + fields.length + " bytes of fields]";
    }
}
