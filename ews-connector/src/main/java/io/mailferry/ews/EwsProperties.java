package io.mailferry.ews;

/**
 * The keys of the settings an Exchange endpoint may carry in
 * {@link io.mailferry.core.MigrationEndpoint#properties()}. A missing key takes the default given
 * here; an invalid value makes opening a mailbox fail with an {@link IllegalArgumentException}
 * naming the key.
 *
 * <p>Where the endpoint's own fields apply:
 * <ul>
 *   <li>{@code host}, {@code port}, {@code security}: the EWS URL
 *       {@code https://host:port/EWS/Exchange.asmx} when neither {@link #URL} nor
 *       {@link #AUTODISCOVER} is set. {@link io.mailferry.core.Security#SSL} is HTTPS (port 443
 *       unless given; the IMAP defaults 993 and 143 that the endpoint builder fills in are read as
 *       "not given"), {@link io.mailferry.core.Security#NONE} is plain HTTP (an explicit opt-in:
 *       passwords travel unencrypted), {@link io.mailferry.core.Security#STARTTLS} is rejected.</li>
 *   <li>{@code adminCredentials}: a service account holding the {@code ApplicationImpersonation}
 *       role; each mailbox is opened with the {@code ExchangeImpersonation} SOAP header and an
 *       {@code X-AnchorMailbox} HTTP header naming it. The endpoint's
 *       {@link io.mailferry.core.Impersonation} (an IMAP notion) is ignored.</li>
 *   <li>{@code acceptUntrustedCertificates}: accepts any certificate and host name (logged as a
 *       warning on every session); otherwise certificates are verified against the JDK trust store,
 *       or {@link #TRUST_STORE}, with host name verification.</li>
 *   <li>{@code readTimeout}: the timeout of one EWS request (connect, and each read of the answer);
 *       ews-java-api has a single timeout, so {@code connectTimeout} is not used separately.</li>
 * </ul>
 */
public final class EwsProperties {

    /** The EWS URL, e.g. {@code https://mail.contoso.com/EWS/Exchange.asmx}. Default: built from the host. */
    public static final String URL = "ews.url";

    /**
     * {@code true} to find the EWS URL with Autodiscover (POX {@code autodiscover.xml}, Exchange
     * 2007 and later) from an e-mail address: first at the endpoint's host, then at the address's
     * domain and {@code autodiscover.}domain over HTTPS, then through the HTTP redirect of
     * {@code http://autodiscover.}domain. Redirects are followed only to HTTPS URLs on expected hosts:
     * the endpoint's host, the address's domain and its subdomains, and {@link #AUTODISCOVER_ALLOWED_HOSTS}.
     * Default {@code false}.
     */
    public static final String AUTODISCOVER = "ews.autodiscover";

    /** The address Autodiscover starts from. Default: the mailbox being opened. */
    public static final String AUTODISCOVER_EMAIL = "ews.autodiscover.emailAddress";

    /**
     * Further hosts Autodiscover may be redirected to, comma-separated; {@code *.example.com}
     * allows every subdomain. Default: none.
     */
    public static final String AUTODISCOVER_ALLOWED_HOSTS = "ews.autodiscover.allowedHosts";

    /**
     * How to authenticate: {@code auto} (NTLM or Basic, as the server offers; the default),
     * {@code ntlm}, {@code basic} (sent with the first request, so large requests are not sent
     * twice), or {@code bearer} (the credentials' password is an OAuth access token, sent as
     * {@code Authorization: Bearer}). Kerberos/Negotiate is not available. A login of the form
     * {@code DOMAIN\\user} gives NTLM its domain.
     */
    public static final String AUTHENTICATION = "ews.authentication";

    /**
     * The {@code RequestServerVersion} sent: {@code Exchange2007_SP1}, {@code Exchange2010},
     * {@code Exchange2010_SP1} or {@code Exchange2010_SP2} (the default; Exchange 2013, 2016, 2019
     * and SE accept it). ExportItems/UploadItems need {@code Exchange2010_SP1} or later.
     */
    public static final String SERVER_VERSION = "ews.serverVersion";

    /**
     * The HTTP {@code User-Agent}. Default {@value #DEFAULT_USER_AGENT}. Exchange administrators
     * allow or block EWS clients by it ({@code Set-OrganizationConfig -EwsApplicationAccessPolicy}).
     */
    public static final String USER_AGENT = "ews.userAgent";

    /** A trust store (file) to verify the server's certificate against instead of the JDK's. */
    public static final String TRUST_STORE = "ews.trustStore";
    /** The trust store's password. Default: none. */
    public static final String TRUST_STORE_PASSWORD = "ews.trustStorePassword";
    /** The trust store's type, e.g. {@code PKCS12} (the default) or {@code JKS}. */
    public static final String TRUST_STORE_TYPE = "ews.trustStoreType";

