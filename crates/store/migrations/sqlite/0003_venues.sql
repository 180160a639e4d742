-- Venues, check-ins, exposure windows at venues and the citizens' alert inbox.

-- The audit log also records venue owners (citizen accounts) reading their venue's visitors:
-- staff_id becomes optional and citizen_id is added. SQLite cannot relax NOT NULL in place, so
-- the table is rebuilt; DROP TABLE removes the append-only triggers before its implicit delete.
CREATE TABLE audit_log_new (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    staff_id    INTEGER REFERENCES staff(id),
    citizen_id  INTEGER REFERENCES citizens(id),
    username    TEXT NOT NULL,
    role        TEXT NOT NULL,
    scope_unit  TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    unit_code   TEXT,
    outcome     TEXT NOT NULL,
    CHECK (staff_id IS NOT NULL OR citizen_id IS NOT NULL)
);
INSERT INTO audit_log_new (id, at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome)
    SELECT id, at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE venues (
    id               INTEGER PRIMARY KEY,
    -- The public code (`V` + 8 Crockford base32 characters) printed on the poster and in the QR.
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    category         TEXT NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    street           TEXT NOT NULL,
    lat              REAL,
    lon              REAL,
    -- The citizen account that registered it (NULL for venues imported by officials).
    owner_citizen_id INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'open',
    created_at       INTEGER NOT NULL
);
CREATE INDEX venues_unit ON venues(unit_code);
CREATE INDEX venues_owner ON venues(owner_citizen_id);

-- Staff accounts that may scan visitors in for a venue.
CREATE TABLE venue_staff (
    venue_id INTEGER NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    PRIMARY KEY (venue_id, staff_id)
);
CREATE INDEX venue_staff_staff ON venue_staff(staff_id);

-- One visit of one person: [in_at, out_at). `out_at` starts as the automatic check-out time
-- (in_at + the category's dwell time, out_auto = 1) and becomes the real one on check-out.
CREATE TABLE checkins (
    id            INTEGER PRIMARY KEY,
    venue_id      INTEGER NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    -- Who sent it (`c:<citizen id>` or `s:<staff id>`): client ids are unique per sender.
    origin        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    citizen_id    INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    member_id     INTEGER REFERENCES family_members(id) ON DELETE CASCADE,
    -- member_id or 0 for the account holder (NULLs would not be equal in the unique key).
    person        INTEGER NOT NULL,
    in_at         INTEGER NOT NULL,
    out_at        INTEGER NOT NULL,
    out_auto      INTEGER NOT NULL,
    out_client_id TEXT,
    method        TEXT NOT NULL,
    UNIQUE (origin, client_id, person)
);
CREATE INDEX checkins_venue_time ON checkins(venue_id, in_at);
CREATE INDEX checkins_person ON checkins(citizen_id, person, venue_id, in_at);
CREATE INDEX checkins_out ON checkins(out_at);

-- An official's "a case was here from … to …".
CREATE TABLE venue_exposures (
    id          INTEGER PRIMARY KEY,
    venue_id    INTEGER NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    level       TEXT NOT NULL,
    case_ref    TEXT,
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    alerted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX venue_exposures_end ON venue_exposures(ends_at);
CREATE INDEX venue_exposures_venue ON venue_exposures(venue_id);

-- The citizen's inbox. A visit's times are copied: the check-in may be purged first.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    member_id   INTEGER REFERENCES family_members(id) ON DELETE CASCADE,
    person      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    -- No foreign key: checking one per row would double the cost of a 20,000-alert fan-out;
    -- the retention job deletes a window's alerts with the window.
    exposure_id INTEGER,
    visit_in    INTEGER,
    visit_out   INTEGER,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    UNIQUE (exposure_id, citizen_id, person)
);
CREATE INDEX alerts_citizen ON alerts(citizen_id, created_at);
