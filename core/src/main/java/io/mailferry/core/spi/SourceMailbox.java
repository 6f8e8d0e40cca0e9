package io.mailferry.core.spi;

import java.util.List;
import java.util.Map;

/**
 * A mailbox to migrate from. Never modifies the mailbox: no flag changes (messages are read with
 * {@code BODY.PEEK[]}, RFC 3501 section 6.4.5), no expunges.
 */
public interface SourceMailbox extends MailboxSession {

    /**
     * Lists messages with a UID above {@code afterUid}, in ascending UID order.
     *
     * @param folder   full folder name
     * @param afterUid list UIDs strictly greater than this (0 for all)
     * @param limit    at most this many, at least 1
     * @return up to {@code limit} messages; fewer (possibly none) when the folder has no more
     * @throws ConnectorException on failure
     */
    List<MessageInfo> listMessages(String folder, long afterUid, int limit);

    /**
     * Reads the current flags of messages in a UID range.
     *
     * @param folder          full folder name
     * @param fromUid         first UID, at least 1
     * @param toUid           last UID, at least {@code fromUid}
     * @param changedSinceModSeq with {@link ConnectorCapability#CONDSTORE}: only messages whose
     *                        MODSEQ is above this (RFC 7162 {@code CHANGEDSINCE}); 0 for all
     * @return UID → flags, for the messages that exist in the range (and changed)
     * @throws ConnectorException on failure
     */
    Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq);

    /**
     * Streams the raw bytes of messages into a sink, in the order given. A message that cannot
     * be read is reported with {@link MessageSink#failed}; the others are still delivered.
     *
     * @param folder   full folder name
     * @param messages messages as listed by {@link #listMessages}
     * @param sink     receives each message
     * @throws ConnectorException on a failure that ends the fetch (connection lost…)
     * @throws java.io.UncheckedIOException if the sink failed
     */
    void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink);
}
