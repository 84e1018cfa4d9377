package io.ominis.xmlrpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the API asks of the FreeSWITCH nodes over XML-RPC when data changes. Routes depend on this, not on the XML-RPC
 * client, so that they work (and answer 503 for commands) when no node is configured.
 */
public interface SwitchControl {

    /**
     * The outcome of a command on one node.
     *
     * @param error FreeSWITCH's or the transport's error text; null on success
     */
    record NodeOutcome(String node, boolean ok, String reply, String error) {
    }

    /** Whether at least one FreeSWITCH node is configured. */
    boolean configured();

    /** Reloads ACLs on every node now, coalesced with other requests in flight; completes with each node's outcome. */
    CompletableFuture<List<NodeOutcome>> reloadAcl();

    /** Notes that ACL entries changed; a coalesced {@code reloadacl} follows shortly. Never blocks. */
    void aclChanged();

    /**
     * {@link #aclChanged()}, completing with each node's outcome of the coalesced {@code reloadacl} that carries the
     * change: what an ACL write reports. Empty when no node is configured.
     */
    default CompletableFuture<List<NodeOutcome>> aclChangedAndReloaded() {
        aclChanged();
        return CompletableFuture.completedFuture(List.of());
    }

    /** Notes that an extension changed; FreeSWITCH's own cache of that user is flushed if it caches users. Never blocks. */
    void extensionChanged(String number);

    /** Notes a domain FreeSWITCH asked the directory about, so a user can later be flushed in it. Never blocks. */
    default void directoryDomainSeen(String domain) {
    }

    /**
     * {@code callcenter_config} on the node that runs {@code queue}, or, for agent changes ({@code queue} null), on a
     * node that can write the shared agent rows.
     *
     * @throws io.ominis.core.UnavailableException when no node is configured
     */
    default io.ominis.xmlrpc.CallCenterCommands callCenter(String queue) {
        throw new io.ominis.core.UnavailableException("no FreeSWITCH node is configured (set OMINIS_FREESWITCH_NODES)");
    }

    /**
     * {@code callcenter_config} on {@code node}, or, when {@code node} is null, as {@link #callCenter(String)} picks it:
     * for a queue whose definition names the node that runs it.
     *
     * @throws io.ominis.core.UnavailableException when no node is configured
     */
    default io.ominis.xmlrpc.CallCenterCommands callCenterOn(String node, String queue) {
        return callCenter(queue);
    }

    /** The names of the configured nodes, in configuration order; empty without nodes. */
    default List<String> nodeNames() {
        return List.of();
    }

    /**
     * {@code callcenter_config queue <load|reload|unload> <queue>} on the node that runs the queue: {@code node} when
     * given, else its owner in {@code OMINIS_FREESWITCH_QUEUE_OWNERS}, else every node (each serves the queue in its
     * {@code callcenter.conf}). Bounded by the cluster's fan-out timeout; one outcome per node, empty when no node is
     * configured. Never throws for a node's failure: that is its outcome.
     */
    default List<NodeOutcome> queueCommand(io.ominis.xmlrpc.QueueCommand command, String queue, String node) {
        return List.of();
    }

    /** For deployments without FreeSWITCH nodes: nothing to tell, and commands are unavailable. */
    SwitchControl NONE = new SwitchControl() {
        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public CompletableFuture<List<NodeOutcome>> reloadAcl() {
            return CompletableFuture.failedFuture(new io.ominis.core.UnavailableException(
                    "no FreeSWITCH node is configured (set OMINIS_FREESWITCH_NODES)"));
        }

        @Override
        public void aclChanged() {
        }

        @Override
        public void extensionChanged(String number) {
        }
    };
}
