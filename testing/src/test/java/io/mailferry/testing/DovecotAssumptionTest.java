package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What {@link DovecotServer#assumeInstalled()} does when Dovecot is missing (simulated by a bad path). */
class DovecotAssumptionTest {

    private String binary;
    private String require;

    @BeforeEach
    void save() {
        binary = System.getProperty(DovecotServer.BINARY_PROPERTY);
        require = System.getProperty(DovecotServer.REQUIRE_PROPERTY);
        System.setProperty(DovecotServer.BINARY_PROPERTY, "/nonexistent/dovecot");
    }

    @AfterEach
    void restore() {
        set(DovecotServer.BINARY_PROPERTY, binary);
        set(DovecotServer.REQUIRE_PROPERTY, require);
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void missingDovecotSkipsTheTest() {
        System.clearProperty(DovecotServer.REQUIRE_PROPERTY);
        assertThat(DovecotServer.isInstalled()).isFalse();
        assertThatThrownBy(DovecotServer::assumeInstalled).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Dovecot is not installed").hasMessageContaining("skipping");
    }

    @Test
    void missingDovecotFailsTheTestWhenRequired() {
        System.setProperty(DovecotServer.REQUIRE_PROPERTY, "true");
        assertThatThrownBy(DovecotServer::assumeInstalled).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("Dovecot is not installed")
                .hasMessageContaining("-Dmailferry.requireDovecot=true requires it");
    }

    @Test
    void startWithoutDovecotIsAClearError() {
        assertThatThrownBy(() -> DovecotServer.builder().user("u", "p").build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not installed");
    }
}
