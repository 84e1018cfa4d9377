-- Change notifications: every write to a table FreeSWITCH reads through us (directory, ACL, IVR) sends
-- pg_notify('ominis_changes', '<table>:<key>') on commit, whoever the writer is (our API, psql, another server).
-- Servers LISTEN and drop what they cached for that key, so a change is seen everywhere within moments.
-- Notifications are delivered only on commit, and identical ones in one transaction are folded into one.

CREATE OR REPLACE FUNCTION ominis_notify_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    key_column text := TG_ARGV[0];
    old_key    text;
    new_key    text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_key := to_jsonb(OLD) ->> key_column;
        PERFORM pg_notify('ominis_changes', TG_TABLE_NAME || ':' || coalesce(old_key, ''));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_key := to_jsonb(NEW) ->> key_column;
        IF old_key IS DISTINCT FROM new_key THEN
            PERFORM pg_notify('ominis_changes', TG_TABLE_NAME || ':' || coalesce(new_key, ''));
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

-- TRUNCATE fires no row triggers; a statement trigger tells listeners to drop everything of that table.
CREATE OR REPLACE FUNCTION ominis_notify_truncate() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('ominis_changes', TG_TABLE_NAME || ':*');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER extensions_notify AFTER INSERT OR UPDATE OR DELETE ON extensions
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_change('number');
CREATE OR REPLACE TRIGGER extensions_notify_truncate AFTER TRUNCATE ON extensions
    FOR EACH STATEMENT EXECUTE FUNCTION ominis_notify_truncate();

CREATE OR REPLACE TRIGGER acl_entries_notify AFTER INSERT OR UPDATE OR DELETE ON acl_entries
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_change('list_name');
CREATE OR REPLACE TRIGGER acl_entries_notify_truncate AFTER TRUNCATE ON acl_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ominis_notify_truncate();

CREATE OR REPLACE TRIGGER ivrs_notify AFTER INSERT OR UPDATE OR DELETE ON ivrs
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_change('name');
CREATE OR REPLACE TRIGGER ivr_menus_notify AFTER INSERT OR UPDATE OR DELETE ON ivr_menus
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_change('ivr_name');
