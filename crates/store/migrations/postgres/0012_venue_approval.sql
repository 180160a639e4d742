-- A venue a citizen registers gets staff powers (phone check-in, personal-QR scan, visitor log)
-- only once an official of its unit approves it. Venues imported by officials, and those that
-- existed before this rule, count as approved.
ALTER TABLE venues ADD COLUMN approved_at BIGINT;
ALTER TABLE venues ADD COLUMN approved_by BIGINT REFERENCES staff(id) ON DELETE SET NULL;
UPDATE venues SET approved_at = created_at;
CREATE INDEX venues_pending ON venues(unit_code) WHERE approved_at IS NULL;
