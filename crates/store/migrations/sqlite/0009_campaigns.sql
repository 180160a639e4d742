-- Adoption campaigns: units with head counts, campaigns with targets and reporting dates, the
-- units' reports, reminders sent, and the unit code citizens give when they sign up.

CREATE TABLE org_units (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    parent_id        INTEGER REFERENCES org_units(id),
    reporter_phone   TEXT,
    staff            INTEGER NOT NULL,
    staff_smartphone INTEGER NOT NULL,
    residents        INTEGER NOT NULL,
    smartphone_users INTEGER NOT NULL,
    venues           INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX org_units_unit ON org_units(unit_code);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    goal        TEXT NOT NULL,
    start_day   TEXT NOT NULL,
    deadline    TEXT NOT NULL,
    -- JSON arrays: reporting days (YYYY-MM-DD) and targets ({population, percent}).
    reporting   TEXT NOT NULL,
    targets     TEXT NOT NULL,
    -- The creator's unit: the campaign is visible inside it.
    unit_code   TEXT NOT NULL REFERENCES units(code),
    created_by  INTEGER REFERENCES staff(id),
    created_at  INTEGER NOT NULL
);

CREATE TABLE campaign_units (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    PRIMARY KEY (campaign_id, org_unit_id)
);

-- One report per unit and reporting day (a correction replaces it).
CREATE TABLE campaign_reports (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    day         TEXT NOT NULL,
    counts      TEXT NOT NULL,
    note        TEXT NOT NULL,
    reported_by INTEGER REFERENCES staff(id),
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, org_unit_id, day)
);

CREATE TABLE campaign_reminders (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    due_day     TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, org_unit_id, due_day)
);

ALTER TABLE citizens ADD COLUMN org_unit_id INTEGER REFERENCES org_units(id);
CREATE INDEX citizens_org_unit ON citizens(org_unit_id);
