-- Test-only schema script: the next version after MailFerry's latest (${version} is replaced).
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS upgrade_probe VARCHAR DEFAULT 'added by the upgrade';
CREATE TABLE IF NOT EXISTS mailferry_upgrade_probe (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO mailferry_schema_version (version, description) VALUES (${version}, 'upgrade probe')
    ON CONFLICT (version) DO NOTHING;
