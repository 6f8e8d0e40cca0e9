package io.mailferry.core;

/**
 * A tolerance for skipped items, as in Exchange's {@code BadItemLimit} and {@code LargeItemLimit}:
 * a number of items that may be skipped before the user fails, or {@link #UNLIMITED}.
 *
 * @param value the number of tolerated items, 0 or more; {@link Integer#MAX_VALUE} means unlimited
 */
public record ItemLimit(int value) {

    /** No item may be skipped: Exchange's default for both limits. */
    public static final ItemLimit ZERO = new ItemLimit(0);
    /** Any number of items may be skipped. */
    public static final ItemLimit UNLIMITED = new ItemLimit(Integer.MAX_VALUE);

    /**
     * Validates the value.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public ItemLimit {
        if (value < 0) {
            throw new IllegalArgumentException("item limit must be 0 or more, or unlimited");
        }
    }

    /**
     * Returns a limit.
     *
     * @param value tolerated items, 0 or more
     * @return the limit
     */
    public static ItemLimit of(int value) {
        return value == Integer.MAX_VALUE ? UNLIMITED : new ItemLimit(value);
    }

    /**
     * Parses {@code Unlimited} (any case) or a number from 0 to 2147483647, as the CSV and the
     * cmdlets accept them.
     *
     * @param text the text, not {@code null}
     * @return the limit
     * @throws IllegalArgumentException if the text is neither
     */
    public static ItemLimit parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            return of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an item limit: use Unlimited or 0-2147483647");
        }
    }

    /** Returns {@code true} for {@link #UNLIMITED}. */
    public boolean isUnlimited() {
        return value == Integer.MAX_VALUE;
    }

    /**
     * Tells whether a number of skipped items goes beyond this limit.
     *
     * @param count skipped items so far
     * @return {@code true} if {@code count > value}
     */
    public boolean isExceededBy(long count) {
        return !isUnlimited() && count > value;
    }

    @Override
    public String toString() {
        return isUnlimited() ? "Unlimited" : Integer.toString(value);
    }
}
