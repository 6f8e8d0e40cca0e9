package io.mailferry.core.spi.contract;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;

import java.util.List;

/**
 * What a connector's contract test provides: one fresh, empty mailbox (only an INBOX) in the system
 * under test, ways to prepare it and read it back <em>without</em> the connector under test (for an
 * IMAP connector e.g. GreenMail's own API or a plain Jakarta Mail session), and sessions of the
 * connector under test on it.
 *
 * <p>Folder names are full names with {@link #separator()}. The contract tests create one fixture
 * per test method and close it afterwards.
 */
public interface MailboxFixture extends AutoCloseable {

    /** Returns the hierarchy separator of the mailbox under test. */
    char separator();

    /**
     * Creates a selectable folder, and any missing parent.
     *
     * @param name full folder name
     */
    void createFolder(String name);

    /** Returns {@code true} if {@link #createFolder(String, FolderRole)} works. */
    default boolean canCreateSpecialUseFolders() {
        return false;
    }

    /**
     * Creates a folder with an RFC 6154 special-use role.
     *
     * @param name full folder name
     * @param role the role
     * @throws UnsupportedOperationException if {@link #canCreateSpecialUseFolders()} is {@code false}
     */
    default void createFolder(String name, FolderRole role) {
        throw new UnsupportedOperationException("this fixture cannot create special-use folders");
    }

    /** Returns {@code true} if {@link #createNonSelectableFolder(String)} works. */
    default boolean canCreateNonSelectableFolders() {
        return false;
    }

    /**
     * Creates a folder that cannot hold messages ({@code \Noselect}).
     *
     * @param name full folder name
     * @throws UnsupportedOperationException if {@link #canCreateNonSelectableFolders()} is {@code false}
     */
    default void createNonSelectableFolder(String name) {
        throw new UnsupportedOperationException("this fixture cannot create non-selectable folders");
    }

    /** Returns the names of all folders of the mailbox, read independently of the connector. */
    List<String> folderNames();

    /**
     * Stores a message in a folder, unchanged, with its flags and INTERNALDATE.
     *
     * @param folder  an existing folder
     * @param message the message
     * @return its UID
     */
    long append(String folder, SeedMessage message);

    /**
     * Reads a folder's messages back, independently of the connector, without changing them.
     *
     * @param folder the folder
     * @return its messages in ascending UID order
     */
    List<StoredMessage> messages(String folder);

    /**
     * Replaces a message's flags, as a mail client would.
     *
     * @param folder the folder
     * @param uid    the message
     * @param flags  its new flags
     */
    void setFlags(String folder, long uid, MessageFlags flags);

    /**
     * Removes a message for good, as a mail client's expunge would.
     *
     * @param folder the folder
     * @param uid    the message
     */
    void expunge(String folder, long uid);

    /** Returns a new session of the connector under test, reading the mailbox. */
    SourceMailbox openSource();

    /** Returns a new session of the connector under test, writing the mailbox. */
    TargetMailbox openTarget();

    /** Releases the mailbox (and the server, if the fixture owns one). */
    @Override
    void close();
}
