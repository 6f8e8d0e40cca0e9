package io.mailferry.core.engine;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.store.MigrationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cross-folder identities ({@link io.mailferry.core.spi.MessageInfo#crossFolderId()}) of the
 * messages of one mailbox that are already on the target, for
 * {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}: a message listed in a folder whose identity is
 * here was copied from another folder (another Gmail label) and is not copied again.
 *
 * <p>Those recorded by earlier passes are read from the store once per pass into a sorted array
 * (8 bytes per message); those copied during the pass are added once their checkpoint is stored.
 * Thread-safe: the folder's reader thread asks while the pass thread adds.
 */
final class CopiedIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(CopiedIdentities.class);

    private final long[] stored;
    private final Set<Long> added = ConcurrentHashMap.newKeySet();
    private final boolean persistent;

    private CopiedIdentities(long[] stored, boolean persistent) {
        this.stored = stored;
        this.persistent = persistent;
    }

    /**
     * Returns the identities to go by for a pass, or {@code null} when messages are copied once per
     * folder: the source endpoint does not ask for {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES},
     * or the source does not report {@link ConnectorCapability#CROSS_FOLDER_IDENTITY}.
     *
     * @param store      the store
     * @param mailboxKey the mailbox
     * @param endpoint   the source endpoint
     * @param src        the connected source
     * @param email      the user, for the log
     * @return the identities, or {@code null}
     */
    static CopiedIdentities open(MigrationStore store, String mailboxKey, MigrationEndpoint endpoint,
                                 SourceMailbox src, String email) {
        if (!enabled(endpoint)) {
            return null;
        }
        if (!src.capabilities().contains(ConnectorCapability.CROSS_FOLDER_IDENTITY)) {
            LOG.info("User {}: source endpoint '{}' asks for {} but the source reports no cross-folder identity"
                    + " (Gmail's X-GM-EXT-1): every folder is copied in full", email, endpoint.name(),
                    MigrationEndpoint.SKIP_CROSS_DUPLICATES);
            return null;
        }
        try {
            long[] ids = store.copiedIdentities(mailboxKey).clone();
            Arrays.sort(ids);
            return new CopiedIdentities(ids, true);
        } catch (UnsupportedOperationException e) {
            LOG.warn("User {}: the store ({}) keeps no cross-folder identities: a message under several labels is"
                    + " copied once per pass, but a label added after it was copied copies it again", email,
                    store.getClass().getName());
            return new CopiedIdentities(new long[0], false);
        }
    }

    /** Whether the endpoint's {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES} is {@code true}. */
    static boolean enabled(MigrationEndpoint endpoint) {
        return Boolean.parseBoolean(endpoint.properties().get(MigrationEndpoint.SKIP_CROSS_DUPLICATES));
    }

    /** Whether a message with this identity is on the target already; never for 0 (no identity). */
    boolean contains(long id) {
        return id != 0 && (Arrays.binarySearch(stored, id) >= 0 || added.contains(id));
    }

    /** Whether the store keeps them ({@link MigrationStore#saveFolderCheckpoint(String, io.mailferry.core.store.FolderCheckpoint, java.util.List, long[])}). */
    boolean persistent() {
        return persistent;
    }

    /** Adds identities whose checkpoint is stored; 0s are ignored. */
    void add(long[] ids) {
        for (long id : ids) {
            if (id != 0) {
                added.add(id);
            }
        }
    }
}
