package io.mailferry.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as listed in a folder (IMAP {@code UID FETCH (UID RFC822.SIZE FLAGS INTERNALDATE)}).
 *
 * @param uid          the message's UID in its folder, positive
 * @param size         its size in bytes (RFC822.SIZE), 0 or more
 * @param flags        its flags, never {@code null}
 * @param internalDate its INTERNALDATE (when the server received it), or {@code null} if the
 *                     server gave none
 * @param modSeq       its MODSEQ under CONDSTORE, or 0
 */
public record MessageInfo(long uid, long size, MessageFlags flags, Instant internalDate, long modSeq) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code flags} is {@code null}
     * @throws IllegalArgumentException if {@code uid} is not positive or {@code size} negative
     */
    public MessageInfo {
        Objects.requireNonNull(flags, "flags");
        if (uid <= 0) {
            throw new IllegalArgumentException("uid must be positive: " + uid);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
