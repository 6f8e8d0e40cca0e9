package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.EwsServiceXmlReader;
import microsoft.exchange.webservices.data.core.enumeration.misc.XmlNamespace;
import microsoft.exchange.webservices.data.core.response.ServiceResponse;

import java.util.Base64;

/**
 * One {@code ExportItemsResponseMessage}: the item's id and its full-fidelity stream.
 * {@link #data()} is {@code null} for an error answer.
 */
public final class ExportItemsResponse extends ServiceResponse {

    /** What Exchange appends to a stream cut short during a failover (documented 2026-04). */
    public static final String TRUNCATED_MARKER = "=== Truncated Data ===";

    private String itemId;
    private String changeKey;
    private byte[] data;
    private boolean truncated;

    /** Creates an empty response to be read. */
    public ExportItemsResponse() {
    }

    @Override
    protected void readElementsFromXml(EwsServiceXmlReader reader) throws Exception {
        while (true) {
            reader.read();
            if (reader.isEndElement(XmlNamespace.Messages, "ExportItemsResponseMessage")) {
                return;
            }
            if (reader.isStartElement(XmlNamespace.Messages, "ItemId")) {
                itemId = reader.readAttributeValue("Id");
                changeKey = reader.readAttributeValue("ChangeKey");
            } else if (reader.isStartElement(XmlNamespace.Messages, "Data")) {
                String text = reader.readElementValue();
                String trimmed = text == null ? "" : text.trim();
                if (trimmed.endsWith(TRUNCATED_MARKER)) {
                    truncated = true;
                    trimmed = trimmed.substring(0, trimmed.length() - TRUNCATED_MARKER.length()).trim();
                }
                data = Base64.getMimeDecoder().decode(trimmed);
            }
        }
    }

    /** Returns the exported item's ItemId, or {@code null}. */
    public String itemId() {
        return itemId;
    }

    /** Returns the exported item's change key, or {@code null}. */
    public String changeKey() {
        return changeKey;
    }

    /** Returns the stream, or {@code null}. */
    public byte[] data() {
        return data;
    }

    /** Returns {@code true} if Exchange marked the stream as cut short; export it again. */
    public boolean truncated() {
        return truncated;
    }
}
