package io.mailferry.imap.internal;

import io.mailferry.core.spi.MessageFlags;
import jakarta.mail.Flags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Conversions between {@link MessageFlags} and IMAP flag lists (RFC 3501 section 9: {@code flag-list}).
 */
final class ImapFlags {

    private ImapFlags() {
    }

    /**
     * Converts flags parsed by Angus ({@code FLAGS} fetch item). {@code \Recent} is dropped by
     * {@link MessageFlags}; keywords keep their case.
     *
     * @param flags parsed flags
     * @return the flags
     */
    static MessageFlags fromAngus(Flags flags) {
        List<String> out = new ArrayList<>();
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) {
                out.add(MessageFlags.SEEN);
            } else if (f == Flags.Flag.ANSWERED) {
                out.add(MessageFlags.ANSWERED);
            } else if (f == Flags.Flag.FLAGGED) {
                out.add(MessageFlags.FLAGGED);
            } else if (f == Flags.Flag.DELETED) {
                out.add(MessageFlags.DELETED);
            } else if (f == Flags.Flag.DRAFT) {
                out.add(MessageFlags.DRAFT);
            }
            // RECENT is session state; USER (\*) only appears in PERMANENTFLAGS
        }
        for (String k : flags.getUserFlags()) {
            out.add(k);
        }
        return MessageFlags.of(out);
    }

    /**
     * Whether a keyword can be sent as an IMAP {@code flag-keyword} (an atom: printable US-ASCII
     * without {@code ( ) { % * " \ ]} and space, RFC 3501 section 9), and is not a system flag.
     *
     * @param keyword the keyword
     * @return {@code true} if it can be sent
     */
    static boolean isValidKeyword(String keyword) {
        if (keyword.isEmpty() || keyword.startsWith("\\")) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes a flag list: system flags always, keywords only if valid and {@code keywordAllowed}.
     *
     * @param flags          the flags
     * @param keywordAllowed which keywords the folder accepts
     * @param dropped        receives the keywords left out
     * @return the list with parentheses, e.g. {@code (\Seen $Forwarded)}, possibly {@code ()}
     */
    static String flagList(MessageFlags flags, Predicate<String> keywordAllowed, List<String> dropped) {
        StringBuilder sb = new StringBuilder("(");
        for (String f : flags.systemFlags()) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(f);
        }
        for (String k : flags.keywords()) {
            if (isValidKeyword(k) && keywordAllowed.test(k)) {
                if (sb.length() > 1) {
                    sb.append(' ');
                }
                sb.append(k);
            } else {
                dropped.add(k);
            }
        }
        return sb.append(')').toString();
    }
}
