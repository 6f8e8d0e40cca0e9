package io.mailferry.ews.internal;

import io.mailferry.core.spi.MessageFlags;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * IMAP flags (RFC 3501 section 2.3.2) ↔ Exchange item properties:
 * <ul>
 *   <li>{@code \Seen} ↔ {@code IsRead} (PidTagMessageFlags MSGFLAG_READ);</li>
 *   <li>{@code \Flagged} ↔ PidTagFlagStatus 2 (flagged for follow-up; 1, "complete", is not
 *       {@code \Flagged});</li>
 *   <li>{@code \Answered} ↔ PidTagLastVerbExecuted 102/103 (reply, reply all);
 *       {@code $Forwarded} ↔ 104 (forward); both at once keep 102 and record {@code $Forwarded} in
 *       MailFerry's own property;</li>
 *   <li>{@code \Draft} ↔ PidTagMessageFlags MSGFLAG_UNSENT (settable only when the item is
 *       created);</li>
 *   <li>keywords ↔ categories; a category that is no valid IMAP atom becomes a keyword with
 *       {@code _} for each offending character;</li>
 *   <li>{@code \Deleted} and keywords starting with {@code $} have no Exchange property: they are
 *       kept in MailFerry's property {@link Props#IMAP_FLAGS} on items MailFerry creates.</li>
 * </ul>
 */
public final class EwsFlags {

    /** {@code $Forwarded}. */
    public static final String FORWARDED = "$Forwarded";
    static final int VERB_REPLY = 102;
    static final int VERB_REPLY_ALL = 103;
    static final int VERB_FORWARD = 104;
    static final int ICON_REPLIED = 261;
    static final int ICON_FORWARDED = 262;
    static final int FLAG_STATUS_FLAGGED = 2;

    /**
     * An item's flag-related properties.
     *
     * @param read         IsRead
     * @param flagStatus   PidTagFlagStatus, 0 if absent
     * @param lastVerb     PidTagLastVerbExecuted, 0 if absent
     * @param messageFlags PidTagMessageFlags, 0 if absent
     * @param categories   Categories, never {@code null}
     * @param extras       MailFerry's IMAP flags property, or {@code null}
     */
    public record ItemFlags(boolean read, int flagStatus, int lastVerb, int messageFlags, List<String> categories,
                            String extras) {
        /** Copies the categories. */
        public ItemFlags {
            categories = List.copyOf(categories);
        }

        /** Returns {@code true} if the item is a draft. */
        public boolean draft() {
            return (messageFlags & Props.MSGFLAG_UNSENT) != 0;
        }

        /** Returns PidTagIconIndex matching the last verb, or 0. */
        public int iconIndex() {
            return lastVerb == VERB_FORWARD ? ICON_FORWARDED
                    : lastVerb == VERB_REPLY || lastVerb == VERB_REPLY_ALL ? ICON_REPLIED : 0;
        }
    }

    private EwsFlags() {
    }

    /**
     * @param item an item's properties
     * @return its IMAP flags
     */
    public static MessageFlags toImap(ItemFlags item) {
        Set<String> flags = new TreeSet<>();
        if (item.read()) {
            flags.add(MessageFlags.SEEN);
        }
        if (item.flagStatus() == FLAG_STATUS_FLAGGED) {
            flags.add(MessageFlags.FLAGGED);
        }
        if (item.lastVerb() == VERB_REPLY || item.lastVerb() == VERB_REPLY_ALL) {
            flags.add(MessageFlags.ANSWERED);
        } else if (item.lastVerb() == VERB_FORWARD) {
            flags.add(FORWARDED);
        }
        if (item.draft()) {
            flags.add(MessageFlags.DRAFT);
        }
        for (String c : item.categories()) {
            String k = keyword(c);
            if (!k.isEmpty()) {
                flags.add(k);
            }
        }
        if (item.extras() != null) {
            for (String f : item.extras().trim().split("\\s+")) {
                if (!f.isEmpty()) {
                    flags.add(f);
                }
            }
        }
        return MessageFlags.of(flags);
    }

    /**
     * @param flags IMAP flags
     * @return the item properties that carry them ({@code \Draft} as MSGFLAG_UNSENT)
     */
    public static ItemFlags fromImap(MessageFlags flags) {
        boolean read = flags.contains(MessageFlags.SEEN);
        int flagStatus = flags.contains(MessageFlags.FLAGGED) ? FLAG_STATUS_FLAGGED : 0;
        boolean answered = flags.contains(MessageFlags.ANSWERED);
        boolean forwarded = flags.contains(FORWARDED);
        int verb = answered ? VERB_REPLY : forwarded ? VERB_FORWARD : 0;
        int messageFlags = (read ? Props.MSGFLAG_READ : 0) | (flags.contains(MessageFlags.DRAFT) ? Props.MSGFLAG_UNSENT : 0);
        List<String> categories = new ArrayList<>();
        Set<String> extras = new LinkedHashSet<>();
        if (flags.contains(MessageFlags.DELETED)) {
            extras.add(MessageFlags.DELETED);
        }
        if (answered && forwarded) {
            extras.add(FORWARDED);
        }
        for (String k : flags.keywords()) {
            if (k.equals(FORWARDED)) {
                continue;
            }
            if (k.startsWith("$")) {
                extras.add(k);
            } else {
                categories.add(k);
            }
        }
        return new ItemFlags(read, flagStatus, verb, messageFlags, categories,
                extras.isEmpty() ? null : String.join(" ", extras));
    }

    /**
     * @param category an Exchange category, e.g. {@code Red category}
     * @return an IMAP keyword (atom, RFC 3501 section 9), e.g. {@code Red_category}; empty if nothing is left
     */
    public static String keyword(String category) {
        StringBuilder sb = new StringBuilder(category.length());
        for (char c : category.trim().toCharArray()) {
            boolean atomChar = c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0;
            sb.append(atomChar ? c : '_');
        }
        String k = sb.toString();
        return k.startsWith("\\") ? k.substring(1) : k;
    }
}
