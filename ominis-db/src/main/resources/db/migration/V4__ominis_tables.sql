-- The tables Ominis owns: the SIP directory, IVRs and their prompt cache, and ACLs.
-- Deviations from the spec's DDL (each also listed in the README):
--   * created_at/updated_at are TIMESTAMPTZ: an instant, whatever the session's time zone.
--   * CHECK constraints mirror the validation of ominis-core, so writers other than our API (psql, scripts) cannot
--     store what FreeSWITCH would choke on. Each is named <table>_<column>_check so errors can name the column.
--     Text that FreeSWITCH expands at run time (prompts, action targets, caller-ID names) may not hold '${':
--     ${system(...)} or ${api(...)} there would run commands on the switch.
--   * ivrs.openai_api_key is nullable: an IVR may use the deployment's default key. Our API stores it encrypted.
--   * ivr_menu_options.digit is VARCHAR(32), not 10, to fit FreeSWITCH's /regex/ bindings.
--   * Redundant indexes of the spec are left out: idx_ivr_tts_cache_hash and idx_ivr_menus_ivr_name duplicate
--     the UNIQUE constraints' own indexes on (text_hash) and (ivr_name, menu_id).

CREATE OR REPLACE FUNCTION ominis_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- A CHECK cannot catch a failing cast, so CIDR validity is tested by a function that turns the error into false.
CREATE OR REPLACE FUNCTION ominis_is_cidr(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS
$$
BEGIN
    PERFORM value::cidr;
    RETURN true;
EXCEPTION
    WHEN others THEN
        RETURN false;
END;
$$;

CREATE TABLE IF NOT EXISTS extensions (
    number               VARCHAR(20) PRIMARY KEY,
    password             VARCHAR(255) NOT NULL,
    display_name         VARCHAR(255),
    email                VARCHAR(255),
    department           VARCHAR(255),
    status               VARCHAR(20) NOT NULL DEFAULT 'active',
    call_forwarding_json JSONB,
    voicemail_json       JSONB,
    features_json        JSONB,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT extensions_number_check CHECK (number ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$'),
    CONSTRAINT extensions_password_check CHECK (btrim(password) <> ''),
    CONSTRAINT extensions_display_name_check CHECK (strpos(display_name, '${') = 0),
    CONSTRAINT extensions_department_check CHECK (strpos(department, '${') = 0),
    CONSTRAINT extensions_status_check CHECK (status IN ('active', 'inactive', 'suspended')),
    CONSTRAINT extensions_call_forwarding_json_check CHECK (jsonb_typeof(call_forwarding_json) = 'object'),
    CONSTRAINT extensions_voicemail_json_check CHECK (jsonb_typeof(voicemail_json) = 'object'),
    CONSTRAINT extensions_features_json_check CHECK (jsonb_typeof(features_json) = 'object')
);
CREATE INDEX IF NOT EXISTS idx_extensions_status ON extensions (status);
CREATE INDEX IF NOT EXISTS idx_extensions_department ON extensions (department);
CREATE INDEX IF NOT EXISTS idx_extensions_email ON extensions (email);

CREATE TABLE IF NOT EXISTS ivrs (
    name             VARCHAR(64) PRIMARY KEY,
    description      TEXT,
    openai_api_key   TEXT,
    default_language VARCHAR(10) NOT NULL DEFAULT 'en',
    default_voice    VARCHAR(50) NOT NULL DEFAULT 'alloy',
    tts_model        VARCHAR(50) NOT NULL DEFAULT 'tts-1',
    status           VARCHAR(20) NOT NULL DEFAULT 'pending',
    pod_name         VARCHAR(255),
    service_name     VARCHAR(255),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ivrs_name_check CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT ivrs_status_check CHECK (status IN ('pending', 'running', 'stopped', 'error'))
);
CREATE INDEX IF NOT EXISTS idx_ivrs_status ON ivrs (status);

CREATE TABLE IF NOT EXISTS ivr_menus (
    id              SERIAL PRIMARY KEY,
    ivr_name        VARCHAR(64) NOT NULL REFERENCES ivrs (name) ON DELETE CASCADE ON UPDATE CASCADE,
    menu_id         VARCHAR(100) NOT NULL,
    prompt_text     TEXT NOT NULL,
    tts_voice       VARCHAR(50),
    timeout_seconds INTEGER NOT NULL DEFAULT 5,
    max_retries     INTEGER NOT NULL DEFAULT 3,
    invalid_prompt  TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ivr_menus_ivr_name_menu_id_key UNIQUE (ivr_name, menu_id),
    CONSTRAINT ivr_menus_menu_id_check CHECK (menu_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    CONSTRAINT ivr_menus_prompt_text_check CHECK (btrim(prompt_text) <> '' AND strpos(prompt_text, '${') = 0),
    CONSTRAINT ivr_menus_invalid_prompt_check CHECK (strpos(invalid_prompt, '${') = 0),
    CONSTRAINT ivr_menus_timeout_seconds_check CHECK (timeout_seconds BETWEEN 1 AND 300),
    CONSTRAINT ivr_menus_max_retries_check CHECK (max_retries BETWEEN 1 AND 10)
);
CREATE INDEX IF NOT EXISTS idx_ivr_menus_menu_id ON ivr_menus (menu_id);

CREATE TABLE IF NOT EXISTS ivr_menu_options (
    id            SERIAL PRIMARY KEY,
    menu_id       INTEGER NOT NULL REFERENCES ivr_menus (id) ON DELETE CASCADE,
    digit         VARCHAR(32) NOT NULL,
    action_type   VARCHAR(50) NOT NULL,
    action_target TEXT NOT NULL,
    action_config JSONB,
    description   TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ivr_menu_options_menu_id_digit_key UNIQUE (menu_id, digit),
    CONSTRAINT ivr_menu_options_digit_check CHECK (digit ~ '^([0-9*#]{1,32}|timeout|/.{1,30}/)$'),
    CONSTRAINT ivr_menu_options_action_type_check CHECK (action_type IN ('transfer_queue', 'transfer_extension',
        'sub_menu', 'http_api_call', 'hangup', 'play_audio', 'voicemail')),
    CONSTRAINT ivr_menu_options_action_target_check CHECK (btrim(action_target) <> ''
                                                           AND strpos(action_target, '${') = 0),
    CONSTRAINT ivr_menu_options_action_config_check CHECK (jsonb_typeof(action_config) = 'object')
);
CREATE INDEX IF NOT EXISTS idx_ivr_menu_options_menu_id ON ivr_menu_options (menu_id);

CREATE TABLE IF NOT EXISTS ivr_tts_cache (
    id               SERIAL PRIMARY KEY,
    text_hash        VARCHAR(64) NOT NULL,
    text             TEXT NOT NULL,
    language         VARCHAR(10) NOT NULL,
    voice            VARCHAR(50) NOT NULL,
    model            VARCHAR(50) NOT NULL,
    file_path        TEXT NOT NULL,
    file_size_bytes  INTEGER,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_accessed_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    access_count     INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT ivr_tts_cache_text_hash_key UNIQUE (text_hash),
    CONSTRAINT ivr_tts_cache_text_hash_check CHECK (text_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ivr_tts_cache_file_size_bytes_check CHECK (file_size_bytes >= 0),
    CONSTRAINT ivr_tts_cache_access_count_check CHECK (access_count >= 0)
);
-- Eviction walks the least valuable entries first.
CREATE INDEX IF NOT EXISTS idx_ivr_tts_cache_eviction ON ivr_tts_cache (access_count, last_accessed_at);

CREATE TABLE IF NOT EXISTS acl_entries (
    id          SERIAL PRIMARY KEY,
    list_name   VARCHAR(64) NOT NULL DEFAULT 'trusted_users',
    cidr        VARCHAR(128) NOT NULL,
    permission  VARCHAR(10) NOT NULL DEFAULT 'allow',
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT acl_entries_list_name_cidr_key UNIQUE (list_name, cidr),
    CONSTRAINT acl_entries_list_name_check CHECK (list_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT acl_entries_cidr_check CHECK (ominis_is_cidr(cidr)),
    CONSTRAINT acl_entries_permission_check CHECK (permission IN ('allow', 'deny'))
);
CREATE INDEX IF NOT EXISTS idx_acl_entries_list ON acl_entries (list_name);

CREATE OR REPLACE TRIGGER extensions_updated_at BEFORE UPDATE ON extensions
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();
CREATE OR REPLACE TRIGGER ivrs_updated_at BEFORE UPDATE ON ivrs
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();
CREATE OR REPLACE TRIGGER ivr_menus_updated_at BEFORE UPDATE ON ivr_menus
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();
CREATE OR REPLACE TRIGGER acl_entries_updated_at BEFORE UPDATE ON acl_entries
    FOR EACH ROW EXECUTE FUNCTION ominis_set_updated_at();

-- The spec's seed rows. ON CONFLICT keeps this safe where an operator already added them by hand.
INSERT INTO acl_entries (list_name, cidr, permission, description)
VALUES ('trusted_users', '10.42.0.0/16', 'allow', 'Kubernetes pod network'),
       ('trusted_users', '10.43.0.0/16', 'allow', 'Kubernetes service network'),
       ('trusted_users', '127.0.0.1/32', 'allow', 'Localhost')
ON CONFLICT (list_name, cidr) DO NOTHING;
