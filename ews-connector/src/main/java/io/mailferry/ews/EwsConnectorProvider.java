package io.mailferry.ews;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.ews.internal.EwsClient;
import io.mailferry.ews.internal.EwsFault;
import io.mailferry.ews.internal.EwsProbe;
import io.mailferry.ews.internal.EwsRuntime;
import io.mailferry.ews.internal.EwsSettings;
import io.mailferry.ews.internal.EwsSourceMailbox;
import io.mailferry.ews.internal.EwsTargetMailbox;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.property.complex.FolderId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Opens Exchange mailboxes through EWS ({@link EndpointType#EXCHANGE}). Registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/io.mailferry.core.spi.ConnectorProvider}.
 * Thread-safe; every mailbox it opens has its own EWS connection (ews-java-api's service holds
 * exactly one), and all mailboxes share:
 * <ul>
 *   <li>a limit of concurrent requests per service account ({@link EwsProperties#MAX_CONCURRENT_REQUESTS});</li>
 *   <li>a memory budget for messages in flight ({@link EwsProperties#MAX_BYTES_IN_FLIGHT});</li>
 *   <li>the folders' SyncStates ({@link EwsProperties#STATE_DIRECTORY});</li>
 *   <li>{@link #statistics() counters}, including the time spent waiting for throttling.</li>
 * </ul>
 * Settings are described in {@link EwsProperties}.
 */
public final class EwsConnectorProvider implements ConnectorProvider {

    private final EwsRuntime runtime;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public EwsConnectorProvider() {
        this(EwsRuntime.standard());
    }

    /** For tests: a provider with its own way of waiting and jitter. */
    EwsConnectorProvider(EwsRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public EndpointType type() {
        return EndpointType.EXCHANGE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Verifies the login with one GetFolder request before returning.
     *
     * @throws IllegalArgumentException if the endpoint is not an Exchange endpoint or one of its
     *                                  {@link EwsProperties} is invalid
     */
    @Override
    public SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
        EwsClient client = open(endpoint, access);
        return new EwsSourceMailbox(client);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Verifies the login with one GetFolder request before returning.
     *
     * @throws IllegalArgumentException if the endpoint is not an Exchange endpoint or one of its
     *                                  {@link EwsProperties} is invalid
     */
    @Override
    public TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
        EwsClient client = open(endpoint, access);
        return new EwsTargetMailbox(client);
    }

    private EwsClient open(MigrationEndpoint endpoint, MailboxAccess access) {
        EwsSettings settings = EwsSettings.of(endpoint, access);
        EwsClient client = new EwsClient(settings, runtime);
        try {
            client.call("GetFolder msgfolderroot of " + settings.mailbox(), true, 0, service -> Folder.bind(service,
                    new FolderId(WellKnownFolderName.MsgFolderRoot), new PropertySet(BasePropertySet.IdOnly)));
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With {@code access}, runs {@link #testExchange} and reports it as a
     * {@link ServerAvailability}: {@code capabilities} name the server version
     * ({@code ServerVersion=15.1.2507.6 (V2017_07_11)}) and, when the test impersonated,
     * {@code ApplicationImpersonation}; a refused impersonation is an
     * {@link ServerAvailability.Failure#AUTHENTICATION} failure whose message starts with
     * {@code Impersonation:}, a failed Autodiscover a {@link ServerAvailability.Failure#CONNECTION}
     * failure.
     *
     * <p>Without {@code access} (e.g. {@code MigrationService.newEndpoint}) nothing logs in: one
     * anonymous request proves the server reachable and its certificate verified; EWS answers it
     * with {@code 401 Unauthorized} (any other answer is a {@link ServerAvailability.Failure#PROTOCOL}
     * failure: not EWS, or a proxy in front of it), and the capabilities are the authentication
     * schemes it offers (e.g. {@code BASIC}, {@code NTLM}).
     * An Autodiscover endpoint needs credentials to discover its URL: without {@code access} it
     * uses the endpoint's administrator credentials, and without those the result is
     * {@link ServerAvailability.Failure#NOT_SUPPORTED}.
     *
     * <p>Host and port of the result are those of the EWS URL when one is known (configured or
     * discovered), else the endpoint's.
     */
    @Override
    public ServerAvailability testConnection(MigrationEndpoint endpoint, MailboxAccess access) {
        Objects.requireNonNull(endpoint, "endpoint");
        try {
            if (access == null) {
                EwsSettings anonymous = EwsSettings.anonymous(endpoint);
                if (anonymous.url() != null) {
                    return probe(endpoint, anonymous);
                }
                if (endpoint.admin().isEmpty()) {
                    return ServerAvailability.failure(endpoint, false, false, false, List.of(), null,
                            ServerAvailability.Failure.NOT_SUPPORTED, "Autodiscover needs credentials: give the "
                                    + "endpoint administrator credentials, or test it with a mailbox's");
                }
                access = MailboxAccess.own(endpoint.admin().get());
            }
            return availability(endpoint, testExchange(endpoint, access));
        } catch (IllegalArgumentException e) {
            return ServerAvailability.failure(endpoint, false, false, false, List.of(), null,
                    ServerAvailability.Failure.NOT_SUPPORTED, e.getMessage());
        }
    }

    private ServerAvailability probe(MigrationEndpoint endpoint, EwsSettings s) {
        EwsProbe.Result r = EwsProbe.probe(s.url(), s.tls(), s.timeout(), s.userAgent(), s.endpointName());
        String host = s.url().getHost();
        int port = port(s.url());
        if (r.fault() != null) {
            boolean tlsFailed = r.fault() == EwsFault.Kind.TLS;
            return new ServerAvailability(endpoint.name(), host, port, endpoint.security(), tlsFailed, false, false,
                    false, List.of(), null, tlsFailed ? ServerAvailability.Failure.TLS
                    : ServerAvailability.Failure.CONNECTION, r.message());
        }
        List<String> capabilities = r.schemes();
        if (r.status() != 401) {
            return new ServerAvailability(endpoint.name(), host, port, endpoint.security(), true, s.https(), false,
                    false, capabilities, r.latency(), ServerAvailability.Failure.PROTOCOL,
                    "EWS answered HTTP " + r.status() + " at " + s.url() + " (expected 401 Unauthorized)");
        }
        return new ServerAvailability(endpoint.name(), host, port, endpoint.security(), true, s.https(), false, false,
                capabilities, r.latency(), null, null);
    }

    private static ServerAvailability availability(MigrationEndpoint endpoint, EwsConnectionTest t) {
        java.net.URI url = t.url() == null ? null : java.net.URI.create(t.url());
        String host = url != null && url.getHost() != null ? url.getHost()
                : endpoint.host() != null ? endpoint.host() : "";
        int port = url != null ? port(url) : endpoint.port();
        List<String> capabilities = new ArrayList<>();
        if (t.serverVersion() != null) {
            capabilities.add("ServerVersion=" + t.serverVersion());
        }
        if (t.impersonation() == EwsConnectionTest.Check.PASSED) {
            capabilities.add("ApplicationImpersonation");
        }
        boolean attempted = t.reachable() && !"TLS".equals(t.errorKind());
        if (t.successful()) {
            return new ServerAvailability(endpoint.name(), host, port, endpoint.security(), true, t.tls(), true, true,
                    capabilities, t.latency(), null, null);
        }
        ServerAvailability.Failure failure = switch (t.errorKind()) {
            case "CONNECTION", "AUTODISCOVER" -> ServerAvailability.Failure.CONNECTION;
            case "TLS" -> ServerAvailability.Failure.TLS;
            case "AUTHENTICATION", "IMPERSONATION" -> ServerAvailability.Failure.AUTHENTICATION;
            case "THROTTLED", "BUSY" -> ServerAvailability.Failure.THROTTLED;
            default -> ServerAvailability.Failure.PROTOCOL;
        };
        String message = t.errorMessage() == null ? t.errorKind() : t.errorMessage();
        if ("IMPERSONATION".equals(t.errorKind())) {
            message = "Impersonation: " + message;
        }
        return new ServerAvailability(endpoint.name(), host, port, endpoint.security(), t.reachable(), t.tls(),
                attempted, t.authenticated(), capabilities, t.latency(), failure, message);
    }

    private static int port(java.net.URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /**
     * Tests an endpoint the way {@code Test-MigrationServerAvailability} does: finds the EWS URL
     * (Autodiscover when configured), connects (TLS verified as configured), authenticates with one
     * request on the service account's (or user's) own behalf, and, when {@code access}
     * impersonates, opens the mailbox by impersonation. Never throws for a failure of the server
     * or the credentials: the result says what failed.
     *
     * @param endpoint an Exchange endpoint
     * @param access   the mailbox to test with and the credentials
     * @return the structured result
     * @throws IllegalArgumentException if the endpoint's settings are invalid
     */
    public EwsConnectionTest testExchange(MigrationEndpoint endpoint, MailboxAccess access) {
        EwsSettings settings = EwsSettings.of(endpoint, access);
        List<EwsConnectionTest.Step> steps = new ArrayList<>();
        String url = settings.url() == null ? null : settings.url().toString();
        boolean reachable = false;
        boolean tls = false;
        boolean authenticated = false;
        EwsConnectionTest.Check impersonation = EwsConnectionTest.Check.NOT_TESTED;
        String version = null;
        Duration latency = null;
        String errorKind = null;
        String errorMessage = null;
        EwsClient own = null;
        try {
            own = new EwsClient(settings.forConnectionTest(false), runtime);
            url = own.settings().url().toString();
            if (settings.autodiscover()) {
                steps.add(new EwsConnectionTest.Step("autodiscover", EwsConnectionTest.Check.PASSED, url));
            }
            long t0 = System.nanoTime();
            try {
                own.callOrFault("GetFolder msgfolderroot", true, 0, service -> Folder.bind(service,
                        new FolderId(WellKnownFolderName.MsgFolderRoot), new PropertySet(BasePropertySet.IdOnly)));
                latency = Duration.ofNanos(System.nanoTime() - t0);
                reachable = true;
                authenticated = true;
            } catch (EwsClient.FaultException e) {
                EwsFault f = e.fault();
                switch (f.kind()) {
                    case CONNECTION -> {
                        errorKind = "CONNECTION";
                        errorMessage = f.message();
                    }
                    case TLS -> {
                        reachable = true;
                        errorKind = "TLS";
                        errorMessage = f.message();
                    }
                    case AUTHENTICATION -> {
                        reachable = true;
                        if ("ErrorNonExistentMailbox".equals(f.code())) {
                            // the service account has no mailbox of its own: it did authenticate
                            authenticated = true;
                            latency = Duration.ofNanos(System.nanoTime() - t0);
                        } else {
                            errorKind = "AUTHENTICATION";
                            errorMessage = f.message();
                        }
                    }
                    default -> {
                        reachable = true;
                        errorKind = f.kind().name();
                        errorMessage = f.message();
                    }
                }
            }
            tls = reachable && own.settings().https() && !"TLS".equals(errorKind);
            steps.add(new EwsConnectionTest.Step("connect", reachable ? EwsConnectionTest.Check.PASSED
                    : EwsConnectionTest.Check.FAILED, reachable ? url : errorMessage));
            if (reachable) {
                steps.add(new EwsConnectionTest.Step("tls", own.settings().https()
                        ? ("TLS".equals(errorKind) ? EwsConnectionTest.Check.FAILED : EwsConnectionTest.Check.PASSED)
                        : EwsConnectionTest.Check.NOT_TESTED,
                        own.settings().https() ? ("TLS".equals(errorKind) ? errorMessage : "certificate verified"
                                + (endpoint.acceptUntrustedCertificates() ? " (not: untrusted accepted)" : ""))
                                : "plain HTTP"));
            }
            if (reachable && !"TLS".equals(errorKind)) {
                steps.add(new EwsConnectionTest.Step("authenticate", authenticated ? EwsConnectionTest.Check.PASSED
                        : EwsConnectionTest.Check.FAILED, authenticated ? settings.login() : errorMessage));
            }
            version = own.serverVersion();
            if (authenticated && settings.impersonate()) {
                try (EwsClient imp = new EwsClient(settings.forConnectionTest(true), runtime)) {
                    try {
                        imp.callOrFault("GetFolder msgfolderroot as " + settings.mailbox(), true, 0,
                                service -> Folder.bind(service, new FolderId(WellKnownFolderName.MsgFolderRoot),
                                        new PropertySet(BasePropertySet.IdOnly)));
                        impersonation = EwsConnectionTest.Check.PASSED;
                        steps.add(new EwsConnectionTest.Step("impersonate", impersonation, settings.mailbox()));
                        if (version == null) {
                            version = imp.serverVersion();
                        }
                    } catch (EwsClient.FaultException e) {
                        impersonation = EwsConnectionTest.Check.FAILED;
                        errorKind = "IMPERSONATION";
                        errorMessage = e.fault().message();
                        steps.add(new EwsConnectionTest.Step("impersonate", impersonation, errorMessage));
                    }
                }
            }
        } catch (ConnectorException e) {
            errorKind = errorKind != null ? errorKind : "AUTODISCOVER";
            errorMessage = e.getMessage();
            steps.add(new EwsConnectionTest.Step("autodiscover", EwsConnectionTest.Check.FAILED, e.getMessage()));
        } finally {
            if (own != null) {
                own.close();
            }
        }
        return new EwsConnectionTest(url, reachable, tls, authenticated, impersonation, version, latency, errorKind,
                errorMessage, steps);
    }

    /** Returns the counters of everything this provider did so far. */
    public EwsStatistics statistics() {
        return runtime.counters().snapshot();
    }
}
