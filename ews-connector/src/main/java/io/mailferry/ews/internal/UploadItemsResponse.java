package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.EwsServiceXmlReader;
import microsoft.exchange.webservices.data.core.enumeration.misc.XmlNamespace;
import microsoft.exchange.webservices.data.core.response.ServiceResponse;

/** One {@code UploadItemsResponseMessage}: the new or updated item's id, {@code null} on error. */
public final class UploadItemsResponse extends ServiceResponse {

    private String itemId;
    private String changeKey;

    /** Creates an empty response to be read. */
    public UploadItemsResponse() {
    }

    @Override
    protected void readElementsFromXml(EwsServiceXmlReader reader) throws Exception {
        while (true) {
            reader.read();
            if (reader.isEndElement(XmlNamespace.Messages, "UploadItemsResponseMessage")) {
                return;
            }
            if (reader.isStartElement(XmlNamespace.Messages, "ItemId")) {
                itemId = reader.readAttributeValue("Id");
                changeKey = reader.readAttributeValue("ChangeKey");
            }
        }
    }

    /** Returns the item's ItemId, or {@code null}. */
    public String itemId() {
        return itemId;
    }

    /** Returns its change key, or {@code null}. */
    public String changeKey() {
        return changeKey;
    }
}
