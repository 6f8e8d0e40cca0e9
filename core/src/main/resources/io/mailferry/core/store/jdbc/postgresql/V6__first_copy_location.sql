-- MailFerry JDBC store: schema version 6 for PostgreSQL 10 or newer: where the first copy of each
-- cross-folder identity is on the target, so that on a target that shows one message in several
-- folders (Gmail's labels, X-GM-LABELS) the engine adds a message's other folders to that copy
-- instead of only leaving them out. Additive: new nullable columns only; rows written by version 5
-- read as identities without locations.
--
-- Run by JdbcMigrationStore on start, like V1 (one transaction, advisory lock). By hand, after V5:
--     psql -v ON_ERROR_STOP=1 --single-transaction -d mailferry -f V6__first_copy_location.sql
-- No new table: the store's database user needs no new privileges.
--
-- target_folder: the target folder the row's messages were copied into (or found in), NULL if
-- unknown. target_uids: one 4-byte big-endian unsigned UID per identity of ids, in the same order
-- (0 where the target did not report the UID), NULL if none is known.

ALTER TABLE mailferry_copied_identity ADD COLUMN IF NOT EXISTS target_folder VARCHAR;
ALTER TABLE mailferry_copied_identity ADD COLUMN IF NOT EXISTS target_uids BYTEA;

INSERT INTO mailferry_schema_version (version, description) VALUES (6, 'first copy location')
    ON CONFLICT (version) DO NOTHING;
