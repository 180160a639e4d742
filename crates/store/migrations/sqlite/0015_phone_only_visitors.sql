-- A phone number venue staff typed for a visitor without a smartphone is a phone-only visitor,
-- not an account: no sign-in ever happened, so it holds visits and the alerts they raise (sent
-- by SMS) and nothing else. Signing in with that number by code turns it into an account.
-- Phone-only rows go with their last visit (retention).
ALTER TABLE citizens ADD COLUMN phone_only INTEGER NOT NULL DEFAULT 0;
