/**
 * Internals of the IMAP connector: the wire protocol on top of Angus Mail's
 * {@code org.eclipse.angus.mail.imap.protocol.IMAPProtocol}, the source and target sessions, and
 * the small parsers and formatters they share. Not public API.
 */
package io.mailferry.imap.internal;
