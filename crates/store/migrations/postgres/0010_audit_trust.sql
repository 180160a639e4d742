-- The audit log, append-only for real, and indexed by the unit of the data as well as the reader.
--
-- 1. Each row keeps the path of the reader's unit (`actor_unit_path`) and of the data's unit
--    (`data_unit_path`), so "who read the residents of this commune" is one range scan.
-- 2. Every way of changing a row is refused: UPDATE (also an upsert's DO UPDATE) and DELETE by
--    the row trigger, TRUNCATE by a statement trigger. The server should also run as an
--    application role without UPDATE, DELETE or TRUNCATE on this table (`Store::grant_app_role`,
--    README "Two database roles"); these triggers hold even for the owner.
-- 3. Retention: DELETE passes only for rows older than a hard floor of 730 days by the
--    database's clock. The application role deletes through `audit_log_purge`, a SECURITY
--    DEFINER function of the owner that never goes past that floor.
ALTER TABLE audit_log ADD COLUMN actor_unit_path TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN data_unit_path TEXT COLLATE "C";

-- The backfill is the one change this table ever gets: the trigger is off while it runs.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
UPDATE audit_log SET
    actor_unit_path = (SELECT u.path FROM units u WHERE u.code = audit_log.scope_unit),
    data_unit_path = (SELECT u.path FROM units u WHERE u.code = audit_log.unit_code);
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;

CREATE INDEX audit_log_actor_unit ON audit_log(actor_unit_path, at);
CREATE INDEX audit_log_data_unit ON audit_log(data_unit_path, at);
CREATE INDEX audit_log_username ON audit_log(username, at);

-- The hard floor, in milliseconds before the database's clock.
CREATE FUNCTION audit_log_floor() RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT - 730::BIGINT * 86400000
$$;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.at < audit_log_floor() THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: rows younger than 730 days stay';
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: no TRUNCATE';
END;
$$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();

-- The retention purge for a role that may not DELETE: removes rows older than `before_ms`, but
-- never a row younger than the floor. Runs as the owner, with the search path fixed to this
-- schema so a caller cannot substitute its own tables or functions.
DO $do$
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION audit_log_purge(before_ms BIGINT) RETURNS BIGINT
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = %I, pg_temp AS $body$
        DECLARE
            n BIGINT;
        BEGIN
            DELETE FROM audit_log WHERE at < LEAST(before_ms, audit_log_floor());
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END;
        $body$
    $f$, current_schema());
END;
$do$;
REVOKE ALL ON FUNCTION audit_log_purge(BIGINT) FROM PUBLIC;
