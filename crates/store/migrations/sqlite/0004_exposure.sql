-- Bluetooth exposure notification: upload codes for confirmed cases, their uploads of
-- diagnosis keys, the published export files, and "I may be F1" reports.

-- A code's whole life in one row: issued by an official (or made for an F1 who shares keys),
-- traded once for an upload token, the token used once for an upload.
CREATE TABLE en_codes (
    id               INTEGER PRIMARY KEY,
    -- Keyed hash of the 8-digit code; NULL for tokens made directly for an F1 report.
    code_hash        TEXT UNIQUE,
    report_type      TEXT NOT NULL,
    onset_day        TEXT,
    -- The case's unit: officials of it see the uploads and the F1 reports they cause.
    unit_code        TEXT NOT NULL REFERENCES units(code),
    citizen_id       INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    issued_by        INTEGER REFERENCES staff(id),
    -- Set when the keys come from an F1 who reported and shares them (their contacts are F2).
    f1_report_id     INTEGER,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    verified_at      INTEGER,
    token_hash       TEXT UNIQUE,
    token_expires_at INTEGER,
    uploaded_at      INTEGER
);
CREATE INDEX en_codes_expiry ON en_codes(expires_at);

CREATE TABLE en_uploads (
    id          INTEGER PRIMARY KEY,
    code_id     INTEGER NOT NULL UNIQUE REFERENCES en_codes(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    keys        INTEGER NOT NULL
);

CREATE TABLE en_exports (
    id          INTEGER PRIMARY KEY,
    -- Relative to /en/exports/, e.g. `1764403200-00003.zip`.
    file        TEXT NOT NULL UNIQUE,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL,
    keys        INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    -- 0 while the file is being written: the index lists published files only, and a
    -- crash before publishing is repaired by writing the file again.
    published   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE en_keys (
    -- Hex of the 16 key bytes: a key is published once.
    key_hex          TEXT PRIMARY KEY,
    rolling_start    INTEGER NOT NULL,
    rolling_period   INTEGER NOT NULL,
    transmission_risk INTEGER NOT NULL,
    report_type      TEXT NOT NULL,
    days_since_onset INTEGER,
    upload_id        INTEGER NOT NULL REFERENCES en_uploads(id) ON DELETE CASCADE,
    received_at      INTEGER NOT NULL,
    -- Not exported before this (today's key waits until it has expired).
    available_at     INTEGER NOT NULL,
    export_id        INTEGER REFERENCES en_exports(id) ON DELETE SET NULL
);
-- Only keys waiting for an export are indexed by time: claiming 100,000 keys for a file then
-- removes index entries instead of rewriting them (SPEC §9 P5).
CREATE INDEX en_keys_pending ON en_keys(available_at) WHERE export_id IS NULL;
CREATE INDEX en_keys_upload ON en_keys(upload_id);

-- "I may be F1": a citizen whose phone matched tells the officials of their unit.
CREATE TABLE en_f1_reports (
    id             INTEGER PRIMARY KEY,
    citizen_id     INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    unit_code      TEXT NOT NULL REFERENCES units(code),
    level          TEXT NOT NULL,
    exposure_day   TEXT NOT NULL,
    score          REAL NOT NULL,
    minutes        REAL NOT NULL,
    -- The upload the matched key came from (the case stays anonymous to the citizen).
    upload_id      INTEGER REFERENCES en_uploads(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (citizen_id, exposure_day)
);
CREATE INDEX en_f1_reports_unit ON en_f1_reports(unit_code, created_at);
