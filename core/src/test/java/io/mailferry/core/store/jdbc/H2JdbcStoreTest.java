package io.mailferry.core.store.jdbc;

import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;

/** {@link JdbcStoreBehaviour} on in-memory H2 databases. */
class H2JdbcStoreTest extends JdbcStoreBehaviour {

    @Override
    DataSource newDatabase() {
        return H2MemoryMigrationStoreTest.h2Memory();
    }

    @Override
    String[] urlAndUser(DataSource database) {
        JdbcDataSource h2 = unwrap(database);
        return new String[] {h2.getURL(), h2.getUser()};
    }

    @Override
    String password(DataSource database) {
        return unwrap(database).getPassword();
    }

    private static JdbcDataSource unwrap(DataSource database) {
        try {
            return database.unwrap(JdbcDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    boolean transactionalDdl() {
        return false;
    }

    @Override
    JdbcDialect dialect() {
        return JdbcDialect.H2;
    }
}
