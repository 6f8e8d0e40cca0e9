package io.mailferry.core.spi.contract;

import io.mailferry.core.spi.MessageFlags;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as a {@link MailboxFixture} reads it back from the system under test, independently of
 * the connector under test.
 *
 * @param uid          its UID in its folder
 * @param raw          its bytes
 * @param flags        its flags ({@code \Recent} dropped), never {@code null}
 * @param internalDate its INTERNALDATE, or {@code null} if the system has none
 */
public record StoredMessage(long uid, byte[] raw, MessageFlags flags, Instant internalDate) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code raw} or {@code flags} is {@code null}
     */
    public StoredMessage {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(flags, "flags");
    }

    /** Returns the SHA-256 of the bytes in hex. */
    public String sha256() {
        return TestMessages.sha256(raw);
    }

    @Override
    public String toString() {
        return "StoredMessage[uid=" + uid + ", size=" + raw.length + ", sha256=" + sha256() + ", flags=" + flags
                + ", internalDate=" + internalDate + "]";
    }
}