    /**
     * How many EWS requests may be in flight at once for one service account (the endpoint's
     * administrator, or each user's own login) across all mailboxes this JVM migrates on the
     * endpoint; at least 1. Exchange 2010 allows 10 connections per account, later versions 27
     * ({@code EWSMaxConcurrency}). Default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}.
     */
    public static final String MAX_CONCURRENT_REQUESTS = "ews.maxConcurrentRequests";

    /** {@code MaxChangesReturned} of SyncFolderItems, 1–512. Default 512. */
    public static final String SYNC_PAGE_SIZE = "ews.sync.pageSize";

    /** Most items one GetItem (MIME) or ExportItems request asks for, 1–100. Default {@value #DEFAULT_FETCH_BATCH_ITEMS}. */
    public static final String FETCH_BATCH_ITEMS = "ews.fetch.batchItems";

    /**
     * Upper bound of the item bytes one GetItem or ExportItems request asks for (a larger item is
     * fetched alone), at least 65,536. Default {@value #DEFAULT_FETCH_BATCH_BYTES} (8 MiB).
     */
    public static final String FETCH_BATCH_BYTES = "ews.fetch.batchBytes";

    /** Most items one CreateItem or UploadItems request stores, 1–100. Default {@value #DEFAULT_APPEND_BATCH_ITEMS}. */
    public static final String APPEND_BATCH_ITEMS = "ews.append.batchItems";

    /** Upper bound of the bytes of one CreateItem or UploadItems request, at least 65,536. Default 8 MiB. */
    public static final String APPEND_BATCH_BYTES = "ews.append.batchBytes";

    /**
     * Heap bytes all EWS transfers of this JVM may hold at once. ews-java-api holds a message
     * about {@value #MEMORY_FACTOR} times over while it sends or receives it (request buffer, XML
     * text, Base64, copies), so a transfer of {@code n} bytes reserves {@code n * }{@value #MEMORY_FACTOR}
     * bytes of this budget and waits while the budget is spent. A message whose reservation alone
     * exceeds the budget is not transferred: a source reports it as a large item, a target refuses
     * it. Default: 70% of the maximum heap ({@code -Xmx}).
     */
    public static final String MAX_BYTES_IN_FLIGHT = "ews.memory.maxBytesInFlight";

    /** Retries of one request after throttling, timeouts, HTTP 503 or broken answers, 0–100. Default 8. */
    public static final String RETRY_MAX_ATTEMPTS = "ews.retry.maxAttempts";
    /** First exponential back-off delay in milliseconds. Default 1000. */
    public static final String RETRY_INITIAL_DELAY = "ews.retry.initialDelayMs";
    /** Longest exponential back-off delay (and longest honoured {@code BackOffMilliseconds}) in milliseconds. Default 300000. */
    public static final String RETRY_MAX_DELAY = "ews.retry.maxDelayMs";

    /**
     * A directory where the connector keeps each source folder's SyncFolderItems state, so that
     * incremental passes after a restart ask Exchange only for changes. Default: none; the states
     * live as long as the {@link EwsConnectorProvider} (a restarted process does one full
     * enumeration per folder, then continues incrementally; nothing is copied twice either way).
     */
    public static final String STATE_DIRECTORY = "ews.stateDirectory";

    /**
     * How items travel: {@code mime} (the default: RFC 5322 MIME through GetItem/CreateItem; mail
     * folders only) or {@code export} (full fidelity through ExportItems/UploadItems, Exchange 2010
     * SP1 or later; calendar, contacts and tasks folders move too; <b>only for an Exchange target</b>,
     * set on the source endpoint).
     */
    public static final String ITEM_TRANSFER = "ews.itemTransfer";

    /**
     * On a target: {@code true} (the default) to look for an item MailFerry created earlier with the
     * same source identity before creating one, so that a pass after lost migration state does not
     * copy a message twice. {@code false} always creates.
     */
    public static final String MATCH_EXISTING = "ews.target.matchExisting";

    /** Default of {@link #USER_AGENT}. */
    public static final String DEFAULT_USER_AGENT = "MailFerry/0.1 (EWS; ews-java-api 2.0)";
    /** Default of {@link #MAX_CONCURRENT_REQUESTS}. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
    /** Default of {@link #FETCH_BATCH_ITEMS}. */
    public static final int DEFAULT_FETCH_BATCH_ITEMS = 20;
    /** Default of {@link #FETCH_BATCH_BYTES}. */
    public static final long DEFAULT_FETCH_BATCH_BYTES = 8L * 1024 * 1024;
    /** Default of {@link #APPEND_BATCH_ITEMS}. */
    public static final int DEFAULT_APPEND_BATCH_ITEMS = 20;
    /** How many times over a transfer is held in memory; see {@link #MAX_BYTES_IN_FLIGHT}. */
    public static final int MEMORY_FACTOR = 7;

    private EwsProperties() {
    }
}
