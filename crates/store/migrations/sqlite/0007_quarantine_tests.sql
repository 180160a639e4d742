-- Test results of people in quarantine, by the test dates of their order.
CREATE TABLE quarantine_tests (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES quarantine_orders(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    result      TEXT NOT NULL,
    recorded_by INTEGER REFERENCES staff(id),
    recorded_at INTEGER NOT NULL,
    UNIQUE (order_id, day)
);
