-- Staff lifecycle and citizens' right to erasure.
-- A staff account made by an admin, or whose password an admin reset, must choose its own
-- password before doing anything else; `password_changed_at` records the last change.
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN password_changed_at INTEGER;
ALTER TABLE staff ADD COLUMN deactivated_at INTEGER;

-- A citizen who deleted their account: the row stays as an anonymous tombstone (phone replaced,
-- name and units cleared) because the append-only audit log and records an open case must keep
-- refer to it.
ALTER TABLE citizens ADD COLUMN deleted_at INTEGER;
