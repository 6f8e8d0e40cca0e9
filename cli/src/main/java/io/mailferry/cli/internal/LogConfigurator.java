package io.mailferry.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The CLI's logging, set up in code: warnings and errors to standard error
 * ({@code HH:mm:ss.SSS LEVEL logger - message}); {@code -Dmailferry.log.level=INFO} (or
 * {@code DEBUG}) shows more of MailFerry's own log. Found by logback through
 * {@code META-INF/services}; it replaces a {@code logback.xml} because reading XML costs a cold
 * JVM about 0.1–0.3 s of CPU (the XML parser and logback's configuration model), a third of a
 * no-op pass.
 *
 * <p>A configuration of one's own still wins: with {@code -Dlogback.configurationFile=…} (or a
 * {@code logback-test.xml} on the class path) this configurator steps aside and logback reads that
 * file as usual.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The layout of a log line. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n";

    /** Called by logback's {@link java.util.ServiceLoader}. */
    public LogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("io.mailferry").setLevel(Level.toLevel(System.getProperty("mailferry.log.level"), Level.WARN));
        context.getLogger("com.icegreen.greenmail").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
