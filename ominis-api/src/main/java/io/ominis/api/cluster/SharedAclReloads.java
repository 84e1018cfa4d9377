package io.ominis.api.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ominis.db.CoveringRuns;
import io.ominis.xmlrpc.NodeResult;
import io.ominis.xmlrpc.ReloadCoordination;
import io.ominis.xmlrpc.ReportedFailureException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code reloadacl} shared by every server replica on one database ({@link CoveringRuns} named {@code reloadacl}):
 * an ACL burst through any replicas reloads each FreeSWITCH node once. The per-node results travel as JSON, so a
 * replica whose request another replica's reload covered answers with those results.
 */
public final class SharedAclReloads implements ReloadCoordination {

    private static final String RUN = "reloadacl";

    private final CoveringRuns runs;
    private final ObjectMapper mapper = new ObjectMapper();

    public SharedAclReloads(CoveringRuns runs) {
        this.runs = runs;
    }

    @Override
    public long ticket() {
        return runs.ticket();
    }

    @Override
    public List<NodeResult<Void>> covering(long ticket, Supplier<List<NodeResult<Void>>> reload) {
        List<List<NodeResult<Void>>> ranHere = new ArrayList<>(1);
        CoveringRuns.Covered covered = runs.covering(RUN, ticket, () -> {
            List<NodeResult<Void>> results = reload.get();
            ranHere.add(results);
            return encode(results);
        });
        // the original exceptions when the reload ran here, the reported messages when another replica ran it
        return ranHere.isEmpty() ? decode(covered.outcome()) : ranHere.get(0);
    }

    private String encode(List<NodeResult<Void>> results) {
        ArrayNode array = mapper.createArrayNode();
        for (NodeResult<Void> r : results) {
            array.addObject().put("node", r.node()).put("ok", r.ok())
                    .put("error", r.ok() ? null : r.error().getMessage());
        }
        return array.toString();
    }

    private List<NodeResult<Void>> decode(String outcome) {
        try {
            List<NodeResult<Void>> results = new ArrayList<>();
            for (JsonNode n : mapper.readTree(outcome)) {
                String node = n.path("node").asText();
                results.add(n.path("ok").asBoolean() ? NodeResult.ok(node, null)
                        : NodeResult.failed(node, new ReportedFailureException(RUN, n.path("error").asText())));
            }
            return results;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable reloadacl outcome in ominis_runs", e);
        }
    }
}
