package io.mailferry.core;

import java.util.Objects;

/**
 * Settings of a migration batch that the engine applies to every user (Exchange:
 * {@code New-MigrationBatch} parameters).
 *
 * @param badItemLimit   corrupt or refused items tolerated per user before it fails
 *                       ({@code BadItemLimit}; default 0)
 * @param largeItemLimit items over the target's size limit tolerated per user before it fails
 *                       ({@code LargeItemLimit}; default 0)
 * @param autoStart      start the batch as soon as it is created ({@code AutoStart}; default off)
 * @param maxMessageSize largest message copied, in bytes; larger ones are skipped as large items.
 *                       Default 150 MB (Exchange's remote-move limit); 0 means no limit
 */
public record BatchOptions(ItemLimit badItemLimit, ItemLimit largeItemLimit, boolean autoStart, long maxMessageSize) {

    /** 150 MB, the largest item Exchange's remote moves accept. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 150L * 1024 * 1024;

    /** The defaults: both limits 0, no auto start, 150 MB messages. */
    public static final BatchOptions DEFAULTS = new BatchOptions(ItemLimit.ZERO, ItemLimit.ZERO, false,
            DEFAULT_MAX_MESSAGE_SIZE);

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if a limit is {@code null}
     * @throws IllegalArgumentException if {@code maxMessageSize} is negative
     */
    public BatchOptions {
        Objects.requireNonNull(badItemLimit, "badItemLimit");
        Objects.requireNonNull(largeItemLimit, "largeItemLimit");
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be 0 (no limit) or positive");
        }
    }
}
