-- The audit log, append-only for real, and indexed by the unit of the data as well as the reader.
--
-- 1. Each row keeps the path of the reader's unit (`actor_unit_path`) and of the data's unit
--    (`data_unit_path`), so "who read the residents of this commune" is one range scan.
-- 2. Every way of changing a row is refused: UPDATE (also an upsert's DO UPDATE), DELETE, and
--    REPLACE / INSERT OR REPLACE, whose implicit delete fires no DELETE trigger unless
--    recursive_triggers is on: an insert that names an id that exists is refused instead.
-- 3. Retention: DELETE passes only for rows older than a hard floor of 730 days by the
--    database's own clock, so a purge can remove old rows but never recent ones, whatever the
--    application's clock or profile says. The profile's period (5 years) is longer still.
ALTER TABLE audit_log ADD COLUMN actor_unit_path TEXT;
ALTER TABLE audit_log ADD COLUMN data_unit_path TEXT;

-- The backfill is the one change this table ever gets: the triggers are off while it runs.
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
UPDATE audit_log SET
    actor_unit_path = (SELECT u.path FROM units u WHERE u.code = audit_log.scope_unit),
    data_unit_path = (SELECT u.path FROM units u WHERE u.code = audit_log.unit_code);

CREATE INDEX audit_log_actor_unit ON audit_log(actor_unit_path, at);
CREATE INDEX audit_log_data_unit ON audit_log(data_unit_path, at);
CREATE INDEX audit_log_username ON audit_log(username, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= (CAST(strftime('%s', 'now') AS INTEGER) - 730 * 86400) * 1000
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows younger than 730 days stay');
END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log a WHERE a.id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
