-- FreeSWITCH 1.10 core database (src/switch_core_sqldb.c, v1.10.12), created exactly as FreeSWITCH creates it:
-- same columns, types and order, no keys, no NOT NULL, no defaults. FreeSWITCH tests each table at start-up and
-- DROPs and re-creates any table whose test query fails, so a byte-compatible shape is what keeps its data and
-- lets it run without CREATE privilege. IF NOT EXISTS lets us adopt a database FreeSWITCH already set up.
-- The column order of channels matters: `show channels` is `select *`.

CREATE TABLE IF NOT EXISTS channels (
    uuid             VARCHAR(256),
    direction        VARCHAR(32),
    created          VARCHAR(128),
    created_epoch    INTEGER,
    name             VARCHAR(1024),
    state            VARCHAR(64),
    cid_name         VARCHAR(1024),
    cid_num          VARCHAR(256),
    ip_addr          VARCHAR(256),
    dest             VARCHAR(1024),
    application      VARCHAR(128),
    application_data VARCHAR(4096),
    dialplan         VARCHAR(128),
    context          VARCHAR(128),
    read_codec       VARCHAR(128),
    read_rate        VARCHAR(32),
    read_bit_rate    VARCHAR(32),
    write_codec      VARCHAR(128),
    write_rate       VARCHAR(32),
    write_bit_rate   VARCHAR(32),
    secure           VARCHAR(64),
    hostname         VARCHAR(256),
    presence_id      VARCHAR(4096),
    presence_data    VARCHAR(4096),
    accountcode      VARCHAR(256),
    callstate        VARCHAR(64),
    callee_name      VARCHAR(1024),
    callee_num       VARCHAR(256),
    callee_direction VARCHAR(5),
    call_uuid        VARCHAR(256),
    sent_callee_name VARCHAR(1024),
    sent_callee_num  VARCHAR(256),
    initial_cid_name VARCHAR(1024),
    initial_cid_num  VARCHAR(256),
    initial_ip_addr  VARCHAR(256),
    initial_dest     VARCHAR(1024),
    initial_dialplan VARCHAR(128),
    initial_context  VARCHAR(128)
);

CREATE TABLE IF NOT EXISTS calls (
    call_uuid          VARCHAR(255),
    call_created       VARCHAR(128),
    call_created_epoch INTEGER,
    caller_uuid        VARCHAR(256),
    callee_uuid        VARCHAR(256),
    hostname           VARCHAR(256)
);

-- expires holds an absolute epoch (registration time + expires + margin), not a number of seconds.
CREATE TABLE IF NOT EXISTS registrations (
    reg_user      VARCHAR(256),
    realm         VARCHAR(256),
    token         VARCHAR(256),
    url           TEXT,
    expires       INTEGER,
    network_ip    VARCHAR(256),
    network_port  VARCHAR(256),
    network_proto VARCHAR(256),
    hostname      VARCHAR(256),
    metadata      VARCHAR(256)
);

CREATE TABLE IF NOT EXISTS recovery (
    runtime_uuid VARCHAR(255),
    technology   VARCHAR(255),
    profile_name VARCHAR(255),
    hostname     VARCHAR(255),
    uuid         VARCHAR(255),
    metadata     TEXT
);

CREATE TABLE IF NOT EXISTS complete (
    sticky   INTEGER,
    a1       VARCHAR(128),
    a2       VARCHAR(128),
    a3       VARCHAR(128),
    a4       VARCHAR(128),
    a5       VARCHAR(128),
    a6       VARCHAR(128),
    a7       VARCHAR(128),
    a8       VARCHAR(128),
    a9       VARCHAR(128),
    a10      VARCHAR(128),
    hostname VARCHAR(256)
);

CREATE TABLE IF NOT EXISTS aliases (
    sticky   INTEGER,
    alias    VARCHAR(128),
    command  VARCHAR(4096),
    hostname VARCHAR(256)
);

CREATE TABLE IF NOT EXISTS tasks (
    task_id          INTEGER,
    task_desc        VARCHAR(4096),
    task_group       VARCHAR(1024),
    task_runtime     BIGINT,
    task_sql_manager INTEGER,
    hostname         VARCHAR(256)
);

