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

    /**
     * Names by SQL text: each DAO statement is a constant, so the stack is walked once per statement, not once per
     * execution (a walk costs microseconds, on the directory's uncached path too). A statement two DAO methods share
     * is reported under the first that ran it.
     */
    private final java.util.concurrent.ConcurrentMap<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void logAfterExecution(StatementContext context) {
        observer.executed(nameOf(context), elapsed(context), true);
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        observer.executed(nameOf(context), elapsed(context), false);
    }

    private String nameOf(StatementContext context) {
        String sql = context.getRawSql();
        if (sql == null) {
            return caller();
        }
        String name = names.get(sql);
        if (name == null) {
            name = caller();
            // ad-hoc SQL through Database.jdbi() could vary without end; remember only a bounded number of statements
            if (names.size() < 10_000) {
                names.putIfAbsent(sql, name);
            }
        }
        return name;
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
