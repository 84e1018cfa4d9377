package io.ominis.db.internal;

import io.ominis.db.QueryObserver;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A Jdbi {@link SqlLogger} that reports each statement's time to a {@link QueryObserver}, named after the DAO method
 * that ran it. The name is found by walking the stack, so DAOs need no per-query bookkeeping; SQL text never becomes a
 * metric label.
 */
public final class TimedQueries implements SqlLogger {

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final QueryObserver observer;

    public TimedQueries(QueryObserver observer) {
        this.observer = observer;
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        observer.executed(caller(), elapsed(context), true);
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        observer.executed(caller(), elapsed(context), false);
    }

    private static Duration elapsed(StatementContext context) {
        return Duration.ofNanos(Math.max(0, context.getElapsedTime(ChronoUnit.NANOS)));
    }

    /** {@code ExtensionDao.find} for a query run from a lambda inside {@code ExtensionDao.find}. */
    static String caller() {
        Optional<String> name = WALKER.walk(frames -> frames
                .filter(f -> f.getClassName().startsWith("io.ominis.db.")
                        && !f.getClassName().startsWith("io.ominis.db.internal."))
                .findFirst()
                .map(f -> {
                    String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
                    int nested = cls.indexOf('$');
                    if (nested >= 0) {
                        cls = cls.substring(0, nested);
                    }
                    String method = f.getMethodName();
                    if (method.startsWith("lambda$")) {
                        method = method.substring("lambda$".length());
                        int end = method.indexOf('$');
                        method = end < 0 ? method : method.substring(0, end);
                    }
                    return cls + "." + method;
                }));
        return name.orElse("other");
    }
}
