-- Served domains and SIP passwords kept only as digest hashes (issue 14 items 4 and 5).
--
-- domains: the directory domains (and digest realms) Ominis serves. With no row, every domain FreeSWITCH asks
-- about is served, as before this migration; with rows, a directory request for any other domain, or a digest
-- authentication for any other realm, gets the not-found document. Names are stored in lower case: DNS names are
-- case-insensitive, and an a1-hash is computed over the exact spelling.
--
-- extension_a1_hashes: in the a1-hash storage mode (OMINIS_SIP_PASSWORD_STORAGE=a1-hash) an extension keeps
-- md5(number:realm:password) for every served domain instead of its password, which is then NULL. A hash row always
-- names a served domain (deleting the domain deletes its hashes) and cannot follow a rename of its number or realm
-- (the hash covers both, so a renamed one would be wrong): such a rename is refused while hashes exist.

CREATE TABLE IF NOT EXISTS domains (
    name        VARCHAR(253) PRIMARY KEY,
    description VARCHAR(1000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT domains_name_check
        CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'),
    CONSTRAINT domains_description_check CHECK (strpos(description, '${') = 0)
);

CREATE OR REPLACE TRIGGER domains_updated_at BEFORE UPDATE ON domains
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();
CREATE OR REPLACE TRIGGER domains_notify AFTER INSERT OR UPDATE OR DELETE ON domains
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_change('name');
CREATE OR REPLACE TRIGGER domains_notify_truncate AFTER TRUNCATE ON domains
    FOR EACH STATEMENT EXECUTE FUNCTION ominis_notify_truncate();

CREATE TABLE IF NOT EXISTS extension_a1_hashes (
    number  VARCHAR(20)  NOT NULL REFERENCES extensions (number) ON DELETE CASCADE,
    realm   VARCHAR(253) NOT NULL REFERENCES domains (name) ON DELETE CASCADE,
    a1_hash CHAR(32)     NOT NULL,
    CONSTRAINT extension_a1_hashes_pkey PRIMARY KEY (number, realm),
    CONSTRAINT extension_a1_hashes_a1_hash_check CHECK (a1_hash ~ '^[0-9a-f]{32}$')
);
-- deleting a domain finds its hashes by realm
CREATE INDEX IF NOT EXISTS idx_extension_a1_hashes_realm ON extension_a1_hashes (realm);

-- A hash is part of its extension's directory answer: tell listeners the extension changed.
CREATE OR REPLACE FUNCTION ominis_notify_a1_hash_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('ominis_changes', 'extensions:' || OLD.number);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('ominis_changes', 'extensions:' || NEW.number);
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ominis_notify_a1_hash_truncate() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('ominis_changes', 'extensions:*');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER extension_a1_hashes_notify AFTER INSERT OR UPDATE OR DELETE ON extension_a1_hashes
    FOR EACH ROW EXECUTE FUNCTION ominis_notify_a1_hash_change();
CREATE OR REPLACE TRIGGER extension_a1_hashes_notify_truncate AFTER TRUNCATE ON extension_a1_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION ominis_notify_a1_hash_truncate();

-- In the a1-hash mode the password is not kept. The existing CHECKs (not blank, no '${') pass for NULL.
ALTER TABLE extensions ALTER COLUMN password DROP NOT NULL;
