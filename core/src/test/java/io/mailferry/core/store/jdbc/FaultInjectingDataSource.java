package io.mailferry.core.store.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A data source that makes statements fail on purpose: the next {@code failures} executions of a
 * prepared statement whose SQL starts with a prefix throw an {@link SQLException} with a chosen
 * SQLState, after the statements before it in the same transaction have run.
 */
final class FaultInjectingDataSource implements DataSource {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeUpdate", "executeBatch", "executeQuery",
            "executeLargeUpdate", "executeLargeBatch");

    private final DataSource delegate;
    private volatile String sqlPrefix = "";
    private volatile String sqlState = "XX000";
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    FaultInjectingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /**
     * Arms the data source.
     *
     * @param prefix   the beginning of the SQL of the statements to fail
     * @param state    the SQLState of the injected failure
     * @param count    how many executions fail
     */
    void failNext(String prefix, String state, int count) {
        this.sqlPrefix = prefix;
        this.sqlState = state;
        this.failures.set(count);
    }

    /** Returns how many failures were injected so far. */
    int injected() {
        return injected.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(c, method, args);
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                return statement((PreparedStatement) result, sql);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private PreparedStatement statement(PreparedStatement ps, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (EXECUTIONS.contains(method.getName()) && sql.startsWith(sqlPrefix)
                    && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                injected.incrementAndGet();
                throw new SQLException("injected failure", sqlState);
            }
            return invoke(ps, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
