package io.mailferry.imap;

import java.util.Objects;

/**
 * Supplies OAuth 2.0 access tokens for the SASL mechanisms {@code XOAUTH2} (Google, Microsoft) and
 * {@code OAUTHBEARER} (RFC 7628), chosen with the endpoint property {@link ImapProperties#AUTH_MECHANISM}.
 * Hand one to {@link ImapConnectorProvider#ImapConnectorProvider(OAuthTokenProvider)} and register
 * that provider with the service ({@code MigrationService.builder().connector(…)}).
 *
 * <p>The connector asks for a token every time it logs in, so a reconnect after a dropped
 * connection or a new pass always gets a current token; if the server refuses a token, it asks once
 * more with {@link TokenRequest#refused()} set, and a provider then returns a freshly fetched token
 * (an expired one is the usual reason). {@link CachingOAuthTokenProvider} does the caching and
 * refreshing around a token source. Without a provider the login's password is sent as the token
 * (a token obtained elsewhere, valid for the whole run).
 *
 * <p>Implementations must be thread-safe: mailboxes are migrated in parallel. A token is a secret:
 * never log it.
 */
@FunctionalInterface
public interface OAuthTokenProvider {

    /**
     * Returns an access token for a login.
     *
     * @param request who logs in where, and whether the server refused the previous token
     * @return the access token, never {@code null} or blank
     * @throws RuntimeException if no token can be had; the login fails with its message
     */
    String accessToken(TokenRequest request);

    /**
     * What the connector needs a token for.
     *
     * @param endpoint the endpoint's name
     * @param host     the server's host name
     * @param username the login name (for impersonation, the mailbox opened)
     * @param refused  {@code true} if the server has just refused the token this provider returned
     *                 for the same login: return a new one, do not use a cached token
     */
    record TokenRequest(String endpoint, String host, String username, boolean refused) {
        /**
         * Validates the components.
         *
         * @throws NullPointerException if a name is {@code null}
         */
        public TokenRequest {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(username, "username");
        }
    }
}
