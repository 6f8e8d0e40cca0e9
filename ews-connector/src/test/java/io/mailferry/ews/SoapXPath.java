package io.mailferry.ews;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** XPath over SOAP with the EWS prefixes {@code s}, {@code m}, {@code t}, for golden-request tests. */
final class SoapXPath {

    private static final Map<String, String> NS = Map.of(
            "s", "http://schemas.xmlsoap.org/soap/envelope/",
            "m", "http://schemas.microsoft.com/exchange/services/2006/messages",
            "t", "http://schemas.microsoft.com/exchange/services/2006/types");

    private final Document doc;
    private final XPath xpath;

    private SoapXPath(Document doc) {
        this.doc = doc;
        this.xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return NS.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceUri) {
                return List.<String>of().iterator();
            }
        });
    }

    static SoapXPath of(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return new SoapXPath(f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
        }
    }

    /** @return the string value of an expression */
    String string(String expression) {
        try {
            return xpath.evaluate(expression, doc);
        } catch (Exception e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    /** @return how many nodes an expression selects */
    int count(String expression) {
        try {
            return ((NodeList) xpath.evaluate(expression, doc, XPathConstants.NODESET)).getLength();
        } catch (Exception e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    /** @return the local name of the first element of the SOAP body */
    String operation() {
        return string("local-name(/s:Envelope/s:Body/*[1])");
    }
}
