package io.mailferry.core.engine;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.store.FirstCopies;
import io.mailferry.core.store.MigrationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-folder identities ({@link io.mailferry.core.spi.MessageInfo#crossFolderId()}) of the
 * messages of one mailbox that are already on the target, for
 * {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}: a message listed in a folder whose identity is
 * here was copied from another folder (another Gmail label) and is not copied again. Each identity
 * comes with where its first copy is, when known (target folder and UID): on a target with
 * {@link ConnectorCapability#FOLDER_LABELS} the engine adds the other folders to that copy.
 *
 * <p>Those recorded by earlier passes are read from the store once per pass ({@link FirstCopies}:
 * sorted arrays, 16 bytes per message); those copied during the pass are added once their
 * checkpoint is stored, into a second set of sorted arrays that is merged into the first when it
 * grows to a quarter of it, so a lookup is two binary searches and no message costs a boxed
 * object. Thread-safe: the folder's reader thread asks while the pass thread adds.
 */
final class CopiedIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(CopiedIdentities.class);
    /** {@link #location} of an identity that is not here. */
    static final long ABSENT = -1;
    /** {@link #location} of an identity whose first copy's place is not known. */
    static final long UNKNOWN = 0;
    private static final long[] NO_IDS = new long[0];
    private static final int[] NO_INTS = new int[0];

    private final boolean persistent;
    /** Target folder names by index; the locations' folder indexes point here. */
    private final List<String> folders;
    private final Map<String, Integer> folderIndex = new HashMap<>();

    // Two levels of parallel sorted arrays: base (from the store, and merged additions) and recent.
    private long[] baseIds;
    private int[] baseFolders;
    private int[] baseUids;
    private long[] recentIds = NO_IDS;
    private int[] recentFolders = NO_INTS;
    private int[] recentUids = NO_INTS;

    private CopiedIdentities(FirstCopies stored, boolean persistent) {
        this.persistent = persistent;
        this.folders = new ArrayList<>(stored.folders());
        for (int i = 0; i < folders.size(); i++) {
            folderIndex.put(folders.get(i), i);
        }
        int n = stored.size();
        baseIds = new long[n];
        baseFolders = new int[n];
        baseUids = new int[n];
        for (int i = 0; i < n; i++) {
            baseIds[i] = stored.identity(i);
            baseFolders[i] = stored.folderIndex(i);
            baseUids[i] = (int) stored.targetUid(i);
        }
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
            return new CopiedIdentities(store.firstCopies(mailboxKey), true);
        } catch (UnsupportedOperationException e) {
            LOG.warn("User {}: the store ({}) keeps no cross-folder identities: a message under several labels is"
                    + " copied once per pass, but a label added after it was copied copies it again", email,
                    store.getClass().getName());
            return new CopiedIdentities(FirstCopies.EMPTY, false);
        }
    }

    /** The identities of a store's {@link FirstCopies}, kept by the store. */
    static CopiedIdentities of(FirstCopies stored) {
        return new CopiedIdentities(stored, true);
    }

    /** Whether the endpoint's {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES} is {@code true}. */
    static boolean enabled(MigrationEndpoint endpoint) {
        return Boolean.parseBoolean(endpoint.properties().get(MigrationEndpoint.SKIP_CROSS_DUPLICATES));
    }

    /** Whether a message with this identity is on the target already; never for 0 (no identity). */
    synchronized boolean contains(long id) {
        return id != 0 && (Arrays.binarySearch(baseIds, id) >= 0 || Arrays.binarySearch(recentIds, id) >= 0);
    }

    /**
     * Where the first copy of a message is.
     *
     * @param id an identity
     * @return {@link #ABSENT} if it is not here, {@link #UNKNOWN} if its place is not known, else
     *         the folder index (see {@link #folder}) in the high 32 bits and the target UID in the low
     */
    synchronized long location(long id) {
        if (id == 0) {
            return ABSENT;
        }
        int i = Arrays.binarySearch(baseIds, id);
        if (i >= 0) {
            return pack(baseFolders[i], baseUids[i]);
        }
        i = Arrays.binarySearch(recentIds, id);
        return i >= 0 ? pack(recentFolders[i], recentUids[i]) : ABSENT;
    }

    private static long pack(int folder, int uid) {
        return folder < 0 || uid == 0 ? UNKNOWN : ((long) folder << 32) | Integer.toUnsignedLong(uid);
    }

    /** The folder index of a {@link #location}. */
    static int folderOf(long location) {
        return (int) (location >>> 32);
    }

    /** The target UID of a {@link #location}. */
    static long uidOf(long location) {
        return location & 0xFFFF_FFFFL;
    }

    /** The target folder with this index. */
    synchronized String folder(int index) {
        return folders.get(index);
    }

    /** The index of a target folder, added if new. */
    synchronized int folderIndex(String folder) {
        return folderIndex.computeIfAbsent(folder, f -> {
            folders.add(f);
            return folders.size() - 1;
        });
    }

    /** Whether the store keeps them ({@link MigrationStore#saveFolderCheckpoint(String, io.mailferry.core.store.FolderCheckpoint, java.util.List, long[], long[])}). */
    boolean persistent() {
        return persistent;
    }

    /**
     * Adds identities whose checkpoint is stored, with where their copies are; 0s are ignored, and
     * an identity already here keeps its first location.
     *
     * @param ids          the identities
     * @param targetFolder the target folder they were copied into (or found in)
     * @param targetUids   their UIDs there, 0 where unknown; same length as {@code ids}
     */
    synchronized void add(long[] ids, String targetFolder, long[] targetUids) {
        FirstCopies.Builder b = FirstCopies.builder();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0 && Arrays.binarySearch(baseIds, ids[i]) < 0 && Arrays.binarySearch(recentIds, ids[i]) < 0) {
                b.add(ids[i], targetFolder, targetUids[i]);
            }
        }
        FirstCopies fresh = b.build();
        if (fresh.size() == 0) {
            return;
        }
        int f = fresh.folders().isEmpty() ? -1 : folderIndex(targetFolder);
        int n = fresh.size();
        long[] ids2 = new long[n];
        int[] folders2 = new int[n];
        int[] uids2 = new int[n];
        for (int i = 0; i < n; i++) {
            ids2[i] = fresh.identity(i);
            folders2[i] = fresh.folderIndex(i) < 0 ? -1 : f;
            uids2[i] = (int) fresh.targetUid(i);
        }
        Merged r = merge(recentIds, recentFolders, recentUids, ids2, folders2, uids2);
        if (r.ids.length > Math.max(4096, baseIds.length / 4)) {
            Merged all = merge(baseIds, baseFolders, baseUids, r.ids, r.folders, r.uids);
            baseIds = all.ids;
            baseFolders = all.folders;
            baseUids = all.uids;
            recentIds = NO_IDS;
            recentFolders = NO_INTS;
            recentUids = NO_INTS;
        } else {
            recentIds = r.ids;
            recentFolders = r.folders;
            recentUids = r.uids;
        }
    }

    private record Merged(long[] ids, int[] folders, int[] uids) {
    }

    /** Merges two sorted sets of parallel arrays with disjoint ids. */
    private static Merged merge(long[] a, int[] af, int[] au, long[] b, int[] bf, int[] bu) {
        int n = a.length + b.length;
        long[] ids = new long[n];
        int[] fs = new int[n];
        int[] us = new int[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (j >= b.length || (i < a.length && a[i] < b[j])) {
                ids[k] = a[i];
                fs[k] = af[i];
                us[k] = au[i++];
            } else {
                ids[k] = b[j];
                fs[k] = bf[j];
                us[k] = bu[j++];
            }
        }
        return new Merged(ids, fs, us);
    }
}
