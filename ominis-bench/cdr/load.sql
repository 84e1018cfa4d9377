-- Loads calls :lo .. :hi (two legs each) into cdr: the member leg (the caller, uuid m-<call> hashed) and the agent leg
-- mod_callcenter records for the offer, as the freeswitch-config mapping fills them. Calls are spread evenly from
-- :'base' (first day of the month twelve months back) to :'upto'; 50 queues, 500 agents, 3 switches, 80 % answered.
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
                 end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid, member_state,
                 switch_name)
SELECT CASE WHEN leg = 0 THEN member_uuid ELSE md5('a' || c)::uuid::text END,
       'Caller ' || (c % 1000), '555' || lpad((c % 10000)::text, 4, '0'), '7000', 'default',
       CASE WHEN leg = 0 THEN st ELSE st + make_interval(secs => greatest(w - 5, 0)) END,
       CASE WHEN leg = 0 THEN st WHEN answered THEN st + make_interval(secs => w) END,
       st + make_interval(secs => w + talk),
       CASE WHEN leg = 0 THEN w + talk ELSE talk + 5 END,
       CASE WHEN leg = 0 THEN w + talk WHEN answered THEN talk ELSE 0 END,
       CASE WHEN answered THEN 'NORMAL_CLEARING' WHEN leg = 0 THEN 'ORIGINATOR_CANCEL' ELSE 'NO_ANSWER' END,
       'queue-' || (c % 50) || '@default',
       CASE WHEN leg = 1 OR answered THEN 'agent-' || ((c * 7) % 500) || '@default' END,
       CASE WHEN leg = 1 THEN member_uuid END,
       CASE WHEN leg = 0 THEN CASE WHEN answered THEN 'answered' ELSE 'cancel' END END,
       'fs' || (c % 3)
FROM (
    SELECT i % 2 AS leg, i / 2 AS c, md5('m' || (i / 2))::uuid::text AS member_uuid,
           date_trunc('second', TIMESTAMP :'base' + (i / 2) * (TIMESTAMP :'upto' - TIMESTAMP :'base') / :calls) AS st,
           ((i / 2) * 7919) % 120 AS w,
           30 + ((i / 2) * 31) % 600 AS talk,
           (i / 2) % 10 < 8 AS answered
    FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS i
) legs;
