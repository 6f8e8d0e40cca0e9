package io.mailferry.cli.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.EndpointType;
import io.mailferry.ews.EwsEndpoints;
import io.mailferry.ews.EwsProperties;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The settings of an IMAP or Exchange (EWS) endpoint as options ({@code New-/Set-MigrationEndpoint}).
 * Options not given keep the current (or default) value. The Exchange options become the endpoint's
 * {@link EwsProperties}; no secret ever goes into them (the administrator's password, or the OAuth
 * token with {@code --ews-auth bearer}, is given to each command and never stored).
 */
final class EndpointOptions {

    @Option(names = "--type", paramLabel = "imap|exchange", converter = TypeConverter.class,
            description = "The kind of server of a new endpoint (default imap). exchange: on-premises Exchange"
                    + " 2007-2019/SE through EWS; the administrator is a service account with ApplicationImpersonation.")
    EndpointType type;
    @Option(names = "--ews-url", paramLabel = "URL",
            description = "Exchange: the EWS URL, e.g. https://mail.contoso.com/EWS/Exchange.asmx (default: built"
                    + " from --host); 'none' to remove.")
    String ewsUrl;
    @Option(names = "--autodiscover-email", paramLabel = "ADDRESS",
            description = "Exchange: find the EWS URL with Autodiscover from this address (--host defaults to its"
                    + " domain); 'none' to turn Autodiscover off.")
    String autodiscoverEmail;
    @Option(names = "--ews-auth", paramLabel = "auto|basic|ntlm|bearer",
            description = "Exchange: authentication (default auto: NTLM or Basic as the server offers). bearer: the"
                    + " administrator password is an OAuth access token.")
    String ewsAuth;
    @Option(names = "--server-version", paramLabel = "VERSION",
            description = "Exchange: RequestServerVersion, Exchange2007_SP1, Exchange2010, Exchange2010_SP1 or"
                    + " Exchange2010_SP2 (default; 2013-SE accept it).")
    String serverVersion;
    @Option(names = "--trust-store", paramLabel = "FILE",
            description = "Exchange: a trust store (PKCS12, or JKS with --trust-store-type) to verify the server's"
                    + " certificate against instead of the JDK's; 'none' to remove.")
    Path trustStore;
    @Option(names = "--trust-store-type", paramLabel = "PKCS12|JKS", description = "Exchange: the trust store's type.")
    String trustStoreType;
    @Option(names = "--ews-property", paramLabel = "ews.KEY=VALUE",
            description = "Exchange: any other connector setting, e.g. ews.itemTransfer=export or"
                    + " ews.stateDirectory=DIR (repeatable; see EwsProperties).")
    List<String> ewsProperties;

