/**
 * The IMAP connector: source and target mailboxes on IMAP4rev1 servers (RFC 3501), found by
 * {@link java.util.ServiceLoader} as the {@link io.mailferry.core.spi.ConnectorProvider} for
 * {@link io.mailferry.core.EndpointType#IMAP} endpoints.
 *
 * <p>Add the module to the class path and describe the server as an IMAP
 * {@link io.mailferry.core.MigrationEndpoint}; nothing else is needed:
 * <pre>{@code
 * MigrationEndpoint source = MigrationEndpoint.imap("old-host")
 *         .host("imap.old.example").security(Security.SSL)
 *         .property(ImapProperties.FETCH_BATCH_BYTES, "8388608")   // optional tuning
 *         .build();
 * }</pre>
 *
 * <p>The connector speaks the protocol directly (through Angus Mail's protocol layer, not the
 * Jakarta Mail {@code Store}/{@code Folder} API), so message bytes are never parsed or re-encoded:
 * what the source delivers with {@code BODY.PEEK[]} is what the target receives with
 * {@code APPEND}. It uses, when the server offers them, UIDPLUS (RFC 4315), MULTIAPPEND
 * (RFC 3502), LITERAL+ (RFC 7888), CONDSTORE (RFC 7162), SPECIAL-USE (RFC 6154), BINARY
 * (RFC 3516), ESEARCH (RFC 4731), LIST-STATUS (RFC 5819: a source reads the state of every folder
 * in one round trip, so a pass over unchanged folders costs the source one command), NAMESPACE
 * (RFC 2342: folder names are given relative to the personal namespace, e.g. without Cyrus'
 * {@code INBOX.}; folders of other namespaces are left out), APPENDLIMIT (RFC 7889: larger messages
 * are not sent but reported {@linkplain io.mailferry.core.spi.AppendResult#tooLarge too large}) and
 * SASL-IR (RFC 4959).
 *
 * <p>Logins: SASL PLAIN (with an authorization identity for impersonation), {@code LOGIN}, and
 * OAuth 2.0 with {@code XOAUTH2} or {@code OAUTHBEARER} (RFC 7628) from an {@link OAuthTokenProvider}
 * ({@link CachingOAuthTokenProvider} refreshes on expiry and when the server refuses a token).
 * {@link ImapEndpointPresets} describe Gmail and Microsoft 365.
 *
 * <p>Throttling: a {@code NO}/{@code BAD}/{@code BYE} that asks to slow down ({@code [UNAVAILABLE]},
 * {@code [LIMIT]}, {@code [INUSE]}, "try again later", Microsoft 365's "Request is throttled.
 * Suggested Backoff Time: N milliseconds") becomes a {@link io.mailferry.core.spi.ConnectorException}
 * of kind {@code THROTTLED} carrying the server's back-off
 * ({@link io.mailferry.core.spi.ConnectorException#retryAfter()}), which the engine waits before it
 * reconnects and resumes from its checkpoint; inside a bulk append the connector itself waits the
 * back-off (logged as "Stalled: …") and sends what the server did not store, up to three times. The
 * endpoint properties {@link ImapProperties#RATE_BYTES_PER_SECOND} and
 * {@link ImapProperties#RATE_MESSAGES_PER_SECOND} pace all mailboxes of an endpoint for providers
 * with quotas. The tuning settings an endpoint may carry are listed in
 * {@link io.mailferry.imap.ImapProperties}.
 *
 * <p>Everything outside this package is internal and may change in any release.
 */
package io.mailferry.imap;
