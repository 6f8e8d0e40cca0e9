package io.mailferry.ews.fake;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** XML helpers of the fake server: namespace-aware DOM reading and escaped writing. */
final class Soap {
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";
    static final String E = "http://schemas.microsoft.com/exchange/services/2006/errors";

    private Soap() {
    }

    static Document parse(byte[] bytes) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nl.item(i));
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(parent)) {
            if (e.getLocalName().equals(localName)) {
                out.add(e);
            }
        }
        return out;
    }

    static Optional<Element> child(Element parent, String localName) {
        for (Element e : children(parent)) {
            if (e.getLocalName().equals(localName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static Optional<Element> descendant(Element parent, String localName) {
        if (parent == null) {
            return Optional.empty();
        }
        NodeList nl = parent.getElementsByTagNameNS("*", localName);
        return nl.getLength() == 0 ? Optional.empty() : Optional.of((Element) nl.item(0));
    }

    static String text(Element parent, String localName) {
        return child(parent, localName).map(Element::getTextContent).orElse(null);
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append(' ');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String envelope(String body) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"" + SOAP + "\"><s:Header>"
                + "<h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\" "
                + "MinorBuildNumber=\"6\" Version=\"V2017_07_11\" xmlns:h=\"" + T + "\" xmlns=\"" + T + "\"/>"
                + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    static String response(String op, CharSequence messages) {
        return "<m:" + op + "Response xmlns:m=\"" + M + "\" xmlns:t=\"" + T + "\"><m:ResponseMessages>" + messages
                + "</m:ResponseMessages></m:" + op + "Response>";
    }

    static String success(String op, CharSequence content) {
        return "<m:" + op + "ResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
                + content + "</m:" + op + "ResponseMessage>";
    }

    static String error(String op, String code, String text, long backOffMs) {
        return "<m:" + op + "ResponseMessage ResponseClass=\"Error\"><m:MessageText>" + esc(text) + "</m:MessageText>"
                + "<m:ResponseCode>" + code + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
                + (backOffMs > 0 ? "<m:MessageXml><t:Value Name=\"BackOffMilliseconds\">" + backOffMs
                + "</t:Value></m:MessageXml>" : "")
                + "</m:" + op + "ResponseMessage>";
    }

    static String fault(String code, String text, long backOffMs) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"" + SOAP + "\"><s:Body><s:Fault>"
                + "<faultcode xmlns:a=\"" + T + "\">a:" + code + "</faultcode>"
                + "<faultstring xml:lang=\"en-US\">" + esc(text) + "</faultstring><detail>"
                + "<e:ResponseCode xmlns:e=\"" + E + "\">" + code + "</e:ResponseCode>"
                + "<e:Message xmlns:e=\"" + E + "\">" + esc(text) + "</e:Message>"
                + (backOffMs > 0 ? "<t:MessageXml xmlns:t=\"" + T + "\"><t:Value Name=\"BackOffMilliseconds\">"
                + backOffMs + "</t:Value></t:MessageXml>" : "")
                + "</detail></s:Fault></s:Body></s:Envelope>";
    }
}
