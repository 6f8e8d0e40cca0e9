package io.mailferry.core.spi.memory;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SkippedFolder;
import io.mailferry.core.spi.SourceMailbox;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A read-only session on an {@link InMemoryMailServer} mailbox. */
final class InMemorySourceMailbox extends InMemorySession implements SourceMailbox {

    InMemorySourceMailbox(InMemoryMailServer server, String mailbox, Set<ConnectorCapability> capabilities) {
        super(server, mailbox, capabilities);
    }

    @Override
    public List<MessageInfo> listMessages(String folder, long afterUid, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (afterUid < 0) {
            throw new IllegalArgumentException("afterUid must not be negative: " + afterUid);
        }
        begin(InMemoryMailServer.Operation.LIST_MESSAGES);
        return server.listMessagesFor(mailbox(), requireFolder(folder), afterUid, limit, capabilities);
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq) {
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("invalid UID range " + fromUid + ":" + toUid);
        }
        begin(InMemoryMailServer.Operation.FETCH_FLAGS);
        return server.sourceFlagsFor(mailbox(), requireFolder(folder), fromUid, toUid, changedSinceModSeq,
                capabilities);
    }

    @Override
    public List<SkippedFolder> skippedFolders() {
        return server.skippedFoldersFor(mailbox());
    }

    @Override
    public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        deliver(folder, messages, sink);
    }
}
