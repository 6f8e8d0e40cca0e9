/**
 * The {@code mailferry} command-line tool: {@code migrate} runs a migration batch from a CSV file
 * between two IMAP servers with durable state, and {@code demo} runs the same code path on bundled
 * real mail between two embedded servers. See {@link io.mailferry.cli.MailFerryCli}.
 */
package io.mailferry.cli;
