-- Zoning: lockdown zones and quarantine areas (polygons) and checkpoints (points) that officials
-- draw, each valid for [valid_from, valid_until). The geometry is GeoJSON text; its bounding box
-- is kept beside it so a lookup filters in SQL before the exact point-in-polygon test.
CREATE TABLE zones (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    geometry    TEXT NOT NULL,
    min_lon     REAL NOT NULL,
    min_lat     REAL NOT NULL,
    max_lon     REAL NOT NULL,
    max_lat     REAL NOT NULL,
    valid_from  INTEGER NOT NULL,
    -- NULL: until further notice.
    valid_until INTEGER,
    note        TEXT,
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    -- Who ended the zone early, and when (valid_until then holds the end).
    ended_by    INTEGER REFERENCES staff(id),
    ended_at    INTEGER,
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX zones_valid ON zones(valid_from, valid_until);
CREATE INDEX zones_unit ON zones(unit_code);
