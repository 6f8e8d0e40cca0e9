package io.mailferry.core.engine;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.FolderInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides the target folder of every source folder:
 * <ol>
 *   <li>{@code INBOX} → {@code INBOX};</li>
 *   <li>a source folder with an RFC 6154 special-use role (Sent, Drafts, Trash, Junk, Archive)
 *       → the target's folder with the same role, whatever it is called; children follow their
 *       parent;</li>
 *   <li>any other folder keeps its name, level by level, joined with the target's hierarchy
 *       separator. A level that contains the target's separator has it replaced by {@code _}
 *       (otherwise it would split into two levels); the mapping reports the rename.</li>
 * </ol>
 * Two source folders never share a target folder: a collision gets a numbered suffix.
 *
 * <p>Before mapping, the batch's {@link FolderFilter} (IncludeFolders/ExcludeFolders) chooses the
 * source folders: {@link #plan(List, List, FolderFilter)}. Further layers (e.g. roles from
 * localized names) fit in front of the mapping the same way: they change the source list or the
 * filter's role function, and the rules above stay as they are.
 */
final class FolderMapper {

    /** Roles whose folders are merged into the target's folder of the same role. */
    private static final Set<FolderRole> MAPPED_ROLES = EnumSet.of(FolderRole.SENT, FolderRole.DRAFTS,
            FolderRole.TRASH, FolderRole.JUNK, FolderRole.ARCHIVE);

    /**
     * One source folder and where it goes.
     *
     * @param source     the source folder
     * @param targetName full target folder name
     * @param note       why the name differs from the source name, or {@code null}
     */
    record Mapping(FolderInfo source, String targetName, String note) {
    }

    /**
     * The mapping of a mailbox.
     *
     * @param mappings        one per source folder: INBOX and folders mapped by role first, then the
     *                        others, parents before children
     * @param targetSeparator the target's hierarchy separator
     * @param toCreate        target folders that do not exist yet, parents first
     */
    record Plan(List<Mapping> mappings, char targetSeparator, List<String> toCreate) {
    }

    private FolderMapper() {
    }

    /**
     * Maps the folders a filter selects; folders it leaves out are not copied (parents of
     * selected folders are still created, as not selectable).
     */
    static Plan plan(List<FolderInfo> source, List<FolderInfo> target, FolderFilter filter) {
        return plan(filter.apply(source), target);
    }

    static Plan plan(List<FolderInfo> source, List<FolderInfo> target) {
        char tsep = separatorOf(target);
        Map<FolderRole, String> targetByRole = new EnumMap<>(FolderRole.class);
        Set<String> existing = new HashSet<>();
        for (FolderInfo f : target) {
            existing.add(f.isInbox() ? "INBOX" : f.name());
            if (f.role() != null && MAPPED_ROLES.contains(f.role()) && f.selectable()) {
                targetByRole.putIfAbsent(f.role(), f.name());
            }
        }
        // Prefixes mapped by role or INBOX: source name → target name, for their children.
        Map<String, String> anchors = new HashMap<>();
        Map<String, String> usedTargets = new HashMap<>();
        List<Mapping> mappings = new ArrayList<>();
        // INBOX and special-use folders claim their targets first, whatever the LIST order, so that
        // a plain folder that happens to share the name of the target's role folder cannot take it
        // (and the mapping cannot flip between passes); then the others, parents before children.
        List<FolderInfo> ordered = new ArrayList<>(source);
        ordered.sort(Comparator.<FolderInfo>comparingInt(f -> rank(f, targetByRole))
                .thenComparingInt(f -> f.segments().size()));
        for (FolderInfo f : ordered) {
            String targetName;
            String note = null;
            if (f.isInbox()) {
                targetName = "INBOX";
                anchors.put(f.name(), "INBOX");
            } else if (f.role() != null && MAPPED_ROLES.contains(f.role()) && targetByRole.containsKey(f.role())
                    && !usedTargets.containsKey(targetByRole.get(f.role()))) {
                targetName = targetByRole.get(f.role());
                anchors.put(f.name(), targetName);
                if (!targetName.equals(f.name())) {
                    note = "special-use " + f.role().attribute().orElse(f.role().name()) + " folder";
                }
            } else {
                List<String> segs = f.segments();
                String base = null;
                int restFrom = 0;
                for (int k = segs.size() - 1; k >= 1; k--) {
                    String ancestor = String.join(String.valueOf(f.separator()), segs.subList(0, k));
                    String mapped = anchors.get(ancestor);
                    if (mapped == null && segs.get(0).equalsIgnoreCase("INBOX") && k == 1) {
                        mapped = "INBOX";
                    }
                    if (mapped != null) {
                        base = mapped;
                        restFrom = k;
                        break;
                    }
                }
                StringBuilder sb = new StringBuilder(base == null ? "" : base);
                boolean renamed = false;
                for (String seg : segs.subList(restFrom, segs.size())) {
                    String clean = seg;
                    if (tsep != FolderInfo.NO_SEPARATOR && seg.indexOf(tsep) >= 0) {
                        clean = seg.replace(tsep, '_');
                        renamed = true;
                    }
                    if (sb.length() > 0) {
                        sb.append(tsep == FolderInfo.NO_SEPARATOR ? f.separator() : tsep);
                    }
                    sb.append(clean);
                }
                targetName = sb.toString();
                if (renamed) {
                    note = "a level contained the target's hierarchy separator '" + tsep + "', replaced by '_'";
                }
            }
            String unique = targetName;
            for (int n = 2; usedTargets.containsKey(key(unique)); n++) {
                unique = targetName + "_" + n;
            }
            if (!unique.equals(targetName)) {
                note = "name already taken on the target by folder '" + usedTargets.get(key(targetName)) + "'";
            }
            usedTargets.put(key(unique), f.name());
            mappings.add(new Mapping(f, unique, note));
        }
        List<String> toCreate = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!existing.contains(m.targetName()) && !m.targetName().equalsIgnoreCase("INBOX")) {
                toCreate.add(m.targetName());
                existing.add(m.targetName());
            }
        }
        return new Plan(mappings, tsep, toCreate);
    }

    /** 0 for INBOX, 1 for a folder mapped by role, 2 for the others. */
    private static int rank(FolderInfo f, Map<FolderRole, String> targetByRole) {
        if (f.isInbox()) {
            return 0;
        }
        return f.role() != null && MAPPED_ROLES.contains(f.role()) && targetByRole.containsKey(f.role()) ? 1 : 2;
    }

    private static String key(String name) {
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    private static char separatorOf(List<FolderInfo> folders) {
        for (FolderInfo f : folders) {
            if (f.isInbox() && f.separator() != FolderInfo.NO_SEPARATOR) {
                return f.separator();
            }
        }
        for (FolderInfo f : folders) {
            if (f.separator() != FolderInfo.NO_SEPARATOR) {
                return f.separator();
            }
        }
        return folders.isEmpty() ? '/' : FolderInfo.NO_SEPARATOR;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
