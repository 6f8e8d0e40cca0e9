package io.mailferry.core.engine;

import io.mailferry.core.spi.MessageContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One fetched message between source and target: in memory up to a threshold, in a temporary file
 * beyond, so a large message never needs its size in heap. Readable any number of times until
 * {@link #close() closed}.
 */
final class MessageBuffer implements MessageContent, AutoCloseable {

    private final byte[] bytes;
    private final Path file;
    private final long size;

    private MessageBuffer(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /**
     * Reads a stream to its end into a buffer.
     *
     * @param in           the message bytes
     * @param expectedSize the size the source announced (chooses memory or file); -1 if unknown
     * @param threshold    largest size kept in memory
     * @param spoolDir     where to put a temporary file
     */
    static MessageBuffer read(InputStream in, long expectedSize, long threshold, Path spoolDir) throws IOException {
        if (expectedSize >= 0 && expectedSize <= threshold) {
            byte[] b = in.readAllBytes();
            if (b.length <= threshold) {
                return new MessageBuffer(b, null, b.length);
            }
            Path f = Files.createTempFile(spoolDir, "mailferry-", ".eml");
            Files.write(f, b);
            return new MessageBuffer(null, f, b.length);
        }
        Path f = Files.createTempFile(spoolDir, "mailferry-", ".eml");
        try (OutputStream out = Files.newOutputStream(f)) {
            long n = in.transferTo(out);
            return new MessageBuffer(null, f, n);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
    }

    /** Wraps bytes already in memory. */
    static MessageBuffer of(byte[] bytes) {
        return new MessageBuffer(bytes, null, bytes.length);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream openStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Returns the SHA-256 of the content. */
    byte[] sha256() throws IOException {
        try (InputStream in = openStream()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
