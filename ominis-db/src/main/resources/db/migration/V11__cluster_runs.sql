-- Work that server replicas share through the database (issue 16): the last run of each kind of cluster-wide work
-- (e.g. 'reloadacl'), so that a replica whose requests that run already covers does not repeat it.
--   started_ticket: pg_current_xact_id() of the transaction that started the run; a request whose ticket (taken the
--                   same way, after its change committed) is lower is covered by the run
--   outcome:        what the run reported (for reloadacl, each node's result), handed to the covered requests
CREATE TABLE ominis_runs (
    name           text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    started_ticket bigint      NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    replica        text        NOT NULL,
    outcome        jsonb
);
