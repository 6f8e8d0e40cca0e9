/**
 * Test helpers shipped in the IMAP connector's test-jar for later modules' tests:
 * {@link io.mailferry.imap.testing.GreenMailImap} (an in-process IMAP/IMAPS server with fresh
 * users, and endpoints and mailboxes opened on it), {@link io.mailferry.imap.testing.ScriptedImapServer}
 * (answers scripted by the test, for protocol corner cases), {@link io.mailferry.imap.testing.TestMessages}
 * and {@link io.mailferry.imap.testing.Corpus} (the shared real-mail corpus, an assumption where
 * it is absent).
 */
package io.mailferry.imap.testing;
