package io.mailferry.core.spi.memory;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.TargetMailbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-write session on an {@link InMemoryMailServer} mailbox. Appends message by message (no
 * MULTIAPPEND): one result per message, a refusal does not stop the others.
 */
final class InMemoryTargetMailbox extends InMemorySession implements TargetMailbox {

    InMemoryTargetMailbox(InMemoryMailServer server, String mailbox, Set<ConnectorCapability> capabilities) {
        super(server, mailbox, capabilities);
    }

    @Override
    public void createFolder(String folder) {
        begin(InMemoryMailServer.Operation.CREATE_FOLDER);
        server.createFor(mailbox(), requireFolder(folder));
    }

    @Override
    public List<AppendResult> append(String folder, List<AppendRequest> messages) {
        requireFolder(folder);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("append needs at least one message");
        }
        List<byte[]> contents = new ArrayList<>(messages.size());
        for (AppendRequest r : messages) {
            contents.add(read(r));
        }
        begin(InMemoryMailServer.Operation.APPEND);
        List<AppendResult> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            AppendRequest r = messages.get(i);
            results.add(server.appendFor(mailbox(), folder, contents.get(i), r.flags(), r.internalDate(), capabilities));
        }
        return results;
    }

    private static byte[] read(AppendRequest r) {
        try (InputStream in = r.content().openStream()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != r.content().size()) {
                throw new IllegalStateException("message content delivered " + bytes.length
                        + " bytes but its size() is " + r.content().size());
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, Collection<Long> uids) {
        begin(InMemoryMailServer.Operation.FETCH_FLAGS);
        return server.targetFlagsFor(mailbox(), requireFolder(folder), uids);
    }

    @Override
    public void updateFlags(String folder, List<FlagUpdate> updates) {
        requireFolder(folder);
        begin(InMemoryMailServer.Operation.STORE_FLAGS);
        for (FlagUpdate u : updates) {
            server.updateFlagsFor(mailbox(), folder, u.uid(), u.add(), u.remove());
        }
    }

    /**
     * Shows the messages in {@code labelFolder} too when the server runs with
     * {@link ConnectorCapability#FOLDER_LABELS}; otherwise unsupported, as the SPI's default.
     */
    @Override
    public void addLabels(String folder, Collection<Long> uids, String labelFolder) {
        requireFolder(folder);
        requireFolder(labelFolder);
        if (!capabilities.contains(ConnectorCapability.FOLDER_LABELS)) {
            TargetMailbox.super.addLabels(folder, uids, labelFolder);
        }
        if (uids.isEmpty()) {
            return;
        }
        begin(InMemoryMailServer.Operation.ADD_LABELS);
        server.addLabelsFor(mailbox(), folder, uids, labelFolder);
    }

    @Override
    public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        deliver(folder, messages, sink);
    }
}
