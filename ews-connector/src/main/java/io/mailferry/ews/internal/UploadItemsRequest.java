package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.EwsServiceXmlWriter;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.misc.XmlNamespace;
import microsoft.exchange.webservices.data.core.enumeration.service.error.ServiceErrorHandling;
import microsoft.exchange.webservices.data.core.request.MultiResponseServiceRequest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The UploadItems operation (Exchange 2010 SP1 and later), which ews-java-api lacks: creates or
 * updates items from streams {@link ExportItemsRequest ExportItems} produced.
 *
 * <pre>{@code
 * <m:UploadItems><m:Items>
 *   <t:Item CreateAction="CreateNew"><t:ParentFolderId Id="…"/><t:Data>…</t:Data></t:Item>
 * </m:Items></m:UploadItems>
 * }</pre>
 */
public final class UploadItemsRequest extends MultiResponseServiceRequest<UploadItemsResponse> {

    /** {@code CreateAction}: what to do with an item. */
    public enum CreateAction {
        /** A new item. */
        CreateNew,
        /** Update the item named by its ItemId. */
        Update,
        /** Update it if it exists, else create it. */
        UpdateOrCreate
    }

    /**
     * One item to upload.
     *
     * @param parentFolderId the folder to put it in
     * @param action         what to do
     * @param itemId         the item to update, or {@code null} for {@link CreateAction#CreateNew}
     * @param associated     {@code true} for a folder-associated (hidden) item, {@code null} to omit
     * @param data           the stream from ExportItems
     */
    public record Item(String parentFolderId, CreateAction action, String itemId, Boolean associated, byte[] data) {
        /** Validates. */
        public Item {
            Objects.requireNonNull(parentFolderId, "parentFolderId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(data, "data");
        }
    }

    private final List<Item> items = new ArrayList<>();

    /**
     * @param service the session's service
     * @param items   the items, at least one
     * @throws Exception as the library's constructor throws it (server version too old)
     */
    public UploadItemsRequest(ExchangeService service, List<Item> items) throws Exception {
        super(service, ServiceErrorHandling.ReturnErrors);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("UploadItems needs at least one item");
        }
        this.items.addAll(items);
    }

    @Override
    protected UploadItemsResponse createServiceResponse(ExchangeService service, int responseIndex) {
        return new UploadItemsResponse();
    }

    @Override
    protected String getResponseMessageXmlElementName() {
        return "UploadItemsResponseMessage";
    }

    @Override
    protected int getExpectedResponseMessageCount() {
        return items.size();
    }

    @Override
    public String getXmlElementName() {
        return "UploadItems";
    }

    @Override
    protected String getResponseXmlElementName() {
        return "UploadItemsResponse";
    }

    @Override
    protected ExchangeVersion getMinimumRequiredServerVersion() {
        return ExchangeVersion.Exchange2010_SP1;
    }

    @Override
    protected void writeElementsToXml(EwsServiceXmlWriter writer) throws Exception {
        writer.writeStartElement(XmlNamespace.Messages, "Items");
        for (Item item : items) {
            writer.writeStartElement(XmlNamespace.Types, "Item");
            writer.writeAttributeValue("CreateAction", item.action().name());
            if (item.associated() != null) {
                writer.writeAttributeValue("IsAssociated", item.associated() ? "true" : "false");
            }
            writer.writeStartElement(XmlNamespace.Types, "ParentFolderId");
            writer.writeAttributeValue("Id", item.parentFolderId());
            writer.writeEndElement();
            if (item.itemId() != null) {
                writer.writeStartElement(XmlNamespace.Types, "ItemId");
                writer.writeAttributeValue("Id", item.itemId());
                writer.writeEndElement();
            }
            writer.writeElementValue(XmlNamespace.Types, "Data", Base64.getEncoder().encodeToString(item.data()));
            writer.writeEndElement();
        }
        writer.writeEndElement();
    }
}
