package io.mailferry.testing;

import io.mailferry.testing.internal.CorpusRoot;
import io.mailferry.testing.internal.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Set;

/**
 * One message file of a {@link Corpus}: its identity and manifest data, and its raw bytes, read on
 * demand (a corpus is never held in memory). Immutable and thread-safe.
 *
 * <p>Two messages are equal when they have the same {@link #path() corpus path} and the same
 * SHA-256, whichever corpus they were found in.
 */
public final class CorpusMessage {

    private final CorpusRoot root;
    private final Manifest.Entry entry;

    CorpusMessage(CorpusRoot root, Manifest.Entry entry) {
        this.root = Objects.requireNonNull(root, "root");
        this.entry = Objects.requireNonNull(entry, "entry");
    }

    /**
     * Returns the corpus path, the same in the shared corpus and in the bundled sample.
     *
     * @return e.g. {@code enron/badeer-r/inbox/12.} or {@code nasty/mime4j/basic-plain.eml}
     */
    public String path() {
        return entry.path();
    }

    /**
     * Returns the Enron user for Enron messages, the source (e.g. {@code mime4j}) for nasty ones.
     *
     * @return the user or source name
     */
    public String source() {
        return entry.source();
    }

    /**
     * Returns the file size in bytes, from the manifest.
     *
     * @return the size in bytes
     */
    public long size() {
        return entry.bytes();
    }

    /**
     * Returns the SHA-256 of the file from the manifest, lower-case hex. It is the SHA-256 of
     * {@link #bytes()}, not of what a server returns after storing the message (servers turn bare LF
     * into CRLF, for instance).
     *
     * @return 64 hex digits
     */
    public String sha256() {
        return entry.sha256();
    }

    /**
     * Returns the licence note from the manifest.
     *
     * @return the licence, empty for the Enron corpus (it has none, see its ORIGIN.md)
     */
    public String licence() {
        return entry.licence();
    }

    /**
     * Returns where the file was copied from.
     *
     * @return {@code repository@commit:path}, empty if unknown
     */
    public String origin() {
        return entry.origin();
    }

    /**
     * Returns the traits measured when the corpus was built, e.g. {@code no-Message-ID},
     * {@code 8bit-header}, {@code line>998}, {@code bare-CR}, {@code NUL}, {@code LF}, {@code CRLF},
     * {@code mime-depth=5} (see SOURCES.md of the shared corpus). Empty for Enron messages.
     *
     * @return the traits, unmodifiable
     */
    public Set<String> traits() {
        return entry.traits();
    }

    /**
     * @param trait a trait name; for traits with a value ({@code mime-depth=5}) the part before
     *        {@code =} matches
     * @return whether the message has it
     */
    public boolean hasTrait(String trait) {
        for (String t : entry.traits()) {
            if (t.equals(trait) || t.startsWith(trait + "=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the message, byte for byte as stored in the corpus.
     *
     * @return a new array
     * @throws UncheckedIOException if it cannot be read
     */
    public byte[] bytes() {
        try (InputStream in = root.open(entry.path())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry.path() + " from " + root, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorpusMessage m && m.entry.path().equals(entry.path())
                && m.entry.sha256().equals(entry.sha256());
    }

    @Override
    public int hashCode() {
        return entry.path().hashCode();
    }

    /** Returns the corpus path. */
    @Override
    public String toString() {
        return entry.path();
    }
}
