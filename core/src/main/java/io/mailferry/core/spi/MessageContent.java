package io.mailferry.core.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The raw RFC 5322 bytes of a message, which can be read more than once (a connector may need to
 * resend a message after a failed batch command).
 */
public interface MessageContent {

    /** Returns the exact number of bytes {@link #openStream()} delivers. */
    long size();

    /**
     * Opens a new stream over the bytes, from the first.
     *
     * @return a stream the caller closes
     * @throws IOException if the bytes cannot be read (e.g. a spool file vanished)
     */
    InputStream openStream() throws IOException;

    /**
     * Content held in memory, for small messages, tests and generated mail.
     *
     * @param raw the message's bytes; copied, so later changes to the array do not show
     * @return content of {@code raw.length} bytes
     * @throws NullPointerException if {@code raw} is {@code null}
     */
    static MessageContent of(byte[] raw) {
        byte[] copy = Objects.requireNonNull(raw, "raw").clone();
        return new MessageContent() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public String toString() {
                return "MessageContent[" + copy.length + " bytes]";
            }
        };
    }
}
