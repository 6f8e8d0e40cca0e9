/**
 * The public API of MailFerry, in the terms of the Exchange migration service.
 *
 * <p>A host builds one {@link io.mailferry.core.MigrationService}, describes the remote systems as
 * {@link io.mailferry.core.MigrationEndpoint}s, creates a {@link io.mailferry.core.MigrationBatch} from
 * a list of {@link io.mailferry.core.MigrationUserEntry users} (usually read from a CSV file), starts
 * it and watches its {@link io.mailferry.core.BatchStatus status}, its
 * {@link io.mailferry.core.MigrationBatchStatistics statistics} and the per-user
 * {@link io.mailferry.core.MigrationUser} snapshots, or subscribes a
 * {@link io.mailferry.core.MigrationListener}.
 *
 * <pre>{@code
 * MigrationService service = MigrationService.builder().build();
 * MigrationEndpoint source = MigrationEndpoint.imap("old-host")
 *         .host("imap.old.example").security(Security.SSL).build();
 * MigrationEndpoint target = MigrationEndpoint.imap("new-host")
 *         .host("imap.new.example").security(Security.SSL)
 *         .adminCredentials(new Credentials("admin", adminPassword)).build();
 * MigrationBatch batch = service.newBatch("wave-1")
 *         .sourceEndpoint(source).targetEndpoint(target)
 *         .users(users)
 *         .create();
 * batch.start();
 * batch.awaitStatus(Duration.ofHours(4), BatchStatus::isSettled);
 * }</pre>
 *
 * <p>The lifecycle is Exchange's: {@link io.mailferry.core.BatchStatus} and
 * {@link io.mailferry.core.MigrationUserStatus} hold, as tables, the commands each status allows
 * ({@link io.mailferry.core.BatchCommand}, {@link io.mailferry.core.UserCommand}) and the statuses
 * that may follow; a command given in the wrong status throws
 * {@link io.mailferry.core.IllegalBatchCommandException} or
 * {@link io.mailferry.core.IllegalUserCommandException}. Options
 * ({@link io.mailferry.core.BatchOptions}, {@link io.mailferry.core.UserOverrides}) and every
 * status are persisted by the service's {@link io.mailferry.core.store.MigrationStore}; all timed
 * work runs on the service's clock and {@link io.mailferry.core.MigrationScheduler} (a
 * {@link io.mailferry.core.ManualScheduler} in tests).
 *
 * <p>Everything in this package is thread-safe unless a class says otherwise. Secrets (passwords,
 * tokens) never appear in {@code toString()}, events, exceptions or logs.
 */
package io.mailferry.core;
