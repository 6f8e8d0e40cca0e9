package io.mailferry.core.store.jdbc;

import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.MigrationStoreContract;
import org.h2.jdbcx.JdbcDataSource;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store contract on an in-memory H2 database reached through a {@link javax.sql.DataSource}
 * (a connection per call); reopening builds a new store on the same database.
 */
class H2MemoryMigrationStoreTest extends MigrationStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcDataSource dataSource;

    static JdbcDataSource h2Memory() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:contract" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    @Override
    protected MigrationStore createStore() {
        dataSource = h2Memory();
        return JdbcMigrationStore.create(dataSource);
    }

    @Override
    protected MigrationStore reopen(MigrationStore current) {
        current.close();
        return JdbcMigrationStore.create(dataSource);
    }
}
