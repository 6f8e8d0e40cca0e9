-- MailFerry JDBC store: schema version 5 for H2 2.x: the cross-folder identities (Gmail's
-- X-GM-MSGID) of the messages copied per mailbox, so that a message shown in several folders (one
-- per Gmail label) is copied once, also across passes and restarts (MigrationEndpoint
-- skipCrossDuplicates).
--
-- JdbcMigrationStore runs this script itself on start, after V4. Every statement may run again. By
-- hand: java -cp h2.jar org.h2.tools.RunScript -url "jdbc:h2:file:/path/mailferry" -user sa -script V5__cross_folder_identity.sql
--
-- One row per checkpoint that copied messages carrying identities: ids holds them as 8-byte
-- big-endian signed integers, sorted, each once (a row may repeat an identity of another row).
-- seq numbers a mailbox's rows from 1.

CREATE TABLE IF NOT EXISTS mailferry_copied_identity (
    mailbox_key VARCHAR   NOT NULL,
    seq         BIGINT    NOT NULL,
    ids         VARBINARY NOT NULL,
    PRIMARY KEY (mailbox_key, seq)
);

MERGE INTO mailferry_schema_version (version, description) KEY (version)
    VALUES (5, 'cross folder identity');
