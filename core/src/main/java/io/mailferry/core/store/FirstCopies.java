package io.mailferry.core.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cross-folder identities ({@link io.mailferry.core.spi.MessageInfo#crossFolderId()}) copied
 * for one mailbox, each with where its first copy is on the target: the target folder and the
 * message's UID there, when known. The engine adds the other folders of a message shown in several
 * (Gmail's labels) to that copy ({@link io.mailferry.core.spi.TargetMailbox#addLabels}).
 *
 * <p>Compact for large mailboxes: parallel sorted arrays, 16 bytes per identity (8 for the id, 4
 * for the folder's index in {@link #folders()}, 4 for the UID, an unsigned 32-bit number as IMAP
 * UIDs are, RFC 3501 section 2.3.1.1). Immutable and thread-safe.
 */
public final class FirstCopies {

    /** No identities. */
    public static final FirstCopies EMPTY = new FirstCopies(new long[0], new int[0], new int[0], List.of());

    private final long[] ids;
    private final int[] folderIndex;
    private final int[] uids;
    private final List<String> folders;

    private FirstCopies(long[] ids, int[] folderIndex, int[] uids, List<String> folders) {
        this.ids = ids;
        this.folderIndex = folderIndex;
        this.uids = uids;
        this.folders = folders;
    }

    /**
     * Identities without locations (a store that keeps only the identities, or rows written
     * before locations were kept).
     *
     * @param identities the identities, any order, duplicates and 0s allowed (0s are left out)
     * @return them, each once, with unknown locations
     */
    public static FirstCopies withoutLocations(long[] identities) {
        long[] sorted = Arrays.stream(identities).filter(id -> id != 0).sorted().distinct().toArray();
        int[] none = new int[sorted.length];
        Arrays.fill(none, -1);
        return new FirstCopies(sorted, none, new int[sorted.length], List.of());
    }

    /** Returns a builder to which identities are added in the order they were copied. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of identities. */
    public int size() {
        return ids.length;
    }

    /**
     * Finds an identity.
     *
     * @param id an identity
     * @return its index (0 to {@link #size()} - 1), or a negative number if absent
     */
    public int indexOf(long id) {
        return id == 0 ? -1 : Arrays.binarySearch(ids, id);
    }

    /**
     * @param index an index, 0 to {@link #size()} - 1
     * @return the identity at it (identities are in ascending signed order)
     */
    public long identity(int index) {
        return ids[index];
    }

    /**
     * @param index an index, 0 to {@link #size()} - 1
     * @return the index in {@link #folders()} of the target folder holding the first copy, or -1 if unknown
     */
    public int folderIndex(int index) {
        return folderIndex[index];
    }

    /**
     * @param index an index, 0 to {@link #size()} - 1
     * @return the target folder holding the first copy, or {@code null} if unknown
     */
    public String targetFolder(int index) {
        int f = folderIndex[index];
        return f < 0 ? null : folders.get(f);
    }

    /**
     * @param index an index, 0 to {@link #size()} - 1
     * @return the first copy's UID in {@link #targetFolder(int)}, or 0 if unknown
     */
    public long targetUid(int index) {
        return folderIndex[index] < 0 ? 0 : Integer.toUnsignedLong(uids[index]);
    }

    /** Returns the target folders the locations name, indexed by {@link #folderIndex(int)}. */
    public List<String> folders() {
        return folders;
    }

    /** Returns the identities in ascending order (a copy). */
    public long[] identities() {
        return ids.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FirstCopies other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != other.ids[i] || !Objects.equals(targetFolder(i), other.targetFolder(i))
                    || targetUid(i) != other.targetUid(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "FirstCopies[" + ids.length + " identities, " + folders.size() + " folders]";
    }

    /**
     * Collects identities in the order they were copied; where one is added twice the first
     * addition stands (it names the first copy). Not thread-safe.
     */
    public static final class Builder {
        private long[] ids = new long[16];
        private int[] folderIndex = new int[16];
        private int[] uids = new int[16];
        private int size;
        private final List<String> folders = new ArrayList<>();
        private final Map<String, Integer> folderIndexOf = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds an identity with its first copy's location.
         *
         * @param id           the identity; 0 is ignored
         * @param targetFolder the target folder of the copy, or {@code null} if unknown
         * @param targetUid    its UID there (1 to 4294967295), or 0 if unknown
         * @return this builder
         * @throws IllegalArgumentException if the UID is out of range
         */
        public Builder add(long id, String targetFolder, long targetUid) {
            if (targetUid < 0 || targetUid > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("target UID out of range: " + targetUid);
            }
            if (id == 0) {
                return this;
            }
            if (size == ids.length) {
                int n = size * 2;
                ids = Arrays.copyOf(ids, n);
                folderIndex = Arrays.copyOf(folderIndex, n);
                uids = Arrays.copyOf(uids, n);
            }
            ids[size] = id;
            folderIndex[size] = targetFolder == null || targetUid == 0 ? -1
                    : folderIndexOf.computeIfAbsent(targetFolder, f -> {
                        folders.add(f);
                        return folders.size() - 1;
                    });
            uids[size] = (int) targetUid;
            size++;
            return this;
        }

        /** Returns the identities added, each once, sorted; the first addition of each stands. */
        public FirstCopies build() {
            int[] order = stableOrderById();
            int distinct = 0;
            for (int k = 0; k < size; k++) {
                if (k == 0 || ids[order[k]] != ids[order[k - 1]]) {
                    distinct++;
                }
            }
            long[] outIds = new long[distinct];
            int[] outFolders = new int[distinct];
            int[] outUids = new int[distinct];
            int j = -1;
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (k == 0 || ids[i] != ids[order[k - 1]]) {
                    j++;
                    outIds[j] = ids[i];
                    outFolders[j] = folderIndex[i];
                    outUids[j] = uids[i];
                }
            }
            return new FirstCopies(outIds, outFolders, outUids, List.copyOf(folders));
        }

        /** Indexes 0..size-1 ordered by id, equal ids in insertion order (a bottom-up merge sort). */
        private int[] stableOrderById() {
            int[] a = new int[size];
            for (int i = 0; i < size; i++) {
                a[i] = i;
            }
            int[] b = new int[size];
            for (int width = 1; width < size; width *= 2) {
                for (int lo = 0; lo < size; lo += 2 * width) {
                    int mid = Math.min(lo + width, size);
                    int hi = Math.min(lo + 2 * width, size);
                    int i = lo;
                    int k = mid;
                    int o = lo;
                    while (i < mid && k < hi) {
                        b[o++] = ids[a[k]] < ids[a[i]] ? a[k++] : a[i++];
                    }
                    while (i < mid) {
                        b[o++] = a[i++];
                    }
                    while (k < hi) {
                        b[o++] = a[k++];
                    }
                }
                int[] t = a;
                a = b;
                b = t;
            }
            return a;
        }
    }
}
