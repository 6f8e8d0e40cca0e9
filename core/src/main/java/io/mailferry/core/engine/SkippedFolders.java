package io.mailferry.core.engine;

import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.SkippedFolder;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.store.MigrationStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records the folders a source leaves out ({@link SourceMailbox#skippedFolders()}) as skipped items
 * of kind {@link SkippedItemKind#NON_MAIL_FOLDER}: one item per folder, with the folder's size when
 * known and its item count in the reason, so that the administrator sees them where other skipped
 * items are (the user's statistics and skipped items, the skipped-items report, an
 * {@link io.mailferry.core.MigrationEvent.ItemSkipped} event).
 *
 * <p>Idempotent per batch, user and folder: a folder already recorded for the user is not
 * recorded again by later (incremental) passes. Folders the batch's IncludeFolders/ExcludeFolders
 * leave out are not recorded: the administrator chose not to migrate them. These items count
 * against no limit ({@link SkippedItemKind#countsAgainstLimits()}).
 */
final class SkippedFolders {

    private SkippedFolders() {
    }

    /**
     * Records the folders not yet recorded for the user.
     *
     * @param store         the store
     * @param batchName     the batch
     * @param emailAddress  the user
     * @param folders       what the source left out
     * @param sourceFolders what the source listed (for the filter's role look-ups)
     * @param filter        the batch's folder filter
     * @param now           the time to record
     * @return the items recorded now, possibly none
     */
    static List<SkippedItem> record(MigrationStore store, String batchName, String emailAddress,
                                    List<SkippedFolder> folders, List<FolderInfo> sourceFolders, FolderFilter filter,
                                    Instant now) {
        if (folders.isEmpty()) {
            return List.of();
        }
        Set<String> recorded = new HashSet<>();
        for (SkippedItem s : store.skippedItems(batchName, emailAddress)) {
            if (s.kind() == SkippedItemKind.NON_MAIL_FOLDER) {
                recorded.add(s.folder());
            }
        }
        Map<String, FolderInfo> byName = new HashMap<>();
        for (FolderInfo f : sourceFolders) {
            byName.put(f.name(), f);
        }
        List<SkippedItem> fresh = new ArrayList<>();
        for (SkippedFolder f : folders) {
            if (!recorded.add(f.name())) {
                continue;
            }
            FolderInfo info = new FolderInfo(f.name(), f.separator(), Set.of(), null, false);
            if (!filter.isEmpty() && !filter.selected(info, byName)) {
                continue;
            }
            String reason = f.itemCount() < 0 ? f.reason()
                    : f.reason() + "; " + f.itemCount() + " item(s) not migrated";
            fresh.add(new SkippedItem(emailAddress, f.name(), 0, null, null, f.size(), SkippedItemKind.NON_MAIL_FOLDER,
                    reason, now));
        }
        store.saveSkippedItems(batchName, fresh);
        return fresh;
    }
}
