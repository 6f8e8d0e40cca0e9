package io.mailferry.ews.internal;

import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import org.apache.http.config.Registry;
import org.apache.http.conn.socket.ConnectionSocketFactory;

/**
 * ews-java-api's {@link ExchangeService} with MailFerry's TLS verification instead of the
 * library's (which accepts any single self-signed certificate). One instance owns one HTTP
 * connection: use it from one thread at a time.
 *
 * <p>The library builds its HTTP client in the base class constructor, before this class's fields
 * are set, so the TLS settings travel through a thread-local during construction.
 */
final class StrictExchangeService extends ExchangeService {

    private static final ThreadLocal<TlsContext> CONSTRUCTING = new ThreadLocal<>();

    private record TlsContext(TlsSettings tls, String endpointName) {
    }

    /** The settings, for client set-ups after construction (e.g. the library's pooling client). */
    private final TlsContext tlsContext;

    private StrictExchangeService(ExchangeVersion version) {
        super(version);
        this.tlsContext = CONSTRUCTING.get();
    }

    /**
     * @param version      the RequestServerVersion to send
     * @param tls          how to verify certificates
     * @param endpointName for log messages
     * @return a new service
     */
    static StrictExchangeService create(ExchangeVersion version, TlsSettings tls, String endpointName) {
        CONSTRUCTING.set(new TlsContext(tls, endpointName));
        try {
            return new StrictExchangeService(version);
        } finally {
            CONSTRUCTING.remove();
        }
    }

    @Override
    protected Registry<ConnectionSocketFactory> createConnectionSocketFactoryRegistry() {
        TlsContext ctx = CONSTRUCTING.get() != null ? CONSTRUCTING.get() : tlsContext;
        if (ctx == null) {
            // never fall back to the library's lenient trust manager
            return TlsSupport.registry(TlsSettings.STRICT, "?");
        }
        return TlsSupport.registry(ctx.tls(), ctx.endpointName());
    }
}
