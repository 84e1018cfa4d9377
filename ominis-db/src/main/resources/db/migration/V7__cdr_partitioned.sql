-- cdr becomes a table PARTITIONED BY RANGE (start_stamp): one partition per month, cdr_yYYYYmMM, plus cdr_default for
-- every row no monthly partition covers (a month not created yet, a clock far off, start_stamp NULL: range
-- partitioning routes NULL keys to the DEFAULT partition). Retention then drops a whole month in milliseconds instead
-- of DELETEing millions of rows, and a time-window query scans only the months it touches.
--
-- Plain SQL keeps working: the table is still called cdr with the same columns (copied with LIKE from the table
-- being converted, so a column some other migration or an adopted FreeSWITCH table added is kept too), mod_odbc_cdr's
-- INSERT INTO cdr (...) VALUES ('...') is routed by PostgreSQL, and every index is declared on the parent so that
-- each partition carries it.
--
-- uuid stays unique across the whole table. A partitioned table's unique indexes must contain the partition key, so
-- PRIMARY KEY (uuid) is impossible and (uuid, start_stamp) would let the same leg land twice in two months. Instead:
--   * idx_cdr_uuid, an ordinary index on uuid in every partition, which lookups by uuid need anyway;
--   * a BEFORE INSERT (and BEFORE UPDATE OF uuid) row trigger, cdr_uuid_unique(), that takes a transaction-scoped
--     advisory lock on one of 256 buckets of hashtext(uuid), then probes idx_cdr_uuid of every partition; a hit is
--     raised as the usual unique_violation (SQLSTATE 23505, table cdr, DETAIL "Key (uuid)=(...) already exists."),
--     exactly what the old primary key raised, so callers (CdrDao -> AlreadyExistsException) see no difference.
--   Two transactions inserting the same uuid meet on the same bucket: the second waits until the first commits or
--   rolls back, and its probe, run after the wait with a fresh READ COMMITTED snapshot, sees the committed row. A
--   REPEATABLE READ or SERIALIZABLE snapshot would not, so the trigger refuses those isolation levels (SQLSTATE
--   25000; not 0A000, which connection pools take for a dead connection); every writer of cdr (mod_odbc_cdr, Ominis)
--   uses autocommit READ COMMITTED. Buckets bound the locks one bulk insert holds (at most 256, so the shared lock
--   table stays small); unrelated uuids sharing a bucket only wait for each other's commit. The check lives in the
--   partitions themselves, not in a side table of uuids, so dropping, detaching or truncating a month needs no
--   bookkeeping: its uuids are gone with it, and retention stays a DROP.
--   The trigger is SECURITY DEFINER because FreeSWITCH's role may hold only INSERT on cdr, not the SELECT the probe
--   needs.
--
-- Partitions are created by cdr_create_month_partition(month), also used by CdrPartitions.ensureAhead: it builds the
-- month as a stand-alone table with the parent's indexes (named <parent index>_<yYYYYmMM>, so EXPLAIN says which
-- logical index serves a plan), moves into it the rows of that month already sitting in cdr_default, and attaches it.
-- Creating it with CREATE TABLE ... PARTITION OF would fail as soon as the default partition holds such a row.
--
-- The conversion runs in the migration's transaction: the old table is renamed, the partitioned one created with
-- partitions for the months that hold existing rows and for the current month and three ahead, the rows copied
-- (before the trigger exists: the old primary key already proved them unique), grants copied, the old table dropped.
-- mod_odbc_cdr's INSERTs wait on the lock meanwhile. A view someone built on cdr would make the DROP fail, and the
-- whole migration with it, rather than be lost.

LOCK TABLE cdr IN ACCESS EXCLUSIVE MODE;
ALTER TABLE cdr RENAME TO cdr_unpartitioned;