CREATE TABLE IF NOT EXISTS nat (
    sticky   INTEGER,
    port     INTEGER,
    proto    INTEGER,
    hostname VARCHAR(256)
);

CREATE TABLE IF NOT EXISTS interfaces (
    type        VARCHAR(128),
    name        VARCHAR(1024),
    description VARCHAR(4096),
    ikey        VARCHAR(1024),
    filename    VARCHAR(4096),
    syntax      VARCHAR(4096),
    hostname    VARCHAR(256)
);

-- Index names and columns are FreeSWITCH's own (switch_core_sqldb.c l. 3639-3642, 3783-3804), so its own
-- CREATE INDEX at start-up finds them present and changes nothing.
CREATE INDEX IF NOT EXISTS recovery1 ON recovery (technology);
CREATE INDEX IF NOT EXISTS recovery2 ON recovery (profile_name);
CREATE INDEX IF NOT EXISTS recovery3 ON recovery (uuid);
CREATE INDEX IF NOT EXISTS recovery4 ON recovery (runtime_uuid);
CREATE INDEX IF NOT EXISTS alias1 ON aliases (alias);
CREATE INDEX IF NOT EXISTS tasks1 ON tasks (hostname, task_id);
CREATE INDEX IF NOT EXISTS complete1 ON complete (a1, hostname);
CREATE INDEX IF NOT EXISTS complete2 ON complete (a2, hostname);
CREATE INDEX IF NOT EXISTS complete3 ON complete (a3, hostname);
CREATE INDEX IF NOT EXISTS complete4 ON complete (a4, hostname);
CREATE INDEX IF NOT EXISTS complete5 ON complete (a5, hostname);
CREATE INDEX IF NOT EXISTS complete6 ON complete (a6, hostname);
CREATE INDEX IF NOT EXISTS complete7 ON complete (a7, hostname);
CREATE INDEX IF NOT EXISTS complete8 ON complete (a8, hostname);
CREATE INDEX IF NOT EXISTS complete9 ON complete (a9, hostname);
CREATE INDEX IF NOT EXISTS complete10 ON complete (a10, hostname);
CREATE INDEX IF NOT EXISTS complete11 ON complete (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, hostname);
CREATE INDEX IF NOT EXISTS nat_map_port_proto ON nat (port, proto, hostname);
CREATE INDEX IF NOT EXISTS chidx1 ON channels (hostname);
CREATE INDEX IF NOT EXISTS uuindex ON channels (uuid, hostname);
CREATE INDEX IF NOT EXISTS uuindex2 ON channels (call_uuid);
CREATE INDEX IF NOT EXISTS callsidx1 ON calls (hostname);
CREATE INDEX IF NOT EXISTS eruuindex ON calls (caller_uuid, hostname);
CREATE INDEX IF NOT EXISTS eeuuindex ON calls (callee_uuid);
CREATE INDEX IF NOT EXISTS eeuuindex2 ON calls (call_uuid);
CREATE INDEX IF NOT EXISTS regindex1 ON registrations (reg_user, realm, hostname);