    @Option(names = "--host", paramLabel = "HOST", description = "Server host name or address.")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 993 for ssl, else 143; Exchange: 443, or 80 with security none).")
    Integer port;
    @Option(names = "--security", paramLabel = "none|ssl|starttls", converter = MigrateCommand.SecurityConverter.class,
            description = "Transport security (default ssl).")
    Security security;
    @Option(names = "--auth", paramLabel = "auto|login|plain|xoauth2|oauthbearer",
            converter = ImapEndpointSettings.AuthConverter.class,
            description = "IMAP: authentication (default auto: SASL PLAIN where offered, else LOGIN). xoauth2 (Gmail,"
                    + " Microsoft 365) and oauthbearer (RFC 7628) log in with an OAuth access token from"
                    + " --oauth-token-command or the environment variable MAILFERRY_OAUTH_TOKEN_<ENDPOINT> /"
                    + " MAILFERRY_OAUTH_TOKEN.")
    ImapEndpointSettings.Auth auth;
    @Option(names = "--preset", paramLabel = "gmail|microsoft365", converter = ImapEndpointSettings.PresetConverter.class,
            description = "IMAP, new endpoints: a provider's settings. gmail: imap.gmail.com:993 ssl, xoauth2, 20"
                    + " concurrent migrations, messages up to 25,000,000 bytes, skipCrossDuplicates=true (a message"
                    + " with several labels copied once). microsoft365: outlook.office365.com:993 ssl, xoauth2,"
                    + " messages up to 35,000,000 bytes, 4 messages/s. Options given as well override the preset's"
                    + " values.")
    ImapEndpointSettings.Preset preset;
    @Option(names = "--imap-property", paramLabel = "KEY=VALUE",
            description = "IMAP: a connector or engine setting (repeatable; KEY= restores the default), e.g."
                    + " imap.maxMessageBytes=26214400 (bytes), imap.rate.messagesPerSecond=4,"
                    + " imap.rate.bytesPerSecond=1048576, imap.fetch.batchBytes=8388608 (bytes),"
                    + " imap.append.batchMessages=100, skipCrossDuplicates=true. An unknown key is refused with the"
                    + " list of valid keys.")
    List<String> imapProperties;
    @Option(names = "--oauth-token-command", paramLabel = "COMMAND",
            description = "IMAP with xoauth2/oauthbearer: a shell command (run with /bin/sh -c, at most 30 s) whose"
                    + " output, trimmed, is the access token, e.g. 'oauth2l fetch --credentials creds.json --scope"
                    + " https://mail.google.com/ --email {email}'. {user} (the login name) and {email} (the user's"
                    + " EmailAddress) are passed as the variables MAILFERRY_USER / MAILFERRY_EMAIL, never pasted"
                    + " into the command. Run again at every login and when the server refuses a token. Stored"
                    + " with the endpoint (the tokens never are); 'none' to remove.")
    String oauthTokenCommand;
    @Option(names = "--admin", paramLabel = "USER",
            description = "Administrator who opens users' mailboxes by impersonation; 'none' to remove.")
    String admin;
    @Option(names = "--admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
            description = "The administrator's password (prompted when given without a value; or the environment"
                    + " variable MAILFERRY_PASSWORD_<ENDPOINT>). Never stored: give it again to commands that copy.")
    String adminPassword;
    @Option(names = "--impersonation", paramLabel = "sasl|login[:SEP]",
            description = "IMAP: how the administrator opens a mailbox: SASL PLAIN authorization identity, or a login"
                    + " string user<SEP>admin (default separator '*', Dovecot's). Default sasl.")
    String impersonation;
    @Option(names = "--max-concurrent-migrations", paramLabel = "N",
            description = "Mailboxes in initial sync at once on this endpoint (default 100).")
    Integer maxConcurrentMigrations;
    @Option(names = "--max-concurrent-incremental-syncs", paramLabel = "N",
            description = "Mailboxes in an incremental pass at once, at most --max-concurrent-migrations (default 20).")
    Integer maxConcurrentIncrementalSyncs;
    @Option(names = "--accept-untrusted-certificates", paramLabel = "true|false", arity = "0..1",
            fallbackValue = "true",
            description = "Accept any TLS certificate (and, for Exchange, any host name); logged on every session."
                    + " Not for production.")
    Boolean acceptUntrusted;
    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Values.DurationConverter.class,
            description = "TCP connect timeout, e.g. 30s (default 30s).")
    Duration connectTimeout;
    @Option(names = "--read-timeout", paramLabel = "DURATION", converter = Values.DurationConverter.class,
            description = "Timeout for a server answer, e.g. 5m (default 5m).")
    Duration readTimeout;

    /**
     * Builds the endpoint: {@code base}'s settings (or the defaults) with the options given.
     *
     * @param name the endpoint's name
     * @param base the current endpoint, or {@code null} for a new one
     * @return the endpoint
     * @throws IllegalArgumentException if a setting is invalid
     */
    MigrationEndpoint build(String name, MigrationEndpoint base) {
        if (base != null && type != null && !type.equals(base.type())) {
            throw new IllegalArgumentException("endpoint '" + name + "' is of type " + base.type().name()
                    + "; the type of an endpoint cannot be changed");
        }
        EndpointType effective = base != null ? base.type() : type != null ? type : EndpointType.IMAP;
        boolean exchange = effective.equals(EndpointType.EXCHANGE);
        if (exchange && (preset != null || imapProperties != null || oauthTokenCommand != null
                || auth == ImapEndpointSettings.Auth.XOAUTH2 || auth == ImapEndpointSettings.Auth.OAUTHBEARER)) {
            throw new IllegalArgumentException("the IMAP options (--preset, --imap-property, --oauth-token-command,"
                    + " --auth xoauth2|oauthbearer) are for IMAP endpoints, not Exchange (Exchange: --ews-auth bearer)");
        }
        if (preset != null && base != null) {
            throw new IllegalArgumentException("--preset is for new endpoints; change a preset's settings with"
                    + " their own options");
        }
        if (!exchange && (ewsUrl != null || autodiscoverEmail != null || ewsAuth != null || serverVersion != null
                || trustStore != null || trustStoreType != null || ewsProperties != null)) {
            throw new IllegalArgumentException("the Exchange options (--ews-url, --autodiscover-email, --ews-auth,"
                    + " --server-version, --trust-store, --trust-store-type, --ews-property) need --type exchange");
        }
        MigrationEndpoint.Builder b = base != null ? base.toBuilder()
                : exchange ? EwsEndpoints.exchange(name) : preset != null ? preset.builder(name) : MigrationEndpoint.imap(name);
        String effectiveHost = host != null ? host : base == null && exchange ? defaultExchangeHost() : null;
        if (base == null && preset == null && effectiveHost == null) {
            throw new IllegalArgumentException(exchange
                    ? "--host, --ews-url or --autodiscover-email is required for a new Exchange endpoint"
                    : "--host is required for a new endpoint");
        }
        if (effectiveHost != null) {
            b.host(effectiveHost);
        }
        if (exchange) {
            exchangeProperties(b);
        }
        if (security != null) {
            b.security(security);
            if (port == null && (base != null || preset != null)) {
                b.port(0); // the new security's default port
            }
        }
        if (port != null) {
            b.port(port);
        }
        java.util.Set<String> removed = new java.util.HashSet<>();
        if (auth != null) {
            auth.apply(b, removed);
        }
        if (imapProperties != null) {
            ImapEndpointSettings.applyProperties(b,
                    ImapEndpointSettings.parseProperties("--imap-property", imapProperties), removed);
        }
        if (oauthTokenCommand != null) {
            if (oauthTokenCommand.isBlank() || oauthTokenCommand.trim().equalsIgnoreCase("none")) {
                removed.add(ImapEndpointSettings.TOKEN_COMMAND);
            } else {
                new OAuthTokenCommand(oauthTokenCommand); // checks the placeholders
                b.property(ImapEndpointSettings.TOKEN_COMMAND, oauthTokenCommand.trim());
            }
        }
        if (impersonation != null) {
            b.impersonation(impersonation(impersonation));
        }
        if (maxConcurrentMigrations != null) {
            b.maxConcurrentMigrations(maxConcurrentMigrations);
            if (maxConcurrentIncrementalSyncs == null && base != null
                    && base.maxConcurrentIncrementalSyncs() > maxConcurrentMigrations) {
                b.maxConcurrentIncrementalSyncs(maxConcurrentMigrations);
            }
        }
        if (maxConcurrentIncrementalSyncs != null) {
            b.maxConcurrentIncrementalSyncs(maxConcurrentIncrementalSyncs);
        }
        if (acceptUntrusted != null) {
            b.acceptUntrustedCertificates(acceptUntrusted);
        }
        if (connectTimeout != null) {
            b.connectTimeout(connectTimeout);
        }
        if (readTimeout != null) {
            b.readTimeout(readTimeout);
        }
        String password = Secrets.endpointPassword(name, adminPassword, null);
        if (admin != null) {
            b.adminCredentials(admin.equalsIgnoreCase("none") ? null : new Credentials(admin, password == null ? "" : password));
        } else if (base != null && base.admin().isPresent() && password != null) {
            b.adminCredentials(new Credentials(base.admin().get().username(), password));
        }
        MigrationEndpoint built = ImapEndpointSettings.without(b.build(), removed);
        if (!exchange) {
            ImapEndpointSettings.validate("--imap-property", built);
        }
        return built;
    }

    /** The host of a new Exchange endpoint without --host: the EWS URL's, or the Autodiscover address's domain. */
    private String defaultExchangeHost() {
        if (ewsUrl != null && !ewsUrl.equalsIgnoreCase("none")) {
            String h = URI.create(ewsUrl.trim()).getHost();
            if (h == null) {
                throw new IllegalArgumentException("--ews-url: not an absolute URL: " + ewsUrl);
            }
            return h;
        }
        if (autodiscoverEmail != null && autodiscoverEmail.indexOf('@') > 0) {
            return autodiscoverEmail.substring(autodiscoverEmail.lastIndexOf('@') + 1);
        }
        return null;
    }

    private void exchangeProperties(MigrationEndpoint.Builder b) {
        if (ewsUrl != null) {
            if (ewsUrl.equalsIgnoreCase("none")) {
                b.property(EwsProperties.URL, "");
            } else {
                URI uri = URI.create(ewsUrl.trim());
                if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
                    throw new IllegalArgumentException("--ews-url: use an https:// URL, not " + ewsUrl);
                }
                b.property(EwsProperties.URL, uri.toString());
            }
        }
        if (autodiscoverEmail != null) {
            boolean off = autodiscoverEmail.equalsIgnoreCase("none");
            if (!off && autodiscoverEmail.indexOf('@') <= 0) {
                throw new IllegalArgumentException("--autodiscover-email: not an e-mail address: " + autodiscoverEmail);
            }
            b.property(EwsProperties.AUTODISCOVER, off ? "false" : "true");
            b.property(EwsProperties.AUTODISCOVER_EMAIL, off ? "" : autodiscoverEmail.trim());
        }
        if (ewsAuth != null) {
            String a = ewsAuth.trim().toLowerCase(Locale.ROOT);
            if (!List.of("auto", "basic", "ntlm", "bearer").contains(a)) {
                throw new IllegalArgumentException("--ews-auth: use auto, basic, ntlm or bearer, not '" + ewsAuth + "'");
            }
            b.property(EwsProperties.AUTHENTICATION, a);
        }
        if (serverVersion != null) {
            b.property(EwsProperties.SERVER_VERSION, serverVersion.trim());
        }
        if (trustStore != null) {
            b.property(EwsProperties.TRUST_STORE, trustStore.toString().equalsIgnoreCase("none") ? ""
                    : trustStore.toAbsolutePath().toString());
        }
        if (trustStoreType != null) {
            b.property(EwsProperties.TRUST_STORE_TYPE, trustStoreType.trim());
        }
        if (ewsProperties != null) {
            for (String kv : ewsProperties) {
                int eq = kv.indexOf('=');
                String key = eq < 0 ? kv.trim() : kv.substring(0, eq).trim();
                if (eq < 0 || !key.startsWith("ews.")) {
                    throw new IllegalArgumentException("--ews-property: give ews.KEY=VALUE, not '" + kv + "'");
                }
                if (key.equals(EwsProperties.TRUST_STORE_PASSWORD)) {
                    throw new IllegalArgumentException("--ews-property: " + key + " would be stored with the endpoint;"
                            + " use a trust store without a password (it holds only public certificates)");
                }
                b.property(key, kv.substring(eq + 1).trim());
            }
        }
    }

    /** {@code imap} or {@code exchange}, any case. */
    static final class TypeConverter implements CommandLine.ITypeConverter<EndpointType> {
        @Override
        public EndpointType convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "imap" -> EndpointType.IMAP;
                case "exchange", "ews" -> EndpointType.EXCHANGE;
                default -> throw new TypeConversionException("use imap or exchange, not '" + value + "'");
            };
        }
    }

    static Impersonation impersonation(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("sasl")) {
            return Impersonation.SASL_AUTHORIZATION_ID;
        }
        if (t.toLowerCase(Locale.ROOT).startsWith("login")) {
            String sep = t.length() > "login".length() && t.charAt(5) == ':' ? t.substring(6) : "*";
            if (sep.isEmpty()) {
                throw new TypeConversionException("--impersonation: the separator after 'login:' is empty");
            }
            return Impersonation.loginString(sep);
        }
        throw new TypeConversionException("--impersonation: use 'sasl' or 'login[:SEPARATOR]', not '" + text + "'");
    }
}
