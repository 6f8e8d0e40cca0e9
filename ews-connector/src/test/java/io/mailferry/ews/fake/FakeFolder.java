package io.mailferry.ews.fake;

/** One folder of the fake mailbox. Guarded by the {@link FakeExchange}'s lock. */
public final class FakeFolder {
    final String id;
    String parentId;
    String displayName;
    String folderClass;
    final String distinguished;
    boolean hidden;
    long nextArticle = 1;
    /** Sync states of older generations are invalid (ErrorInvalidSyncStateData). */
    int syncGeneration = 1;
    long version;

    FakeFolder(String id, String parentId, String displayName, String folderClass, String distinguished) {
        this.id = id;
        this.parentId = parentId;
        this.displayName = displayName;
        this.folderClass = folderClass;
        this.distinguished = distinguished;
    }

    /** Returns the FolderId. */
    public String id() {
        return id;
    }

    /** Returns the parent's FolderId, or {@code null} for the root. */
    public String parentId() {
        return parentId;
    }

    /** Returns the display name. */
    public String displayName() {
        return displayName;
    }

    /** Returns the FolderClass, or {@code null}. */
    public String folderClass() {
        return folderClass;
    }

    /** Returns the distinguished folder name (e.g. {@code inbox}), or {@code null}. */
    public String distinguished() {
        return distinguished;
    }

    /** Returns the change key. */
    public String changeKey() {
        return "AQAAAB" + Long.toString(version, 36) + "=";
    }
}
