package io.ominis.core.switchstate;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The verdict on every known node at one instant: stale (unreachable longer than the configured time) or live, and
 * from it which {@code hostname}s and {@code instance_id}s stale-state repair may touch. The guard is the point: a
 * switchname or a {@code cc-instance-id} that a live (or spared) node shares is never stale, because FreeSWITCH's rows
 * would not tell the nodes apart.
 *
 * @param stale  the nodes whose rows are in scope: unreachable for longer than {@code after}
 * @param live   every other known node, those never answering but first tried within {@code after} included
 * @param spared stale nodes left out of this repair by the caller; guarded like live ones
 * @param at     the instant judged (the database's clock, so replicas agree)
 * @param after  the configured time
 */
public record NodeLiveness(List<NodeSighting> stale, List<NodeSighting> live, List<NodeSighting> spared, Instant at,
        Duration after) {

    public NodeLiveness {
        stale = List.copyOf(stale);
        live = List.copyOf(live);
        spared = List.copyOf(spared);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(after, "after");
    }

    /** Judges every sighting at {@code at}. */
    public static NodeLiveness judge(List<NodeSighting> sightings, Instant at, Duration after) {
        if (after == null || after.isNegative() || after.isZero()) {
            throw new InvalidValueException("after", "must be a positive duration, got " + after);
        }
        List<NodeSighting> stale = new ArrayList<>();
        List<NodeSighting> live = new ArrayList<>();
        for (NodeSighting s : sightings) {
            (s.staleAt(at, after) ? stale : live).add(s);
        }
        return new NodeLiveness(stale, live, List.of(), at, after);
    }

    /**
     * Keeps in scope only the stale nodes named in {@code nodes} (empty or null: all of them).
     *
     * @throws InvalidValueException a name no server has ever tried to reach
     * @throws ConflictException     a name of a live node: its rows are never repaired, whoever asks
     */
    public NodeLiveness restrictTo(Set<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            return this;
        }
        for (String name : nodes) {
            if (live.stream().anyMatch(s -> s.node().equals(name))) {
                throw new ConflictException("node '" + name + "' answered within the last " + after.toSeconds()
                        + " s; a live node's rows are never repaired");
            }
            if (Stream.concat(stale.stream(), spared.stream()).noneMatch(s -> s.node().equals(name))) {
                throw new InvalidValueException("nodes", "'" + name + "' is not a node any server has tried to reach");
            }
        }
        List<NodeSighting> kept = new ArrayList<>();
        List<NodeSighting> left = new ArrayList<>(spared);
        for (NodeSighting s : stale) {
            (nodes.contains(s.node()) ? kept : left).add(s);
        }
        return new NodeLiveness(kept, live, left, at, after);
    }

    /** The switchnames whose core rows belong to in-scope stale nodes only. */
    public List<String> staleSwitchnames() {
        Set<String> guarded = guardedSwitchnames();
        Set<String> out = new LinkedHashSet<>();
        for (NodeSighting s : stale) {
            if (s.switchname() != null && !guarded.contains(s.switchname())) {
                out.add(s.switchname());
            }
        }
        return List.copyOf(out);
    }

    /** The switchnames of live and spared nodes: rows there, and rows tied to them, are never touched. */
    public Set<String> guardedSwitchnames() {
        Set<String> out = new LinkedHashSet<>();
        Stream.concat(live.stream(), spared.stream()).map(NodeSighting::switchname).filter(Objects::nonNull)
                .forEach(out::add);
        return out;
    }

    /** The {@code cc-instance-id}s written only by in-scope stale nodes: members with these belong to no other node. */
    public List<String> staleInstanceIds() {
        Set<String> guarded = new LinkedHashSet<>();
        Stream.concat(live.stream(), spared.stream()).forEach(s -> guarded.add(s.ccInstanceId()));
        Set<String> out = new LinkedHashSet<>();
        stale.stream().map(NodeSighting::ccInstanceId).filter(id -> !guarded.contains(id)).forEach(out::add);
        return List.copyOf(out);
    }
}
