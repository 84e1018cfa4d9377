package io.ominis.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of the process while open, to assert on levels and stack traces. */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Starts capturing. */
    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** The events so far. */
    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** Events logged with a stack trace or at ERROR, as lines for an assertion message. */
    public List<String> tracesAndErrors() {
        return events().stream()
                .filter(e -> e.getThrowableProxy() != null || e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getClassName()))
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
