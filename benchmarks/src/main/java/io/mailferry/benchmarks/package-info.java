/**
 * Benchmark hooks: MailFerry through its library API for the IMAP benchmark harness
 * ({@code shared/bench}). Not a library; see {@code benchmarks/README.md}.
 */
package io.mailferry.benchmarks;
