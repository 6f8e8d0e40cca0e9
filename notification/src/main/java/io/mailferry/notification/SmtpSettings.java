package io.mailferry.notification;

import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import io.mailferry.core.notification.Notification;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link SmtpNotificationSender} reaches its SMTP server (RFC 5321 submission, RFC 6409).
 * Immutable; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * SmtpSettings smtp = SmtpSettings.builder("smtp.contoso.edu")
 *         .security(Security.STARTTLS)            // the default; port 587
 *         .credentials(new Credentials("migration-reports@contoso.edu", password))
 *         .from("migration-reports@contoso.edu")
 *         .build();
 * }</pre>
 *
 * @param host                        the server's host name or address, never blank
 * @param port                        the server's port, 1-65535
 * @param security                    {@link Security#STARTTLS} (upgrade required: a server that does
 *                                    not offer it is an error), {@link Security#SSL} (TLS from the
 *                                    first byte, "SMTPS") or {@link Security#NONE} (plaintext, only
 *                                    when asked for)
 * @param credentials                 the login for SMTP AUTH, or {@code null} to send without
 *                                    authentication
 * @param from                        the sender address (header {@code From} and envelope
 *                                    {@code MAIL FROM}), a plain address such as
 *                                    {@code reports@contoso.edu}
 * @param fromName                    the sender's display name, e.g. {@code MailFerry}; may be empty
 * @param acceptUntrustedCertificates {@code true} to accept any certificate and host name (tests,
 *                                    self-signed servers); default {@code false}: the JDK trust store
 *                                    and host name verification (RFC 6125)
 * @param connectTimeout              how long to wait for the connection, positive
 * @param readTimeout                 how long to wait for each response, and to write, positive
 * @param heloName                    the name sent in {@code EHLO}, or {@code null} for the local
 *                                    host's name
 */
public record SmtpSettings(
        String host,
        int port,
        Security security,
        Credentials credentials,
        String from,
        String fromName,
        boolean acceptUntrustedCertificates,
        Duration connectTimeout,
        Duration readTimeout,
        String heloName) {

    /** Submission with STARTTLS (RFC 6409). */
    public static final int SUBMISSION_PORT = 587;
    /** Submission over implicit TLS (RFC 8314). */
    public static final int SUBMISSIONS_PORT = 465;
    /** SMTP relay, plaintext. */
    public static final int SMTP_PORT = 25;
    /** Default connect timeout: 30 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default read and write timeout: 60 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if a required component is {@code null}
     * @throws IllegalArgumentException if the host is blank, the port out of range, the sender not a
     *                                  plain address, a name contains control characters, or a
     *                                  timeout is not positive
     */
    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("SMTP host must be a host name or address");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("SMTP port must be from 1 to 65535");
        }
        Notification.checkAddress(from);
        if (fromName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("fromName must not contain control characters");
        }
        if (heloName != null && (heloName.isBlank()
                || heloName.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            throw new IllegalArgumentException("heloName must be a host name");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("SMTP timeouts must be positive");
        }
    }

    /**
     * Starts settings for a server: STARTTLS on port 587, no login, sender display name
     * {@code MailFerry}, certificates checked, 30 s connect and 60 s read timeouts. The sender
     * address must be set.
     *
     * @param host the server's host name or address
     * @return a builder; not thread-safe
     */
    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** Returns the SMTP AUTH login, if any. */
    public Optional<Credentials> login() {
        return Optional.ofNullable(credentials);
    }

    /** Returns {@code host:port (security)}, e.g. {@code smtp.contoso.edu:587 (STARTTLS)}, for messages. */
    public String where() {
        return host + ":" + port + " (" + security + ")";
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + where() + ", user=" + (credentials == null ? "(none)" : credentials.username())
                + ", from=" + from + ", acceptUntrustedCertificates=" + acceptUntrustedCertificates + "]";
    }

    /** Builds {@link SmtpSettings}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private Integer port;
        private Security security = Security.STARTTLS;
        private Credentials credentials;
        private String from;
        private String fromName = "MailFerry";
        private boolean acceptUntrustedCertificates;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private String heloName;

        private Builder(String host) {
            this.host = Objects.requireNonNull(host, "host");
        }

        /**
         * @param port the port; default 587 for STARTTLS, 465 for SSL, 25 for NONE
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param security how the connection is protected (default STARTTLS) @return this builder */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** @param credentials the SMTP AUTH login, or {@code null} for none @return this builder */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** @param from the sender address, required @return this builder */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /** @param fromName the sender's display name (default {@code MailFerry}) @return this builder */
        public Builder fromName(String fromName) {
            this.fromName = Objects.requireNonNull(fromName, "fromName");
            return this;
        }

        /** @param accept accept any certificate and host name (default {@code false}) @return this builder */
        public Builder acceptUntrustedCertificates(boolean accept) {
            this.acceptUntrustedCertificates = accept;
            return this;
        }

        /** @param timeout connect timeout (default 30 s) @return this builder */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** @param timeout read and write timeout (default 60 s) @return this builder */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** @param heloName the name sent in EHLO, or {@code null} for the local host's @return this builder */
        public Builder heloName(String heloName) {
            this.heloName = heloName;
            return this;
        }

        /**
         * @return the settings
         * @throws NullPointerException     if the sender address is not set
         * @throws IllegalArgumentException as {@link SmtpSettings}
         */
        public SmtpSettings build() {
            int p = port != null ? port : switch (security) {
                case SSL -> SUBMISSIONS_PORT;
                case STARTTLS -> SUBMISSION_PORT;
                case NONE -> SMTP_PORT;
            };
            return new SmtpSettings(host, p, security, credentials, Objects.requireNonNull(from, "from"), fromName,
                    acceptUntrustedCertificates, connectTimeout, readTimeout, heloName);
        }
    }
}
