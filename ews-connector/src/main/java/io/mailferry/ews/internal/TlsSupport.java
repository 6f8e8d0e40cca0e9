package io.mailferry.ews.internal;

import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Builds the HTTPS socket factory the connector uses in place of ews-java-api's own, whose trust
 * manager accepts any single self-signed certificate: certificates are checked by the JDK's PKIX
 * trust manager (over the JDK's or a configured trust store) and the host name by
 * {@link DefaultHostnameVerifier} (RFC 2818 / RFC 6125 rules). Accepting untrusted certificates
 * is an explicit setting, logged as a warning each time it is used.
 */
public final class TlsSupport {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);

    private TlsSupport() {
    }

    /**
     * @param tls the trust settings
     * @param endpointName for the warning when certificates are not checked
     * @return a registry for {@code http} and {@code https}
     * @throws IllegalStateException if the trust store cannot be read
     */
    public static Registry<ConnectionSocketFactory> registry(TlsSettings tls, String endpointName) {
        return RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", socketFactory(tls, endpointName))
                .build();
    }

    /**
     * @param tls the trust settings
     * @param endpointName for the warning when certificates are not checked
     * @return the HTTPS socket factory
     */
    public static SSLConnectionSocketFactory socketFactory(TlsSettings tls, String endpointName) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            HostnameVerifier verifier;
            if (tls.acceptUntrusted()) {
                LOG.warn("Endpoint '{}': TLS certificates and host names are NOT verified "
                        + "(acceptUntrustedCertificates is set); do not use this in production", endpointName);
                ctx.init(null, new TrustManager[] {new AcceptAll()}, null);
                verifier = NoopHostnameVerifier.INSTANCE;
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(tls.trustStore() == null ? null : load(tls));
                ctx.init(null, tmf.getTrustManagers(), null);
                verifier = new DefaultHostnameVerifier();
            }
            return new SSLConnectionSocketFactory(ctx, verifier);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Endpoint '" + endpointName + "': cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(TlsSettings tls) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(tls.trustStoreType());
        try (InputStream in = Files.newInputStream(tls.trustStore())) {
            ks.load(in, tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read trust store " + tls.trustStore() + ": " + e.getMessage(), e);
        }
        return ks;
    }

    /** Trusts every certificate: only for {@code acceptUntrustedCertificates}. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // explicit opt-in: nothing is checked
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // explicit opt-in: nothing is checked
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
