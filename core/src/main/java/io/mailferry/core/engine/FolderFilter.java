package io.mailferry.core.engine;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.FolderPattern;
import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.FolderInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A batch's {@code IncludeFolders}/{@code ExcludeFolders} applied to a mailbox's source folders,
 * before {@link FolderMapper} maps them: a folder is copied when it matches an include pattern (or
 * there is none) and no exclude pattern. A folder left out that has copied folders below it stays
 * in the list as not selectable, so the target still gets it (empty) as their parent.
 *
 * <p>Roles for {@code #SentItems#}-style patterns come from a role function, by default the
 * folder's special-use attribute ({@link FolderInfo#role()}) and INBOX; a mapping layer that knows
 * more (e.g. localized names) can pass its own.
 */
final class FolderFilter {

    /** Copies every folder. */
    static final FolderFilter ALL = new FolderFilter(List.of(), List.of(), FolderFilter::defaultRole);

    private final List<FolderPattern> include;
    private final List<FolderPattern> exclude;
    private final Function<FolderInfo, FolderRole> roleOf;

    FolderFilter(List<FolderPattern> include, List<FolderPattern> exclude, Function<FolderInfo, FolderRole> roleOf) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.roleOf = roleOf;
    }

    /** The filter of a batch's options, with the default roles. */
    static FolderFilter of(BatchOptions options) {
        if (options.includeFolders().isEmpty() && options.excludeFolders().isEmpty()) {
            return ALL;
        }
        return new FolderFilter(options.includeFolders(), options.excludeFolders(), FolderFilter::defaultRole);
    }

    /** Returns a filter with the same patterns and another role function. */
    FolderFilter withRoles(Function<FolderInfo, FolderRole> roles) {
        return new FolderFilter(include, exclude, roles);
    }

    static FolderRole defaultRole(FolderInfo f) {
        return f.isInbox() ? FolderRole.INBOX : f.role();
    }

    boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /**
     * Applies the filter.
     *
     * @param source the source folders as listed
     * @return the folders to map, in the same order: selected ones as listed, left-out parents of
     *         selected ones as not selectable
     */
    List<FolderInfo> apply(List<FolderInfo> source) {
        if (isEmpty()) {
            return source;
        }
        Map<String, FolderInfo> byName = new HashMap<>();
        for (FolderInfo f : source) {
            byName.put(f.name(), f);
        }
        List<FolderInfo> selected = new ArrayList<>();
        for (FolderInfo f : source) {
            if (selected(f, byName)) {
                selected.add(f);
            }
        }
        List<FolderInfo> out = new ArrayList<>();
        for (FolderInfo f : source) {
            if (selected.contains(f)) {
                out.add(f);
            } else if (selected.stream().anyMatch(s -> isAncestor(f, s))) {
                out.add(new FolderInfo(f.name(), f.separator(), f.attributes(), f.role(), false));
            }
        }
        return out;
    }

    /** Tells whether a folder is copied. */
    boolean selected(FolderInfo f, Map<String, FolderInfo> byName) {
        List<String> segments = f.segments();
        java.util.function.IntFunction<FolderRole> roles = k -> {
            if (k == segments.size()) {
                return roleOf.apply(f);
            }
            if (k == 1 && segments.get(0).equalsIgnoreCase("INBOX")) {
                return FolderRole.INBOX;
            }
            FolderInfo prefix = byName.get(String.join(String.valueOf(f.separator()), segments.subList(0, k)));
            return prefix == null ? null : roleOf.apply(prefix);
        };
        boolean in = include.isEmpty() || include.stream().anyMatch(p -> p.matches(segments, roles));
        return in && exclude.stream().noneMatch(p -> p.matches(segments, roles));
    }

    private static boolean isAncestor(FolderInfo parent, FolderInfo child) {
        List<String> p = parent.segments();
        List<String> c = child.segments();
        return c.size() > p.size() && c.subList(0, p.size()).equals(p)
                && parent.separator() == child.separator();
    }

    @Override
    public String toString() {
        return "FolderFilter[include=" + include + ", exclude=" + exclude + "]";
    }
}
