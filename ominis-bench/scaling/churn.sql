-- One call leg on one FreeSWITCH node, as the switch writes it (a pgbench script; run-scaling.sh runs it).
-- switch_core_sqldb: INSERT INTO channels on CHANNEL_CREATE, UPDATEs on state, callstate, application and codec
-- events, DELETE on CHANNEL_DESTROY; then mod_odbc_cdr's single-row INSERT into cdr on hang-up. pgbench commits each
-- statement on its own (no BEGIN here), which is more commits than the switch makes (its SQL queue batches what
-- piled up into one transaction): what a leg costs the primary is bounded from above. One pgbench "transaction" is
-- one leg, so pgbench's tps is CDR rows per second.
\set node random(1, :nodes)
\set leg random(1, 1000000000000)
\set dest random(100000, 109999)
\set billsec random(0, 600)
INSERT INTO channels (uuid, direction, created, created_epoch, name, state, cid_name, cid_num, ip_addr, dest,
                      dialplan, context, hostname, callstate, initial_cid_name, initial_cid_num, initial_ip_addr,
                      initial_dest, initial_dialplan, initial_context)
VALUES (md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text, 'inbound', to_char(now(), 'YYYY-MM-DD HH24:MI:SS'),
        extract(epoch FROM now())::int, 'sofia/internal/' || CAST(:dest AS text) || '@10.42.0.7', 'CS_INIT', 'Caller', '5550100',
        '192.168.1.50', '7000', 'XML', 'default', 'fs-' || CAST(:node AS text), 'DOWN', 'Caller', '5550100', '192.168.1.50', '7000',
        'XML', 'default');
UPDATE channels SET state = 'CS_ROUTING' WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
UPDATE channels SET callstate = 'RINGING' WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
UPDATE channels SET state = 'CS_EXECUTE', application = 'callcenter', application_data = 'support@default'
 WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
UPDATE channels SET read_codec = 'PCMU', read_rate = '8000', read_bit_rate = '64000', write_codec = 'PCMU',
       write_rate = '8000', write_bit_rate = '64000'
 WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
UPDATE channels SET callstate = 'ACTIVE' WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
UPDATE channels SET state = 'CS_HANGUP', callstate = 'HANGUP' WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
DELETE FROM channels WHERE uuid = md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text AND hostname = 'fs-' || CAST(:node AS text);
INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
                 end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid,
                 member_state, switch_name)
VALUES (md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text, 'Caller', '5550100', '7000', 'default',
        LOCALTIMESTAMP - make_interval(secs => CAST(:billsec AS int) + 8), LOCALTIMESTAMP - make_interval(secs => CAST(:billsec AS int)),
        LOCALTIMESTAMP, CAST(:billsec AS int) + 8, CAST(:billsec AS int), 'NORMAL_CLEARING', 'support@default', 'agent-' || CAST(:node AS text) || '@default',
        md5(CAST(:client_id AS text) || '-' || CAST(:leg AS text))::uuid::text, 'answered', 'fs-' || CAST(:node AS text));
