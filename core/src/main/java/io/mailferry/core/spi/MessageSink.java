package io.mailferry.core.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the messages a {@link SourceMailbox} fetches, one at a time, in the order asked for.
 */
public interface MessageSink {

    /**
     * Receives one message's raw bytes. The stream is valid only during the call; the sink reads
     * it fully (or as far as it needs) before returning.
     *
     * @param message the message as listed
     * @param content exactly the message's bytes
     * @throws IOException if the sink cannot store the bytes; the fetch stops and rethrows it
     */
    void accept(MessageInfo message, InputStream content) throws IOException;

    /**
     * Reports that one message could not be fetched (gone, or refused by the server). The fetch
     * continues with the next message.
     *
     * @param message the message as listed
     * @param reason  the server's answer or a description, never {@code null}
     */
    void failed(MessageInfo message, String reason);

    /**
     * Reports that one message was not fetched because it is too large to be handled, e.g. larger
     * than the memory the connector may spend on one message. The fetch continues with the next
     * message. The engine records it as a large item (it counts against {@code LargeItemLimit},
     * not {@code BadItemLimit}). The default reports it with {@link #failed}.
     *
     * @param message the message as listed
     * @param reason  why it is too large, never {@code null}
     */
    default void tooLarge(MessageInfo message, String reason) {
        failed(message, reason);
    }
}
