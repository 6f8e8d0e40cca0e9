package io.mailferry.ews.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One item of the fake mailbox: MIME bytes stored verbatim and the MAPI-ish properties the
 * connector reads and writes. Guarded by the {@link FakeExchange}'s lock.
 */
public final class FakeItem {
    final String id;
    final FakeMailbox mailbox;
    String folderId;
    long article;
    int version = 1;
    byte[] mime;
    String itemClass = "IPM.Note";
    boolean read;
    boolean draft;
    int flagStatus;
    int lastVerb;
    int iconIndex;
    final List<String> categories = new ArrayList<>();
    Instant received;
    /** Named properties by "{guid}name", values as text. */
    final Map<String, String> named = new LinkedHashMap<>();
    /** Other tagged properties by tag, values as text. */
    final Map<Integer, String> tagged = new LinkedHashMap<>();

    FakeItem(String id, FakeMailbox mailbox) {
        this.id = id;
        this.mailbox = mailbox;
    }

    /**
     * Returns the item's size as Exchange reports it ({@code item:Size}): the MIME length plus the
     * exchange's {@linkplain FakeExchange#itemSizeOverhead(int) property overhead}.
     */
    long size() {
        return mime.length + (long) mailbox.exchange.itemSizeOverhead;
    }

    /** Returns the ItemId. */
    public String id() {
        return id;
    }

    /** Returns the change key. */
    public String changeKey() {
        return "CQAAAB" + Integer.toString(version, 36) + "=";
    }

    /** Returns the folder's id. */
    public String folderId() {
        return folderId;
    }

    /** Returns the article number (IMAP UID). */
    public long article() {
        return article;
    }

    /** Returns a copy of the MIME bytes. */
    public byte[] mime() {
        return mime.clone();
    }

    /** Returns the item class. */
    public String itemClass() {
        return itemClass;
    }

    /** Returns IsRead. */
    public boolean read() {
        return read;
    }

    /** Returns whether PidTagMessageFlags has MSGFLAG_UNSENT. */
    public boolean draft() {
        return draft;
    }

    /** Returns PidTagFlagStatus. */
    public int flagStatus() {
        return flagStatus;
    }

    /** Returns PidTagLastVerbExecuted. */
    public int lastVerb() {
        return lastVerb;
    }

    /** Returns the categories. */
    public List<String> categories() {
        return List.copyOf(categories);
    }

    /** Returns DateTimeReceived. */
    public Instant received() {
        return received;
    }

    /** Returns PidTagMessageFlags. */
    public int messageFlags() {
        return (read ? 1 : 0) | (draft ? 8 : 0);
    }

    /**
     * @param name a MailFerry named property, e.g. {@code MailFerrySourceId}
     * @return its value, or {@code null}
     */
    public String named(String name) {
        for (Map.Entry<String, String> e : named.entrySet()) {
            if (e.getKey().endsWith("}" + name)) {
                return e.getValue();
            }
        }
        return null;
    }

    // ---- changes, for FakeMailbox.change(item, …) and deliveries

    /** Sets IsRead. */
    public void setRead(boolean value) {
        read = value;
    }

    /** Sets MSGFLAG_UNSENT. */
    public void setDraft(boolean value) {
        draft = value;
    }

    /** Sets PidTagFlagStatus. */
    public void setFlagStatus(int value) {
        flagStatus = value;
    }

    /** Sets PidTagLastVerbExecuted. */
    public void setLastVerb(int value) {
        lastVerb = value;
    }

    /** Replaces the categories. */
    public void setCategories(java.util.List<String> value) {
        categories.clear();
        categories.addAll(value);
    }

    /** Sets the item class. */
    public void setItemClass(String value) {
        itemClass = value;
    }

    /**
     * Sets or removes a MailFerry named property.
     *
     * @param name  e.g. {@code MailFerryImapFlags}
     * @param value the value, or {@code null} to remove it
     */
    public void setNamed(String name, String value) {
        named.keySet().removeIf(k -> k.endsWith("}" + name));
        if (value != null) {
            named.put("{6d61696c-6665-7272-7900-0000000000e5}" + name, value);
        }
    }
}
