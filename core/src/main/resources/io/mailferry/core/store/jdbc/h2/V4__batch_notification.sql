-- MailFerry JDBC store: schema version 4 for H2 2.x: the outcome of the latest attempt to send a
-- batch's report e-mail (BatchRecord.lastNotification), so that a host (and `mailferry batch get`)
-- sees a report that could not be sent, also after a restart.
--
-- JdbcMigrationStore runs this script itself on start, after V3. Every statement may run again. By
-- hand: java -cp h2.jar org.h2.tools.RunScript -url "jdbc:h2:file:/path/mailferry" -user sa -script V4__batch_notification.sql
--
-- notification_at_ns: when the report was made (nanoseconds since the epoch), NULL if none was
-- recorded; notification_subject: its subject; notification_error: why sending failed (never a
-- secret), NULL if the message was accepted.

ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_at_ns BIGINT;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_subject VARCHAR;
ALTER TABLE mailferry_batch ADD COLUMN IF NOT EXISTS notification_error VARCHAR;

MERGE INTO mailferry_schema_version (version, description) KEY (version)
    VALUES (4, 'batch notification');
