package io.ominis.xmlrpc;

import java.util.List;
import java.util.function.Supplier;

/**
 * Lets several server replicas share their {@code reloadacl}s, so that a burst of ACL changes made through any of
 * them reloads each node once for the whole cluster instead of once per replica. A request takes a {@link #ticket()}
 * after its change is committed; a reload covers every request whose ticket was taken before the reload started, and
 * {@link #covering} runs the reload only when no reload started since covers it (another replica's included), else
 * answers with that reload's results. Implementations coordinate through the shared database.
 */
public interface ReloadCoordination {

    /** A position in the cluster-wide order of requests, taken after the change it asks to carry. */
    long ticket();

    /**
     * The results of a reload that started after {@code ticket} was taken: {@code reload}'s, run now, or those of a
     * reload another replica started later than the ticket.
     */
    List<NodeResult<Void>> covering(long ticket, Supplier<List<NodeResult<Void>>> reload);

    /** No sharing: every reload runs (one replica, or no shared database). */
    ReloadCoordination LOCAL = new ReloadCoordination() {
        @Override
        public long ticket() {
            return 0;
        }

        @Override
        public List<NodeResult<Void>> covering(long ticket, Supplier<List<NodeResult<Void>>> reload) {
            return reload.get();
        }
    };
}
