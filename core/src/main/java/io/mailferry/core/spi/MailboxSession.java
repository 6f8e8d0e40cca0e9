package io.mailferry.core.spi;

import java.util.List;
import java.util.Set;

/**
 * What source and target mailboxes have in common: a logged-in session on one user's mailbox.
 * Used by one thread at a time; not thread-safe.
 */
public interface MailboxSession extends AutoCloseable {

    /** Returns the optional features this session can use. */
    Set<ConnectorCapability> capabilities();

    /**
     * Lists every folder of the mailbox, parents before their children.
     *
     * @return the folders, including non-selectable ones
     * @throws ConnectorException on a server or network failure
     */
    List<FolderInfo> listFolders();

    /**
     * Opens a folder for the calls that follow (a source read-only, a target read-write) and
     * returns its state. Later calls on the same folder reuse the open folder.
     *
     * @param folder full folder name as listed
     * @return the folder's state
     * @throws ConnectorException of kind {@link ConnectorException.Kind#FOLDER_NOT_FOUND} if it
     *                            does not exist, or on failure
     */
    FolderStatus selectFolder(String folder);

    /**
     * Reads some header fields and the size of every message in a UID range, in bulk (IMAP:
     * {@code UID FETCH from:to (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (…)])}, RFC 3501 section
     * 6.4.5): how the engine recognises messages that are already on the target when its
     * checkpoint is missing or no longer applies, without fetching every message whole. Reading
     * changes nothing (no {@code \Seen}).
     *
     * <p>Optional: the default throws {@link UnsupportedOperationException}; {@link SourceMailbox}
     * implements it by reading whole messages. A target that does not implement it cannot be
     * checked for messages already there: the engine then copies what its checkpoint does not
     * record.
     *
     * @param folder     full folder name
     * @param fromUid    first UID, at least 1
     * @param toUid      last UID, at least {@code fromUid} (4294967295 for "to the end")
     * @param fieldNames the fields, e.g. {@code Message-ID}, {@code Date}, {@code From},
     *                   {@code Subject}; matched ignoring case
     * @return the messages of the range that exist, in ascending UID order
     * @throws ConnectorException            on failure
     * @throws UnsupportedOperationException if this connector cannot read header fields
     */
    default List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read header fields");
    }

    /**
     * Logs out and releases the connection. Never throws; closing twice is harmless.
     */
    @Override
    void close();
}
