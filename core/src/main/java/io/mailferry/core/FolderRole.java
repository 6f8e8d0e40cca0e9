package io.mailferry.core;

import java.util.Locale;
import java.util.Optional;

/**
 * What a folder is for, independent of its (often localized) name: the IMAP special-use attributes
 * of RFC 6154 section 2 plus INBOX (RFC 3501 section 5.1). A source folder with a role is copied
 * into the target folder with the same role, whatever the two are called.
 */
public enum FolderRole {
    /** The user's inbox ({@code INBOX}, any case). */
    INBOX(null),
    /** {@code \Sent}: sent messages. */
    SENT("\\Sent"),
    /** {@code \Drafts}: drafts. */
    DRAFTS("\\Drafts"),
    /** {@code \Trash}: deleted items. */
    TRASH("\\Trash"),
    /** {@code \Junk}: spam. */
    JUNK("\\Junk"),
    /** {@code \Archive}: archived messages. */
    ARCHIVE("\\Archive"),
    /** {@code \All}: a virtual folder of all messages (e.g. Gmail's All Mail). */
    ALL("\\All"),
    /** {@code \Flagged}: a virtual folder of flagged messages. */
    FLAGGED("\\Flagged");

    private final String attribute;

    FolderRole(String attribute) {
        this.attribute = attribute;
    }

    /** Returns the RFC 6154 attribute, e.g. {@code \Sent}; empty for {@link #INBOX}. */
    public Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /**
     * Finds the role for an RFC 6154 attribute, ignoring case ({@code \sent} is {@code \Sent}).
     *
     * @param attribute a LIST attribute such as {@code \Sent}, not {@code null}
     * @return the role, or empty if the attribute is not a special-use attribute
     */
    public static Optional<FolderRole> fromAttribute(String attribute) {
        String a = attribute.toLowerCase(Locale.ROOT);
        for (FolderRole role : values()) {
            if (role.attribute != null && role.attribute.toLowerCase(Locale.ROOT).equals(a)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
