package io.mailferry.core.store.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.logging.Logger;

/**
 * A minimal connection pool for tests: keeps the connections its users close and hands them out
 * again (rolled back, auto-commit on), so that a test does not pay for a new database connection
 * per call as a host with a real pool would not. {@link #close()} closes them all.
 */
public final class SimpleConnectionPool implements DataSource, AutoCloseable {
    private final DataSource physical;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** @param physical where new connections come from */
    public SimpleConnectionPool(DataSource physical) {
        this.physical = physical;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("pool closed", "08003");
        }
        Connection c = idle.pollFirst();
        return lend(c != null ? c : physical.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's user is fixed");
    }

    private Connection lend(Connection c) {
        boolean[] returned = {false};
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!returned[0]) {
                                returned[0] = true;
                                giveBack(c);
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return returned[0] || c.isClosed();
                        }
                        default -> {
                            if (returned[0]) {
                                throw new SQLException("connection returned to the pool", "08003");
                            }
                            try {
                                return method.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    private void giveBack(Connection c) {
        try {
            if (!closed && !c.isClosed()) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                idle.offerFirst(c);
                if (closed && idle.remove(c)) {
                    c.close();
                }
                return;
            }
            c.close();
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Broken: dropped.
            }
        }
    }

    /** Closes the idle connections; connections still lent are closed when given back. */
    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Best effort.
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return physical.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        physical.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        physical.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return physical.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return physical.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical.isWrapperFor(iface);
    }
}
