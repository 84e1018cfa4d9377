-- One rule for text FreeSWITCH expands: no '${' (which also covers '$${') in any value that reaches FreeSWITCH,
-- including the members of the JSON columns rendered into the directory (voicemail_json.password -> vm-password,
-- voicemail_json.email -> vm-mailto, features_json.accountcode -> accountcode, features_json.* -> ominis_*) and
-- action_config of IVR options. V4 already did this for display_name, department, prompts and action targets.
-- A jsonb value printed as text shows '$' and '{' of its strings as they are and never puts '$' before a
-- structural '{', so strpos on the text finds exactly the strings (and member names) that hold '${'.
--
-- play_audio targets get the structural half of ominis-core's rule: a named stream (tone_stream://,
-- silence_stream://, say:, phrase:) or a file path without '..' segments; no other scheme (shell_stream:// runs a
-- program, http:// fetches from anywhere). Which absolute directories are allowed depends on the deployment
-- (OMINIS_IVR_SOUND_ROOTS) and is checked by the API and the renderer, not here.
--
-- Each constraint keeps the <table>_<column>_check name, so errors still name the column. Constraints are added
-- NOT VALID and then validated: rows stored before this migration that break a rule do not stop the upgrade; they
-- are reported by a WARNING here and by `db-info` (constraints not validated), and any write to such a row must fix
-- them. `ALTER TABLE … VALIDATE CONSTRAINT …` once they are fixed.

ALTER TABLE extensions
    DROP CONSTRAINT IF EXISTS extensions_password_check,
    ADD CONSTRAINT extensions_password_check
        CHECK (btrim(password) <> '' AND strpos(password, '${') = 0) NOT VALID,
    DROP CONSTRAINT IF EXISTS extensions_email_check,
    ADD CONSTRAINT extensions_email_check CHECK (strpos(email, '${') = 0) NOT VALID,
    DROP CONSTRAINT IF EXISTS extensions_call_forwarding_json_check,
    ADD CONSTRAINT extensions_call_forwarding_json_check
        CHECK (jsonb_typeof(call_forwarding_json) = 'object' AND strpos(call_forwarding_json::text, '${') = 0) NOT VALID,
    DROP CONSTRAINT IF EXISTS extensions_voicemail_json_check,
    ADD CONSTRAINT extensions_voicemail_json_check
        CHECK (jsonb_typeof(voicemail_json) = 'object' AND strpos(voicemail_json::text, '${') = 0) NOT VALID,
    DROP CONSTRAINT IF EXISTS extensions_features_json_check,
    ADD CONSTRAINT extensions_features_json_check
        CHECK (jsonb_typeof(features_json) = 'object' AND strpos(features_json::text, '${') = 0) NOT VALID;

ALTER TABLE ivr_menu_options
    DROP CONSTRAINT IF EXISTS ivr_menu_options_action_target_check,
    ADD CONSTRAINT ivr_menu_options_action_target_check
        CHECK (btrim(action_target) <> ''
               AND strpos(action_target, '${') = 0
               AND (action_type <> 'http_api_call' OR action_target ~* '^https?://')
               AND (action_type <> 'play_audio'
                    OR action_target ~ '^(tone_stream://|silence_stream://|say:|phrase:)'
                    OR (action_target !~ '^[A-Za-z][A-Za-z0-9+._-]*:'
                        AND action_target !~ '(^|[/\\])\.\.([/\\]|$)'))) NOT VALID,
    DROP CONSTRAINT IF EXISTS ivr_menu_options_action_config_check,
    ADD CONSTRAINT ivr_menu_options_action_config_check
        CHECK (jsonb_typeof(action_config) = 'object' AND strpos(action_config::text, '${') = 0) NOT VALID;

DO
$$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conrelid::regclass::text AS table_name, conname
             FROM pg_constraint
             WHERE NOT convalidated
               AND conname IN ('extensions_password_check', 'extensions_email_check',
                               'extensions_call_forwarding_json_check', 'extensions_voicemail_json_check',
                               'extensions_features_json_check', 'ivr_menu_options_action_target_check',
                               'ivr_menu_options_action_config_check')
        LOOP
            BEGIN
                EXECUTE format('ALTER TABLE %I VALIDATE CONSTRAINT %I', c.table_name, c.conname);
            EXCEPTION
                WHEN check_violation THEN
                    RAISE WARNING 'ominis: rows of % break % (FreeSWITCH would expand ''${'' or play a sound outside the rules); the constraint guards new writes, fix those rows',
                        c.table_name, c.conname;
            END;
        END LOOP;
END;
$$;