-- Remember every secondary index of the old table (ours from V3 and any a later migration added) to declare it again
-- on the partitioned table; the old ones go now so that their names are free.
CREATE TEMPORARY TABLE cdr_v7_indexes ON COMMIT DROP AS
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisunique AS is_unique
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid = 'cdr_unpartitioned'::regclass
   AND NOT i.indisprimary;

DO
$$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name FROM cdr_v7_indexes LOOP
        EXECUTE format('DROP INDEX %I', r.name);
    END LOOP;
END;
$$;

CREATE TABLE cdr (LIKE cdr_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)
    PARTITION BY RANGE (start_stamp);

DO
$$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name, definition, is_unique FROM cdr_v7_indexes ORDER BY name LOOP
        IF r.is_unique THEN
            -- a unique index without start_stamp cannot exist on a partitioned table
            RAISE NOTICE 'cdr: unique index % is not carried over to the partitioned table: %', r.name, r.definition;
        ELSE
            EXECUTE regexp_replace(r.definition, ' ON (ONLY )?\S+ USING ', ' ON cdr USING ');
        END IF;
    END LOOP;
END;
$$;

-- The analytics indexes, for a database where someone dropped them; checked first rather than IF NOT EXISTS, which
-- would print a notice for each one carried over above on every ordinary migration.
DO
$$
BEGIN
    IF to_regclass('idx_cdr_start') IS NULL THEN
        CREATE INDEX idx_cdr_start ON cdr (start_stamp, uuid);
    END IF;
    IF to_regclass('idx_cdr_queue') IS NULL THEN
        CREATE INDEX idx_cdr_queue ON cdr (queue_name, start_stamp);
    END IF;
    IF to_regclass('idx_cdr_agent') IS NULL THEN
        CREATE INDEX idx_cdr_agent ON cdr (agent_name, start_stamp);
    END IF;
    IF to_regclass('idx_cdr_hangup') IS NULL THEN
        CREATE INDEX idx_cdr_hangup ON cdr (hangup_cause);
    END IF;
    IF to_regclass('idx_cdr_switch') IS NULL THEN
        CREATE INDEX idx_cdr_switch ON cdr (switch_name);
    END IF;
    IF to_regclass('idx_cdr_uuid') IS NULL THEN
        CREATE INDEX idx_cdr_uuid ON cdr (uuid);
    END IF;
END;
$$;

-- A stand-alone table shaped like cdr, with each of cdr's indexes named <index>_<suffix>, ready to be attached (ATTACH
-- adopts matching indexes instead of building unnamed copies).
CREATE FUNCTION cdr_prepare_partition(part text, suffix text) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT AS
$$
DECLARE
    r record;
BEGIN
    EXECUTE format('CREATE TABLE %I (LIKE cdr INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', part);
    FOR r IN SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
               FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = 'cdr'::regclass
              ORDER BY c.relname LOOP
        EXECUTE regexp_replace(r.definition, '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ',
                               format('CREATE \1INDEX %I ON %I ', left(r.name || '_' || suffix, 63), part));
    END LOOP;
END;
$$;

-- Creates the partition of the month holding month_start, cdr_yYYYYmMM, moving that month's rows out of cdr_default.
-- Returns how many rows moved, or NULL when the partition already existed. Serialised on an advisory lock so that two
-- servers running maintenance at once both succeed (the second finds the partition and returns NULL).
CREATE FUNCTION cdr_create_month_partition(month_start timestamp) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path FROM CURRENT AS
$$
DECLARE
    lower_bound timestamp := date_trunc('month', month_start);
    upper_bound timestamp := date_trunc('month', month_start) + INTERVAL '1 month';
    suffix      text      := to_char(date_trunc('month', month_start), '"y"YYYY"m"MM');
    part        text      := 'cdr_' || suffix;
    moved       bigint    := 0;
