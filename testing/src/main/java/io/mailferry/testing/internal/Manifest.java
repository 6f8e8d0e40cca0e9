package io.mailferry.testing.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A corpus manifest ({@code MANIFEST-enron.tsv}, {@code MANIFEST-nasty.tsv}, the bundled
 * {@code MANIFEST.tsv} files): a tab-separated table with a header row. Columns are found by name;
 * {@code corpus_path}, {@code bytes} and {@code sha256} are required, {@code source},
 * {@code licence}, {@code flags}, {@code repo}, {@code commit} and {@code repo_path…} optional.
 */
public final class Manifest {

    /**
     * One row.
     *
     * @param path the corpus path, e.g. {@code enron/badeer-r/inbox/1.}
     * @param bytes the size in bytes
     * @param sha256 the SHA-256 of the file, lower-case hex
     * @param source the nasty source, or the Enron user for Enron rows
     * @param licence the licence note, empty when the manifest has none
     * @param origin where the file was taken from (repository, commit, path), empty if unknown
     * @param traits the measured traits ({@code flags} column, split at commas), possibly empty
     */
    public record Entry(String path, long bytes, String sha256, String source, String licence,
            String origin, Set<String> traits) {
        /** Validates and copies. */
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(licence, "licence");
            Objects.requireNonNull(origin, "origin");
            traits = Set.copyOf(traits);
        }
    }

    private Manifest() {
    }

    /**
     * Reads a manifest.
     *
     * @param in the TSV, UTF-8; closed by this method
     * @param name a name for error messages
     * @return its rows in file order
     * @throws UncheckedIOException if reading fails
     * @throws IllegalArgumentException if a required column is missing or a row is malformed
     */
    public static List<Entry> read(InputStream in, String name) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(name + ": empty manifest");
            }
            List<String> cols = Arrays.asList(header.split("\t", -1));
            int path = required(cols, "corpus_path", name);
            int bytes = required(cols, "bytes", name);
            int sha = required(cols, "sha256", name);
            int source = cols.indexOf("source");
            int licence = cols.indexOf("licence");
            int flags = cols.indexOf("flags");
            int repo = cols.indexOf("repo");
            int commit = cols.indexOf("commit");
            int repoPath = -1;
            String repoPathHeader = "";
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i).startsWith("repo_path")) {
                    repoPath = i;
                    repoPathHeader = cols.get(i);
                }
            }
            List<Entry> out = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != cols.size()) {
                    throw new IllegalArgumentException(name + " line " + lineNo + ": " + f.length
                            + " columns, header has " + cols.size());
                }
                String p = f[path];
                String src = source >= 0 ? f[source] : defaultSource(p);
                Set<String> traits = new TreeSet<>();
                if (flags >= 0 && !f[flags].isEmpty()) {
                    traits.addAll(Arrays.asList(f[flags].split(",")));
                }
                String origin = origin(f, repo, commit, repoPath, repoPathHeader);
                out.add(new Entry(p, Long.parseLong(f[bytes]), f[sha], src,
                        licence >= 0 ? f[licence] : "", origin, traits));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read manifest", e);
        }
    }

    private static String origin(String[] f, int repo, int commit, int repoPath, String repoPathHeader) {
        if (repoPath < 0) {
            return "";
        }
        if (repo >= 0 && commit >= 0) {
            return f[repo] + "@" + f[commit] + ":" + f[repoPath];
        }
        // "repo_path (owner/name@commit)": the repository is in the header
        int open = repoPathHeader.indexOf('(');
        int close = repoPathHeader.lastIndexOf(')');
        if (open >= 0 && close > open) {
            return repoPathHeader.substring(open + 1, close) + ":" + f[repoPath];
        }
        return f[repoPath];
    }

    /** {@code enron/<user>/…} → the user; {@code nasty/<source>/…} → the source. */
    private static String defaultSource(String path) {
        String[] s = path.split("/");
        return s.length > 1 ? s[1] : "";
    }

    private static int required(List<String> cols, String col, String name) {
        int i = cols.indexOf(col);
        if (i < 0) {
            throw new IllegalArgumentException(name + ": no column " + col + " in header " + cols);
        }
        return i;
    }
}
