/**
 * The connector SPI: what a source or target mail system implements so that the engine can migrate
 * mailboxes from or to it.
 *
 * <p>A connector module ships a {@link io.mailferry.core.spi.ConnectorProvider} and names it in
 * {@code META-INF/services/io.mailferry.core.spi.ConnectorProvider}; the service finds it with
 * {@link java.util.ServiceLoader} by its {@link io.mailferry.core.EndpointType}. The provider opens
 * one {@link io.mailferry.core.spi.SourceMailbox} or {@link io.mailferry.core.spi.TargetMailbox} per
 * user; the engine uses each from one thread at a time and closes it at the end of the pass.
 *
 * <p>Folder names crossing this SPI are full Unicode names in the server's own hierarchy (for IMAP:
 * modified UTF-7 decoded, RFC 3501 section 5.1.3) with the separator given by
 * {@link io.mailferry.core.spi.FolderInfo#separator()}. Message identity is the UID within a folder
 * and its UIDVALIDITY (RFC 3501 section 2.3.1.1).
 *
 * <p>Optional reading of what a mailbox holds ({@link io.mailferry.core.spi.MailboxSession#fetchHeaders}
 * for both sides, {@link io.mailferry.core.spi.TargetMailbox#fetchMessages} for targets) lets the
 * engine recognise messages already on the target where its checkpoint cannot say; a connector
 * without it still works, without that protection.
 *
 * <p>A source that leaves whole folders out of its listing because it cannot migrate their items
 * (an Exchange calendar going to IMAP) names them in
 * {@link io.mailferry.core.spi.SourceMailbox#skippedFolders()}; the engine reports each once as a
 * skipped item that counts against no limit.
 *
 * <p>Failures are {@link io.mailferry.core.spi.ConnectorException}s whose
 * {@link io.mailferry.core.spi.ConnectorException#kind() kind} tells the engine whether to retry,
 * fail the user or skip one item. The contract tests in core's test-jar
 * ({@code io.mailferry.core.spi.contract}) state what every connector must do.
 *
 * <p>This SPI may evolve faster than the public API; changes are listed separately in the change log.
 */
package io.mailferry.core.spi;
