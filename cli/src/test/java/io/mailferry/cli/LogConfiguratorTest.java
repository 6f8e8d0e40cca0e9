package io.mailferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.mailferry.cli.internal.LogConfigurator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's logging comes from {@link LogConfigurator} (no XML): warnings to standard error. */
class LogConfiguratorTest {

    @Test
    void logbackIsConfiguredInCodeWithWarningsToStandardError() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<?> appender = root.getAppender("STDERR");
        assertThat(appender).isInstanceOf(ConsoleAppender.class);
        assertThat(((ConsoleAppender<?>) appender).getTarget()).isEqualTo("System.err");
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.mailferry").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.icegreen.greenmail").getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void theLevelOfMailFerrysLogIsASystemProperty() {
        String before = System.getProperty("mailferry.log.level");
        System.setProperty("mailferry.log.level", "DEBUG");
        try {
            LoggerContext context = new LoggerContext();
            LogConfigurator c = new LogConfigurator();
            c.setContext(context);
            assertThat(c.configure(context)).isEqualTo(LogConfigurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger("io.mailferry").getLevel()).isEqualTo(Level.DEBUG);
        } finally {
            if (before == null) {
                System.clearProperty("mailferry.log.level");
            } else {
                System.setProperty("mailferry.log.level", before);
            }
        }
    }

    @Test
    void anOwnConfigurationFileWins() {
        System.setProperty("logback.configurationFile", "own.xml");
        try {
            LoggerContext context = new LoggerContext();
            LogConfigurator c = new LogConfigurator();
            c.setContext(context);
            assertThat(c.configure(context)).isEqualTo(LogConfigurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}