-- One row per bridged call (a = caller leg, b = callee leg) plus one per unbridged channel; callee legs never
-- appear as a. Both views carry sent_callee_name, which FreeSWITCH's start-up test selects.
CREATE OR REPLACE VIEW detailed_calls AS
SELECT
    a.uuid AS uuid,
    a.direction AS direction,
    a.created AS created,
    a.created_epoch AS created_epoch,
    a.name AS name,
    a.state AS state,
    a.cid_name AS cid_name,
    a.cid_num AS cid_num,
    a.ip_addr AS ip_addr,
    a.dest AS dest,
    a.application AS application,
    a.application_data AS application_data,
    a.dialplan AS dialplan,
    a.context AS context,
    a.read_codec AS read_codec,
    a.read_rate AS read_rate,
    a.read_bit_rate AS read_bit_rate,
    a.write_codec AS write_codec,
    a.write_rate AS write_rate,
    a.write_bit_rate AS write_bit_rate,
    a.secure AS secure,
    a.hostname AS hostname,
    a.presence_id AS presence_id,
    a.presence_data AS presence_data,
    a.accountcode AS accountcode,
    a.callstate AS callstate,
    a.callee_name AS callee_name,
    a.callee_num AS callee_num,
    a.callee_direction AS callee_direction,
    a.call_uuid AS call_uuid,
    a.sent_callee_name AS sent_callee_name,
    a.sent_callee_num AS sent_callee_num,
    b.uuid AS b_uuid,
    b.direction AS b_direction,
    b.created AS b_created,
    b.created_epoch AS b_created_epoch,
    b.name AS b_name,
    b.state AS b_state,
    b.cid_name AS b_cid_name,
    b.cid_num AS b_cid_num,
    b.ip_addr AS b_ip_addr,
    b.dest AS b_dest,
    b.application AS b_application,
    b.application_data AS b_application_data,
    b.dialplan AS b_dialplan,
    b.context AS b_context,
    b.read_codec AS b_read_codec,
    b.read_rate AS b_read_rate,
    b.read_bit_rate AS b_read_bit_rate,
    b.write_codec AS b_write_codec,
    b.write_rate AS b_write_rate,
    b.write_bit_rate AS b_write_bit_rate,
    b.secure AS b_secure,
    b.hostname AS b_hostname,
    b.presence_id AS b_presence_id,
    b.presence_data AS b_presence_data,
    b.accountcode AS b_accountcode,
    b.callstate AS b_callstate,
    b.callee_name AS b_callee_name,
    b.callee_num AS b_callee_num,
    b.callee_direction AS b_callee_direction,
    b.call_uuid AS b_call_uuid,
    b.sent_callee_name AS b_sent_callee_name,
    b.sent_callee_num AS b_sent_callee_num,
    c.call_created_epoch AS call_created_epoch
FROM channels a
LEFT JOIN calls c ON a.uuid = c.caller_uuid AND a.hostname = c.hostname
LEFT JOIN channels b ON b.uuid = c.callee_uuid AND b.hostname = c.hostname
WHERE a.uuid = c.caller_uuid OR a.uuid NOT IN (SELECT callee_uuid FROM calls);

CREATE OR REPLACE VIEW basic_calls AS
SELECT
    a.uuid AS uuid,
    a.direction AS direction,
    a.created AS created,
    a.created_epoch AS created_epoch,
    a.name AS name,
    a.state AS state,
    a.cid_name AS cid_name,
    a.cid_num AS cid_num,
    a.ip_addr AS ip_addr,
    a.dest AS dest,
    a.presence_id AS presence_id,
    a.presence_data AS presence_data,
    a.accountcode AS accountcode,
    a.callstate AS callstate,
    a.callee_name AS callee_name,
    a.callee_num AS callee_num,
    a.callee_direction AS callee_direction,
    a.call_uuid AS call_uuid,
    a.hostname AS hostname,
    a.sent_callee_name AS sent_callee_name,
    a.sent_callee_num AS sent_callee_num,
    b.uuid AS b_uuid,
    b.direction AS b_direction,
    b.created AS b_created,
    b.created_epoch AS b_created_epoch,
    b.name AS b_name,
    b.state AS b_state,
    b.cid_name AS b_cid_name,
    b.cid_num AS b_cid_num,
    b.ip_addr AS b_ip_addr,
    b.dest AS b_dest,
    b.presence_id AS b_presence_id,
    b.presence_data AS b_presence_data,
    b.accountcode AS b_accountcode,
    b.callstate AS b_callstate,
    b.callee_name AS b_callee_name,
    b.callee_num AS b_callee_num,
    b.callee_direction AS b_callee_direction,
    b.sent_callee_name AS b_sent_callee_name,
    b.sent_callee_num AS b_sent_callee_num,
    c.call_created_epoch AS call_created_epoch
FROM channels a
LEFT JOIN calls c ON a.uuid = c.caller_uuid AND a.hostname = c.hostname
LEFT JOIN channels b ON b.uuid = c.callee_uuid AND b.hostname = c.hostname
WHERE a.uuid = c.caller_uuid OR a.uuid NOT IN (SELECT callee_uuid FROM calls);
