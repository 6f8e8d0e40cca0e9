/**
 * Core's connector contract kit run against the IMAP connector: on GreenMail
 * ({@code ImapGreenMail*ContractTest}) and on Dovecot with separators {@code /} and {@code .}
 * ({@code ImapDovecot*ContractIT}). {@link io.mailferry.imap.contract.ImapMailboxFixture} prepares
 * and reads the mailbox with {@link io.mailferry.testing.ImapTestClient}, never with the connector
 * under test. A byte-identity rule is skipped on a server only where that server itself changes the
 * rule's messages for any client (measured, see {@code ServerLimitations}); the connector's part of
 * such a rule is then checked against what the server stores.
 */
package io.mailferry.imap.contract;
