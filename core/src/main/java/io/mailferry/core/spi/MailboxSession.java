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
     * Tells the session whom to tell when it stalls, e.g. while it waits out a server's throttling
     * back-off inside a call. The engine sets one right after opening the session. The default
     * ignores it: connectors that never wait inside a call need not implement it.
     *
     * @param observer the observer, never {@code null}; replaces an earlier one
     */
    default void observe(SessionObserver observer) {
    }

    /**
     * Logs out and releases the connection. Never throws; closing twice is harmless.
     */
    @Override
    void close();
}
