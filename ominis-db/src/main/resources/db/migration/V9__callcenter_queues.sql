-- Queue definitions: every parameter mod_callcenter 1.10.12 reads for a queue (queue_set_config in
-- mod_callcenter.c), one column each, named after the parameter with '_' for '-', NOT NULL with FreeSWITCH's own
-- default where it has one. callcenter.conf serves these rows; a queue named only in tiers or members (or
-- OMINIS_CALLCENTER_QUEUES) has no row and is served with the same defaults.
--
-- Deviations from FreeSWITCH's defaults, both chosen so a served queue behaves the same on every install:
--   * moh_sound defaults to a ring-back tone (FreeSWITCH has none); local_stream://moh needs mod_local_stream and
--     a 'moh' stream, without which one waiting caller logs thousands of errors.
--   * ring_progressively_delay defaults to 10, the delay FreeSWITCH uses when the parameter is 0 or absent.
-- Sounds and the recording path must not hold '${': FreeSWITCH expands them at run time (the one rule of V8).

CREATE TABLE IF NOT EXISTS callcenter_queues (
    name                                     VARCHAR(255) PRIMARY KEY,
    node                                     VARCHAR(64),
    strategy                                 VARCHAR(64)  NOT NULL DEFAULT 'longest-idle-agent',
    moh_sound                                VARCHAR(1024) NOT NULL
        DEFAULT 'tone_stream://%(2000,4000,440,480);loops=-1',
    announce_sound                           VARCHAR(1024),
    announce_frequency                       INTEGER      NOT NULL DEFAULT 0,
    record_template                          VARCHAR(1024),
    time_base_score                          VARCHAR(16)  NOT NULL DEFAULT 'queue',
    ring_progressively_delay                 INTEGER      NOT NULL DEFAULT 10,
    tier_rules_apply                         BOOLEAN      NOT NULL DEFAULT false,
    tier_rule_wait_second                    INTEGER      NOT NULL DEFAULT 0,
    tier_rule_wait_multiply_level            BOOLEAN      NOT NULL DEFAULT false,
    tier_rule_no_agent_no_wait               BOOLEAN      NOT NULL DEFAULT true,
    discard_abandoned_after                  INTEGER      NOT NULL DEFAULT 60,
    abandoned_resume_allowed                 BOOLEAN      NOT NULL DEFAULT false,
    max_wait_time                            INTEGER      NOT NULL DEFAULT 0,
    max_wait_time_with_no_agent              INTEGER      NOT NULL DEFAULT 0,
    max_wait_time_with_no_agent_time_reached INTEGER      NOT NULL DEFAULT 5,
    agent_no_answer_status                   VARCHAR(32)  NOT NULL DEFAULT 'On Break',
    skip_agents_with_external_calls          BOOLEAN      NOT NULL DEFAULT true,
    created_at                               TIMESTAMPTZ  NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                               TIMESTAMPTZ  NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT callcenter_queues_name_check CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}$'),
    CONSTRAINT callcenter_queues_node_check CHECK (node ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT callcenter_queues_strategy_check CHECK (strategy IN ('ring-all', 'longest-idle-agent', 'round-robin',
        'top-down', 'agent-with-least-talk-time', 'agent-with-fewest-calls', 'sequentially-by-agent-order', 'random',
        'ring-progressively')),
    CONSTRAINT callcenter_queues_moh_sound_check CHECK (btrim(moh_sound) <> '' AND strpos(moh_sound, '${') = 0),
    CONSTRAINT callcenter_queues_announce_sound_check
        CHECK (btrim(announce_sound) <> '' AND strpos(announce_sound, '${') = 0),
    CONSTRAINT callcenter_queues_record_template_check
        CHECK (record_template LIKE '/%' AND strpos(record_template, '${') = 0),
    CONSTRAINT callcenter_queues_time_base_score_check CHECK (time_base_score IN ('queue', 'system')),
    CONSTRAINT callcenter_queues_agent_no_answer_status_check
        CHECK (agent_no_answer_status IN ('Logged Out', 'Available', 'Available (On Demand)', 'On Break')),
    CONSTRAINT callcenter_queues_announce_frequency_check CHECK (announce_frequency BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_ring_progressively_delay_check CHECK (ring_progressively_delay BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_tier_rule_wait_second_check CHECK (tier_rule_wait_second BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_discard_abandoned_after_check CHECK (discard_abandoned_after BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_max_wait_time_check CHECK (max_wait_time BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_max_wait_time_with_no_agent_check
        CHECK (max_wait_time_with_no_agent BETWEEN 0 AND 86400),
    CONSTRAINT callcenter_queues_max_wait_time_with_no_agent_time_reached_check
        CHECK (max_wait_time_with_no_agent_time_reached BETWEEN 0 AND 86400)
);

CREATE OR REPLACE TRIGGER callcenter_queues_updated_at BEFORE UPDATE ON callcenter_queues
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();
