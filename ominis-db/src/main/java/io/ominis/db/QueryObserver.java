package io.ominis.db;

import java.time.Duration;

/**
 * Told about every query a DAO runs, with the DAO method's name ({@code ExtensionDao.find}) and how long it took: the
 * hook for query-performance metrics, with no metrics library in the data layer itself.
 */
@FunctionalInterface
public interface QueryObserver {

    /**
     * @param name      {@code <Dao>.<method>} that ran the query
     * @param elapsed   time from execution to completion
     * @param succeeded false when the statement failed
     */
    void executed(String name, Duration elapsed, boolean succeeded);

    /** Observes nothing. */
    QueryObserver NONE = (name, elapsed, succeeded) -> { };
}
