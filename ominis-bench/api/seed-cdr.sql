-- 1,000,000 CDRs for the API benchmark (database migrated, monthly partitions of the data created beforehand).
--   psql -v base='2026-10-26 14:00:00' -f seed-cdr.sql     (base: LOCALTIMESTAMP minus 30 days, to the second)
--
-- Over the 30 days after :base, 20 queues, 200 agents:
--   400,000 member legs (queue_name, member_state 'answered' 80 % / 'cancel' 20 %, agent_name once bridged,
--           member_session_uuid = its own uuid, as cc_member_session_uuid on the caller);
--   400,000 agent legs, one per queue call, member_session_uuid naming the member leg, answer_stamp set when the
--           agent picked up (the answered calls);
--   100,000 extra unanswered offers (every 4th queue call was first offered to another agent);
--   100,000 records of calls that never entered a queue (queue_name NULL).
-- See ominis-db/src/main/java/io/ominis/db/CdrStatistics.java for how the statistics tell these apart.
\set ON_ERROR_STOP on

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

VACUUM ANALYZE cdr;
