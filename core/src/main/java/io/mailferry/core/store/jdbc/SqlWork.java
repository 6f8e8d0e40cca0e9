package io.mailferry.core.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with a connection.
 *
 * @param <T> its result
 */
@FunctionalInterface
interface SqlWork<T> {
    /**
     * @param connection the connection, in a transaction when called by the store
     * @return the result
     * @throws SQLException if the database fails
     */
    T run(Connection connection) throws SQLException;
}
