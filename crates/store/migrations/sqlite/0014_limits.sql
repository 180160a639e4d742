-- Limits held in the database, so they hold under concurrency and across instances.

-- Codes sent to a number in the current hour-long window (the per-phone limit on code
-- requests, next to the resend delay that `sent_at` already gives).
ALTER TABLE otp_codes ADD COLUMN window_started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE otp_codes ADD COLUMN sends_in_window BIGINT NOT NULL DEFAULT 0;

-- Counters of one fixed window each: failed sign-ins per (username, address), per address and
-- per username; wrong codes per address; F1 reports per citizen. `key` is a keyed hash of what
-- is counted, so typed usernames (sometimes a password typed in the wrong box) and addresses
-- are not kept in clear.
CREATE TABLE limit_counters (
    scope             TEXT NOT NULL,
    key               TEXT NOT NULL,
    count             BIGINT NOT NULL,
    window_started_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX limit_counters_window ON limit_counters(window_started_at);

-- Addresses (keyed hashes, IPv6 by /64) an account has signed in from: failures of others
-- against the username never slow its owner down there.
CREATE TABLE staff_known_addresses (
    staff_id       BIGINT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    address        TEXT NOT NULL,
    last_sign_in_at BIGINT NOT NULL,
    PRIMARY KEY (staff_id, address)
);

-- The daily feedback limit counts a citizen's rows.
CREATE INDEX facility_feedback_citizen ON facility_feedback(citizen_id, created_at);
