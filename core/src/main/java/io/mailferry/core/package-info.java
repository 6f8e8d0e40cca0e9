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
 * <p>Everything in this package is thread-safe unless a class says otherwise. Secrets (passwords,
 * tokens) never appear in {@code toString()}, events, exceptions or logs.
 */
package io.mailferry.core;
