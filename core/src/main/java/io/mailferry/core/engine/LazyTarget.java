package io.mailferry.core.engine;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SessionObserver;
import io.mailferry.core.spi.TargetMailbox;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A target mailbox that is opened (connected, logged in) by the first call that needs it, so that
 * an incremental pass that finds nothing to do on the source never opens the target. Used by one
 * thread at a time, as every session is.
 */
final class LazyTarget implements TargetMailbox {
    private final Supplier<TargetMailbox> opener;
    private final SessionObserver observer;
    private TargetMailbox target;
    private boolean closed;

    /**
     * @param opener   opens the real target; called at most once
     * @param observer given to the real target when it is opened
     */
    LazyTarget(Supplier<TargetMailbox> opener, SessionObserver observer) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Whether the real target was opened. */
    boolean opened() {
        return target != null;
    }

    /** Opens the real target now, if it is not open yet. */
    TargetMailbox open() {
        if (closed) {
            throw new IllegalStateException("target session closed");
        }
        if (target == null) {
            TargetMailbox t = opener.get();
            t.observe(observer);
            target = t;
        }
        return target;
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return open().capabilities();
    }

    @Override
    public List<FolderInfo> listFolders() {
        return open().listFolders();
    }

    @Override
    public FolderStatus selectFolder(String folder) {
        return open().selectFolder(folder);
    }

    @Override
    public List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        return open().fetchHeaders(folder, fromUid, toUid, fieldNames);
    }

    @Override
    public void createFolder(String folder) {
        open().createFolder(folder);
    }

    @Override
    public List<AppendResult> append(String folder, List<AppendRequest> messages) {
        return open().append(folder, messages);
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, Collection<Long> uids) {
        return open().fetchFlags(folder, uids);
    }

    @Override
    public void updateFlags(String folder, List<FlagUpdate> updates) {
        open().updateFlags(folder, updates);
    }

    @Override
    public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        open().fetchMessages(folder, messages, sink);
    }

    @Override
    public void addLabels(String folder, Collection<Long> uids, String labelFolder) {
        open().addLabels(folder, uids, labelFolder);
    }

    @Override
    public void close() {
        closed = true;
        if (target != null) {
            target.close();
        }
    }
}
