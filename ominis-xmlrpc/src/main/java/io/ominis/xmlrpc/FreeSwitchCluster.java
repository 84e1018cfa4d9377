package io.ominis.xmlrpc;

import io.ominis.core.NotFoundException;
import io.ominis.xmlrpc.internal.Arguments;
import io.ominis.xmlrpc.internal.HealthTracker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * All FreeSWITCH nodes of the cluster: a client and health per node, and commands that must reach every node
 * ({@code reloadacl}, {@code xml_flush_cache}, {@code queue reload}). Those run on all nodes in parallel and return
 * within the fan-out timeout with one result per node, so a node that is down or hangs costs only its own result.
 * Owns its threads and connections; {@link #close()} releases them.
 */
public final class FreeSwitchCluster implements AutoCloseable {

    private final Map<String, FreeSwitchClient> clients = new LinkedHashMap<>();
    private final Map<String, HealthTracker> health = new LinkedHashMap<>();
    private final List<FreeSwitchNode> nodes;
    private final Duration fanOutTimeout;
    private final OkHttpClient http;
    private final ExecutorService executor;

    private FreeSwitchCluster(Builder b) {
        this.nodes = List.copyOf(b.nodes);
        this.fanOutTimeout = b.fanOutTimeout;
        this.http = new OkHttpClient();
        for (FreeSwitchNode node : nodes) {
            HealthTracker tracker = new HealthTracker(node.name(), b.clock);
            FreeSwitchClient.Builder client = FreeSwitchClient.builder()
                    .name(node.name())
                    .baseUrl(node.baseUrl())
                    .user(node.user())
                    .password(node.password())
                    .httpClient(http)
                    .listener(tracker);
            b.clientOptions.accept(client);
            clients.put(node.name(), client.build());
            health.put(node.name(), tracker);
        }
        AtomicInteger counter = new AtomicInteger();
        // A cached pool: a hung node keeps one thread busy only until its client's call timeout, never a queue.
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "ominis-xmlrpc-fanout-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A builder; at least one node is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The nodes, in configuration order. */
    public List<FreeSwitchNode> nodes() {
        return nodes;
    }

    /** The client of the node called {@code name}. */
    public FreeSwitchClient client(String name) {
        FreeSwitchClient client = clients.get(name);
        if (client == null) {
            throw new NotFoundException("freeswitch node", name);
        }
        return client;
    }

    /** Typed core commands for one node. */
    public FreeSwitchCommands commands(String name) {
        return new FreeSwitchCommands(client(name));
    }

    /** Typed {@code callcenter_config} commands for one node. */
    public CallCenterCommands callCenter(String name) {
        return new CallCenterCommands(client(name));
    }

    /** A snapshot of every node's health, in configuration order. */
    public List<NodeHealth> health() {
        return health.values().stream().map(HealthTracker::snapshot).toList();
    }

    /** {@code reloadacl} on every node. */
    public List<NodeResult<Void>> reloadAcl() {
        return onEveryNode("reloadacl", client -> {
            new FreeSwitchCommands(client).reloadAcl();
            return null;
        });
    }

    /** {@code xml_flush_cache id <user> <domain>} on every node; each result is that node's cleared-entry count. */
    public List<NodeResult<Integer>> xmlFlushCache(String user, String domain) {
        Arguments.word("user", user);
        Arguments.word("domain", domain);
        return onEveryNode("xml_flush_cache", client -> new FreeSwitchCommands(client).xmlFlushCache(user, domain));
    }

    /** {@code callcenter_config queue reload <queue>} on every node. */
    public List<NodeResult<Void>> queueReload(String queue) {
        return queueCommand(QueueCommand.RELOAD, queue, List.of());
    }

    /**
     * {@code callcenter_config queue <load|reload|unload> <queue>} on the named nodes (every node when
     * {@code nodeNames} is empty), in parallel, within the fan-out timeout; one result per node, in configuration
     * order.
     *
     * @throws IllegalArgumentException when a name is not a configured node
     */
    public List<NodeResult<Void>> queueCommand(QueueCommand command, String queue, Collection<String> nodeNames) {
        Objects.requireNonNull(command, "command");
        Arguments.word("queue", queue);
        return onNodes(nodeNames, "callcenter_config", client -> {
            command.apply(new CallCenterCommands(client), queue);
            return null;
        });
    }

    /**
     * Runs {@code action} against every node in parallel and waits at most the fan-out timeout for all of them.
     * A node that has not finished by then is reported as a retryable {@link XmlRpcTransportException}.
     *
     * @param command named in the timeout error, e.g. {@code reloadacl}
     */
    public <T> List<NodeResult<T>> onEveryNode(String command, Function<FreeSwitchClient, T> action) {
        return onNodes(List.of(), command, action);
    }

    /**
     * {@link #onEveryNode} restricted to the nodes named in {@code nodeNames} (every node when it is empty), in
     * configuration order.
     *
     * @throws IllegalArgumentException when a name is not a configured node
     */
    public <T> List<NodeResult<T>> onNodes(Collection<String> nodeNames, String command,
            Function<FreeSwitchClient, T> action) {
        Objects.requireNonNull(action, "action");
        for (String name : nodeNames) {
            if (!clients.containsKey(name)) {
                throw new IllegalArgumentException("no FreeSWITCH node named " + name);
            }
        }
        List<FreeSwitchClient> targets = clients.values().stream()
                .filter(c -> nodeNames.isEmpty() || nodeNames.contains(c.name())).toList();
        long deadline = System.nanoTime() + fanOutTimeout.toNanos();
        List<Future<T>> futures = new ArrayList<>();
        for (FreeSwitchClient client : targets) {
            futures.add(executor.submit(() -> action.apply(client)));
        }
        List<NodeResult<T>> results = new ArrayList<>(futures.size());
        int i = 0;
        for (FreeSwitchClient client : targets) {
            results.add(await(command, client, futures.get(i++), deadline));
        }
        return List.copyOf(results);
    }

    private <T> NodeResult<T> await(String command, FreeSwitchClient client, Future<T> future, long deadline) {
        try {
            return NodeResult.ok(client.name(), future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return lost(client, command, "no result within the fan-out timeout of " + fanOutTimeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return lost(client, command, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FreeSwitchException failure) {
                return NodeResult.failed(client.name(), failure);
            }
            if (e.getCause() instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static <T> NodeResult<T> lost(FreeSwitchClient client, String command, String what, Throwable cause) {
        return NodeResult.failed(client.name(),
                new XmlRpcTransportException(client.name() + " (" + client.url() + ")", command, what, true, cause));
    }

    /** Stops the fan-out threads and closes pooled connections; calls still running finish on their own timeouts. */
    @Override
    public void close() {
        executor.shutdownNow();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "FreeSwitchCluster" + nodes;
    }

    /** Collects the settings of a {@link FreeSwitchCluster}. */
    public static final class Builder {
        private List<FreeSwitchNode> nodes = List.of();
        private Duration fanOutTimeout = Duration.ofSeconds(5);
        private Consumer<FreeSwitchClient.Builder> clientOptions = b -> { };
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The nodes; names must be unique. */
        public Builder nodes(List<FreeSwitchNode> nodes) {
            Objects.requireNonNull(nodes, "nodes");
            if (nodes.stream().map(FreeSwitchNode::name).distinct().count() != nodes.size()) {
                throw new IllegalArgumentException("node names must be unique");
            }
            this.nodes = List.copyOf(nodes);
            return this;
        }

        /** The nodes from an {@code OMINIS_FREESWITCH_NODES} value; see {@link FreeSwitchNode#parseAll(String)}. */
        public Builder nodes(String setting) {
            return nodes(FreeSwitchNode.parseAll(setting));
        }

        /** How long a cluster-wide command waits for the slowest node; default 5 s, at least 50 ms. */
        public Builder fanOutTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "fanOutTimeout");
            if (timeout.toMillis() < 50) {
                throw new IllegalArgumentException("fanOutTimeout must be at least 50 ms, got " + timeout.toMillis() + " ms");
            }
            this.fanOutTimeout = timeout;
            return this;
        }

        /** Applied to every node's client builder, e.g. to set timeouts, retries or the reply limit. */
        public Builder clientOptions(Consumer<FreeSwitchClient.Builder> options) {
            this.clientOptions = Objects.requireNonNull(options, "clientOptions");
            return this;
        }

        /** The clock that stamps health; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the cluster; fails if no node is configured. */
        public FreeSwitchCluster build() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("at least one FreeSWITCH node is required");
            }
            return new FreeSwitchCluster(this);
        }
    }
}
