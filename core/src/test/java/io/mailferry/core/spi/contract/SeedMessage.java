package io.mailferry.core.spi.contract;

import io.mailferry.core.spi.MessageFlags;

import java.time.Instant;
import java.util.Objects;

/**
 * A message a {@link MailboxFixture} puts into the system under test.
 *
 * @param raw          the bytes, stored unchanged
 * @param flags        its flags, never {@code null}
 * @param internalDate its INTERNALDATE; second precision is enough
 */
public record SeedMessage(byte[] raw, MessageFlags flags, Instant internalDate) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public SeedMessage {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
    }

    /**
     * @param raw the bytes
     * @return a message without flags, dated 2021-03-04T05:06:07Z
     */
    public static SeedMessage of(byte[] raw) {
        return new SeedMessage(raw, MessageFlags.NONE, Instant.parse("2021-03-04T05:06:07Z"));
    }

    @Override
    public String toString() {
        return "SeedMessage[size=" + raw.length + ", flags=" + flags + ", internalDate=" + internalDate + "]";
    }
}
