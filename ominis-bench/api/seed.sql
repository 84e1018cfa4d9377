-- Seeds the API benchmark database (already migrated by `ominis-server.jar migrate`).
--   psql -v base='2025-10-26 14:00:00' -f seed.sql     (base: LOCALTIMESTAMP minus 30 days, to the second)
--
-- channels:      1,000 rows, all 38 columns, as FreeSWITCH 1.10 writes them (VARCHARs; created as "%Y-%m-%d %T"
--                local time; read_rate etc. as strings; NULL where FreeSWITCH has not written the column yet):
--                500 bridged calls = an inbound caller leg and an outbound agent leg whose call_uuid names the
--                caller, spread over 3 switches (fs1, fs2, fs3).
-- registrations: 1,000 rows (expires = absolute epoch, as mod_sofia writes it), over the same 3 switches.
-- cdr:           1,000,000 records over the 30 days after :base, 20 queues, 200 agents:
--                  400,000 member legs (queue_name, member_state 'answered' 80 % / 'cancel' 20 %, agent_name once
--                          bridged, member_session_uuid = its own uuid, as cc_member_session_uuid on the caller);
--                  400,000 agent legs, one per queue call, member_session_uuid naming the member leg, answer_stamp
--                          set when the agent picked up (the answered calls);
--                  100,000 extra unanswered offers (every 4th queue call was first offered to another agent);
--                  100,000 records of calls that never entered a queue (queue_name NULL).
\set ON_ERROR_STOP on

TRUNCATE channels, calls, registrations;

INSERT INTO channels
SELECT md5('ch' || i)::uuid::text                                         AS uuid,
       CASE WHEN leg = 0 THEN 'inbound' ELSE 'outbound' END               AS direction,
       to_char(to_timestamp(ep), 'YYYY-MM-DD HH24:MI:SS')                 AS created,
       ep                                                                 AS created_epoch,
       CASE WHEN leg = 0 THEN 'sofia/internal/' || caller || '@10.20.' || (p % 250) || '.' || (p % 200 + 2)
            ELSE 'sofia/internal/' || agent || '@pbx.example.com' END    AS name,
       'CS_EXCHANGE_MEDIA'                                                AS state,
       'Caller ' || p                                                     AS cid_name,
       caller                                                             AS cid_num,
       '10.20.' || (p % 250) || '.' || (p % 200 + 2)                      AS ip_addr,
       CASE WHEN leg = 0 THEN '7000' ELSE agent END                       AS dest,
       CASE WHEN leg = 0 THEN 'callcenter' END                            AS application,
       CASE WHEN leg = 0 THEN 'queue-' || (p % 20) || '@default' END      AS application_data,
       CASE WHEN leg = 0 THEN 'XML' END                                   AS dialplan,
       'default'                                                          AS context,
       'PCMU', '8000', '64000', 'PCMU', '8000', '64000',
       ''                                                                 AS secure,
       'fs' || (p % 3 + 1)                                                AS hostname,
       CASE WHEN leg = 0 THEN caller || '@pbx.example.com' ELSE agent || '@pbx.example.com' END AS presence_id,
       ''                                                                 AS presence_data,
       NULL                                                               AS accountcode,
       'ACTIVE'                                                           AS callstate,
       CASE WHEN leg = 0 THEN 'Agent ' || agent ELSE 'Caller ' || p END  AS callee_name,
       CASE WHEN leg = 0 THEN agent ELSE caller END                       AS callee_num,
       CASE WHEN leg = 0 THEN 'SEND' ELSE 'RECV' END                      AS callee_direction,
       md5('ch' || (p * 2))::uuid::text                                   AS call_uuid,
       CASE WHEN leg = 0 THEN 'Agent ' || agent END                       AS sent_callee_name,
       CASE WHEN leg = 0 THEN agent END                                   AS sent_callee_num,
       'Caller ' || p                                                     AS initial_cid_name,
       caller                                                             AS initial_cid_num,
       '10.20.' || (p % 250) || '.' || (p % 200 + 2)                      AS initial_ip_addr,
       CASE WHEN leg = 0 THEN '7000' ELSE agent END                       AS initial_dest,
       'XML'                                                              AS initial_dialplan,
       'default'                                                          AS initial_context
FROM (SELECT i, i % 2 AS leg, i / 2 AS p,
             CAST(extract(epoch FROM now()) AS integer) - 1800 + i AS ep,
             '555' || lpad(((i / 2) % 10000)::text, 4, '0') AS caller,
             (1000 + (i / 2) % 200)::text AS agent
      FROM generate_series(0, 999) AS i) AS g;

INSERT INTO calls
SELECT md5('ch' || (2 * p))::uuid::text, to_char(to_timestamp(ep), 'YYYY-MM-DD HH24:MI:SS'), ep,
       md5('ch' || (2 * p))::uuid::text, md5('ch' || (2 * p + 1))::uuid::text, 'fs' || (p % 3 + 1)
FROM (SELECT p, CAST(extract(epoch FROM now()) AS integer) - 1800 + 2 * p AS ep
      FROM generate_series(0, 499) AS p) AS g;

