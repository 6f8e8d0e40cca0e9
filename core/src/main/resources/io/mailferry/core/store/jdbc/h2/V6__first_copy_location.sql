-- MailFerry JDBC store: schema version 6 for H2 2.x: where the first copy of each cross-folder
-- identity is on the target, so that on a target that shows one message in several folders
-- (Gmail's labels, X-GM-LABELS) the engine adds a message's other folders to that copy instead of
-- only leaving them out. Additive: new nullable columns only; rows written by version 5 read as
-- identities without locations.
--
-- JdbcMigrationStore runs this script itself on start, after V5. Every statement may run again. By
-- hand: java -cp h2.jar org.h2.tools.RunScript -url "jdbc:h2:file:/path/mailferry" -user sa -script V6__first_copy_location.sql
--
-- target_folder: the target folder the row's messages were copied into (or found in), NULL if
-- unknown. target_uids: one 4-byte big-endian unsigned UID per identity of ids, in the same order
-- (0 where the target did not report the UID), NULL if none is known.

ALTER TABLE mailferry_copied_identity ADD COLUMN IF NOT EXISTS target_folder VARCHAR;
ALTER TABLE mailferry_copied_identity ADD COLUMN IF NOT EXISTS target_uids VARBINARY;

MERGE INTO mailferry_schema_version (version, description) KEY (version)
    VALUES (6, 'first copy location');
