package io.mailferry.ews.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.ews.EwsProperties;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the connector needs from an endpoint and a mailbox access, parsed and checked once.
 * Immutable. {@link #toString()} shows no secret.
 *
 * @param endpointName      the endpoint's name
 * @param url               the EWS URL, or {@code null} when Autodiscover finds it
 * @param autodiscover      whether to use Autodiscover
 * @param autodiscoverEmail the address Autodiscover starts from
 * @param allowedHosts      extra hosts Autodiscover may be redirected to
 * @param host              the endpoint's host
 * @param port              the endpoint's port as HTTP(S) port
 * @param https             {@code true} for HTTPS, {@code false} for plain HTTP
 * @param authentication    how to log in
 * @param login             the login name (the service account's when impersonating)
 * @param secret            the password or bearer token
 * @param mailbox           the mailbox to open
 * @param impersonate       whether to send the ExchangeImpersonation header
 * @param serverVersion     RequestServerVersion
 * @param userAgent         User-Agent
 * @param tls               TLS trust settings
 * @param timeout           request timeout
 * @param maxConcurrentRequests requests in flight per service account
 * @param syncPageSize      MaxChangesReturned
 * @param fetchBatchItems   items per GetItem
 * @param fetchBatchBytes   bytes per GetItem
 * @param appendBatchItems  items per CreateItem
 * @param appendBatchBytes  bytes per CreateItem
 * @param maxBytesInFlight  memory budget of transfers
 * @param retry             retry policy settings
 * @param stateDirectory    where sync states are kept, or {@code null}
 * @param exportItems       {@code true} for full-fidelity ExportItems/UploadItems transfer
 * @param matchExisting     whether a target looks for earlier copies before creating
 */
public record EwsSettings(
        String endpointName,
        URI url,
        boolean autodiscover,
        String autodiscoverEmail,
        List<String> allowedHosts,
        String host,
        int port,
        boolean https,
        Authentication authentication,
        String login,
        String secret,
        String mailbox,
        boolean impersonate,
        ExchangeVersion serverVersion,
        String userAgent,
        TlsSettings tls,
        Duration timeout,
        int maxConcurrentRequests,
        int syncPageSize,
        int fetchBatchItems,
        long fetchBatchBytes,
        int appendBatchItems,
        long appendBatchBytes,
        long maxBytesInFlight,
        RetryPolicy.Settings retry,
        Path stateDirectory,
        boolean exportItems,
        boolean matchExisting) {

    /** How the connector logs in. */
    public enum Authentication {
        /** NTLM or Basic, whichever the server offers (NTLM preferred). */
        AUTO,
        /** NTLM (v2) only. */
        NTLM,
        /** Basic, sent with the first request. */
        BASIC,
        /** OAuth bearer token. */
        BEARER
    }

    /**
     * Parses an endpoint for a connection test without credentials ({@link EwsProbe}): the URL,
     * TLS, time-out and User-Agent settings apply; the login fields hold a placeholder that is
     * never sent.
     *
     * @param endpoint an EXCHANGE endpoint
     * @return the settings
     * @throws IllegalArgumentException naming the property or field that is invalid
     */
    public static EwsSettings anonymous(MigrationEndpoint endpoint) {
        return of(endpoint, MailboxAccess.own(new Credentials("anonymous", "")));
    }

    /**
     * Parses an endpoint and an access.
     *
     * @param endpoint an EXCHANGE endpoint
     * @param access   the mailbox and credentials
     * @return the settings
     * @throws IllegalArgumentException naming the property or field that is invalid
     */
    public static EwsSettings of(MigrationEndpoint endpoint, MailboxAccess access) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(access, "access");
        if (!EndpointType.EXCHANGE.equals(endpoint.type())) {
            throw new IllegalArgumentException("endpoint '" + endpoint.name() + "' is of type " + endpoint.type()
                    + ", not EXCHANGE");
        }
        Map<String, String> p = endpoint.properties();
        String name = endpoint.name();
        if (endpoint.security() == Security.STARTTLS) {
            throw new IllegalArgumentException("endpoint '" + name + "': EWS runs over HTTPS; use security SSL "
                    + "(or NONE for plain HTTP), not STARTTLS");
        }
        boolean https = endpoint.security() == Security.SSL;
        int port = endpoint.port();
        if (port == 993 || port == 143) {
            port = https ? 443 : 80;
        }
        URI url = null;
        String urlText = p.get(EwsProperties.URL);
        if (urlText != null && !urlText.isBlank()) {
            try {
                url = URI.create(urlText.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key(name, EwsProperties.URL) + " is not a URL: " + urlText, e);
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && !https)) {
                throw new IllegalArgumentException(key(name, EwsProperties.URL) + " must be an https URL"
                        + (https ? " (plain http needs security NONE on the endpoint)" : "") + ": " + urlText);
            }
            https = scheme.equals("https");
        }
        boolean autodiscover = bool(p, name, EwsProperties.AUTODISCOVER, false);
        if (url == null && !autodiscover) {
            url = URI.create((https ? "https" : "http") + "://" + bracket(endpoint.host()) + ":" + port
                    + "/EWS/Exchange.asmx");
        }
        String adEmail = p.getOrDefault(EwsProperties.AUTODISCOVER_EMAIL, access.mailbox()).trim();
        if (autodiscover && url == null && !adEmail.contains("@")) {
            throw new IllegalArgumentException(key(name, EwsProperties.AUTODISCOVER_EMAIL)
                    + " must name an e-mail address for Autodiscover (mailbox '" + access.mailbox() + "' is none)");
        }
        List<String> allowed = new ArrayList<>();
        for (String h : p.getOrDefault(EwsProperties.AUTODISCOVER_ALLOWED_HOSTS, "").split(",")) {
            if (!h.isBlank()) {
                allowed.add(h.trim().toLowerCase(Locale.ROOT));
            }
        }
        Authentication auth;
        String authText = p.getOrDefault(EwsProperties.AUTHENTICATION, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            auth = Authentication.valueOf(authText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key(name, EwsProperties.AUTHENTICATION)
                    + " must be auto, ntlm, basic or bearer, not '" + p.get(EwsProperties.AUTHENTICATION) + "'");
        }
        ExchangeVersion version;
        String versionText = p.getOrDefault(EwsProperties.SERVER_VERSION, "Exchange2010_SP2").trim();
        try {
            version = ExchangeVersion.valueOf(versionText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key(name, EwsProperties.SERVER_VERSION)
                    + " must be Exchange2007_SP1, Exchange2010, Exchange2010_SP1 or Exchange2010_SP2, not '"
                    + versionText + "'");
        }
        boolean exportItems;
        String transfer = p.getOrDefault(EwsProperties.ITEM_TRANSFER, "mime").trim().toLowerCase(Locale.ROOT);
        switch (transfer) {
            case "mime" -> exportItems = false;
            case "export" -> exportItems = true;
            default -> throw new IllegalArgumentException(key(name, EwsProperties.ITEM_TRANSFER)
                    + " must be mime or export, not '" + transfer + "'");
        }
        if (exportItems && version.ordinal() < ExchangeVersion.Exchange2010_SP1.ordinal()) {
            throw new IllegalArgumentException(key(name, EwsProperties.ITEM_TRANSFER)
                    + "=export needs " + EwsProperties.SERVER_VERSION + " Exchange2010_SP1 or later");
        }
        Credentials c = access.credentials();
        String trustStore = p.get(EwsProperties.TRUST_STORE);
        TlsSettings tls = new TlsSettings(endpoint.acceptUntrustedCertificates(),
                trustStore == null || trustStore.isBlank() ? null : Path.of(trustStore.trim()),
                p.get(EwsProperties.TRUST_STORE_PASSWORD),
                p.getOrDefault(EwsProperties.TRUST_STORE_TYPE, "PKCS12").trim());
        long heapDefault = (long) (Runtime.getRuntime().maxMemory() * 0.7);
        RetryPolicy.Settings retry = new RetryPolicy.Settings(
                intIn(p, name, EwsProperties.RETRY_MAX_ATTEMPTS, 8, 0, 100),
                Duration.ofMillis(longAtLeast(p, name, EwsProperties.RETRY_INITIAL_DELAY, 1000, 1)),
                Duration.ofMillis(longAtLeast(p, name, EwsProperties.RETRY_MAX_DELAY, 300_000, 1)));
        String stateDir = p.get(EwsProperties.STATE_DIRECTORY);
        return new EwsSettings(name, url, autodiscover && url == null, adEmail, List.copyOf(allowed),
                endpoint.host(), port, https, auth, c.username(), c.password(), access.mailbox(),
                access.impersonate(), version,
                p.getOrDefault(EwsProperties.USER_AGENT, EwsProperties.DEFAULT_USER_AGENT),
                tls, endpoint.readTimeout(),
                intIn(p, name, EwsProperties.MAX_CONCURRENT_REQUESTS, EwsProperties.DEFAULT_MAX_CONCURRENT_REQUESTS,
                        1, 1000),
                intIn(p, name, EwsProperties.SYNC_PAGE_SIZE, 512, 1, 512),
                intIn(p, name, EwsProperties.FETCH_BATCH_ITEMS, EwsProperties.DEFAULT_FETCH_BATCH_ITEMS, 1, 100),
                longAtLeast(p, name, EwsProperties.FETCH_BATCH_BYTES, EwsProperties.DEFAULT_FETCH_BATCH_BYTES, 65_536),
                intIn(p, name, EwsProperties.APPEND_BATCH_ITEMS, EwsProperties.DEFAULT_APPEND_BATCH_ITEMS, 1, 100),
                longAtLeast(p, name, EwsProperties.APPEND_BATCH_BYTES, 8L * 1024 * 1024, 65_536),
                longAtLeast(p, name, EwsProperties.MAX_BYTES_IN_FLIGHT, heapDefault, 1024 * 1024),
                retry,
                stateDir == null || stateDir.isBlank() ? null : Path.of(stateDir.trim()),
                exportItems,
                bool(p, name, EwsProperties.MATCH_EXISTING, true));
    }

    /** Returns the login's NTLM domain ({@code DOMAIN} of {@code DOMAIN\\user}), or {@code null}. */
    public String loginDomain() {
        int cut = login.indexOf('\\');
        return cut > 0 ? login.substring(0, cut) : null;
    }

    /** Returns the login without an NTLM domain prefix. */
    public String loginUser() {
        int cut = login.indexOf('\\');
        return cut > 0 ? login.substring(cut + 1) : login;
    }

    /** Returns the mailbox's SMTP address for X-AnchorMailbox, or {@code null} if the mailbox is no address. */
    public String anchorMailbox() {
        return mailbox.contains("@") ? mailbox : null;
    }

    /** Returns a copy with another EWS URL (found by Autodiscover). */
    public EwsSettings withUrl(URI newUrl) {
        return new EwsSettings(endpointName, newUrl, false, autodiscoverEmail, allowedHosts, host, port,
                newUrl.getScheme().equalsIgnoreCase("https"), authentication, login, secret, mailbox, impersonate,
                serverVersion, userAgent, tls, timeout, maxConcurrentRequests, syncPageSize, fetchBatchItems,
                fetchBatchBytes, appendBatchItems, appendBatchBytes, maxBytesInFlight, retry, stateDirectory,
                exportItems, matchExisting);
    }

    /** Returns a copy that opens the service account's own mailbox (no impersonation) and does not retry. */
    public EwsSettings forConnectionTest(boolean impersonateToo) {
        return new EwsSettings(endpointName, url, autodiscover, autodiscoverEmail, allowedHosts, host, port, https,
                authentication, login, secret, impersonateToo ? mailbox : login, impersonateToo && impersonate,
                serverVersion, userAgent, tls, timeout, maxConcurrentRequests, syncPageSize, fetchBatchItems,
                fetchBatchBytes, appendBatchItems, appendBatchBytes, maxBytesInFlight,
                new RetryPolicy.Settings(0, retry.initialDelay(), retry.maxDelay()), stateDirectory, exportItems,
                matchExisting);
    }

    /** Shows the settings without the secret. */
    @Override
    public String toString() {
        return "EwsSettings[endpoint=" + endpointName + ", url=" + url + ", autodiscover=" + autodiscover
                + ", authentication=" + authentication + ", login=" + login + ", secret=****, mailbox=" + mailbox
                + ", impersonate=" + impersonate + ", serverVersion=" + serverVersion + "]";
    }

    private static String bracket(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String key(String endpoint, String key) {
        return "endpoint '" + endpoint + "': property " + key;
    }

    private static boolean bool(Map<String, String> p, String endpoint, String key, boolean dflt) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key(endpoint, key) + " must be true or false, not '" + v + "'");
        };
    }

    private static int intIn(Map<String, String> p, String endpoint, String key, int dflt, int min, int max) {
        long v = longAtLeast(p, endpoint, key, dflt, min);
        if (v > max) {
            throw new IllegalArgumentException(key(endpoint, key) + " must be at most " + max + ", not " + v);
        }
        return (int) v;
    }

    private static long longAtLeast(Map<String, String> p, String endpoint, String key, long dflt, long min) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key(endpoint, key) + " must be a number, not '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(key(endpoint, key) + " must be at least " + min + ", not " + n);
        }
        return n;
    }
}
