/**
 * Persisted migration state: the {@link io.mailferry.core.store.MigrationStore} SPI and its
 * in-memory implementation; the durable one, on H2 or PostgreSQL, is
 * {@link io.mailferry.core.store.jdbc.JdbcMigrationStore}.
 *
 * <p>The store holds endpoints, batches, users with their statistics, skipped items and, per user
 * and source folder, a {@link io.mailferry.core.store.FolderSyncState}: the checkpoint that makes
 * passes idempotent and resumable. Nothing in the store is secret: passwords stay with the host
 * (or the {@link io.mailferry.core.MigrationService} that was given them) and never reach it.
 */
package io.mailferry.core.store;
