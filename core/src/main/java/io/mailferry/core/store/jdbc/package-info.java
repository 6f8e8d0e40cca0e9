/**
 * The durable {@link io.mailferry.core.store.MigrationStore}:
 * {@link io.mailferry.core.store.jdbc.JdbcMigrationStore} on H2 (embedded file database, the CLI's
 * default) or PostgreSQL (production).
 *
 * <p>Start with {@link io.mailferry.core.store.jdbc.JdbcMigrationStore#h2File(java.nio.file.Path)}
 * or {@link io.mailferry.core.store.jdbc.JdbcMigrationStore#create(javax.sql.DataSource)}. The
 * schema scripts are resources of this package: {@code h2/V<n>__<description>.sql} and
 * {@code postgresql/V<n>__<description>.sql}; the store applies them itself unless told not to,
 * and a DBA can run them by hand (see {@link io.mailferry.core.store.jdbc.JdbcMigrationStore}).
 * Only {@code java.sql} and {@code javax.sql} are used: the JDBC driver is the host's dependency.
 */
package io.mailferry.core.store.jdbc;
