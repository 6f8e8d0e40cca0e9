/**
 * The Exchange connector: on-premises Exchange 2007 to 2019 and Exchange SE as a migration source
 * and target through Exchange Web Services, found by {@link java.util.ServiceLoader} as the
 * {@link io.mailferry.core.spi.ConnectorProvider} for {@link io.mailferry.core.EndpointType#EXCHANGE}
 * endpoints.
 *
 * <p>Describe the server as an Exchange {@link io.mailferry.core.MigrationEndpoint} (see
 * {@link io.mailferry.ews.EwsEndpoints}); its settings are the endpoint's own fields and the
 * {@link io.mailferry.ews.EwsProperties}. A service account with the {@code ApplicationImpersonation}
 * role, given as the endpoint's administrator credentials, opens every user's mailbox; without
 * one, each user logs in with their own credentials.
 *
 * <p>What moves: mail folders and their messages as MIME, with read state, follow-up flag,
 * replied/forwarded state, categories (as IMAP keywords) and received time (as INTERNALDATE);
 * well-known folders carry their special-use roles. Calendar, contacts and tasks folders move only
 * Exchange to Exchange, with {@code ews.itemTransfer=export} (ExportItems/UploadItems). EWS in
 * Exchange Online is being switched off; this connector is for Exchange Server.
 *
 * <p>Built on ews-java-api 2.0, none of whose types appear in this package. Everything in
 * {@code io.mailferry.ews.internal} is internal and may change in any release.
 */
package io.mailferry.ews;
