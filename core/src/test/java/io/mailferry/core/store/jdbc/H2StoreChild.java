package io.mailferry.core.store.jdbc;

import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.UidMap;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A child process for {@link H2FileStoreTest}: opens {@code h2File(args[0])} and checkpoints one
 * folder forever as a copy does, one message per checkpoint, every 10th message skipped, printing
 * {@code saved <uid>} after each checkpoint returned, until it is killed.
 */
public final class H2StoreChild {
    static final String KEY = "terry@example.com|terry";

    private H2StoreChild() {
    }

    public static void main(String[] args) {
        JdbcMigrationStore store = JdbcMigrationStore.h2File(Path.of(args[0]));
        System.out.println("open");
        System.out.flush();
        UidMap.Builder map = UidMap.builder();
        for (long uid = 1; ; uid++) {
            List<SkippedItem> skipped = List.of();
            if (uid % 10 == 0) {
                skipped = List.of(new SkippedItem("terry@example.com", "INBOX", uid, "s" + uid, null, 1,
                        SkippedItemKind.CORRUPT, "broken", Instant.now()));
            } else {
                map.put(uid, uid * 2); // every copied message its own run, as in the worst case
            }
            store.saveFolderState("b", new FolderSyncState(KEY, "INBOX", 1, uid, 0, "INBOX", 1, map.build(), null),
                    skipped);
            System.out.println("saved " + uid);
            System.out.flush();
        }
    }
}
