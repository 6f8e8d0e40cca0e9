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
 * (RFC 3516) and ESEARCH (RFC 4731). The tuning settings an endpoint may carry are listed in
 * {@link io.mailferry.imap.ImapProperties}.
 *
 * <p>Everything except the two public classes of this package is internal and may change in any
 * release.
 */
package io.mailferry.imap;
