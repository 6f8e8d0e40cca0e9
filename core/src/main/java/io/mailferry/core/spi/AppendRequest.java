package io.mailferry.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A message to store in a target folder (IMAP {@code APPEND}, RFC 3501 section 6.3.11).
 *
 * @param flags        flags to set, never {@code null}
 * @param internalDate INTERNALDATE to set, or {@code null} for the server's "now"
 * @param content      the raw bytes, stored unchanged; never {@code null}
 */
public record AppendRequest(MessageFlags flags, Instant internalDate, MessageContent content) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code flags} or {@code content} is {@code null}
     */
    public AppendRequest {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(content, "content");
    }
}
