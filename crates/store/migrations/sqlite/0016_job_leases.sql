-- Background jobs (housekeeping, key exports) run on one instance at a time: the instance that
-- holds a job's lease runs it and renews the lease each run; when the holder dies, the lease
-- expires and another instance takes it over.
CREATE TABLE job_leases (
    job        TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
