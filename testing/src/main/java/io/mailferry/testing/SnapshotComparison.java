package io.mailferry.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of {@link MailboxSnapshot#compare(MailboxSnapshot, MailboxSnapshot, java.util.function.UnaryOperator)}:
 * what a target lacks, holds twice, holds without a source, or holds with other flags or dates.
 * Immutable. {@link #toString()} is a readable report for assertion messages:
 *
 * <pre>{@code
 * SnapshotComparison c = MailboxSnapshot.compare(source, target);
 * assertThat(c.isIdentical()).as(c.toString()).isTrue();
 * }</pre>
 *
 * @param sourceMessages messages in the source snapshot
 * @param targetMessages messages in the target snapshot
 * @param comparedFolders selectable source folders found on the target
 * @param missingFolders selectable source folders absent (or not selectable) on the target, as
 *        {@code source → target} names
 * @param unexpectedFolders target folders no source folder maps to that hold messages
 * @param extraEmptyFolders empty target folders no source folder maps to (not a difference:
 *        servers create default folders)
 * @param folders per-folder differences; folders without any are left out
 */
public record SnapshotComparison(int sourceMessages, int targetMessages, int comparedFolders,
        List<String> missingFolders, List<String> unexpectedFolders, List<String> extraEmptyFolders,
        List<FolderDifference> folders) {

    /** Copies. */
    public SnapshotComparison {
        missingFolders = List.copyOf(missingFolders);
        unexpectedFolders = List.copyOf(unexpectedFolders);
        extraEmptyFolders = List.copyOf(extraEmptyFolders);
        folders = List.copyOf(folders);
    }

    /**
     * A message held by both sides whose flags differ.
     *
     * @param sha256 the message's SHA-256
     * @param sourceUid its UID on the source
     * @param targetUid its UID on the target
     * @param expected the source's flags
     * @param actual the target's flags
     */
    public record FlagMismatch(String sha256, long sourceUid, long targetUid, Set<String> expected,
            Set<String> actual) {
    }

    /**
     * A message held by both sides whose INTERNALDATE differs (as an instant).
     *
     * @param sha256 the message's SHA-256
     * @param sourceUid its UID on the source
     * @param targetUid its UID on the target
     * @param expected the source's INTERNALDATE
     * @param actual the target's INTERNALDATE
     */
    public record DateMismatch(String sha256, long sourceUid, long targetUid, java.time.Instant expected,
            java.time.Instant actual) {
    }

    /**
     * The differences of one folder.
     *
     * @param sourceFolder the source folder's name, {@code null} for an unexpected target folder
     * @param targetFolder the target folder's name
     * @param missing source messages with no copy on the target (one entry per missing copy)
     * @param duplicated extra target copies of messages the source has fewer copies of
     * @param unexpected target messages whose content the source folder does not have at all
     * @param flagMismatches messages on both sides with different flags
     * @param dateMismatches messages on both sides with different INTERNALDATEs
     */
    public record FolderDifference(String sourceFolder, String targetFolder,
            List<MailboxSnapshot.Message> missing, List<MailboxSnapshot.Message> duplicated,
            List<MailboxSnapshot.Message> unexpected, List<FlagMismatch> flagMismatches,
            List<DateMismatch> dateMismatches) {

        /** Copies. */
        public FolderDifference {
            Objects.requireNonNull(targetFolder, "targetFolder");
            missing = List.copyOf(missing);
            duplicated = List.copyOf(duplicated);
            unexpected = List.copyOf(unexpected);
            flagMismatches = List.copyOf(flagMismatches);
            dateMismatches = List.copyOf(dateMismatches);
        }

        /**
         * @return whether there is no difference
         */
        public boolean isEmpty() {
            return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty()
                    && flagMismatches.isEmpty() && dateMismatches.isEmpty();
        }

        /**
         * Compares two folders' messages as multisets by SHA-256; copies with equal content are
         * paired preferring equal flags and dates, and the remaining pairs are compared.
         */
        static FolderDifference of(String sourceFolder, String targetFolder,
                List<MailboxSnapshot.Message> source, List<MailboxSnapshot.Message> target) {
            Map<String, List<MailboxSnapshot.Message>> s = byHash(source);
            Map<String, List<MailboxSnapshot.Message>> t = byHash(target);
            List<MailboxSnapshot.Message> missing = new ArrayList<>();
            List<MailboxSnapshot.Message> duplicated = new ArrayList<>();
            List<MailboxSnapshot.Message> unexpected = new ArrayList<>();
            List<FlagMismatch> flags = new ArrayList<>();
            List<DateMismatch> dates = new ArrayList<>();
            for (Map.Entry<String, List<MailboxSnapshot.Message>> e : s.entrySet()) {
                List<MailboxSnapshot.Message> src = new ArrayList<>(e.getValue());
                List<MailboxSnapshot.Message> dst = new ArrayList<>(t.getOrDefault(e.getKey(), List.of()));
                // exact pairs first
                for (Iterator<MailboxSnapshot.Message> it = src.iterator(); it.hasNext();) {
                    MailboxSnapshot.Message m = it.next();
                    for (Iterator<MailboxSnapshot.Message> jt = dst.iterator(); jt.hasNext();) {
                        MailboxSnapshot.Message n = jt.next();
                        if (n.flags().equals(m.flags()) && n.internalDate().equals(m.internalDate())) {
                            it.remove();
                            jt.remove();
                            break;
                        }
                    }
                }
                int pairs = Math.min(src.size(), dst.size());
                for (int i = 0; i < pairs; i++) {
                    MailboxSnapshot.Message m = src.get(i);
                    MailboxSnapshot.Message n = dst.get(i);
                    if (!m.flags().equals(n.flags())) {
                        flags.add(new FlagMismatch(e.getKey(), m.uid(), n.uid(), m.flags(), n.flags()));
                    }
                    if (!m.internalDate().equals(n.internalDate())) {
                        dates.add(new DateMismatch(e.getKey(), m.uid(), n.uid(), m.internalDate(), n.internalDate()));
                    }
                }
                missing.addAll(src.subList(pairs, src.size()));
                duplicated.addAll(dst.subList(pairs, dst.size()));
            }
            for (Map.Entry<String, List<MailboxSnapshot.Message>> e : t.entrySet()) {
                if (!s.containsKey(e.getKey())) {
                    unexpected.addAll(e.getValue());
                }
            }
            return new FolderDifference(sourceFolder, targetFolder, missing, duplicated, unexpected, flags, dates);
        }

        private static Map<String, List<MailboxSnapshot.Message>> byHash(List<MailboxSnapshot.Message> ms) {
            Map<String, List<MailboxSnapshot.Message>> m = new LinkedHashMap<>();
            for (MailboxSnapshot.Message x : ms) {
                m.computeIfAbsent(x.sha256(), k -> new ArrayList<>()).add(x);
            }
            return m;
        }
    }

    /**
     * @return whether the target holds exactly the source's content: no missing folder, no
     *         unexpected non-empty folder, and no per-folder difference
     */
    public boolean isIdentical() {
        return missingFolders.isEmpty() && unexpectedFolders.isEmpty() && folders.isEmpty();
    }

    /**
     * @param targetFolder a target folder name
     * @return its differences, or an empty difference if it has none
     */
    public FolderDifference folder(String targetFolder) {
        return folders.stream().filter(f -> f.targetFolder().equals(targetFolder)).findFirst()
                .orElse(new FolderDifference(null, targetFolder, List.of(), List.of(), List.of(), List.of(), List.of()));
    }

    /** A readable, multi-line report of every difference. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(isIdentical() ? "identical: " : "DIFFERENT: ")
                .append(sourceMessages).append(" source messages, ").append(targetMessages)
                .append(" target messages, ").append(comparedFolders).append(" folders compared");
        for (String f : missingFolders) {
            b.append("\n  missing folder: ").append(f);
        }
        for (String f : unexpectedFolders) {
            b.append("\n  unexpected folder with messages: ").append(f);
        }
        if (!extraEmptyFolders.isEmpty()) {
            b.append("\n  (extra empty target folders: ").append(extraEmptyFolders).append(')');
        }
        for (FolderDifference d : folders) {
            b.append("\n  folder ").append(d.sourceFolder() == null ? "(none)" : '"' + d.sourceFolder() + '"')
                    .append(" → \"").append(d.targetFolder()).append("\": ")
                    .append(d.missing().size()).append(" missing, ")
                    .append(d.duplicated().size()).append(" duplicated, ")
                    .append(d.unexpected().size()).append(" unexpected, ")
                    .append(d.flagMismatches().size()).append(" flag mismatches, ")
                    .append(d.dateMismatches().size()).append(" date mismatches");
            d.missing().forEach(m -> b.append("\n    missing    ").append(m));
            d.duplicated().forEach(m -> b.append("\n    duplicated ").append(m));
            d.unexpected().forEach(m -> b.append("\n    unexpected ").append(m));
            d.flagMismatches().forEach(m -> b.append("\n    flags of ").append(m.sha256(), 0, 12)
                    .append("… (uid ").append(m.sourceUid()).append(" → ").append(m.targetUid())
                    .append("): expected ").append(m.expected()).append(" but was ").append(m.actual()));
            d.dateMismatches().forEach(m -> b.append("\n    date of ").append(m.sha256(), 0, 12)
                    .append("… (uid ").append(m.sourceUid()).append(" → ").append(m.targetUid())
                    .append("): expected ").append(m.expected()).append(" but was ").append(m.actual()));
        }
        return b.toString();
    }
}
