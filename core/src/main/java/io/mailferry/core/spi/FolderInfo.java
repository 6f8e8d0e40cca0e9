package io.mailferry.core.spi;

import io.mailferry.core.FolderRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A folder as a server lists it (IMAP {@code LIST}, RFC 3501 section 7.2.2).
 *
 * @param name       full Unicode name in the server's hierarchy, e.g. {@code Archive/2019}; the
 *                   inbox is always {@code INBOX}
 * @param separator  the hierarchy separator, or {@link #NO_SEPARATOR} for a flat namespace
 * @param attributes LIST attributes as sent, e.g. {@code \HasChildren}, {@code \Sent}; unmodifiable
 * @param role       the folder's special-use role, or {@code null}
 * @param selectable {@code false} for {@code \Noselect} and {@code \NonExistent} folders, which hold
 *                   no messages
 */
public record FolderInfo(String name, char separator, Set<String> attributes, FolderRole role, boolean selectable) {

    /** Separator value of a flat namespace (IMAP {@code NIL}). */
    public static final char NO_SEPARATOR = '\0';

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code name} or {@code attributes} is {@code null}
     */
    public FolderInfo {
        Objects.requireNonNull(name, "name");
        attributes = Set.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /** Returns the special-use role, if any. */
    public Optional<FolderRole> specialUse() {
        return Optional.ofNullable(role);
    }

    /** Returns {@code true} if this is the inbox (name {@code INBOX} in any case). */
    public boolean isInbox() {
        return name.equalsIgnoreCase("INBOX");
    }

    /**
     * Splits the name into its hierarchy levels: {@code Archive/2019} → {@code [Archive, 2019]}.
     *
     * @return the levels, at least one
     */
    public List<String> segments() {
        if (separator == NO_SEPARATOR) {
            return List.of(name);
        }
        List<String> out = new ArrayList<>(List.of(name.split(Pattern.quote(String.valueOf(separator)), -1)));
        out.removeIf(String::isEmpty);
        return out.isEmpty() ? List.of(name) : out;
    }
}
