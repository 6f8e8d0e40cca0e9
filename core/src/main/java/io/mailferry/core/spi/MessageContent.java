package io.mailferry.core.spi;

import java.io.IOException;
import java.io.InputStream;

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
}
