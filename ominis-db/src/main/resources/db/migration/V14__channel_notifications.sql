-- Channel notifications: every committed write to FreeSWITCH's channels table sends
-- pg_notify('ominis_channels', 'channels:<uuid>'), so that servers keep an in-memory copy of the live channels
-- (ChannelMirror) current without asking the database on every GET /v1/channels.
--
-- This trigger runs on FreeSWITCH's own write path, so it must never fail FreeSWITCH's transaction. pg_notify can
-- only fail at commit, when the notification queue is full (8 GB, which a listener stuck in a transaction can cause
-- over hours): above half full the trigger stays silent, PostgreSQL's own warning threshold. A copy then misses
-- changes; servers reload the whole table every few seconds, which repairs it.

CREATE OR REPLACE FUNCTION ominis_notify_channel() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF pg_notification_queue_usage() >= 0.5 THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('ominis_channels', 'channels:' || coalesce(OLD.uuid, ''));
    END IF;
    -- FreeSWITCH renames a channel with UPDATE channels SET uuid = new WHERE uuid = old: both keys changed
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.uuid IS DISTINCT FROM NEW.uuid) THEN
        PERFORM pg_notify('ominis_channels', 'channels:' || coalesce(NEW.uuid, ''));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ominis_notify_channels_truncate() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF pg_notification_queue_usage() < 0.5 THEN
        PERFORM pg_notify('ominis_channels', 'channels:*');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER channels_notify AFTER INSERT OR UPDATE OR DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_channel();
CREATE OR REPLACE TRIGGER channels_notify_truncate AFTER TRUNCATE ON channels
    FOR EACH STATEMENT EXECUTE FUNCTION ominis_notify_channels_truncate();
