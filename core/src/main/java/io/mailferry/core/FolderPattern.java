package io.mailferry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * One entry of a batch's {@code IncludeFolders} or {@code ExcludeFolders}, in Exchange's grammar
 * ({@code New-MigrationBatch -IncludeFolders/-ExcludeFolders}):
 * <ul>
 *   <li>a folder path relative to the mailbox root, levels separated by {@code /} whatever the
 *       server's hierarchy separator, compared ignoring case, no wildcards:
 *       {@code Projects/2024} is that folder only;</li>
 *   <li>{@code Name/*}: the folder and every folder below it;</li>
 *   <li>{@code #Inbox#}, {@code #SentItems#}, {@code #DeletedItems#}, {@code #Drafts#},
 *       {@code #JunkEmail#}, {@code #Archive#}, {@code #AllItems#} as the first level: the folder
 *       with that role (IMAP INBOX, or the RFC 6154 special-use attribute {@code \Sent},
 *       {@code \Trash}, {@code \Drafts}, {@code \Junk}, {@code \Archive}, {@code \All}), whatever
 *       it is called, e.g. {@code #SentItems#/*} or {@code #Inbox#/Customers};</li>
 *   <li>{@code #Root#/*}: every folder. Exchange's other tokens ({@code #Outbox#},
 *       {@code #Calendar#}, {@code #Contacts#}, {@code #Journal#}, {@code #Tasks#}, {@code #Notes#})
 *       are accepted and match no IMAP folder;</li>
 *   <li>{@code \#Name\#}: a folder whose name really is {@code #Name#} ({@code \#} is a literal
 *       {@code #} anywhere in a name).</li>
 * </ul>
 *
 * <p>A batch copies a folder when it matches an include pattern (or the batch has none) and no
 * exclude pattern. A folder left out whose subfolders are copied is still created on the target,
 * empty, to hold them.
 *
 * @param text the pattern as given, never {@code null} or blank
 */
public record FolderPattern(String text) {

    private static final Map<String, Optional<FolderRole>> TOKENS = Map.ofEntries(
            Map.entry("inbox", Optional.of(FolderRole.INBOX)),
            Map.entry("sentitems", Optional.of(FolderRole.SENT)),
            Map.entry("deleteditems", Optional.of(FolderRole.TRASH)),
            Map.entry("drafts", Optional.of(FolderRole.DRAFTS)),
            Map.entry("junkemail", Optional.of(FolderRole.JUNK)),
            Map.entry("archive", Optional.of(FolderRole.ARCHIVE)),
            Map.entry("allitems", Optional.of(FolderRole.ALL)),
            Map.entry("outbox", Optional.empty()),
            Map.entry("calendar", Optional.empty()),
            Map.entry("contacts", Optional.empty()),
            Map.entry("journal", Optional.empty()),
            Map.entry("tasks", Optional.empty()),
            Map.entry("notes", Optional.empty()));

    /**
     * Parses and validates the pattern.
     *
     * @throws NullPointerException     if {@code text} is {@code null}
     * @throws IllegalArgumentException if it is blank, has an empty level, an unknown
     *                                  {@code #Token#}, or {@code *} anywhere but as the last level
     */
    public FolderPattern {
        Objects.requireNonNull(text, "text");
        parse(text);
    }

    /**
     * @param text the pattern
     * @return the pattern
     * @throws IllegalArgumentException if the pattern is invalid
     */
    public static FolderPattern of(String text) {
        return new FolderPattern(text);
    }

    /**
     * @param texts patterns
     * @return them parsed, in order
     * @throws IllegalArgumentException if one is invalid
     */
    public static List<FolderPattern> all(List<String> texts) {
        return texts.stream().map(FolderPattern::new).toList();
    }

    /**
     * Tells whether a folder matches.
     *
     * @param segments the folder's hierarchy levels, e.g. {@code [Projects, 2024]}; INBOX is
     *                 {@code [INBOX]}
     * @param roleOf   the role of the folder whose levels are the first {@code n} of
     *                 {@code segments} (argument {@code n}, 1 to {@code segments.size()}), or
     *                 {@code null} if it has none
     * @return {@code true} if the pattern names this folder
     */
    public boolean matches(List<String> segments, IntFunction<FolderRole> roleOf) {
        Parsed p = parse(text);
        int n = segments.size();
        int start = 0;
        if (p.token != null && !p.root) {
            if (p.token.isEmpty()) {
                return false;
            }
            // the role folder: the shortest prefix of the path whose folder has the role
            start = -1;
            for (int k = 1; k <= n; k++) {
                if (roleOf.apply(k) == p.token.get()) {
                    start = k;
                    break;
                }
            }
            if (start < 0) {
                return false;
            }
        }
        List<String> rest = segments.subList(start, n);
        if (p.levels.size() > rest.size()) {
            return false;
        }
        for (int i = 0; i < p.levels.size(); i++) {
            if (!p.levels.get(i).equalsIgnoreCase(rest.get(i))) {
                return false;
            }
        }
        return p.subtree || p.levels.size() == rest.size();
    }

    /**
     * Tells whether a folder matches, using its own role only (no role for its ancestors).
     *
     * @param segments the folder's levels
     * @param role     the folder's role, or {@code null}
     * @return {@code true} if the pattern names this folder
     */
    public boolean matches(List<String> segments, FolderRole role) {
        return matches(segments, k -> {
            if (k == 1 && segments.get(0).equalsIgnoreCase("INBOX")) {
                return FolderRole.INBOX;
            }
            return k == segments.size() ? role : null;
        });
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * @param token   for a {@code #Token#} first level: its role, or empty for a token that names
     *                no IMAP folder; {@code null} without a token
     * @param root    {@code #Root#}: the levels start at the mailbox root
     * @param levels  the remaining levels, unescaped
     * @param subtree ends with {@code /*}
     */
    private record Parsed(Optional<FolderRole> token, boolean root, List<String> levels, boolean subtree) {
    }

    private static Parsed parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("a folder pattern must not be blank");
        }
        List<String> raw = splitLevels(text);
        boolean subtree = false;
        if (raw.get(raw.size() - 1).equals("*")) {
            subtree = true;
            raw = raw.subList(0, raw.size() - 1);
        }
        Optional<FolderRole> token = null;
        boolean root = false;
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String level = raw.get(i);
            if (level.equals("*")) {
                throw new IllegalArgumentException("folder pattern '" + text + "': '*' is only allowed as the last level"
                        + " (Name/*); there are no wildcards");
            }
            if (level.isEmpty()) {
                throw new IllegalArgumentException("folder pattern '" + text + "' has an empty level");
            }
            boolean isToken = level.length() >= 3 && level.startsWith("#") && level.endsWith("#");
            if (isToken) {
                if (i != 0) {
                    throw new IllegalArgumentException("folder pattern '" + text + "': " + level
                            + " can only be the first level; write \\#Name\\# for a folder called #Name#");
                }
                String name = level.substring(1, level.length() - 1).toLowerCase(Locale.ROOT);
                if (name.equals("root")) {
                    root = true;
                    token = Optional.empty();
                } else if (TOKENS.containsKey(name)) {
                    token = TOKENS.get(name);
                } else {
                    throw new IllegalArgumentException("folder pattern '" + text + "': unknown well-known folder "
                            + level + "; use #Inbox#, #SentItems#, #DeletedItems#, #Drafts#, #JunkEmail#, #Archive#,"
                            + " #AllItems# or #Root#, or \\#Name\\# for a folder really called #Name#");
                }
                continue;
            }
            levels.add(unescape(level));
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("folder pattern '" + text + "' names no folder");
        }
        return new Parsed(token, root, List.copyOf(levels), subtree);
    }

    /** Splits on unescaped {@code /}; keeps escapes in the levels for {@link #unescape}. */
    private static List<String> splitLevels(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(c).append(text.charAt(++i));
            } else if (c == '/') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }

    private static String unescape(String level) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < level.length(); i++) {
            char c = level.charAt(i);
            if (c == '\\' && i + 1 < level.length()) {
                sb.append(level.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
