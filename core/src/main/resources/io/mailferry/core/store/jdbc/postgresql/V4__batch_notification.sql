-- MailFerry JDBC store: schema version 4 for PostgreSQL 10 or newer. Additive: new columns only.
-- The outcome of the latest attempt to send a batch's report e-mail (BatchRecord.lastNotification),
-- so that a host (and `mailferry batch get`) sees a report that could not be sent, also after a
-- restart.
--
-- Run by JdbcMigrationStore on start, like V1 (one transaction, advisory lock). By hand, after V3:
--     psql -v ON_ERROR_STOP=1 --single-transaction -d mailferry -f V4__batch_notification.sql
--
-- notification_at_ns: when the report was made (nanoseconds since the epoch), NULL if none was
-- recorded; notification_subject: its subject; notification_error: why sending failed (never a
-- secret), NULL if the message was accepted.

ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_at_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_subject VARCHAR;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_error VARCHAR;

INSERT INTO mailferry_schema_version (version, description) VALUES (4, 'batch notification')
    ON CONFLICT (version) DO NOTHING;
