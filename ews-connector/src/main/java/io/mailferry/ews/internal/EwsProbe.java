package io.mailferry.ews.internal;

import org.apache.http.Header;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A connection test without credentials: one anonymous EWS request over the endpoint's TLS
 * settings. Any HTTP answer (normally {@code 401 Unauthorized}) proves the server reachable and,
 * for HTTPS, the certificate verified; the authentication schemes the server offers
 * ({@code WWW-Authenticate}) are what it reports, as an IMAP server reports its capabilities
 * before login.
 */
public final class EwsProbe {
    private static final String BODY = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
            + " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
            + "<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
            + "<m:FolderIds><t:DistinguishedFolderId Id=\"msgfolderroot\"/></m:FolderIds></m:GetFolder>"
            + "</soap:Body></soap:Envelope>";

    /**
     * What the probe found.
     *
     * @param status  the HTTP status, or 0 if there was no answer
     * @param schemes the authentication schemes offered, upper case, sorted (e.g. {@code BASIC},
     *                {@code NTLM}); empty without an answer
     * @param latency time to the answer, or {@code null} without one
     * @param fault   why there was no answer ({@link EwsFault.Kind#CONNECTION} or
     *                {@link EwsFault.Kind#TLS}), or {@code null}
     * @param message the failure's description, or {@code null}
     */
    public record Result(int status, List<String> schemes, Duration latency, EwsFault.Kind fault, String message) {
    }

    private EwsProbe() {
    }

    /**
     * Sends the anonymous request.
     *
     * @param url          the EWS URL
     * @param tls          the trust settings
     * @param timeout      connect and read timeout
     * @param userAgent    the User-Agent header
     * @param endpointName for log messages
     * @return the result, never {@code null}
     */
    public static Result probe(URI url, TlsSettings tls, Duration timeout, String userAgent, String endpointName) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        RequestConfig config = RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).build();
        HttpPost post = new HttpPost(url);
        post.setHeader("User-Agent", userAgent);
        post.setEntity(new StringEntity(BODY, ContentType.create("text/xml", "UTF-8")));
        long start = System.nanoTime();
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(new BasicHttpClientConnectionManager(TlsSupport.registry(tls, endpointName)))
                .setDefaultRequestConfig(config).disableAutomaticRetries().disableRedirectHandling().build();
             CloseableHttpResponse response = http.execute(post)) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            TreeSet<String> schemes = new TreeSet<>();
            for (Header h : response.getHeaders("WWW-Authenticate")) {
                // one challenge per header, as Exchange and IIS send them: the scheme is its first token
                String scheme = h.getValue().trim().split("[\\s,]+")[0];
                if (!scheme.isEmpty()) {
                    schemes.add(scheme.toUpperCase(Locale.ROOT));
                }
            }
            EntityUtils.consumeQuietly(response.getEntity());
            return new Result(response.getStatusLine().getStatusCode(), List.copyOf(schemes), latency, null, null);
        } catch (SSLException e) {
            return new Result(0, List.of(), null, EwsFault.Kind.TLS, "TLS failed with " + url.getHost() + ": "
                    + e.getMessage());
        } catch (IOException e) {
            return new Result(0, List.of(), null, EwsFault.Kind.CONNECTION, "Cannot reach " + url + ": " + e);
        }
    }
}