BEGIN
    -- the maintenance lock of namespace 78340; the uuid trigger uses buckets 0..255 of the same namespace
    PERFORM pg_advisory_xact_lock(78340, -1);
    IF to_regclass(part) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    PERFORM cdr_prepare_partition(part, suffix);
    IF to_regclass('cdr_default') IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM cdr_default WHERE start_stamp >= %L AND start_stamp < %L RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, part);
        GET DIAGNOSTICS moved = ROW_COUNT;
    END IF;
    -- the CHECK lets ATTACH trust the rows instead of scanning them again; it is redundant once attached
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (start_stamp IS NOT NULL AND start_stamp >= %L AND start_stamp < %L)',
                   part, part || '_bounds', lower_bound, upper_bound);
    EXECUTE format('ALTER TABLE cdr ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lower_bound, upper_bound);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bounds');
    RETURN moved;
END;
$$;

SELECT cdr_prepare_partition('cdr_default', 'default');
ALTER TABLE cdr ATTACH PARTITION cdr_default DEFAULT;

-- One partition per month that holds rows, rather than every month from the oldest row to the newest: a single record
-- from a switch whose clock said 2003 would otherwise add hundreds of empty partitions, and every uuid check and
-- every query that cannot be pruned pays for each partition. Rows older than ten years or more than a year ahead
-- stay in cdr_default. Then the current month and three ahead, as CdrPartitions.ensureAhead(3) would.
DO
$$
DECLARE
    this_month timestamp := date_trunc('month', LOCALTIMESTAMP);
    m          timestamp;
BEGIN
    FOR m IN SELECT DISTINCT date_trunc('month', start_stamp)
               FROM cdr_unpartitioned
              WHERE start_stamp >= this_month - INTERVAL '10 years'
                AND start_stamp < this_month + INTERVAL '13 months'
             UNION
             SELECT generate_series(this_month, this_month + INTERVAL '3 months', INTERVAL '1 month')
             ORDER BY 1 LOOP
        PERFORM cdr_create_month_partition(m);
    END LOOP;
END;
$$;

INSERT INTO cdr SELECT * FROM cdr_unpartitioned;

-- Whoever could write or read cdr before (FreeSWITCH's INSERT, the API's and analytics' SELECT) still can.
DO
$$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee,
                    a.privilege_type, a.is_grantable
               FROM pg_class c, aclexplode(c.relacl) a
              WHERE c.oid = 'cdr_unpartitioned'::regclass
                AND a.grantee <> c.relowner LOOP
        EXECUTE format('GRANT %s ON cdr TO %s%s', g.privilege_type, g.grantee,
                       CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END;
$$;

DROP TABLE cdr_unpartitioned;

CREATE FUNCTION cdr_uuid_unique() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path FROM CURRENT AS
$$
BEGIN
    IF NEW.uuid IS NULL THEN
        RETURN NEW; -- the NOT NULL constraint refuses it
    END IF;
    IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN
        RAISE EXCEPTION 'cdr rows must be written under READ COMMITTED'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = 'uuid uniqueness across partitions is checked by a lookup that a '
                           || current_setting('transaction_isolation') || ' snapshot could run blind',
                  TABLE = 'cdr', SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    PERFORM pg_advisory_xact_lock(78340, hashtext(NEW.uuid) & 255);
    IF EXISTS (SELECT 1 FROM cdr WHERE uuid = NEW.uuid) THEN
        RAISE EXCEPTION 'duplicate key value violates unique constraint "cdr_uuid_unique"'
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('Key (uuid)=(%s) already exists.', NEW.uuid),
                  TABLE = 'cdr', CONSTRAINT = 'cdr_uuid_unique', SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cdr_uuid_unique_insert
    BEFORE INSERT ON cdr
    FOR EACH ROW EXECUTE FUNCTION cdr_uuid_unique();

CREATE TRIGGER cdr_uuid_unique_update
    BEFORE UPDATE OF uuid ON cdr
    FOR EACH ROW WHEN (OLD.uuid IS DISTINCT FROM NEW.uuid) EXECUTE FUNCTION cdr_uuid_unique();
