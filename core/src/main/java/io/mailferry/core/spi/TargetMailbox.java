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

    /**
     * Makes target messages of one folder also appear in another folder, without storing them
     * again: on Gmail, adds the label of {@code labelFolder} to them (Google's IMAP extensions,
     * {@code X-GM-LABELS}, https://developers.google.com/gmail/imap/imap-extensions). The messages
     * stay where they are; nothing is removed from any folder.
     *
     * <p>Idempotent: adding a folder a message already appears in is no change and no error. This
     * is what makes the engine's use crash-safe: it adds the folders of a chunk before that chunk's
     * checkpoint, and a pass that repeats a chunk after a crash adds them again harmlessly.
     *
     * <p>A folder in which every message appears anyway (Gmail's All Mail, {@code \All}) needs no
     * change: the connector does nothing for it.
     *
     * <p>Optional, for targets that report {@link ConnectorCapability#FOLDER_LABELS}: the default
     * throws {@link UnsupportedOperationException}.
     *
     * @param folder      full name of the folder holding the messages
     * @param uids        their UIDs in {@code folder}, positive; may be empty (then nothing happens)
     * @param labelFolder full name of the folder they should also appear in, which exists
     * @throws ConnectorException            of kind {@link ConnectorException.Kind#REFUSED} if the
     *                                       server refuses (IMAP {@code NO}): the messages are
     *                                       unchanged or only some have the folder; other kinds on
     *                                       other failures
     * @throws UnsupportedOperationException if this connector cannot show a message in several folders
     */
    default void addLabels(String folder, Collection<Long> uids, String labelFolder) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot show a message in several folders");
    }
}
