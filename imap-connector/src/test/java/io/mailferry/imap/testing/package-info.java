/**
 * Test helpers shipped in the IMAP connector's test-jar for later modules' tests:
 * {@link io.mailferry.imap.testing.GreenMailImap} (an in-process IMAP/IMAPS server with fresh
 * users, and endpoints and mailboxes opened on it), {@link io.mailferry.imap.testing.ScriptedImapServer}
 * (answers scripted by the test, for protocol corner cases) and
 * {@link io.mailferry.imap.testing.TestMessages}. The shared real-mail corpus is read through the
 * testing module's {@code io.mailferry.testing.Corpus}.
 */
package io.mailferry.imap.testing;
