package io.mailferry.core.spi;

import java.util.Objects;

/**
 * A folder of a source mailbox that {@link SourceMailbox#listFolders()} leaves out because its items
 * cannot be migrated by this connector, e.g. an Exchange calendar ({@code IPF.Appointment}),
 * contacts ({@code IPF.Contact}) or tasks ({@code IPF.Task}) folder when the items go as mail to an
 * IMAP target. The engine reports each as one skipped item of kind
 * {@link io.mailferry.core.SkippedItemKind#NON_MAIL_FOLDER}: see {@link SourceMailbox#skippedFolders()}.
 *
 * <p>Folders a user never sees (hidden system folders) are not reported.
 *
 * @param name      full Unicode name in the source hierarchy, in the form
 *                  {@link FolderInfo#name()} uses; never {@code null}
 * @param separator the hierarchy separator of {@code name}, or {@link FolderInfo#NO_SEPARATOR}
 * @param reason    why it is left out, human-readable, e.g. {@code calendar folder (FolderClass
 *                  IPF.Appointment): not mail}; never {@code null}
 * @param itemCount how many items the folder holds, or -1 if unknown
 * @param size      the folder's size in bytes, or -1 if unknown
 */
public record SkippedFolder(String name, char separator, String reason, long itemCount, long size) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code name} or {@code reason} is {@code null}
     */
    public SkippedFolder {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        itemCount = Math.max(-1, itemCount);
        size = Math.max(-1, size);
    }
}
