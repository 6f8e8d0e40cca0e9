package io.mailferry.imap;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.internal.ImapServerCheck;
import io.mailferry.imap.internal.ImapSessions;

import java.util.Objects;

/**
 * Opens IMAP mailboxes ({@link EndpointType#IMAP}). Registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services/io.mailferry.core.spi.ConnectorProvider}. Stateless and thread-safe;
 * every mailbox it opens has its own connection.
 *
 * <p>Connecting follows the endpoint: {@link io.mailferry.core.Security#SSL} is TLS from the first
 * byte, {@link io.mailferry.core.Security#STARTTLS} upgrades a plain connection and fails (never
 * falls back to plaintext) if the server does not offer STARTTLS, {@link io.mailferry.core.Security#NONE}
 * is plaintext. Certificates are checked against the JDK trust store and the host name unless
 * the endpoint {@linkplain MigrationEndpoint#acceptUntrustedCertificates() accepts untrusted
 * certificates}. Authentication is SASL PLAIN (RFC 4616) or {@code LOGIN} as the endpoint says,
 * or OAuth 2.0 (SASL {@code XOAUTH2} or {@code OAUTHBEARER}, RFC 7628) when the endpoint property
 * {@link ImapProperties#AUTH_MECHANISM} asks for it, with tokens from an {@link OAuthTokenProvider};
 * with administrator credentials the mailbox is opened through the endpoint's
 * {@link io.mailferry.core.Impersonation}. Presets for Gmail and Microsoft 365 are in
 * {@link ImapEndpointPresets}.
 */
public final class ImapConnectorProvider implements ConnectorProvider {

    private final OAuthTokenProvider tokens;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public ImapConnectorProvider() {
        this(null);
    }

    /**
     * Creates a provider whose XOAUTH2/OAUTHBEARER logins ({@link ImapProperties#AUTH_MECHANISM})
     * take their access tokens from {@code tokens}; register it with
     * {@code MigrationService.builder().connector(new ImapConnectorProvider(tokens))}.
     *
     * @param tokens the token provider, or {@code null} to send the login's password as the token
     */
    public ImapConnectorProvider(OAuthTokenProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public EndpointType type() {
        return EndpointType.IMAP;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The folders are opened with {@code EXAMINE}, so the mailbox is never changed.
     *
     * @throws IllegalArgumentException if the endpoint is not an IMAP endpoint or one of its
     *                                  {@link ImapProperties} is invalid
     */
    @Override
    public SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
        check(endpoint, access);
        return ImapSessions.openSource(endpoint, access, tokens);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the endpoint is not an IMAP endpoint or one of its
     *                                  {@link ImapProperties} is invalid
     */
    @Override
    public TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
        check(endpoint, access);
        return ImapSessions.openTarget(endpoint, access, tokens);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Connects, negotiates TLS as the endpoint says (STARTTLS is required for
     * {@link io.mailferry.core.Security#STARTTLS}), reads the {@code CAPABILITY} list and, with
     * {@code access}, logs in (impersonating as the endpoint says when {@code access} impersonates)
     * and reads the capabilities again; then logs out. An endpoint with
     * {@link ImapProperties#AUTH_MECHANISM} logs in with that SASL mechanism and a token from this
     * provider's {@link OAuthTokenProvider}, as its migrations do. The latency is the time to the server's
     * greeting, TLS handshake included.
     */
    @Override
    public ServerAvailability testConnection(MigrationEndpoint endpoint, MailboxAccess access) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!EndpointType.IMAP.equals(endpoint.type())) {
            throw new IllegalArgumentException("endpoint '" + endpoint.name() + "' is of type " + endpoint.type()
                    + ", not IMAP");
        }
        return ImapServerCheck.test(endpoint, access, tokens);
    }

    private static void check(MigrationEndpoint endpoint, MailboxAccess access) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(access, "access");
        if (!EndpointType.IMAP.equals(endpoint.type())) {
            throw new IllegalArgumentException("endpoint '" + endpoint.name() + "' is of type " + endpoint.type()
                    + ", not IMAP");
        }
    }
}
