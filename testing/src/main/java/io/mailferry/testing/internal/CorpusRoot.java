package io.mailferry.testing.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Where corpus files are read from: a directory or a class-path prefix. */
public interface CorpusRoot {

    /**
     * Opens a file.
     *
     * @param relativePath a path below the root, {@code /}-separated
     * @return a new stream; the caller closes it
     * @throws IOException if the file is missing or cannot be read
     */
    InputStream open(String relativePath) throws IOException;

    /**
     * @param relativePath a path below the root
     * @return whether it exists
     */
    boolean exists(String relativePath);

    /**
     * @param dir a directory
     * @return a root reading from it
     */
    static CorpusRoot directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new CorpusRoot() {
            @Override
            public InputStream open(String relativePath) throws IOException {
                return Files.newInputStream(dir.resolve(relativePath));
            }

            @Override
            public boolean exists(String relativePath) {
                return Files.isRegularFile(dir.resolve(relativePath));
            }

            @Override
            public String toString() {
                return dir.toString();
            }
        };
    }

    /**
     * @param loader the class loader to read from
     * @param prefix a resource path prefix ending in {@code /}, e.g. {@code io/mailferry/testing/}
     * @return a root reading resources below that prefix
     */
    static CorpusRoot classPath(ClassLoader loader, String prefix) {
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(prefix, "prefix");
        return new CorpusRoot() {
            @Override
            public InputStream open(String relativePath) throws IOException {
                InputStream in = loader.getResourceAsStream(prefix + relativePath);
                if (in == null) {
                    throw new FileNotFoundException("classpath:" + prefix + relativePath);
                }
                return in;
            }

            @Override
            public boolean exists(String relativePath) {
                return loader.getResource(prefix + relativePath) != null;
            }

            @Override
            public String toString() {
                return "classpath:" + prefix;
            }
        };
    }
}
