package io.mailferry.core;

import java.util.Locale;

/**
 * How a batch competes for free connection slots with the other batches on the same endpoints
 * (the values of Exchange's move request {@code -Priority}). When a slot frees, the queued user
 * of the batch with the highest priority starts first; within one priority, users start in the
 * order they were queued. Priority never stops a running copy.
 */
public enum BatchPriority {
    /** Runs only when nothing else waits. */
    LOWEST,
    /** Below low. */
    LOWER,
    /** Below normal. */
    LOW,
    /** The default. */
    NORMAL,
    /** Above normal. */
    HIGH,
    /** Above high. */
    HIGHER,
    /** Above higher. */
    HIGHEST,
    /** Before everything else. */
    EMERGENCY;

    /**
     * Parses a name ignoring case, e.g. {@code high}.
     *
     * @param text the name, not {@code null}
     * @return the priority
     * @throws IllegalArgumentException if no priority has that name
     */
    public static BatchPriority parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown priority '" + text + "': use one of "
                    + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }
}
