-- MailFerry JDBC store: schema version 3 for H2 2.x. Additive: new columns and tables only.
--
-- Run by JdbcMigrationStore on start, like V1 (every statement may run again). By hand, after V2:
--     java -cp h2.jar org.h2.tools.RunScript -url "jdbc:h2:file:/path/mailferry" -user sa -script V3__uid_segments_in_flight_secrets.sql
--
-- 1. Checkpoints append what they add. A folder's source-UID -> target-UID map is
--    mailferry_folder_state.uid_map (the base, UidMap.encode()) plus the rows of
--    mailferry_uid_segment (each the UidMap.encode() of the pairs one checkpoint added), applied
--    in seq order. The store compacts the segments into the base now and then; segment_count and
--    segment_bytes say how many segment rows (and encoded bytes) the folder has, next_segment is
--    the seq of the next one, uid_map_bytes the size of the base.
-- 2. The in-flight append: the source UIDs of an append that was started and not yet
--    checkpointed (InFlightAppend.encodeSourceUids()), with the target folder's UIDVALIDITY and a
--    lower bound of the target UIDs the append can produce. NULL when none.
-- 3. Sealed secrets (EncryptingSecretStore): opaque AES-GCM sealed bytes by name. Never clear text.

ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS uid_map_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS segment_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS segment_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS next_segment BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uids VARBINARY;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uid_validity BIGINT;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uid_next BIGINT;

CREATE TABLE IF NOT EXISTS mailferry_uid_segment (
    mailbox_key   VARCHAR NOT NULL,
    source_folder VARCHAR NOT NULL,
    seq           BIGINT  NOT NULL,
    pairs         VARBINARY NOT NULL,
    PRIMARY KEY (mailbox_key, source_folder, seq)
);

CREATE TABLE IF NOT EXISTS mailferry_secret (
    name   VARCHAR NOT NULL PRIMARY KEY,
    sealed VARBINARY NOT NULL
);

MERGE INTO mailferry_schema_version (version, description) KEY (version)
    VALUES (3, 'uid segments in flight secrets');
