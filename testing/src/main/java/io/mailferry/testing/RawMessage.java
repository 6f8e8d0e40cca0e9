package io.mailferry.testing;

import io.mailferry.testing.internal.ImapDates;
import io.mailferry.testing.internal.LineEndings;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A message to {@link ImapTestClient#append append}: raw RFC 5322 bytes, flags and an optional
 * INTERNALDATE. Immutable (the byte array is not copied: do not change it after handing it over).
 *
 * @param label a name for reports, e.g. the corpus path
 * @param bytes the raw message, sent unchanged
 * @param flags system flags ({@code \Seen}, {@code \Answered}, {@code \Flagged}, {@code \Deleted},
 *        {@code \Draft}) and keywords; {@code \Recent} cannot be set by a client and is refused
 * @param internalDate the INTERNALDATE to set, or {@code null} to let the server use the time of
 *        the APPEND
 */
public record RawMessage(String label, byte[] bytes, Set<String> flags, OffsetDateTime internalDate) {

    /**
     * Validates and copies the flags.
     *
     * @throws NullPointerException if {@code label}, {@code bytes} or {@code flags} is {@code null}
     * @throws IllegalArgumentException if a flag is not an IMAP atom (RFC 3501 section 9:
     *         {@code flag-keyword}, or a backslash and an atom) or is {@code \Recent}
     */
    public RawMessage {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(bytes, "bytes");
        flags = Set.copyOf(new LinkedHashSet<>(flags));
        for (String f : flags) {
            checkFlag(f);
        }
    }

    /**
     * A message without flags whose INTERNALDATE the server chooses.
     *
     * @param label a name for reports
     * @param bytes the raw message
     * @return the message
     */
    public static RawMessage of(String label, byte[] bytes) {
        return new RawMessage(label, bytes, Set.of(), null);
    }

    /**
     * A corpus message, byte for byte, without flags, with its {@code Date:} header as INTERNALDATE
     * when it has a usable one (so that loading the same corpus twice gives the same dates).
     *
     * @param message a corpus message; read now
     * @return the message, labelled with its corpus path
     */
    public static RawMessage of(CorpusMessage message) {
        byte[] b = message.bytes();
        return new RawMessage(message.path(), b, Set.of(), ImapDates.dateHeader(b).orElse(null));
    }

    /**
     * @param newFlags the flags
     * @return a copy with these flags instead
     */
    public RawMessage withFlags(String... newFlags) {
        return new RawMessage(label, bytes, Set.of(newFlags), internalDate);
    }

    /**
     * @param newFlags the flags
     * @return a copy with these flags instead
     */
    public RawMessage withFlags(Set<String> newFlags) {
        return new RawMessage(label, bytes, newFlags, internalDate);
    }

    /**
     * @param date the INTERNALDATE, or {@code null} for the server's choice
     * @return a copy with this INTERNALDATE
     */
    public RawMessage withInternalDate(OffsetDateTime date) {
        return new RawMessage(label, bytes, flags, date);
    }

    /**
     * Turns every bare LF into CRLF and leaves every other byte alone (CRLF, bare CR, 8-bit, NUL).
     * IMAP transmits messages with CRLF line ends (RFC 3501 section 2.2); the Enron corpus has
     * bare-LF bodies.
     *
     * @return a copy with CRLF line ends, or this message if it had no bare LF
     */
    public RawMessage withCrlfLineEndings() {
        byte[] n = LineEndings.bareLfToCrlf(bytes);
        return n == bytes ? this : new RawMessage(label, n, flags, internalDate);
    }

    /**
     * @return the size in bytes
     */
    public int size() {
        return bytes.length;
    }

    /**
     * @return the INTERNALDATE to set
     */
    public Optional<OffsetDateTime> internalDateIfSet() {
        return Optional.ofNullable(internalDate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMessage m && m.label.equals(label) && Arrays.equals(m.bytes, bytes)
                && m.flags.equals(flags) && Objects.equals(m.internalDate, internalDate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, Arrays.hashCode(bytes), flags, internalDate);
    }

    /** Returns label, size, flags and date; never the content. */
    @Override
    public String toString() {
        return "RawMessage[" + label + ", " + bytes.length + " bytes, flags=" + flags
                + (internalDate == null ? "" : ", internalDate=" + internalDate) + "]";
    }

    private static final List<Character> ATOM_SPECIALS =
            List.of('(', ')', '{', ' ', '%', '*', '"', '\\', ']');

    static void checkFlag(String f) {
        Objects.requireNonNull(f, "flag");
        String atom = f.startsWith("\\") ? f.substring(1) : f;
        boolean ok = !atom.isEmpty();
        for (int i = 0; ok && i < atom.length(); i++) {
            char c = atom.charAt(i);
            ok = c > 0x20 && c < 0x7f && !ATOM_SPECIALS.contains(c);
        }
        if (!ok) {
            throw new IllegalArgumentException("not an IMAP flag: '" + f + "'");
        }
        if (f.equalsIgnoreCase("\\Recent")) {
            throw new IllegalArgumentException("\\Recent cannot be set by a client (RFC 3501 section 2.3.2)");
        }
    }
}
