-- Case and contact tracing: the people in the registry, confirmed cases (F0), contacts from
-- venues, proximity reports and interviews, and quarantine orders.

-- Anyone tracing knows of: a citizen with an account, or someone an official entered.
CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    full_name   TEXT NOT NULL,
    phone       TEXT,
    id_number   TEXT,
    birth_year  INTEGER,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    citizen_id  INTEGER UNIQUE REFERENCES citizens(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX persons_phone ON persons(phone);
CREATE INDEX persons_unit ON persons(unit_code);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    onset_day         TEXT,
    sample_day        TEXT NOT NULL,
    confirmed_day     TEXT NOT NULL,
    source            TEXT NOT NULL,
    status            TEXT NOT NULL,
    transmission_from INTEGER NOT NULL,
    isolated_at       INTEGER NOT NULL,
    -- The person's unit when registered: the case is scoped to it.
    unit_code         TEXT NOT NULL REFERENCES units(code),
    note              TEXT,
    created_by        INTEGER REFERENCES staff(id),
    created_at        INTEGER NOT NULL,
    closed_at         INTEGER
);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_unit ON cases(unit_code, created_at);

-- A contact between two people (symmetric; `a` is the side tracing started from).
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    a           INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    b           INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    minutes     INTEGER NOT NULL,
    setting     TEXT NOT NULL,
    masked      INTEGER,
    close       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    confidence  TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    -- What produced it (`venue:<visit>:<visit>`, `proximity:<report>`), so a rerun adds nothing.
    ref         TEXT UNIQUE,
    created_by  INTEGER REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    CHECK (a <> b)
);
CREATE INDEX contacts_a ON contacts(a, at);
CREATE INDEX contacts_b ON contacts(b, at);

CREATE TABLE quarantine_orders (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    case_id          INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    level            INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    monitoring_until TEXT NOT NULL,
    -- The test dates as a JSON array of YYYY-MM-DD.
    tests_on         TEXT NOT NULL,
    status           TEXT NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    created_by       INTEGER REFERENCES staff(id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX quarantine_person ON quarantine_orders(person_id, starts_on);
CREATE INDEX quarantine_unit ON quarantine_orders(unit_code, ends_on);
