package io.mailferry.imap.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared corpus of real mail ({@code ../shared/corpus}, see its {@code SOURCES.md}), found
 * through the system property {@code mailferry.corpus.dir} that the parent pom sets. Tests that
 * use it are skipped (JUnit assumption) where the directory is missing, e.g. in a user's clone.
 */
public final class Corpus {

    private Corpus() {
    }

    /**
     * Returns the corpus directory, or aborts the calling test (assumption) if there is none.
     *
     * @return the directory
     */
    public static Path dir() {
        String p = System.getProperty("mailferry.corpus.dir");
        Assumptions.assumeTrue(p != null && Files.isDirectory(Path.of(p, "enron")) && Files.isDirectory(Path.of(p, "nasty")),
                "no mail corpus at " + p + " (system property mailferry.corpus.dir)");
        return Path.of(p);
    }

    /**
     * The folders of one Enron mailbox, e.g. {@code badeer-r}: paths relative to the mailbox,
     * parents before children.
     *
     * @param user the mailbox directory name
     * @return folder directories (those holding message files), sorted
     */
    public static List<Path> enronFolders(String user) {
        Path root = dir().resolve("enron").resolve(user);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(Path::getParent).distinct().map(root::relativize)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The message files of one Enron folder, in numeric order ({@code 1.}, {@code 2.}, …).
     *
     * @param user   mailbox directory name
     * @param folder folder relative to the mailbox
     * @return the files
     */
    public static List<Path> enronMessages(String user, Path folder) {
        Path dir = dir().resolve("enron").resolve(user).resolve(folder);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .sorted(Comparator.comparingLong(Corpus::number).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every message of {@code nasty/} (hard real-world messages), sorted by path.
     *
     * @return the files
     */
    public static List<Path> nasty() {
        try (Stream<Path> s = Files.walk(dir().resolve("nasty"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file. */
    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString().replaceAll("[^0-9]", "");
        return n.isEmpty() ? Long.MAX_VALUE : Long.parseLong(n);
    }
}
