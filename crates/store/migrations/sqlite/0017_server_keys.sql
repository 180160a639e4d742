-- The keys every instance must share (SPEC §12): the health-pass and venue signing keys, the
-- export signing key and the server secrets, each sealed (AES-256-GCM) with the key-encryption
-- key of the configuration, which is never stored here. A row is written once and never
-- changed: a rotation adds the next generation of a ring, and the newest signs.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    sealed     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
