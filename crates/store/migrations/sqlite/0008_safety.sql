-- "An toàn COVID": facilities and their staff, officials' versions of the criteria sets, daily
-- self-assessments, citizens' feedback on facilities, citizens' risk reports, unit populations.

CREATE TABLE facilities (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    facility_type TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    address       TEXT NOT NULL,
    lat           REAL NOT NULL,
    lon           REAL NOT NULL,
    created_by    INTEGER REFERENCES staff(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX facilities_unit ON facilities(unit_code);

CREATE TABLE facility_staff (
    facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    staff_id    INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    PRIMARY KEY (facility_id, staff_id)
);
CREATE INDEX facility_staff_staff ON facility_staff(staff_id);

-- Versions officials published; the shipped sets (data/criteria) are version 1 of each type
-- and are not stored. `body` is the set as JSON.
CREATE TABLE criteria_sets (
    facility_type TEXT NOT NULL,
    version       INTEGER NOT NULL,
    set_id        TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_by    INTEGER REFERENCES staff(id),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (facility_type, version)
);

-- One assessment per facility and day (a later one the same day replaces it).
CREATE TABLE assessments (
    facility_id  INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    set_id       TEXT NOT NULL,
    set_version  INTEGER NOT NULL,
    answers      TEXT NOT NULL,
    colour       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    submitted_by INTEGER REFERENCES staff(id),
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (facility_id, day)
);

CREATE TABLE facility_feedback (
    id          INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
    citizen_id  INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    text        TEXT NOT NULL,
    photo       BLOB,
    created_at  INTEGER NOT NULL,
    answer      TEXT,
    answered_by INTEGER REFERENCES staff(id),
    answered_at INTEGER
);
CREATE INDEX facility_feedback_facility ON facility_feedback(facility_id, created_at);

CREATE TABLE risk_reports (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    category    TEXT NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    lat         REAL,
    lon         REAL,
    address     TEXT,
    text        TEXT NOT NULL,
    photo       BLOB,
    status      TEXT NOT NULL,
    note        TEXT,
    handled_by  INTEGER REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX risk_reports_unit ON risk_reports(unit_code, status);
CREATE INDEX risk_reports_citizen ON risk_reports(citizen_id, created_at);

-- Population per unit (entered by officials, or shipped with a deployment), for area levels.
CREATE TABLE unit_populations (
    unit_code  TEXT PRIMARY KEY REFERENCES units(code),
    population INTEGER NOT NULL CHECK (population > 0),
    updated_at INTEGER NOT NULL
);
