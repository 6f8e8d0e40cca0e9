package io.mailferry.core.spi.memory;

import io.mailferry.core.Credentials;
import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SeedMessage;
import io.mailferry.core.spi.contract.StoredMessage;

import java.util.List;

/**
 * A {@link MailboxFixture} on an {@link InMemoryMailServer}: prepares and reads the mailbox through
 * the server's test helpers, opens sessions through the connector's own path (login included).
 */
public final class InMemoryMailboxFixture implements MailboxFixture {

    private static final String USER = "fixture@example.test";
    private static final String PASSWORD = "fixture-secret";

    private final InMemoryMailServer server;

    /**
     * @param server a server without the fixture's user; it gets the user
     */
    public InMemoryMailboxFixture(InMemoryMailServer server) {
        this.server = server;
        server.addUser(USER, PASSWORD);
    }

    /** Returns the server behind the fixture. */
    public InMemoryMailServer server() {
        return server;
    }

    /** Returns the fixture's mailbox name on the server. */
    public String user() {
        return USER;
    }

    @Override
    public char separator() {
        return server.separator();
    }

    @Override
    public void createFolder(String name) {
        server.createFolder(USER, name);
    }

    @Override
    public boolean canCreateSpecialUseFolders() {
        return true;
    }

    @Override
    public void createFolder(String name, FolderRole role) {
        server.createFolder(USER, name, role);
    }

    @Override
    public boolean canCreateNonSelectableFolders() {
        return true;
    }

    @Override
    public void createNonSelectableFolder(String name) {
        server.createNonSelectableFolder(USER, name);
    }

    @Override
    public List<String> folderNames() {
        return server.folderNames(USER);
    }

    @Override
    public long append(String folder, SeedMessage message) {
        return server.append(USER, folder, message.raw(), message.flags(), message.internalDate());
    }

    @Override
    public List<StoredMessage> messages(String folder) {
        return server.messages(USER, folder).stream()
                .map(m -> new StoredMessage(m.uid(), m.raw(), m.flags(), m.internalDate())).toList();
    }

    @Override
    public void setFlags(String folder, long uid, MessageFlags flags) {
        server.setFlags(USER, folder, uid, flags);
    }

    @Override
    public void expunge(String folder, long uid) {
        server.expunge(USER, folder, uid);
    }

    @Override
    public SourceMailbox openSource() {
        return server.openSource(MailboxAccess.own(new Credentials(USER, PASSWORD)));
    }

    @Override
    public TargetMailbox openTarget() {
        return server.openTarget(MailboxAccess.own(new Credentials(USER, PASSWORD)));
    }

    @Override
    public void close() {
        // nothing to release: the server lives in memory and is dropped with the fixture
    }
}
