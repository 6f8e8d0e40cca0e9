-- MailFerry JDBC store: schema version 3 for PostgreSQL 10 or newer. Additive: new columns and
-- tables only.
--
-- Run by JdbcMigrationStore on start, like V1 (one transaction, advisory lock). By hand, after V2:
--     psql -v ON_ERROR_STOP=1 --single-transaction -d mailferry -f V3__uid_segments_in_flight_secrets.sql
-- The store's database user then also needs SELECT, INSERT, UPDATE and DELETE on the new tables.
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
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uids BYTEA;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uid_validity BIGINT;
ALTER TABLE mailferry_folder_state ADD COLUMN IF NOT EXISTS in_flight_uid_next BIGINT;

CREATE TABLE IF NOT EXISTS mailferry_uid_segment (
    mailbox_key   VARCHAR NOT NULL,
    source_folder VARCHAR NOT NULL,
    seq           BIGINT  NOT NULL,
    pairs         BYTEA   NOT NULL,
    PRIMARY KEY (mailbox_key, source_folder, seq)
);

CREATE TABLE IF NOT EXISTS mailferry_secret (
    name   VARCHAR NOT NULL PRIMARY KEY,
    sealed BYTEA   NOT NULL
);

INSERT INTO mailferry_schema_version (version, description) VALUES (3, 'uid segments in flight secrets')
    ON CONFLICT (version) DO NOTHING;
