package io.mailferry.core.spi;

import java.util.Objects;

/**
 * A change to a target message's flags (IMAP {@code UID STORE +FLAGS/-FLAGS}).
 *
 * @param uid    the target message's UID
 * @param add    flags to set, never {@code null}
 * @param remove flags to clear, never {@code null}
 */
public record FlagUpdate(long uid, MessageFlags add, MessageFlags remove) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a flag set is {@code null}
     */
    public FlagUpdate {
        Objects.requireNonNull(add, "add");
        Objects.requireNonNull(remove, "remove");
    }
}
