-- MailFerry JDBC store: schema version 5 for PostgreSQL 10 or newer: the cross-folder identities
-- (Gmail's X-GM-MSGID) of the messages copied per mailbox, so that a message shown in several
-- folders (one per Gmail label) is copied once, also across passes and restarts
-- (MigrationEndpoint skipCrossDuplicates). Additive: a new table only.
--
-- Run by JdbcMigrationStore on start, like V1 (one transaction, advisory lock). By hand, after V4:
--     psql -v ON_ERROR_STOP=1 --single-transaction -d mailferry -f V5__cross_folder_identity.sql
-- The store's database user then also needs SELECT, INSERT and DELETE on the new table.
--
-- One row per checkpoint that copied messages carrying identities: ids holds them as 8-byte
-- big-endian signed integers, sorted, each once (a row may repeat an identity of another row).
-- seq numbers a mailbox's rows from 1.

CREATE TABLE IF NOT EXISTS mailferry_copied_identity (
    mailbox_key VARCHAR NOT NULL,
    seq         BIGINT  NOT NULL,
    ids         BYTEA   NOT NULL,
    PRIMARY KEY (mailbox_key, seq)
);

INSERT INTO mailferry_schema_version (version, description) VALUES (5, 'cross folder identity')
    ON CONFLICT (version) DO NOTHING;
