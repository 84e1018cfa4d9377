-- Call detail records, written by mod_odbc_cdr (which never creates or alters tables: this one is ours).
-- mod_odbc_cdr inserts only the fields whose channel variable is set, as quoted literals; timestamps arrive as the
-- switch's local "YYYY-MM-DD HH:MM:SS", hence TIMESTAMP (without time zone) as in the spec.
-- Index changes from the spec, for keyset pagination and per-queue/per-agent statistics over a time window:
-- idx_cdr_start covers (start_stamp, uuid); idx_cdr_queue and idx_cdr_agent lead with the name, then start_stamp.

CREATE TABLE IF NOT EXISTS cdr (
    uuid                VARCHAR(255) PRIMARY KEY,
    caller_id_name      VARCHAR(255),
    caller_id_number    VARCHAR(255),
    destination_number  VARCHAR(255),
    context             VARCHAR(255),
    start_stamp         TIMESTAMP,
    answer_stamp        TIMESTAMP,
    end_stamp           TIMESTAMP,
    duration            INTEGER,
    billsec             INTEGER,
    hangup_cause        VARCHAR(255),
    json_cdr            TEXT,
    -- queue fields, from mod_callcenter's cc_* channel variables
    queue_name          VARCHAR(255),
    agent_name          VARCHAR(255),
    member_session_uuid VARCHAR(255),
    member_state        VARCHAR(50),
    -- the FreeSWITCH node (global variable hostname)
    switch_name         VARCHAR(255),
    created_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX IF NOT EXISTS idx_cdr_start ON cdr (start_stamp, uuid);
CREATE INDEX IF NOT EXISTS idx_cdr_queue ON cdr (queue_name, start_stamp);
CREATE INDEX IF NOT EXISTS idx_cdr_agent ON cdr (agent_name, start_stamp);
CREATE INDEX IF NOT EXISTS idx_cdr_hangup ON cdr (hangup_cause);
CREATE INDEX IF NOT EXISTS idx_cdr_switch ON cdr (switch_name);
