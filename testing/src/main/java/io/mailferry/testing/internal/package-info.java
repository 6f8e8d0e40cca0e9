/**
 * Implementation of {@code io.mailferry.testing}: manifest parsing, class-path and directory access
 * to the corpus, line-ending and date helpers, the Dovecot configuration generator and the raw
 * IMAP connection. Not public API: may change without notice.
 */
package io.mailferry.testing.internal;
