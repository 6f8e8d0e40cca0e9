package io.mailferry.core.spi;

/**
 * What happened to one {@link AppendRequest}.
 *
 * @param stored      {@code true} if the target stored the message
 * @param uid         the new message's UID when the target reported it (UIDPLUS), else 0
 * @param uidValidity the target folder's UIDVALIDITY when reported, else 0
 * @param error       the target's reason for refusing the message, or {@code null} when stored
 */
public record AppendResult(boolean stored, long uid, long uidValidity, String error) {

    /**
     * @param uid         new UID, or 0 if unknown
     * @param uidValidity folder UIDVALIDITY, or 0 if unknown
     * @return a success
     */
    public static AppendResult stored(long uid, long uidValidity) {
        return new AppendResult(true, uid, uidValidity, null);
    }

    /**
     * @param reason the server's answer, e.g. {@code NO [LIMIT] Message too large}
     * @return a refusal
     */
    public static AppendResult refused(String reason) {
        return new AppendResult(false, 0, 0, reason);
    }

    /**
     * A message not sent because it is larger than the target accepts (IMAP {@code APPENDLIMIT},
     * RFC 7889, or a provider's maximum): the engine records it as a large item, not a bad one.
     * Its reason starts with the response code {@code [TOOBIG]} (RFC 4469 section 7).
     *
     * @param reason why, e.g. the sizes
     * @return a refusal
     */
    public static AppendResult tooLarge(String reason) {
        return new AppendResult(false, 0, 0, TOO_BIG + " " + reason);
    }

    /** The response code that marks a refusal for size ({@value}). */
    public static final String TOO_BIG = "[TOOBIG]";

    /** Returns {@code true} if the message was refused because of its size ({@link #tooLarge}). */
    public boolean isTooLarge() {
        return !stored && error != null && error.regionMatches(true, error.startsWith("NO ") ? 3 : 0, TOO_BIG, 0,
                TOO_BIG.length());
    }
}
