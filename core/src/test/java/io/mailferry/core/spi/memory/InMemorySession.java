package io.mailferry.core.spi.memory;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the in-memory source and target sessions share: the logged-in mailbox, the capabilities
 * fixed at login, the closed and dropped states.
 */
abstract class InMemorySession implements MailboxSession {

    final InMemoryMailServer server;
    private final String mailbox;
    final Set<ConnectorCapability> capabilities;
    private boolean closed;
    private volatile boolean dropped;

    InMemorySession(InMemoryMailServer server, String mailbox, Set<ConnectorCapability> capabilities) {
        this.server = server;
        this.mailbox = mailbox;
        this.capabilities = Set.copyOf(capabilities);
    }

    /** Returns the mailbox this session is logged in to. */
    String mailbox() {
        return mailbox;
    }

    /** Marks the connection as lost: every later operation fails. */
    void drop() {
        dropped = true;
    }

    /** Checks the session is usable and lets the server count, drop, delay or hold the operation. */
    void begin(InMemoryMailServer.Operation op) {
        if (closed) {
            throw new IllegalStateException("session on " + mailbox + " is closed");
        }
        if (dropped) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL,
                    "Connection to " + server.host() + " was lost earlier; open a new session");
        }
        server.beforeOperation(this, op);
    }

    static String requireFolder(String folder) {
        Objects.requireNonNull(folder, "folder");
        return folder;
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return capabilities;
    }

    @Override
    public List<FolderInfo> listFolders() {
        begin(InMemoryMailServer.Operation.LIST_FOLDERS);
        return server.listFoldersFor(mailbox, capabilities);
    }

    @Override
    public FolderStatus selectFolder(String folder) {
        begin(InMemoryMailServer.Operation.SELECT);
        return server.selectFor(mailbox, requireFolder(folder), capabilities);
    }

    @Override
    public List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("invalid UID range " + fromUid + ":" + toUid);
        }
        begin(InMemoryMailServer.Operation.FETCH_HEADERS);
        List<MessageHeaders> out = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : server.rawMessagesFor(mailbox, requireFolder(folder), fromUid, toUid).entrySet()) {
            try {
                out.add(MessageHeaders.extract(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()),
                        fieldNames));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /** Delivers messages' bytes to a sink, as both sides' {@code fetchMessages} do. */
    void deliver(String folder, List<MessageInfo> messages, MessageSink sink) {
        requireFolder(folder);
        Objects.requireNonNull(sink, "sink");
        for (MessageInfo m : List.copyOf(messages)) {
            begin(InMemoryMailServer.Operation.FETCH_MESSAGE);
            Object bytesOrReason = server.fetchFor(mailbox, folder, m.uid());
            if (bytesOrReason instanceof String reason) {
                sink.failed(m, reason);
                continue;
            }
            try {
                sink.accept(m, new ByteArrayInputStream((byte[]) bytesOrReason));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.sessionClosed(mailbox);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + mailbox + "@" + server.host() + "]";
    }
}
