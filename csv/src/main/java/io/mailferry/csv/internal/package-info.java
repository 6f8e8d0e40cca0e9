/**
 * Implementation of {@code io.mailferry.csv}: decoding, parsing and checking migration CSVs, the SMTP
 * address check, and the report printer. Not public API: it may change in any release.
 */
package io.mailferry.csv.internal;
