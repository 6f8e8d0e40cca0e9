package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.property.complex.ItemId;

/** The library's id types without its checked exceptions. */
final class Ids {
    private Ids() {
    }

    static FolderId folder(String id) {
        try {
            return new FolderId(id);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad FolderId " + id, e);
        }
    }

    static ItemId item(String id) {
        try {
            return new ItemId(id);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad ItemId " + id, e);
        }
    }

    static String of(Item item) {
        try {
            return item.getId().getUniqueId();
        } catch (Exception e) {
            throw new IllegalStateException("item without id", e);
        }
    }
}
