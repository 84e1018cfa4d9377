-- mod_callcenter 1.10 tables (mod_callcenter.c l. 186-260, v1.10.12), created exactly as the module creates them.
-- Deviations from the spec's DDL, all in FreeSWITCH's favour:
--   * agents.external_calls_count exists: the module's dispatch query selects it.
--   * agents.contact is VARCHAR(1024), not 255: longer dial strings are legal contacts.
--   * agents.uuid/type/status/state are nullable without defaults: `agent add` supplies status 'Logged Out',
--     and a default of 'Available' would put agents created by other writers on the phone unasked.
--   * tiers has no instance_id: the agent-selection query selects an unqualified instance_id over
--     agents LEFT JOIN tiers, which PostgreSQL rejects as ambiguous if both tables have one.
-- The spec's indexes are added; the module neither creates nor checks indexes, so they are safe.

CREATE TABLE IF NOT EXISTS members (
    queue           VARCHAR(255),
    instance_id     VARCHAR(255),
    uuid            VARCHAR(255) NOT NULL DEFAULT '',
    session_uuid    VARCHAR(255) NOT NULL DEFAULT '',
    cid_number      VARCHAR(255),
    cid_name        VARCHAR(255),
    system_epoch    INTEGER NOT NULL DEFAULT 0,
    joined_epoch    INTEGER NOT NULL DEFAULT 0,
    rejoined_epoch  INTEGER NOT NULL DEFAULT 0,
    bridge_epoch    INTEGER NOT NULL DEFAULT 0,
    abandoned_epoch INTEGER NOT NULL DEFAULT 0,
    base_score      INTEGER NOT NULL DEFAULT 0,
    skill_score     INTEGER NOT NULL DEFAULT 0,
    serving_agent   VARCHAR(255),
    serving_system  VARCHAR(255),
    state           VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS agents (
    name                 VARCHAR(255),
    instance_id          VARCHAR(255),
    uuid                 VARCHAR(255),
    type                 VARCHAR(255),
    contact              VARCHAR(1024),
    status               VARCHAR(255),
    state                VARCHAR(255),
    max_no_answer        INTEGER NOT NULL DEFAULT 0,
    wrap_up_time         INTEGER NOT NULL DEFAULT 0,
    reject_delay_time    INTEGER NOT NULL DEFAULT 0,
    busy_delay_time      INTEGER NOT NULL DEFAULT 0,
    no_answer_delay_time INTEGER NOT NULL DEFAULT 0,
    last_bridge_start    INTEGER NOT NULL DEFAULT 0,
    last_bridge_end      INTEGER NOT NULL DEFAULT 0,
    last_offered_call    INTEGER NOT NULL DEFAULT 0,
    last_status_change   INTEGER NOT NULL DEFAULT 0,
    no_answer_count      INTEGER NOT NULL DEFAULT 0,
    calls_answered       INTEGER NOT NULL DEFAULT 0,
    talk_time            INTEGER NOT NULL DEFAULT 0,
    ready_time           INTEGER NOT NULL DEFAULT 0,
    external_calls_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS tiers (
    queue    VARCHAR(255),
    agent    VARCHAR(255),
    state    VARCHAR(255),
    level    INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS idx_agents_name ON agents (name);
CREATE INDEX IF NOT EXISTS idx_agents_uuid ON agents (uuid);
CREATE INDEX IF NOT EXISTS idx_agents_status ON agents (status);
CREATE INDEX IF NOT EXISTS idx_agents_state ON agents (state);

CREATE INDEX IF NOT EXISTS idx_tiers_queue ON tiers (queue);
CREATE INDEX IF NOT EXISTS idx_tiers_agent ON tiers (agent);
CREATE INDEX IF NOT EXISTS idx_tiers_state ON tiers (state);

CREATE INDEX IF NOT EXISTS idx_members_queue ON members (queue);
CREATE INDEX IF NOT EXISTS idx_members_uuid ON members (uuid);
CREATE INDEX IF NOT EXISTS idx_members_session_uuid ON members (session_uuid);
CREATE INDEX IF NOT EXISTS idx_members_state ON members (state);
