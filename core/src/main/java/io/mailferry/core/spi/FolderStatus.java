package io.mailferry.core.spi;

/**
 * The state of a selected folder (IMAP {@code SELECT}/{@code EXAMINE} responses, RFC 3501 section
 * 6.3.1, and RFC 7162 section 3.1.2).
 *
 * @param uidValidity    UIDVALIDITY: while unchanged, a UID names the same message
 * @param uidNext        UIDNEXT: the lowest UID the next message can get, or 0 if the server did not
 *                       say
 * @param messageCount   EXISTS: number of messages
 * @param highestModSeq  HIGHESTMODSEQ, or 0 when the folder has no CONDSTORE support
 * @param keywordsAllowed whether new keywords can be stored ({@code \*} in PERMANENTFLAGS)
 */
public record FolderStatus(long uidValidity, long uidNext, long messageCount, long highestModSeq,
                           boolean keywordsAllowed) {
}
