package io.mailferry.ews.internal;

import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.UnableToConnectException;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.NTCredentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.client.config.AuthSchemes;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.net.ssl.SSLException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds a mailbox's EWS URL with POX Autodiscover ({@code autodiscover.xml}, the protocol every
 * Exchange version since 2007 serves; [MS-OXDISCO]). Candidates, in order: the endpoint's host,
 * {@code https://}<i>domain</i>, {@code https://autodiscover.}<i>domain</i>, then the redirect that
 * {@code http://autodiscover.}<i>domain</i> answers a GET with.
 *
 * <p>Redirects (HTTP 301/302/307/308, {@code redirectUrl} answers) are followed only to
 * {@code https} URLs on expected hosts: the endpoint's host, the address's domain and its
 * subdomains, and hosts the endpoint allows explicitly. A {@code redirectAddr} answer restarts with
 * the new address only if its domain is expected too. Every request uses the connector's TLS
 * verification and credentials. At most 10 redirects.
 *
 * <p>The library's own Autodiscover is not used: it builds an HTTP client with the library's
 * lenient trust manager, and its redirect validation only asks a yes/no callback.
 */
public final class Autodiscover {
    private static final Logger LOG = LoggerFactory.getLogger(Autodiscover.class);
    private static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private static final String RESPONSE_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private static final int MAX_HOPS = 10;

    private final EwsSettings settings;

    /** @param settings the endpoint's settings (its credentials, TLS, allowed hosts) */
    public Autodiscover(EwsSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs Autodiscover.
     *
     * @param emailAddress the address to discover
     * @return the EWS URL
     * @throws ConnectorException naming every URL tried and why it failed
     */
    public URI discover(String emailAddress) {
        String domain = domainOf(emailAddress);
        Set<String> expected = new LinkedHashSet<>();
        expected.add(settings.host().toLowerCase(Locale.ROOT));
        expected.add(domain);
        Deque<URI> candidates = new ArrayDeque<>();
        String scheme = settings.https() ? "https" : "http";
        candidates.add(URI.create(scheme + "://" + settings.host() + ":" + settings.port()
                + "/autodiscover/autodiscover.xml"));
        candidates.add(URI.create("https://" + domain + "/autodiscover/autodiscover.xml"));
        candidates.add(URI.create("https://autodiscover." + domain + "/autodiscover/autodiscover.xml"));
        List<String> tried = new ArrayList<>();
        boolean authFailed = false;
        boolean reached = false;
        String address = emailAddress;
        try (CloseableHttpClient http = client()) {
            int hops = 0;
            while (!candidates.isEmpty() && hops <= MAX_HOPS) {
                URI url = candidates.pollFirst();
                hops++;
                Answer a;
                try {
                    a = post(http, url, address);
                } catch (SSLException e) {
                    tried.add(url + ": TLS failed (" + e.getMessage() + ")");
                    reached = true;
                    continue;
                } catch (IOException e) {
                    tried.add(url + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                    continue;
                }
                reached = true;
                switch (a.kind) {
                    case EWS_URL -> {
                        URI ews = URI.create(a.value);
                        if (!"https".equalsIgnoreCase(ews.getScheme()) && settings.https()) {
                            tried.add(url + ": refused EWS URL " + a.value + " (not https)");
                            continue;
                        }
                        LOG.info("Autodiscover for {}: EWS at {} (from {})", emailAddress, ews, url);
                        return ews;
                    }
                    case REDIRECT_URL -> {
                        URI next = URI.create(a.value);
                        String why = refusal(next, expected);
                        if (why != null) {
                            tried.add(url + ": refused redirect to " + a.value + " (" + why + ")");
                        } else {
                            tried.add(url + ": redirected to " + a.value);
                            candidates.addFirst(next);
                        }
                    }
                    case REDIRECT_ADDRESS -> {
                        String newDomain = domainOf(a.value);
                        if (!isExpected(newDomain, expected)) {
                            tried.add(url + ": refused redirect to address " + a.value + " (domain " + newDomain
                                    + " not expected)");
                        } else {
                            tried.add(url + ": redirected to address " + a.value);
                            address = a.value;
                            candidates.addFirst(URI.create("https://autodiscover." + newDomain
                                    + "/autodiscover/autodiscover.xml"));
                            candidates.addFirst(URI.create("https://" + newDomain + "/autodiscover/autodiscover.xml"));
                        }
                    }
                    case UNAUTHORIZED -> {
                        authFailed = true;
                        tried.add(url + ": HTTP 401 (credentials refused)");
                    }
                    case FAILED -> tried.add(url + ": " + a.value);
                }
            }
            // last resort: the unauthenticated HTTP redirect of autodiscover.<domain> (never followed to http)
            if (hops <= MAX_HOPS) {
                URI http0 = URI.create("http://autodiscover." + domain + "/autodiscover/autodiscover.xml");
                try {
                    String location = redirectOf(http, http0);
                    if (location != null) {
                        URI next = URI.create(location);
                        String why = refusal(next, expected);
                        if (why != null) {
                            tried.add(http0 + ": refused redirect to " + location + " (" + why + ")");
                        } else {
                            Answer a = post(http, next, address);
                            if (a.kind == AnswerKind.EWS_URL) {
                                return URI.create(a.value);
                            }
                            tried.add(next + ": " + a.kind + " " + a.value);
                        }
                    } else {
                        tried.add(http0 + ": no redirect");
                    }
                } catch (IOException e) {
                    tried.add(http0 + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            }
        } catch (IOException e) {
            tried.add("closing the client: " + e.getMessage());
        }
        String text = "Autodiscover found no EWS URL for " + emailAddress + "; tried: " + String.join("; ", tried);
        if (authFailed) {
            throw new AuthenticationFailedException(text);
        }
        if (!reached) {
            throw new UnableToConnectException(ConnectorException.Kind.CONNECTION, text, null);
        }
        throw new ConnectorException(ConnectorException.Kind.REFUSED, text);
    }

    /**
     * @param url      a redirect target
     * @param expected the endpoint's host and the address's domain (lower case)
     * @return why it is refused, or {@code null} if it may be followed
     */
    public String refusal(URI url, Set<String> expected) {
        if (url.getScheme() == null || !url.getScheme().equalsIgnoreCase("https")) {
            return "only https redirects are followed";
        }
        if (url.getHost() == null || !isExpected(url.getHost(), expected)) {
            return "host " + url.getHost() + " is not the endpoint's host, the address's domain or an allowed host";
        }
        return null;
    }

    private boolean isExpected(String host, Set<String> expected) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String e : expected) {
            if (h.equals(e) || h.endsWith("." + e)) {
                return true;
            }
        }
        for (String a : settings.allowedHosts()) {
            if (a.startsWith("*.") ? h.endsWith(a.substring(1)) || h.equals(a.substring(2)) : h.equals(a)) {
                return true;
            }
        }
        return false;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not an e-mail address");
        }
        return address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private CloseableHttpClient client() {
        CredentialsProvider creds = new BasicCredentialsProvider();
        if (settings.authentication() == EwsSettings.Authentication.AUTO
                || settings.authentication() == EwsSettings.Authentication.NTLM) {
            creds.setCredentials(AuthScope.ANY, new NTCredentials(settings.loginUser(), settings.secret(), "",
                    settings.loginDomain()));
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        return HttpClients.custom()
                .setConnectionManager(new BasicHttpClientConnectionManager(
                        TlsSupport.registry(settings.tls(), settings.endpointName())))
                .setDefaultCredentialsProvider(creds)
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setConnectTimeout(timeout).setSocketTimeout(timeout).setConnectionRequestTimeout(timeout)
                        .setTargetPreferredAuthSchemes(List.of(AuthSchemes.NTLM, AuthSchemes.BASIC)).build())
                .setUserAgent(settings.userAgent())
                .disableRedirectHandling()
                .build();
    }

    private void authorize(HttpRequestBase request) {
        switch (settings.authentication()) {
            case BASIC -> request.setHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    (settings.login() + ":" + settings.secret()).getBytes(StandardCharsets.UTF_8)));
            case BEARER -> request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.secret());
            default -> {
                // NTLM/Basic negotiated by the client's credentials provider
            }
        }
    }

    private enum AnswerKind { EWS_URL, REDIRECT_URL, REDIRECT_ADDRESS, UNAUTHORIZED, FAILED }

    private record Answer(AnswerKind kind, String value) {
    }

    private Answer post(CloseableHttpClient http, URI url, String address) throws IOException {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"" + REQUEST_NS + "\"><Request>"
                + "<EMailAddress>" + Xml.escape(address) + "</EMailAddress><AcceptableResponseSchema>"
                + RESPONSE_SCHEMA + "</AcceptableResponseSchema></Request></Autodiscover>";
        HttpPost post = new HttpPost(url);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8),
                ContentType.create("text/xml", StandardCharsets.UTF_8)));
        authorize(post);
        try (CloseableHttpResponse r = http.execute(post)) {
            int status = r.getStatusLine().getStatusCode();
            byte[] bytes = r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity());
            if (status == 401) {
                return new Answer(AnswerKind.UNAUTHORIZED, "HTTP 401");
            }
            if (status == 301 || status == 302 || status == 307 || status == 308) {
                Header loc = r.getFirstHeader("Location");
                return loc == null ? new Answer(AnswerKind.FAILED, "HTTP " + status + " without Location")
                        : new Answer(AnswerKind.REDIRECT_URL, url.resolve(loc.getValue()).toString());
            }
            if (status != 200) {
                return new Answer(AnswerKind.FAILED, "HTTP " + status);
            }
            return parse(bytes);
        }
    }

    private String redirectOf(CloseableHttpClient http, URI url) throws IOException {
        HttpGet get = new HttpGet(url);
        try (CloseableHttpResponse r = http.execute(get)) {
            int status = r.getStatusLine().getStatusCode();
            if (r.getEntity() != null) {
                EntityUtils.consume(r.getEntity());
            }
            Header loc = r.getFirstHeader("Location");
            return (status == 301 || status == 302 || status == 307 || status == 308) && loc != null
                    ? url.resolve(loc.getValue()).toString() : null;
        }
    }

    /**
     * Reads a POX Autodiscover answer.
     *
     * @param bytes the answer's body
     * @return what it says
     */
    static Answer parse(byte[] bytes) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            return new Answer(AnswerKind.FAILED, "not an Autodiscover XML answer (" + e.getMessage() + ")");
        }
        String error = text(doc.getDocumentElement(), "Message");
        String action = text(doc.getDocumentElement(), "Action");
        if ("redirectUrl".equalsIgnoreCase(action)) {
            String u = text(doc.getDocumentElement(), "RedirectUrl");
            return u == null ? new Answer(AnswerKind.FAILED, "redirectUrl without RedirectUrl")
                    : new Answer(AnswerKind.REDIRECT_URL, u.trim());
        }
        if ("redirectAddr".equalsIgnoreCase(action)) {
            String a = text(doc.getDocumentElement(), "RedirectAddr");
            return a == null ? new Answer(AnswerKind.FAILED, "redirectAddr without RedirectAddr")
                    : new Answer(AnswerKind.REDIRECT_ADDRESS, a.trim());
        }
        NodeList protocols = doc.getElementsByTagNameNS("*", "Protocol");
        String internal = null;
        String external = null;
        for (int i = 0; i < protocols.getLength(); i++) {
            Element p = (Element) protocols.item(i);
            String type = text(p, "Type");
            String ews = text(p, "EwsUrl");
            if (ews == null || ews.isBlank()) {
                continue;
            }
            if ("EXCH".equalsIgnoreCase(type) && internal == null) {
                internal = ews.trim();
            } else if ("EXPR".equalsIgnoreCase(type) && external == null) {
                external = ews.trim();
            }
        }
        if (internal != null || external != null) {
            return new Answer(AnswerKind.EWS_URL, internal != null ? internal : external);
        }
        return new Answer(AnswerKind.FAILED, error != null ? "error: " + error.trim() : "no EwsUrl in the answer");
    }

    private static String text(Element root, String localName) {
        NodeList l = root.getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }
}
