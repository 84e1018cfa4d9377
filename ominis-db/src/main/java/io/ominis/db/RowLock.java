package io.ominis.db;

import io.ominis.core.NotFoundException;
import io.ominis.db.internal.SqlErrors;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-modify-write of one row in one transaction that holds the row's lock ({@code SELECT … FOR UPDATE}) from the
 * read to the commit, so that concurrent partial updates of the same row queue up instead of overwriting each other's
 * fields. Every DAO's {@code modify} goes through here.
 */
final class RowLock {

    /** Stores the changed row, inside the locking transaction. */
    @FunctionalInterface
    interface Store<T> {
        /**
         * @param current the row as it was read under the lock
         * @param changed what {@code change} made of it
         * @return the row as stored
         */
        T store(Handle h, T current, T changed);
    }

    private RowLock() {
    }

    /**
     * Locks and reads the row with {@code lock}, applies {@code change} and stores the result with {@code store}, all
     * in one transaction.
     *
     * @param lock    reads the row {@code FOR UPDATE}; empty when there is none
     * @param missing the exception thrown when {@code lock} finds nothing
     */
    static <T> T modify(Jdbi jdbi, Function<Handle, Optional<T>> lock, Supplier<NotFoundException> missing,
            UnaryOperator<T> change, Store<T> store) {
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            T current = lock.apply(h).orElseThrow(missing);
            return store.store(h, current, change.apply(current));
        }));
    }
}
