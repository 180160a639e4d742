-- Health declarations of all four kinds. The full form is kept as JSON in `answers`; the columns
-- beside it are what officials filter, sort and join on.

CREATE TABLE declarations (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    -- The account it was made under; NULL for a person without any phone, declared by staff.
    citizen_id        INTEGER REFERENCES citizens(id) ON DELETE CASCADE,
    member_id         INTEGER REFERENCES family_members(id) ON DELETE CASCADE,
    -- Pseudonymous person id (hex), stable for one person; what the health pass carries.
    subject           TEXT NOT NULL,
    full_name         TEXT NOT NULL,
    -- Address unit (daily updates: the person's home unit); decides jurisdiction.
    unit_code         TEXT NOT NULL REFERENCES units(code),
    -- The declarant's local date (YYYY-MM-DD).
    day               TEXT NOT NULL,
    colour            TEXT NOT NULL,
    -- 0 green, 1 yellow, 2 red: for "risky first".
    severity          INTEGER NOT NULL,
    -- Flag codes, comma-separated.
    flags             TEXT NOT NULL,
    answers           TEXT NOT NULL,
    declared_at       INTEGER NOT NULL,
    declared_by_staff INTEGER REFERENCES staff(id),
    -- Entry declarations: the monitoring period [monitor_from, monitor_until) of daily updates.
    monitor_from      TEXT,
    monitor_until     TEXT
);
CREATE INDEX declarations_subject ON declarations(subject, declared_at);
CREATE INDEX declarations_unit ON declarations(unit_code, declared_at);
CREATE INDEX declarations_citizen ON declarations(citizen_id, declared_at);
CREATE UNIQUE INDEX declarations_daily_once ON declarations(subject, day) WHERE kind = 'daily_update';
