package io.mailferry.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as listed in a folder (IMAP {@code UID FETCH (UID RFC822.SIZE FLAGS INTERNALDATE)}).
 *
 * @param uid           the message's UID in its folder, positive
 * @param size          its size in bytes (RFC822.SIZE), 0 or more
 * @param flags         its flags, never {@code null}
 * @param internalDate  its INTERNALDATE (when the server received it), or {@code null} if the
 *                      server gave none
 * @param modSeq        its MODSEQ under CONDSTORE, or 0
 * @param crossFolderId with {@link ConnectorCapability#CROSS_FOLDER_IDENTITY}: the message's
 *                      identity across the folders of its mailbox — the same non-zero value in
 *                      every folder that shows the same stored message (Gmail's
 *                      {@code X-GM-MSGID}: one message, one folder per label); 0 when the source
 *                      gives none. Two messages with equal content but different ids are different
 *                      messages.
 */
public record MessageInfo(long uid, long size, MessageFlags flags, Instant internalDate, long modSeq,
                          long crossFolderId) {

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

    /**
     * A message without a cross-folder identity ({@code crossFolderId} 0).
     *
     * @param uid          the message's UID in its folder, positive
     * @param size         its size in bytes, 0 or more
     * @param flags        its flags, never {@code null}
     * @param internalDate its INTERNALDATE, or {@code null}
     * @param modSeq       its MODSEQ under CONDSTORE, or 0
     * @throws NullPointerException     if {@code flags} is {@code null}
     * @throws IllegalArgumentException if {@code uid} is not positive or {@code size} negative
     */
    public MessageInfo(long uid, long size, MessageFlags flags, Instant internalDate, long modSeq) {
        this(uid, size, flags, internalDate, modSeq, 0);
    }
}
