-- MailFerry JDBC store: schema version 2 for PostgreSQL 10 or newer: the batch options, per-user
-- overrides and statistics of the migration service model (batch lifecycle issue).
--
-- JdbcMigrationStore runs this script itself on start, after V1, in one transaction under the
-- advisory lock. To run it by hand, after V1__initial.sql:
--     psql -v ON_ERROR_STOP=1 --single-transaction -d mailferry -f V2__batch_options.sql
-- Every statement may run again, and the script records its version at the end.
--
-- Conventions as in V1: instants are BIGINT nanoseconds since 1970-01-01T00:00:00Z (*_ns), durations
-- BIGINT nanoseconds, enums by constant name, item limits 2147483647 for Unlimited; no column holds a
-- password. Rows written by version 1 get the defaults of the new options.

-- Batch options (BatchOptions) and times.
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS auto_complete BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS start_after_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS complete_after_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS allow_incremental_syncs BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS incremental_sync_interval_ns BIGINT DEFAULT 86400000000000 NOT NULL;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS received_after_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS received_before_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS report_interval_ns BIGINT DEFAULT 86400000000000 NOT NULL;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS priority VARCHAR DEFAULT 'NORMAL' NOT NULL;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS completed_at_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS created_by VARCHAR;

-- The list-valued batch options, in order: kind INCLUDE_FOLDER, EXCLUDE_FOLDER or NOTIFICATION_EMAIL.
CREATE TABLE IF NOT EXISTS mailferry_batch_option_value (
    batch_name   VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    seq_no       INTEGER NOT NULL,
    option_value VARCHAR NOT NULL,
    PRIMARY KEY (batch_name, kind, seq_no)
);

-- A user's own settings (UserOverrides; NULL: as the batch says), the new statistics and the status
-- detail (what the user waits for, e.g. credentials; never a secret).
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS start_after_ns BIGINT;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS complete_after_ns BIGINT;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS bad_item_limit INTEGER;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS large_item_limit INTEGER;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS filtered_item_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS percentage_complete INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS queued_duration_ns BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS in_progress_duration_ns BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS synced_duration_ns BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS stalled_duration_ns BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mailferry_user ADD COLUMN IF NOT EXISTS status_detail VARCHAR;

INSERT INTO mailferry_schema_version (version, description) VALUES (2, 'batch options')
    ON CONFLICT (version) DO NOTHING;
