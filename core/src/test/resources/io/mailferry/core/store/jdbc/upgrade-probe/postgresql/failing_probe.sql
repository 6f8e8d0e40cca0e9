-- Test-only schema script that fails in its second statement: nothing of it may remain.
CREATE TABLE mailferry_half_done (id INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE mailferry_batch (id INTEGER);
INSERT INTO mailferry_schema_version (version, description) VALUES (${version}, 'failing probe');
