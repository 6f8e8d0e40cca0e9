package io.mailferry.imap;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real IMAP connector with instrumentation for scenario tests: how many source sessions were
 * opened per login and at once, and a hold on a source mailbox's fetches (after {@code n} fetch
 * calls of one login, the next waits until {@link #releaseFetches()}), so a test can stop a batch
 * while a copy is in the middle. Thread-safe.
 */
final class InstrumentedImapProvider implements ConnectorProvider {

    private final ImapConnectorProvider imap = new ImapConnectorProvider();
    private final Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private String holdLogin;
    private int freeFetches;
    private int held;
    private boolean released;

    @Override
    public EndpointType type() {
        return EndpointType.IMAP;
    }

    @Override
    public ServerAvailability testConnection(MigrationEndpoint endpoint, MailboxAccess access) {
        return imap.testConnection(endpoint, access);
    }

    @Override
    public TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
        return imap.openTarget(endpoint, access);
    }

    @Override
    public SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
        SourceMailbox box = imap.openSource(endpoint, access);
        opens.computeIfAbsent(access.mailbox(), k -> new AtomicInteger()).incrementAndGet();
        int now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        return new Counted(box, access.mailbox());
    }

    int sourceOpens(String login) {
        AtomicInteger n = opens.get(login);
        return n == null ? 0 : n.get();
    }

    int openSessions() {
        return open.get();
    }

    int peakSourceSessions() {
        return peak.get();
    }

    synchronized void holdFetchesAfter(String login, int fetches) {
        this.holdLogin = login;
        this.freeFetches = fetches;
        this.released = false;
    }

    synchronized boolean awaitHeldFetch(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void releaseFetches() {
        released = true;
        notifyAll();
    }

    private synchronized void beforeFetch(String login) throws InterruptedException {
        if (!login.equals(holdLogin) || released) {
            return;
        }
        if (freeFetches > 0) {
            freeFetches--;
            return;
        }
        held++;
        notifyAll();
        while (!released) {
            wait();
        }
    }

    /** A source mailbox that counts itself closed and holds fetches. */
    private final class Counted implements SourceMailbox {
        private final SourceMailbox box;
        private final String login;
        private boolean closed;

        Counted(SourceMailbox box, String login) {
            this.box = box;
            this.login = login;
        }

        @Override
        public Set<ConnectorCapability> capabilities() {
            return box.capabilities();
        }

        @Override
        public List<FolderInfo> listFolders() {
            return box.listFolders();
        }

        @Override
        public FolderStatus selectFolder(String folder) {
            return box.selectFolder(folder);
        }

        @Override
        public List<MessageInfo> listMessages(String folder, long afterUid, int limit) {
            return box.listMessages(folder, afterUid, limit);
        }

        @Override
        public Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq) {
            return box.fetchFlags(folder, fromUid, toUid, changedSinceModSeq);
        }

        @Override
        public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
            try {
                beforeFetch(login);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.mailferry.core.spi.ConnectorException(io.mailferry.core.spi.ConnectorException.Kind.PROTOCOL,
                        "interrupted while held");
            }
            box.fetchMessages(folder, messages, sink);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
            box.close();
        }
    }
}
