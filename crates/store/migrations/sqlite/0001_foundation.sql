-- Foundation: units, accounts, sessions, one-time codes, audit log.
-- Times are milliseconds since the Unix epoch (UTC) in both backends.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES units(code),
    tier        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE
);
CREATE INDEX units_parent ON units(parent_code);

CREATE TABLE citizens (
    id              INTEGER PRIMARY KEY,
    phone           TEXT NOT NULL UNIQUE,
    full_name       TEXT,
    unit_code       TEXT REFERENCES units(code),
    created_at      INTEGER NOT NULL,
    last_sign_in_at INTEGER
);
CREATE INDEX citizens_unit ON citizens(unit_code);

CREATE TABLE family_members (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    full_name   TEXT NOT NULL,
    birth_year  INTEGER NOT NULL,
    relation    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX family_members_citizen ON family_members(citizen_id);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

CREATE TABLE otp_codes (
    phone           TEXT PRIMARY KEY,
    code_hash       TEXT NOT NULL,
    sent_at         INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    citizen_id  INTEGER REFERENCES citizens(id) ON DELETE CASCADE,
    staff_id    INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    CHECK ((citizen_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    scope_unit  TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    unit_code   TEXT,
    outcome     TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The audit log is append-only: no row is ever changed or removed by the application.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
