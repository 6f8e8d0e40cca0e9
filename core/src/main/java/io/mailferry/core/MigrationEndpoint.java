package io.mailferry.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named, reusable description of a remote mail system: where it is, how to reach it and how many
 * mailboxes may be migrated from or to it at once (Exchange: {@code New-MigrationEndpoint}).
 *
 * <p>Immutable; build one with {@link #builder(String, EndpointType)} or {@link #imap(String)}:
 * <pre>{@code
 * MigrationEndpoint source = MigrationEndpoint.imap("old-host")
 *         .host("imap.old.example").port(993).security(Security.SSL)
 *         .maxConcurrentMigrations(20)
 *         .build();
 * }</pre>
 *
 * @param name                           unique name the batches refer to, never blank
 * @param type                           which connector serves it, never {@code null}
 * @param host                           host name or address of the server, never blank
 * @param port                           TCP port, 1–65535
 * @param security                       transport security, never {@code null}
 * @param authentication                 authentication method, never {@code null}
 * @param adminCredentials               administrator credentials used to open every user's mailbox
 *                                       by {@link #impersonation()}, or {@code null} when each user
 *                                       logs in with their own credentials
 * @param impersonation                  how {@code adminCredentials} open a user's mailbox, never
 *                                       {@code null}
 * @param maxConcurrentMigrations        how many mailboxes may be in initial sync on this endpoint
 *                                       at once; Exchange's default is 100
 * @param maxConcurrentIncrementalSyncs  how many mailboxes may be in an incremental sync at once;
 *                                       at most {@code maxConcurrentMigrations}; Exchange's default
 *                                       is 20
 * @param acceptUntrustedCertificates    {@code true} to accept any TLS certificate (explicit opt-in,
 *                                       logged when used); {@code false} verifies the certificate
 *                                       against the JDK trust store and the host name
 * @param connectTimeout                 TCP connect timeout, positive
 * @param readTimeout                    timeout for a server answer, positive
 * @param properties                     connector-specific settings (see the connector's
 *                                       documentation) and the engine's per-endpoint settings
 *                                       ({@link #SKIP_CROSS_DUPLICATES}), never {@code null},
 *                                       unmodifiable
 */
public record MigrationEndpoint(
        String name,
        EndpointType type,
        String host,
        int port,
        Security security,
        AuthenticationMethod authentication,
        Credentials adminCredentials,
        Impersonation impersonation,
        int maxConcurrentMigrations,
        int maxConcurrentIncrementalSyncs,
        boolean acceptUntrustedCertificates,
        Duration connectTimeout,
        Duration readTimeout,
        Map<String, String> properties) {

    /**
     * Property of a source endpoint: {@code true} to copy a message the source shows in several
     * folders (a Gmail message with several labels) only once per mailbox, into the first of those
     * folders the engine syncs (imapsync's {@code --skipcrossduplicates}); its other appearances
     * are counted as filtered items ({@link MigrationUserStatistics#filteredItemCount()}), not as
     * skipped items. Folders are synced in the folder mapping's order, with virtual folders such as
     * Gmail's {@code [Gmail]/All Mail} ({@code \All}) last, so a labelled message lands in its
     * label's folder and only unlabelled (archived) mail in All Mail's target. Messages copied are
     * remembered in the store per mailbox, so a label added later does not copy the message
     * again. Needs a source connector with
     * {@link io.mailferry.core.spi.ConnectorCapability#CROSS_FOLDER_IDENTITY} (IMAP: the server's
     * {@code X-GM-EXT-1}); without it the setting has no effect. Default {@code false}; the IMAP
     * connector's Gmail preset sets it.
     */
    public static final String SKIP_CROSS_DUPLICATES = "skipCrossDuplicates";

    /** Exchange's default for {@code MaxConcurrentMigrations}. */
    public static final int DEFAULT_MAX_CONCURRENT_MIGRATIONS = 100;
    /** Exchange's default for {@code MaxConcurrentIncrementalSyncs}. */
    public static final int DEFAULT_MAX_CONCURRENT_INCREMENTAL_SYNCS = 20;

    /**
     * Validates the components; see the builder for defaults.
     *
     * @throws NullPointerException     if a required component is {@code null}
     * @throws IllegalArgumentException if a component is out of range
     */
    public MigrationEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(impersonation, "impersonation");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (name.isBlank()) {
            throw new IllegalArgumentException("endpoint name must not be blank");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint '" + name + "': host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + name + "': port " + port + " is not in 1-65535");
        }
        if (maxConcurrentMigrations < 1) {
            throw new IllegalArgumentException("endpoint '" + name + "': maxConcurrentMigrations must be at least 1");
        }
        if (maxConcurrentIncrementalSyncs < 1 || maxConcurrentIncrementalSyncs > maxConcurrentMigrations) {
            throw new IllegalArgumentException("endpoint '" + name + "': maxConcurrentIncrementalSyncs must be in 1-"
                    + maxConcurrentMigrations + " (at most maxConcurrentMigrations)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("endpoint '" + name + "': timeouts must be positive");
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    }

    /**
     * Starts an endpoint description.
     *
     * @param name unique endpoint name, not blank
     * @param type connector type, not {@code null}
     * @return a new builder; not thread-safe
     */
    public static Builder builder(String name, EndpointType type) {
        return new Builder(name, type);
    }

    /**
     * Starts an IMAP endpoint description ({@code SSL} on port 993 unless changed).
     *
     * @param name unique endpoint name, not blank
     * @return a new builder; not thread-safe
     */
    public static Builder imap(String name) {
        return new Builder(name, EndpointType.IMAP);
    }

    /** Returns the administrator credentials, if this endpoint impersonates users. */
    public Optional<Credentials> admin() {
        return Optional.ofNullable(adminCredentials);
    }

    /**
     * Returns a builder pre-filled with this endpoint's settings, to derive a changed copy.
     *
     * @return a new builder; not thread-safe
     */
    public Builder toBuilder() {
        Builder b = new Builder(name, type);
        b.host = host;
        b.port = port;
        b.security = security;
        b.authentication = authentication;
        b.adminCredentials = adminCredentials;
        b.impersonation = impersonation;
        b.maxConcurrentMigrations = maxConcurrentMigrations;
        b.maxConcurrentIncrementalSyncs = maxConcurrentIncrementalSyncs;
        b.acceptUntrustedCertificates = acceptUntrustedCertificates;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.properties.putAll(properties);
        return b;
    }

    /**
     * Builds a {@link MigrationEndpoint}. Defaults: security {@link Security#SSL}; port 993 for SSL,
     * 143 otherwise; authentication {@link AuthenticationMethod#AUTO}; impersonation
     * {@link Impersonation#SASL_AUTHORIZATION_ID}; 100 concurrent migrations; 20 concurrent
     * incremental syncs (lowered to {@code maxConcurrentMigrations} when that is smaller); connect
     * timeout 30 s; read timeout 5 min.
     *
     * <p>Not thread-safe. {@link #build()} can be called again after further changes; endpoints
     * already built are not affected.
     */
    public static final class Builder {
        private final String name;
        private final EndpointType type;
        private String host;
        private int port;
        private Security security = Security.SSL;
        private AuthenticationMethod authentication = AuthenticationMethod.AUTO;
        private Credentials adminCredentials;
        private Impersonation impersonation = Impersonation.SASL_AUTHORIZATION_ID;
        private int maxConcurrentMigrations = DEFAULT_MAX_CONCURRENT_MIGRATIONS;
        private Integer maxConcurrentIncrementalSyncs;
        private boolean acceptUntrustedCertificates;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofMinutes(5);
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder(String name, EndpointType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** @param host server host name or address, not blank @return this builder */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port TCP port; 0 means the default for the security mode @return this builder */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param security transport security, not {@code null} @return this builder */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** @param authentication authentication method, not {@code null} @return this builder */
        public Builder authentication(AuthenticationMethod authentication) {
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        /**
         * Sets administrator credentials that open every user's mailbox.
         *
         * @param adminCredentials the administrator's credentials, or {@code null} for none
         * @return this builder
         */
        public Builder adminCredentials(Credentials adminCredentials) {
            this.adminCredentials = adminCredentials;
            return this;
        }

        /** @param impersonation how admin credentials open a mailbox, not {@code null} @return this builder */
        public Builder impersonation(Impersonation impersonation) {
            this.impersonation = Objects.requireNonNull(impersonation, "impersonation");
            return this;
        }

        /** @param max mailboxes in initial sync at once, at least 1 @return this builder */
        public Builder maxConcurrentMigrations(int max) {
            this.maxConcurrentMigrations = max;
            return this;
        }

        /** @param max mailboxes in incremental sync at once, 1..maxConcurrentMigrations @return this builder */
        public Builder maxConcurrentIncrementalSyncs(int max) {
            this.maxConcurrentIncrementalSyncs = max;
            return this;
        }

        /**
         * Accepts any TLS certificate, even self-signed or for another host. Not for production.
         *
         * @param accept {@code true} to skip certificate verification
         * @return this builder
         */
        public Builder acceptUntrustedCertificates(boolean accept) {
            this.acceptUntrustedCertificates = accept;
            return this;
        }

        /** @param timeout TCP connect timeout, positive @return this builder */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @param timeout server answer timeout, positive @return this builder */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets a connector-specific property.
         *
         * @param key   property name, not {@code null}
         * @param value property value, not {@code null}
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the endpoint.
         *
         * @return the immutable endpoint
         * @throws NullPointerException     if the host was not set
         * @throws IllegalArgumentException if a setting is out of range
         */
        public MigrationEndpoint build() {
            if (host == null) {
                throw new NullPointerException("endpoint '" + name + "': host is required");
            }
            int effectivePort = port != 0 ? port : (security == Security.SSL ? 993 : 143);
            int incremental = maxConcurrentIncrementalSyncs != null
                    ? maxConcurrentIncrementalSyncs
                    : Math.min(DEFAULT_MAX_CONCURRENT_INCREMENTAL_SYNCS, maxConcurrentMigrations);
            return new MigrationEndpoint(name, type, host, effectivePort, security, authentication,
                    adminCredentials, impersonation, maxConcurrentMigrations, incremental,
                    acceptUntrustedCertificates, connectTimeout, readTimeout, properties);
        }
    }
}
