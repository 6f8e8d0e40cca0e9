package io.mailferry.testing;

import io.mailferry.testing.internal.CorpusRoot;
import io.mailferry.testing.internal.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Real mail for tests: mailboxes of the Enron Email Dataset and "nasty" messages from the test
 * suites of mail parsers. Immutable and thread-safe; message bytes are read on demand.
 *
 * <p>Two corpora exist:
 * <ul>
 *   <li>{@link #shared()}: the project's full corpus outside the repository, {@code
 *       ../shared/corpus} (five Enron mailboxes, 9,458 messages; 241 nasty messages, including
 *       notmuch's GPL test corpus, which may be read at test time but never copied into the
 *       project). The parent pom points the system property {@value #DIR_PROPERTY} at it; it is
 *       absent from a plain clone, so code must cope with {@link Optional#empty()}.</li>
 *   <li>{@link #bundled()}: the sample shipped in the repository: three Enron mailboxes (1,096
 *       messages, in {@code mailferry-examples}) and 36 permissively licensed nasty messages (in
 *       this module).</li>
 * </ul>
 *
 * <p>Both are laid out the same way and indexed by their manifests (TSV with path, size, SHA-256):
 * {@code enron/<user>/<folder…>/<N>.} and {@code nasty/<source>/<file>.eml}. Enron bodies end lines
 * with bare LF: see {@link RawMessage#withCrlfLineEndings()}.
 *
 * <pre>{@code
 * Corpus corpus = Corpus.shared().orElseGet(Corpus::bundled);
 * CorpusUser user = corpus.enronUser("badeer-r").orElseThrow();
 * }</pre>
 */
public final class Corpus {

    /** System property naming the shared corpus directory (the one with {@code enron/} and {@code nasty/}). */
    public static final String DIR_PROPERTY = "mailferry.corpus.dir";

    /**
     * System property naming a directory holding the bundled Enron sample ({@code enron/…}), used
     * when {@code mailferry-examples} is not on the class path. The parent pom sets it to
     * {@code examples/src/main/resources/io/mailferry/examples/sample} of the checkout.
     */
    public static final String SAMPLE_DIR_PROPERTY = "mailferry.sample.dir";

    static final String SAMPLE_RESOURCES = "io/mailferry/examples/sample/";
    static final String NASTY_RESOURCES = "io/mailferry/testing/";
    static final String BUNDLED_ENRON_MANIFEST = "enron/MANIFEST.tsv";
    static final String BUNDLED_NASTY_MANIFEST = "nasty/MANIFEST.tsv";

    private final String name;
    private final List<CorpusUser> users;
    private final Map<String, List<CorpusMessage>> nasty;
    private final Map<String, CorpusMessage> byPath = new HashMap<>();

    private Corpus(String name, List<CorpusUser> users, Map<String, List<CorpusMessage>> nasty) {
        this.name = name;
        this.users = List.copyOf(users);
        this.nasty = nasty;
        users.forEach(u -> u.messages().forEach(m -> byPath.put(m.path(), m)));
        nasty.values().forEach(l -> l.forEach(m -> byPath.put(m.path(), m)));
    }

    /**
     * The shared corpus named by the system property {@value #DIR_PROPERTY}.
     *
     * @return the corpus, or empty if the property is unset or names no directory
     * @throws IllegalStateException if the directory exists but holds no manifest
     */
    public static Optional<Corpus> shared() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            return Optional.empty();
        }
        return Optional.of(fromDirectory(p));
    }

    /**
     * A corpus laid out like the shared one: {@code enron/}, {@code nasty/},
     * {@code MANIFEST-enron.tsv}, {@code MANIFEST-nasty.tsv} (either manifest may be missing, not
     * both).
     *
     * @param dir the corpus directory
     * @return the corpus
     * @throws IllegalStateException if neither manifest exists
     * @throws UncheckedIOException if a manifest cannot be read
     */
    public static Corpus fromDirectory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        CorpusRoot root = CorpusRoot.directory(dir);
        boolean hasEnron = root.exists("MANIFEST-enron.tsv");
        boolean hasNasty = root.exists("MANIFEST-nasty.tsv");
        if (!hasEnron && !hasNasty) {
            throw new IllegalStateException("no MANIFEST-enron.tsv or MANIFEST-nasty.tsv in " + dir
                    + " (set -D" + DIR_PROPERTY + " to a corpus directory, or leave it unset)");
        }
        List<CorpusUser> users = hasEnron ? users(root, read(root, "MANIFEST-enron.tsv")) : List.of();
        Map<String, List<CorpusMessage>> nasty =
                hasNasty ? nasty(root, read(root, "MANIFEST-nasty.tsv")) : Map.of();
        return new Corpus("shared corpus at " + dir, users, nasty);
    }

    /**
     * The sample bundled with the project: the Enron sample from the class path
     * ({@code mailferry-examples}) or, failing that, from the directory named by
     * {@value #SAMPLE_DIR_PROPERTY}; the nasty messages from this module's class path.
     *
     * @return the bundled corpus
     * @throws IllegalStateException if the Enron sample is found in neither place
     */
    public static Corpus bundled() {
        ClassLoader loader = Corpus.class.getClassLoader();
        CorpusRoot nastyRoot = CorpusRoot.classPath(loader, NASTY_RESOURCES);
        CorpusRoot enronRoot = CorpusRoot.classPath(loader, SAMPLE_RESOURCES);
        if (!enronRoot.exists(BUNDLED_ENRON_MANIFEST)) {
            String dir = System.getProperty(SAMPLE_DIR_PROPERTY);
            if (dir != null && !dir.isBlank() && Files.isRegularFile(Path.of(dir, BUNDLED_ENRON_MANIFEST))) {
                enronRoot = CorpusRoot.directory(Path.of(dir));
            } else {
                throw new IllegalStateException("the bundled Enron sample is not on the class path ("
                        + SAMPLE_RESOURCES + BUNDLED_ENRON_MANIFEST + ") and -D" + SAMPLE_DIR_PROPERTY
                        + " (" + dir + ") names no directory with " + BUNDLED_ENRON_MANIFEST
                        + ": add mailferry-examples as a test dependency or run from the reactor");
            }
        }
        List<CorpusUser> users = users(enronRoot, read(enronRoot, BUNDLED_ENRON_MANIFEST));
        Map<String, List<CorpusMessage>> nasty = nasty(nastyRoot, read(nastyRoot, BUNDLED_NASTY_MANIFEST));
        return new Corpus("bundled sample (Enron from " + enronRoot + ")", users, nasty);
    }

    /**
     * @return the Enron mailboxes, sorted by user name
     */
    public List<CorpusUser> enronUsers() {
        return users;
    }

    /**
     * @param user a CMU user name, e.g. {@code badeer-r}
     * @return that mailbox
     */
    public Optional<CorpusUser> enronUser(String user) {
        return users.stream().filter(u -> u.name().equals(user)).findFirst();
    }

    /**
     * @return the nasty sources (e.g. {@code mime4j}, {@code python-email}), sorted
     */
    public List<String> nastySources() {
        return List.copyOf(nasty.keySet());
    }

    /**
     * @param source a source name
     * @return its messages sorted by path; empty for an unknown source
     */
    public List<CorpusMessage> nastyMessages(String source) {
        return nasty.getOrDefault(source, List.of());
    }

    /**
     * @return every nasty message, source by source
     */
    public List<CorpusMessage> nastyMessages() {
        return nasty.values().stream().flatMap(List::stream).toList();
    }

    /**
     * @param path a corpus path, e.g. {@code nasty/mime4j/basic-plain.eml}
     * @return the message with that path
     */
    public Optional<CorpusMessage> message(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** Returns where this corpus was read from and its size. */
    @Override
    public String toString() {
        int messages = users.stream().mapToInt(CorpusUser::messageCount).sum();
        return name + ": " + users.size() + " Enron users, " + messages + " Enron messages, "
                + nastyMessages().size() + " nasty messages";
    }

    private static List<Manifest.Entry> read(CorpusRoot root, String manifest) {
        try (InputStream in = root.open(manifest)) {
            return Manifest.read(in, root + "/" + manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + " from " + root, e);
        }
    }

    private static List<CorpusUser> users(CorpusRoot root, List<Manifest.Entry> entries) {
        // user -> folder path -> messages
        Map<String, Map<String, List<CorpusMessage>>> tree = new TreeMap<>();
        for (Manifest.Entry e : entries) {
            String[] s = e.path().split("/");
            if (s.length < 4 || !s[0].equals("enron")) {
                throw new IllegalStateException("not an Enron message path: " + e.path());
            }
            Map<String, List<CorpusMessage>> folders = tree.computeIfAbsent(s[1], k -> new TreeMap<>());
            StringBuilder folder = new StringBuilder();
            for (int i = 2; i < s.length - 1; i++) {
                if (i > 2) {
                    folder.append('/');
                }
                folder.append(s[i]);
                folders.computeIfAbsent(folder.toString(), k -> new ArrayList<>());
            }
            folders.get(folder.toString()).add(new CorpusMessage(root, e));
        }
        List<CorpusUser> out = new ArrayList<>();
        Comparator<CorpusMessage> numeric = Comparator.comparingLong(Corpus::messageNumber)
                .thenComparing(CorpusMessage::path);
        tree.forEach((user, folders) -> {
            List<CorpusFolder> list = new ArrayList<>();
            // sorting '/' below every other character keeps each parent before its children
            folders.keySet().stream()
                    .sorted(Comparator.comparing((String f) -> f.replace('/', '\0')))
                    .forEach(f -> list.add(new CorpusFolder(f,
                            folders.get(f).stream().sorted(numeric).toList())));
            out.add(new CorpusUser(user, list));
        });
        return out;
    }

    private static long messageNumber(CorpusMessage m) {
        String file = m.path().substring(m.path().lastIndexOf('/') + 1);
        String digits = file.endsWith(".") ? file.substring(0, file.length() - 1) : file;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Map<String, List<CorpusMessage>> nasty(CorpusRoot root, List<Manifest.Entry> entries) {
        Map<String, List<CorpusMessage>> bySource = new TreeMap<>();
        entries.stream().sorted(Comparator.comparing(Manifest.Entry::path)).forEach(e ->
                bySource.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(new CorpusMessage(root, e)));
        Map<String, List<CorpusMessage>> out = new LinkedHashMap<>();
        bySource.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
