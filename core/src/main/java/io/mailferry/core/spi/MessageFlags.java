package io.mailferry.core.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of a message: system flags ({@code \Seen}, {@code \Answered}, {@code \Flagged},
 * {@code \Deleted}, {@code \Draft}, RFC 3501 section 2.3.2) and keywords ({@code $Forwarded},
 * {@code NonJunk}…). Immutable.
 *
 * <p>System flags are normalised to their RFC spelling (IMAP flag names are case-insensitive);
 * keywords keep the case they were given in. {@code \Recent} is session state, never a flag to
 * copy, and is dropped on construction.
 *
 * @param flags the flags, sorted, unmodifiable
 */
public record MessageFlags(Set<String> flags) {

    /** {@code \Seen}. */
    public static final String SEEN = "\\Seen";
    /** {@code \Answered}. */
    public static final String ANSWERED = "\\Answered";
    /** {@code \Flagged}. */
    public static final String FLAGGED = "\\Flagged";
    /** {@code \Deleted}. */
    public static final String DELETED = "\\Deleted";
    /** {@code \Draft}. */
    public static final String DRAFT = "\\Draft";
    /** {@code \Recent}: never copied. */
    public static final String RECENT = "\\Recent";

    private static final Set<String> SYSTEM = Set.of(SEEN, ANSWERED, FLAGGED, DELETED, DRAFT);

    /** No flags. */
    public static final MessageFlags NONE = new MessageFlags(Set.of());

    /**
     * Normalises and copies the flags.
     *
     * @throws NullPointerException if {@code flags} or an element is {@code null}
     */
    public MessageFlags {
        TreeSet<String> normal = new TreeSet<>();
        for (String f : Objects.requireNonNull(flags, "flags")) {
            String n = normalise(Objects.requireNonNull(f, "flag"));
            if (!n.isEmpty() && !n.equals(RECENT)) {
                normal.add(n);
            }
        }
        flags = Collections.unmodifiableSet(normal);
    }

    /**
     * @param flags flag names
     * @return the flags
     */
    public static MessageFlags of(String... flags) {
        return new MessageFlags(Set.of(flags));
    }

    /**
     * @param flags flag names
     * @return the flags
     */
    public static MessageFlags of(Collection<String> flags) {
        return new MessageFlags(new TreeSet<>(flags));
    }

    private static String normalise(String flag) {
        String f = flag.trim();
        if (f.startsWith("\\")) {
            String lower = f.toLowerCase(Locale.ROOT);
            for (String s : SYSTEM) {
                if (s.toLowerCase(Locale.ROOT).equals(lower)) {
                    return s;
                }
            }
            if (lower.equals("\\recent")) {
                return RECENT;
            }
        }
        return f;
    }

    /**
     * @param flag a flag name
     * @return {@code true} if set (system flags compared ignoring case)
     */
    public boolean contains(String flag) {
        return flags.contains(normalise(flag));
    }

    /** Returns {@code true} if no flag is set. */
    public boolean isEmpty() {
        return flags.isEmpty();
    }

    /** Returns the system flags among these. */
    public Set<String> systemFlags() {
        TreeSet<String> out = new TreeSet<>();
        for (String f : flags) {
            if (SYSTEM.contains(f)) {
                out.add(f);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Returns the keywords (flags that are not system flags) among these. */
    public Set<String> keywords() {
        TreeSet<String> out = new TreeSet<>(flags);
        out.removeAll(SYSTEM);
        return Collections.unmodifiableSet(out);
    }

    /**
     * Returns the flags set here but not in {@code other}.
     *
     * @param other the other flags
     * @return the difference
     */
    public MessageFlags minus(MessageFlags other) {
        TreeSet<String> out = new TreeSet<>(flags);
        out.removeAll(other.flags);
        return new MessageFlags(out);
    }

    /** Returns the flags as an IMAP flag list body, e.g. {@code \Seen $Forwarded}. */
    @Override
    public String toString() {
        return String.join(" ", flags);
    }
}
