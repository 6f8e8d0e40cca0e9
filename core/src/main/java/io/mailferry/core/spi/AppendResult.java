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
}
