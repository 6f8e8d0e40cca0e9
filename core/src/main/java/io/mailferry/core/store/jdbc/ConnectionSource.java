package io.mailferry.core.store.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the store's connections come from: a host's {@link DataSource} (a connection per call), or
 * one connection opened from a JDBC URL and shared under a lock.
 */
abstract class ConnectionSource implements AutoCloseable {

    /**
     * Runs work with a connection.
     *
     * @param work the work
     * @param <T>  its result
     * @return the result
     * @throws SQLException if connecting or the work fails
     */
    abstract <T> T with(SqlWork<T> work) throws SQLException;

    /** Releases what this source opened; never the host's data source. */
    @Override
    public abstract void close();

    static ConnectionSource of(DataSource dataSource) {
        return new Pooled(dataSource);
    }

    static ConnectionSource single(String url, String user, String password) {
        return new Single(url, user, password);
    }

    /** The scheme of a JDBC URL, e.g. {@code jdbc:h2:}, safe to show (no host, no parameters). */
    static String scheme(String url) {
        int first = url.indexOf(':');
        int second = first < 0 ? -1 : url.indexOf(':', first + 1);
        return second < 0 ? "(not a JDBC URL)" : url.substring(0, second + 1);
    }

    /** A connection per call from the host's data source (normally a pool). */
    private static final class Pooled extends ConnectionSource {
        private final DataSource dataSource;

        Pooled(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        @Override
        <T> T with(SqlWork<T> work) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        }

        @Override
        public void close() {
            // The data source is the host's.
        }
    }

    /**
     * One connection, opened on first use and again after a connection failure, used by one
     * thread at a time.
     */
    private static final class Single extends ConnectionSource {
        private final String url;
        private final Properties properties = new Properties();
        private final ReentrantLock lock = new ReentrantLock();
        private Connection connection;
        private boolean closed;

        Single(String url, String user, String password) {
            this.url = Objects.requireNonNull(url, "url");
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
        }

        @Override
        <T> T with(SqlWork<T> work) throws SQLException {
            lock.lock();
            try {
                if (closed) {
                    throw new SQLException("the store is closed", "08003");
                }
                if (connection == null || connection.isClosed()) {
                    connection = connect();
                }
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                        discard();
                    }
                    throw e;
                }
            } finally {
                lock.unlock();
            }
        }

        private Connection connect() throws SQLException {
            Driver driver;
            try {
                driver = DriverManager.getDriver(url);
            } catch (SQLException e) {
                // DriverManager's message repeats the whole URL, which may carry a password.
                throw new SQLException("no JDBC driver on the class path accepts " + scheme(url)
                        + " URLs (for H2 add com.h2database:h2, for PostgreSQL org.postgresql:postgresql)", "08001");
            }
            Connection c = driver.connect(url, properties);
            if (c == null) {
                throw new SQLException("the JDBC driver refused the URL " + scheme(url) + "…", "08001");
            }
            return c;
        }

        private void discard() {
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Already broken.
                }
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                discard();
            } finally {
                lock.unlock();
            }
        }
    }
}
