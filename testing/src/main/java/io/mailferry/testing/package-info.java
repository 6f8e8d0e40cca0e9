/**
 * Test support for MailFerry modules, used in test scope: real mail and a real IMAP server, and
 * an independent way to check what a migration did.
 *
 * <ul>
 *   <li>{@link io.mailferry.testing.DovecotServer}: a private Dovecot instance on 127.0.0.1 and a
 *       free port (users, master user, hierarchy separator, special-use folders), started and
 *       stopped by the test; {@link io.mailferry.testing.DovecotServer#assumeInstalled()} skips a
 *       test where Dovecot is missing, or fails it under {@code -Dmailferry.requireDovecot=true}.</li>
 *   <li>{@link io.mailferry.testing.Corpus}: Enron mailboxes and nasty parser-test messages, from
 *       the shared corpus ({@code ../shared/corpus}) when present, else the sample bundled with the
 *       project.</li>
 *   <li>{@link io.mailferry.testing.ImapTestClient}: a small IMAP client built on Angus Mail's
 *       protocol layer (not on MailFerry's connector) that loads messages fast (LITERAL+,
 *       MULTIAPPEND) and reports refusals with the server's words, and prepares and reads single
 *       messages as a mail client would (UID of an append, bytes/flags/INTERNALDATE read back,
 *       flag changes, expunge, {@code \Noselect} and special-use folders) for connector contract
 *       tests.</li>
 *   <li>{@link io.mailferry.testing.MailboxSnapshot}: SHA-256, flags and INTERNALDATE of every
 *       message per folder, and {@link io.mailferry.testing.SnapshotComparison} of a target with
 *       its source.</li>
 * </ul>
 *
 * <pre>{@code
 * DovecotServer.assumeInstalled();
 * try (DovecotServer dovecot = DovecotServer.builder().user("src", "pw").user("dst", "pw").build().start()) {
 *     try (ImapTestClient src = dovecot.login("src")) {
 *         src.loadUser(Corpus.shared().orElseGet(Corpus::bundled).enronUser("badeer-r").orElseThrow());
 *     }
 *     // ... migrate src to dst with MailFerry ...
 *     try (ImapTestClient src = dovecot.login("src"); ImapTestClient dst = dovecot.login("dst")) {
 *         SnapshotComparison c = MailboxSnapshot.compare(src.snapshot(), dst.snapshot());
 *         assertThat(c.isIdentical()).as(c.toString()).isTrue();
 *     }
 * }
 * }</pre>
 *
 * <p>Nothing here is needed at run time by MailFerry itself.
 */
package io.mailferry.testing;
