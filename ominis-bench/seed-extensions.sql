-- The extensions every directory benchmark runs against: :users rows numbered from :first, each with the fields a
-- real directory answer carries (display name, email, department, voicemail settings).
-- psql -v first=100000 -v users=100000 -f seed-extensions.sql
TRUNCATE extensions, extension_a1_hashes;
INSERT INTO extensions (number, password, display_name, email, department, status, voicemail_json)
SELECT g::text, 'pw-' || md5(g::text), 'User ' || g, 'user' || g || '@example.com', 'dept-' || (g % 50), 'active',
       jsonb_build_object('enabled', true, 'password', lpad((g % 10000)::text, 4, '0'))
FROM generate_series(:first, :first + :users - 1) AS g;
VACUUM ANALYZE extensions;
