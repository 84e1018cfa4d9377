-- When each FreeSWITCH node last answered a server over XML-RPC, and what it calls itself in the core tables. Stale-
-- state repair judges a node by this row, not by one server's memory: every server replica records its probes here,
-- so they agree, a restart forgets nothing, and a node one replica cannot reach while another can is not stale
-- (last_seen only moves forward on an answer; a failure touches last_checked and last_error only).
--   switchname     the node's `switchname` API answer: the hostname of its channels, calls and registrations
--   cc_instance_id what its mod_callcenter writes into members.instance_id (callcenter.conf serves single_box)
--   first_checked  first attempt by any server; a node that never answered is judged from here
CREATE TABLE IF NOT EXISTS freeswitch_node_sightings (
    node           VARCHAR(64)   NOT NULL PRIMARY KEY,
    switchname     VARCHAR(256),
    cc_instance_id VARCHAR(255)  NOT NULL DEFAULT 'single_box',
    first_checked  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    last_checked   TIMESTAMPTZ   NOT NULL DEFAULT now(),
    last_seen      TIMESTAMPTZ,
    last_error     VARCHAR(1024),
    CONSTRAINT freeswitch_node_sightings_node_check CHECK (node ~ '^[A-Za-z0-9._-]{1,64}$')
);
