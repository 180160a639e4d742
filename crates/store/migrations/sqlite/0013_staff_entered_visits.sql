-- A visit venue staff typed by phone number alerts that phone, but counts as evidence in a case's
-- chain only once an official of the venue's unit confirms the venue's typed entries.
ALTER TABLE checkins ADD COLUMN confirmed_at BIGINT;
ALTER TABLE checkins ADD COLUMN confirmed_by BIGINT;
