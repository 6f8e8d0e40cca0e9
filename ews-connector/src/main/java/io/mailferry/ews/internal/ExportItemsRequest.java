package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.EwsServiceXmlWriter;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.misc.XmlNamespace;
import microsoft.exchange.webservices.data.core.enumeration.service.error.ServiceErrorHandling;
import microsoft.exchange.webservices.data.core.request.MultiResponseServiceRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The ExportItems operation (Exchange 2010 SP1 and later), which ews-java-api lacks: each item as
 * an opaque full-fidelity stream that only {@link UploadItemsRequest UploadItems} can read back.
 * Microsoft asks for at most 100 items per request.
 *
 * <pre>{@code
 * <m:ExportItems><m:ItemIds><t:ItemId Id="…"/>…</m:ItemIds></m:ExportItems>
 * }</pre>
 */
public final class ExportItemsRequest extends MultiResponseServiceRequest<ExportItemsResponse> {

    private final List<String> itemIds = new ArrayList<>();

    /**
     * @param service the session's service
     * @param itemIds the ItemIds to export, 1–100
     * @throws Exception as the library's constructor throws it (server version too old)
     */
    public ExportItemsRequest(ExchangeService service, List<String> itemIds) throws Exception {
        super(service, ServiceErrorHandling.ReturnErrors);
        if (itemIds.isEmpty() || itemIds.size() > 100) {
            throw new IllegalArgumentException("ExportItems takes 1 to 100 items, not " + itemIds.size());
        }
        this.itemIds.addAll(itemIds);
    }

    @Override
    protected ExportItemsResponse createServiceResponse(ExchangeService service, int responseIndex) {
        return new ExportItemsResponse();
    }

    @Override
    protected String getResponseMessageXmlElementName() {
        return "ExportItemsResponseMessage";
    }

    @Override
    protected int getExpectedResponseMessageCount() {
        return itemIds.size();
    }

    @Override
    public String getXmlElementName() {
        return "ExportItems";
    }

    @Override
    protected String getResponseXmlElementName() {
        return "ExportItemsResponse";
    }

    @Override
    protected ExchangeVersion getMinimumRequiredServerVersion() {
        return ExchangeVersion.Exchange2010_SP1;
    }

    @Override
    protected void writeElementsToXml(EwsServiceXmlWriter writer) throws Exception {
        writer.writeStartElement(XmlNamespace.Messages, "ItemIds");
        for (String id : itemIds) {
            writer.writeStartElement(XmlNamespace.Types, "ItemId");
            writer.writeAttributeValue("Id", id);
            writer.writeEndElement();
        }
        writer.writeEndElement();
    }
}