INSERT INTO registrations
SELECT (2000 + i)::text, 'pbx.example.com', md5('reg' || i),
       'sofia/internal/sip:' || (2000 + i) || '@10.30.' || (i % 250) || '.' || (i % 200 + 2)
           || ':' || (5060 + i % 7) || ';transport=udp;fs_nat=yes;fs_path=%3Csip%3A' || (2000 + i) || '%40198.51.100.' || (i % 250)
           || '%3A' || (40000 + i) || '%3Brport%3E',
       CAST(extract(epoch FROM now()) AS integer) + 3600 + i,
       '198.51.100.' || (i % 250), (40000 + i)::text, 'udp', 'fs' || (i % 3 + 1), NULL
FROM generate_series(0, 999) AS i;

-- CDRs: the generator produces distinct uuids by construction; the uniqueness trigger (which probes every partition
-- per row, as it must for mod_odbc_cdr's single-row inserts) is disabled for the bulk load and re-enabled after.
ALTER TABLE cdr DISABLE TRIGGER cdr_uuid_unique_insert;

-- member legs and the agent leg of each queue call; c = queue call 0..399,999, start evenly over 30 days
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
                 end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid,
                 member_state, switch_name)
SELECT CASE WHEN leg = 0 THEN mu ELSE md5('a' || c)::uuid::text END,
       'Caller ' || (c % 1000), '555' || lpad((c % 10000)::text, 4, '0'), '7000', 'default',
       CASE WHEN leg = 0 THEN st ELSE st + make_interval(secs => greatest(w - 5, 1)) END,
       CASE WHEN leg = 0 THEN st WHEN answered THEN st + make_interval(secs => w) END,
       st + make_interval(secs => w + talk),
       CASE WHEN leg = 0 THEN w + talk ELSE talk + 5 END,
       CASE WHEN leg = 0 THEN w + talk WHEN answered THEN talk ELSE 0 END,
       CASE WHEN answered THEN 'NORMAL_CLEARING' WHEN leg = 0 THEN 'ORIGINATOR_CANCEL' ELSE 'NO_ANSWER' END,
       'queue-' || (c % 20) || '@default',
       CASE WHEN leg = 1 OR answered THEN 'agent-' || ((c * 7) % 200) || '@default' END,
       mu,
       CASE WHEN leg = 0 THEN CASE WHEN answered THEN 'answered' ELSE 'cancel' END END,
       'fs' || (c % 3 + 1)
FROM (SELECT i % 2 AS leg, i / 2 AS c, md5('m' || (i / 2))::uuid::text AS mu,
             date_trunc('second', TIMESTAMP :'base' + (i / 2) * INTERVAL '30 days' / 400000) AS st,
             8 + ((i / 2) * 7919) % 110 AS w,
             30 + ((i / 2) * 31) % 600 AS talk,
             (i / 2) % 10 < 8 AS answered
      FROM generate_series(CAST(0 AS bigint), 799999) AS i) AS legs;

-- every 4th queue call was first offered to another agent, who did not pick up
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
                 end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid,
                 member_state, switch_name)
SELECT md5('o' || c)::uuid::text, 'Caller ' || (c % 1000), '555' || lpad((c % 10000)::text, 4, '0'), '7000', 'default',
       st + INTERVAL '2 seconds', NULL, st + INTERVAL '7 seconds', 5, 0, 'NO_ANSWER',
       'queue-' || (c % 20) || '@default', 'agent-' || ((c * 7 + 1) % 200) || '@default',
       md5('m' || c)::uuid::text, NULL, 'fs' || (c % 3 + 1)
FROM (SELECT c, date_trunc('second', TIMESTAMP :'base' + c * INTERVAL '30 days' / 400000) AS st
      FROM generate_series(0, 399999, 4) AS c) AS offers;

-- calls that never entered a queue
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
                 end_stamp, duration, billsec, hangup_cause, switch_name)
SELECT md5('d' || k)::uuid::text, 'Caller ' || (k % 1000), '555' || lpad((k % 10000)::text, 4, '0'),
       (1000 + k % 200)::text, 'default', st, CASE WHEN k % 5 <> 0 THEN st + INTERVAL '4 seconds' END,
       st + make_interval(secs => 4 + k % 300), 4 + k % 300, CASE WHEN k % 5 <> 0 THEN k % 300 ELSE 0 END,
       CASE WHEN k % 5 <> 0 THEN 'NORMAL_CLEARING' ELSE 'NO_ANSWER' END, 'fs' || (k % 3 + 1)
FROM (SELECT k, date_trunc('second', TIMESTAMP :'base' + k * INTERVAL '30 days' / 100000 + INTERVAL '17 seconds') AS st
      FROM generate_series(0, 99999) AS k) AS direct;

ALTER TABLE cdr ENABLE TRIGGER cdr_uuid_unique_insert;

VACUUM ANALYZE channels;
VACUUM ANALYZE calls;
VACUUM ANALYZE registrations;
VACUUM ANALYZE cdr;
