package io.mailferry.cli.internal;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/**
 * The settings of an IMAP endpoint as options ({@code New-/Set-MigrationEndpoint}). Options not
 * given keep the current (or default) value.
 */
final class EndpointOptions {

    @Option(names = "--host", paramLabel = "HOST", description = "Server host name or address.")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 993 for ssl, else 143).")
    Integer port;
    @Option(names = "--security", paramLabel = "none|ssl|starttls", converter = MigrateCommand.SecurityConverter.class,
            description = "Transport security (default ssl).")
    Security security;
    @Option(names = "--auth", paramLabel = "auto|login|plain", converter = MigrateCommand.AuthConverter.class,
            description = "Authentication (default auto).")
    AuthenticationMethod auth;
    @Option(names = "--admin", paramLabel = "USER",
            description = "Administrator who opens users' mailboxes by impersonation; 'none' to remove.")
    String admin;
    @Option(names = "--admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
            description = "The administrator's password (prompted when given without a value; or the environment"
                    + " variable MAILFERRY_PASSWORD_<ENDPOINT>). Never stored: give it again to commands that copy.")
    String adminPassword;
    @Option(names = "--impersonation", paramLabel = "sasl|login[:SEP]",
            description = "How the administrator opens a mailbox: SASL PLAIN authorization identity, or a login"
                    + " string user<SEP>admin (default separator '*', Dovecot's). Default sasl.")
    String impersonation;
    @Option(names = "--max-concurrent-migrations", paramLabel = "N",
            description = "Mailboxes in initial sync at once on this endpoint (default 100).")
    Integer maxConcurrentMigrations;
    @Option(names = "--max-concurrent-incremental-syncs", paramLabel = "N",
            description = "Mailboxes in an incremental pass at once, at most --max-concurrent-migrations (default 20).")
    Integer maxConcurrentIncrementalSyncs;
    @Option(names = "--accept-untrusted-certificates", paramLabel = "true|false", arity = "0..1",
            fallbackValue = "true", description = "Accept any TLS certificate. Not for production.")
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
        MigrationEndpoint.Builder b = base != null ? base.toBuilder() : MigrationEndpoint.imap(name);
        if (base == null && host == null) {
            throw new IllegalArgumentException("--host is required for a new endpoint");
        }
        if (host != null) {
            b.host(host);
        }
        if (security != null) {
            b.security(security);
            if (port == null && base != null) {
                b.port(0); // the new security's default port
            }
        }
        if (port != null) {
            b.port(port);
        }
        if (auth != null) {
            b.authentication(auth);
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
        return b.build();
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
