package io.mailferry.core.store.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without PostgreSQL, its tests are skipped, or fail when CI requires them. */
class PostgresTestServerTest {
    private String bin;
    private String require;

    @BeforeEach
    void pretendPostgresIsMissing() {
        bin = System.getProperty(PostgresTestServer.BIN_PROPERTY);
        require = System.getProperty(PostgresTestServer.REQUIRE_PROPERTY);
        System.setProperty(PostgresTestServer.BIN_PROPERTY, "/nonexistent/postgresql/bin");
    }

    @AfterEach
    void restore() {
        restore(PostgresTestServer.BIN_PROPERTY, bin);
        restore(PostgresTestServer.REQUIRE_PROPERTY, require);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void missingPostgresShouldSkip() {
        System.clearProperty(PostgresTestServer.REQUIRE_PROPERTY);
        assertThatThrownBy(() -> new PostgresTestServer.Extension().beforeAll(null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("initdb");
    }

    @Test
    void missingPostgresShouldFailWhenRequired() {
        System.setProperty(PostgresTestServer.REQUIRE_PROPERTY, "true");
        assertThatThrownBy(() -> new PostgresTestServer.Extension().beforeAll(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mailferry.requirePostgres=true")
                .hasMessageContaining("apt-get install postgresql");
        assertThatThrownBy(PostgresTestServer::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not found");
    }
}
