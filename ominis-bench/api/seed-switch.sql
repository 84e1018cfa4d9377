-- FreeSWITCH's core tables for the API benchmarks (database already migrated by `ominis-server.jar migrate`).
--   psql -f seed-switch.sql                   # 1,000 channels
--   psql -v channels=50 -f seed-switch.sql    # fewer channels (an even number: bridged pairs); calls follow
--
-- channels:      1,000 rows, all 38 columns, as FreeSWITCH 1.10 writes them (VARCHARs; created as "%Y-%m-%d %T"
--                local time; read_rate etc. as strings; NULL where FreeSWITCH has not written the column yet):
--                500 bridged calls = an inbound caller leg and an outbound agent leg whose call_uuid names the
--                caller, spread over 3 switches (fs1, fs2, fs3); created_epoch distinct per row.
-- calls:         the 500 bridges.
-- registrations: 1,000 rows (expires = absolute epoch, as mod_sofia writes it), over the same 3 switches.
\set ON_ERROR_STOP on
\if :{?channels}
\else
\set channels 1000
\endif

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
      FROM generate_series(0, :channels - 1) AS i) AS g;

INSERT INTO calls
SELECT md5('ch' || (2 * p))::uuid::text, to_char(to_timestamp(ep), 'YYYY-MM-DD HH24:MI:SS'), ep,
       md5('ch' || (2 * p))::uuid::text, md5('ch' || (2 * p + 1))::uuid::text, 'fs' || (p % 3 + 1)
FROM (SELECT p, CAST(extract(epoch FROM now()) AS integer) - 1800 + 2 * p AS ep
      FROM generate_series(0, :channels / 2 - 1) AS p) AS g;

INSERT INTO registrations
SELECT (2000 + i)::text, 'pbx.example.com', md5('reg' || i),
       'sofia/internal/sip:' || (2000 + i) || '@10.30.' || (i % 250) || '.' || (i % 200 + 2)
           || ':' || (5060 + i % 7) || ';transport=udp;fs_nat=yes;fs_path=%3Csip%3A' || (2000 + i) || '%40198.51.100.' || (i % 250)
           || '%3A' || (40000 + i) || '%3Brport%3E',
       CAST(extract(epoch FROM now()) AS integer) + 3600 + i,
       '198.51.100.' || (i % 250), (40000 + i)::text, 'udp', 'fs' || (i % 3 + 1), NULL
FROM generate_series(0, 999) AS i;

VACUUM ANALYZE channels;
VACUUM ANALYZE calls;
VACUUM ANALYZE registrations;
