package io.mailferry.imap;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;

/**
 * Endpoint presets for the big providers: host, port, security, OAuth login and the limits the
 * provider enforces, as a {@link MigrationEndpoint.Builder} to adjust further. Register an
 * {@link ImapConnectorProvider} with an {@link OAuthTokenProvider} for the tokens.
 *
 * <pre>{@code
 * MigrationEndpoint target = ImapEndpointPresets.microsoft365("m365").build();
 * MigrationService service = MigrationService.builder()
 *         .connector(new ImapConnectorProvider(tokens))
 *         .build();
 * }</pre>
 *
 * <p>Folder conventions need no setting: both providers mark their special folders with RFC 6154
 * attributes ({@code [Gmail]/Sent Mail} is {@code \Sent}, Microsoft 365's {@code Sent Items} is
 * {@code \Sent}), so the engine's folder mapping puts Sent into Sent, Trash into Deleted Items and
 * so on, and localized names are recognised as well. Gmail's virtual folders ({@code \All},
 * {@code \Flagged}, {@code \Important}) are copied after every other folder.
 *
 * <p>Gmail shows a message once per label, each label a folder, and All Mail holds them all. The
 * Gmail preset sets {@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}: with Gmail's
 * {@code X-GM-EXT-1} the connector lists each message with its {@code X-GM-MSGID}, and the engine
 * copies a message carrying several labels once, into the first of its folders it syncs (INBOX
 * first, then the others in the mapping's order); All Mail, synced last, then adds only the mail
 * without a label (archived mail). Set the property to {@code false} for one copy per label, as
 * Gmail's own IMAP clients see it.
 */
public final class ImapEndpointPresets {

    /** Gmail's IMAP host. */
    public static final String GMAIL_HOST = "imap.gmail.com";
    /** Microsoft 365's (Exchange Online's) IMAP host. */
    public static final String MICROSOFT_365_HOST = "outlook.office365.com";

    /**
     * Gmail accepts messages up to 25 MB through its own clients; larger APPENDs are refused
     * (the published attachment limit; IMAP uploads above it fail).
     */
    public static final long GMAIL_MAX_MESSAGE_BYTES = 25L * 1000 * 1000;
    /**
     * Exchange Online's default maximum message size for IMAP migration, 35 MB (the tenant can raise
     * it to 150 MB; change {@link ImapProperties#MAX_MESSAGE_BYTES} then).
     */
    public static final long MICROSOFT_365_MAX_MESSAGE_BYTES = 35L * 1000 * 1000;
    /**
     * Gmail allows 15 simultaneous IMAP connections per account; a mailbox pass uses one, so a few
     * migrations of different mailboxes at once are safe while the user's own clients stay connected.
     */
    public static final int GMAIL_MAX_CONCURRENT = 20;
    /**
     * Microsoft 365 throttles per mailbox and per tenant; 4 messages per second per endpoint is the
     * pace long used against it without "Request is throttled" (imapsync's {@code --office2}); the
     * engine also honours the server's "Suggested Backoff Time" when it throttles anyway.
     */
    public static final double MICROSOFT_365_MESSAGES_PER_SECOND = 4;

    private ImapEndpointPresets() {
    }

    /**
     * Gmail / Google Workspace: {@code imap.gmail.com:993} over TLS, SASL {@code XOAUTH2}, 25 MB
     * messages, a message under several labels copied once
     * ({@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}).
     *
     * @param name the endpoint's name
     * @return a builder, to be adjusted or built
     */
    public static MigrationEndpoint.Builder gmail(String name) {
        return MigrationEndpoint.imap(name).host(GMAIL_HOST).port(993).security(Security.SSL)
                .maxConcurrentMigrations(GMAIL_MAX_CONCURRENT)
                .property(ImapProperties.AUTH_MECHANISM, "XOAUTH2")
                .property(ImapProperties.MAX_MESSAGE_BYTES, Long.toString(GMAIL_MAX_MESSAGE_BYTES))
                .property(MigrationEndpoint.SKIP_CROSS_DUPLICATES, "true");
    }

    /**
     * Microsoft 365 / Exchange Online: {@code outlook.office365.com:993} over TLS, SASL
     * {@code XOAUTH2} (basic authentication is switched off there), 35 MB messages, 4 messages per
     * second. With an application token, impersonate each mailbox: the token provider is asked for
     * the mailbox's address.
     *
     * @param name the endpoint's name
     * @return a builder, to be adjusted or built
     */
    public static MigrationEndpoint.Builder microsoft365(String name) {
        return MigrationEndpoint.imap(name).host(MICROSOFT_365_HOST).port(993).security(Security.SSL)
                .property(ImapProperties.AUTH_MECHANISM, "XOAUTH2")
                .property(ImapProperties.MAX_MESSAGE_BYTES, Long.toString(MICROSOFT_365_MAX_MESSAGE_BYTES))
                .property(ImapProperties.RATE_MESSAGES_PER_SECOND, Double.toString(MICROSOFT_365_MESSAGES_PER_SECOND));
    }
}
