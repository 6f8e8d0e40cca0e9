package io.mailferry.core.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A mailbox to migrate into.
 */
public interface TargetMailbox extends MailboxSession {

    /**
     * Creates a folder (and any missing parent). Creating a folder that exists is not an error.
     *
     * @param folder full folder name in the target's hierarchy
     * @throws ConnectorException if the server refuses
     */
    void createFolder(String folder);

    /**
     * Stores messages in a folder, unchanged, with their flags and INTERNALDATE. A connector may
     * send them in one command (MULTIAPPEND) or several; a message the server refuses gets a
     * {@linkplain AppendResult#refused refused} result and does not stop the others.
     *
     * @param folder   full folder name
     * @param messages the messages, at least one
     * @return one result per message, in the same order
     * @throws ConnectorException on a failure that leaves the outcome unknown (connection lost…)
     */
    List<AppendResult> append(String folder, List<AppendRequest> messages);

    /**
     * Reads the current flags of target messages.
     *
     * @param folder full folder name
     * @param uids   target UIDs
     * @return UID → flags for those that exist
     * @throws ConnectorException on failure
     */
    Map<Long, MessageFlags> fetchFlags(String folder, Collection<Long> uids);

    /**
     * Changes flags of target messages.
     *
     * @param folder  full folder name
     * @param updates the changes
     * @throws ConnectorException on failure
     */
    void updateFlags(String folder, List<FlagUpdate> updates);

    /**
     * Streams the raw bytes of target messages into a sink, as
     * {@link SourceMailbox#fetchMessages} does, without changing them (no {@code \Seen}): the
     * engine hashes the bytes of messages whose header fields alone cannot tell them apart. Only
     * asked for messages {@link #fetchHeaders} listed.
     *
     * <p>Optional: the default throws {@link UnsupportedOperationException}.
     *
     * @param folder   full folder name
     * @param messages the messages (UID and size from {@link #fetchHeaders})
     * @param sink     receives each message
     * @throws ConnectorException            on a failure that ends the fetch
     * @throws UnsupportedOperationException if this connector cannot read messages
     */
    default void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read messages");
    }
}
