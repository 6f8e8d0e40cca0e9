package io.mailferry.core.store.jdbc;

import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.MigrationStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on PostgreSQL, a new database per test, reached through a pooled
 * {@link javax.sql.DataSource}; reopening builds a new store on the same database.
 */
@ExtendWith(PostgresTestServer.Extension.class)
class PostgresMigrationStoreTest extends MigrationStoreContract {
    private static PostgresTestServer server;
    private SimpleConnectionPool dataSource;

    @BeforeAll
    static void server(PostgresTestServer pg) {
        server = pg;
    }

    @Override
    protected MigrationStore createStore() {
        dataSource = server.pooledDataSource(server.createDatabase());
        return JdbcMigrationStore.create(dataSource);
    }

    @AfterEach
    void closePool() {
        dataSource.close();
    }

    @Override
    protected MigrationStore reopen(MigrationStore current) {
        current.close();
        return JdbcMigrationStore.create(dataSource);
    }
}
