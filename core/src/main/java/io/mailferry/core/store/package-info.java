/**
 * Persisted migration state: the {@link io.mailferry.core.store.MigrationStore} SPI and its
 * in-memory implementation; the durable one, on H2 or PostgreSQL, is
 * {@link io.mailferry.core.store.jdbc.JdbcMigrationStore}.
 *
 * <p>The store holds endpoints, batches, users with their statistics, skipped items and, per user
 * and source folder, a {@link io.mailferry.core.store.FolderSyncState}: the checkpoint that makes
 * passes idempotent and resumable. The engine records progress as
 * {@link io.mailferry.core.store.FolderCheckpoint}s, which carry only the UID pairs added since the
 * last one, and records each append as an {@link io.mailferry.core.store.InFlightAppend} before it
 * is sent, so that after a crash only that append is uncertain.
 *
 * <p>Nothing in the store is secret in clear text: passwords stay with the host (or the
 * {@link io.mailferry.core.MigrationService} that was given them); a host that wants them kept
 * across restarts provides a {@link io.mailferry.core.store.SecretStore}, e.g. the
 * {@link io.mailferry.core.store.EncryptingSecretStore}, which seals them with AES-GCM under the
 * host's key.
 */
package io.mailferry.core.store;
