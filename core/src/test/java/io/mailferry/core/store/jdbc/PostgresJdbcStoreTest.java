package io.mailferry.core.store.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link JdbcStoreBehaviour} on PostgreSQL, a new database per test, through a pool. */
@ExtendWith(PostgresTestServer.Extension.class)
class PostgresJdbcStoreTest extends JdbcStoreBehaviour {
    private static PostgresTestServer server;
    private final List<SimpleConnectionPool> pools = new ArrayList<>();

    @BeforeAll
    static void server(PostgresTestServer pg) {
        server = pg;
    }

    @AfterEach
    void closePools() {
        pools.forEach(SimpleConnectionPool::close);
    }

    @Override
    DataSource newDatabase() {
        SimpleConnectionPool pool = server.pooledDataSource(server.createDatabase());
        pools.add(pool);
        return pool;
    }

    @Override
    String[] urlAndUser(DataSource database) {
        PGSimpleDataSource pg = unwrap(database);
        return new String[] {server.jdbcUrl(pg.getDatabaseName()), pg.getUser()};
    }

    @Override
    String password(DataSource database) {
        return server.password();
    }

    private static PGSimpleDataSource unwrap(DataSource database) {
        try {
            return database.unwrap(PGSimpleDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    boolean transactionalDdl() {
        return true;
    }

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.POSTGRESQL;
    }
}
