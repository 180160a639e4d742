//! A citizen's rights over their own data (Decree 13/2023/NĐ-CP, Art. 9): a copy of everything
//! the store links to their account, and erasure of their account.
//!
//! Erasure keeps what public-health law needs while it is needed: the tracing record (name,
//! phone, unit) of a person who is an open case, in active quarantine, or a contact in an open
//! case's chain, with the case, contacts and orders, and — for an open case or a quarantine —
//! their own check-ins, declarations and F1 reports since the start of the period a case would
//! trace. Everything else is deleted, or unlinked from them where the record is about a place
//! (risk reports, feedback, venues they registered). The account row stays as a tombstone with
//! its phone replaced: the append-only audit log and the kept records refer to it.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{from_millis, millis, on_pool, Result, Store, StoreError};

/// Why a record survives an account's deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// The person is an open case (F0); kept until the case is closed.
    OpenCase { case_id: i64 },
    /// An active quarantine order; kept until its monitoring ends (`until`, YYYY-MM-DD).
    Quarantine { order_id: i64, until: String },
    /// The person is a contact in the chain of `count` open cases; kept until those close.
    ContactOfOpenCase { count: i64 },
}

/// What a deletion did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// Why something was kept; empty when everything went.
    pub holds: Vec<Hold>,
    /// The citizen's own check-ins, declarations and F1 reports from this time on were kept.
    pub kept_records_from: Option<Timestamp>,
    /// Rows deleted or anonymised, by kind.
    pub removed: BTreeMap<&'static str, u64>,
}

/// The sections of a data copy: name, query (bound to the citizen id as `$1`, or for
/// `staff_reads` to the audit subject `citizen:<id>`). Hashes of codes
/// and tokens, photos' bytes and other people's data are left out; contacts are not listed
/// because they would reveal who the case was.
const SECTIONS: &[(&str, &str)] = &[
    ("account", "SELECT id, phone, full_name, unit_code, org_unit_id, created_at, last_sign_in_at FROM citizens WHERE id = $1"),
    ("family", "SELECT id, full_name, birth_year, relation, created_at FROM family_members WHERE citizen_id = $1 ORDER BY id"),
    ("declarations", "SELECT id, kind, member_id, full_name, unit_code, day, colour, flags, answers, declared_at, declared_by_staff, monitor_from, monitor_until FROM declarations WHERE citizen_id = $1 ORDER BY declared_at, id"),
    ("visits", "SELECT c.id, c.venue_id, v.name AS venue_name, c.member_id, c.in_at, c.out_at, c.method FROM checkins c JOIN venues v ON v.id = c.venue_id WHERE c.citizen_id = $1 ORDER BY c.in_at, c.id"),
    ("alerts", "SELECT id, kind, exposure_id, member_id, visit_in, visit_out, created_at, read_at FROM alerts WHERE citizen_id = $1 ORDER BY id"),
    ("f1_reports", "SELECT id, unit_code, level, exposure_day, score, minutes, created_at FROM en_f1_reports WHERE citizen_id = $1 ORDER BY id"),
    ("risk_reports", "SELECT id, category, unit_code, lat, lon, address, text, status, note, created_at, updated_at FROM risk_reports WHERE citizen_id = $1 ORDER BY id"),
    ("facility_feedback", "SELECT id, facility_id, text, created_at, answer, answered_at FROM facility_feedback WHERE citizen_id = $1 ORDER BY id"),
    ("venues_registered", "SELECT id, name, unit_code, created_at FROM venues WHERE owner_citizen_id = $1 ORDER BY id"),
    ("tracing_record", "SELECT id, full_name, phone, id_number, birth_year, unit_code, created_at FROM persons WHERE citizen_id = $1"),
    ("cases", "SELECT k.id, k.onset_day, k.sample_day, k.confirmed_day, k.status, k.unit_code, k.created_at, k.closed_at FROM cases k JOIN persons p ON p.id = k.person_id WHERE p.citizen_id = $1 ORDER BY k.id"),
    ("quarantine", "SELECT q.id, q.level, q.kind, q.starts_on, q.ends_on, q.monitoring_until, q.tests_on, q.status, q.unit_code, q.created_at FROM quarantine_orders q JOIN persons p ON p.id = q.person_id WHERE p.citizen_id = $1 ORDER BY q.id"),
    ("quarantine_tests", "SELECT t.order_id, t.day, t.result, t.recorded_at FROM quarantine_tests t JOIN quarantine_orders q ON q.id = t.order_id JOIN persons p ON p.id = q.person_id WHERE p.citizen_id = $1 ORDER BY t.id"),
    ("sessions", "SELECT created_at, expires_at, revoked_at FROM sessions WHERE citizen_id = $1 ORDER BY created_at"),
    ("staff_reads", "SELECT at, role, scope_unit, action, outcome FROM audit_log WHERE subject = $1 ORDER BY id"),
];

/// A column's value as JSON: times (`…_at`, stored as milliseconds) as RFC 3339, stored JSON
/// text (answers) parsed.
fn json_value(name: &str, value: Value) -> Value {
    match value {
        Value::Number(n) if name.ends_with("_at") || name.starts_with("visit_") => {
            n.as_i64().map_or(Value::Number(n), |ms| {
                Value::String(from_millis(ms).to_string())
            })
        }
        Value::String(s) if name == "answers" || name == "tests_on" => {
            serde_json::from_str(&s).unwrap_or(Value::String(s))
        }
        other => other,
    }
}

macro_rules! row_json {
    ($row:expr) => {{
        let row = $row;
        let mut out = Map::new();
        for (i, col) in row.columns().iter().enumerate() {
            let raw = row.try_get_raw(i)?;
            let value = if raw.is_null() {
                Value::Null
            } else {
                let kind = raw.type_info().name().to_ascii_uppercase();
                if kind.contains("INT") {
                    Value::from(row.try_get::<i64, _>(i)?)
                } else if kind.contains("REAL") || kind.contains("FLOAT") || kind.contains("DOUBLE")
                {
                    Value::from(row.try_get::<f64, _>(i)?)
                } else if kind == "BOOL" || kind == "BOOLEAN" {
                    Value::from(row.try_get::<bool, _>(i)?)
                } else {
                    Value::from(row.try_get::<String, _>(i)?)
                }
            };
            out.insert(col.name().to_owned(), json_value(col.name(), value));
        }
        Value::Object(out)
    }};
}

impl Store {
    /// Everything the store links to a citizen's account, section by section.
    pub async fn citizen_data(&self, citizen_id: i64) -> Result<Map<String, Value>> {
        let mut out = Map::new();
        for (name, sql) in SECTIONS {
            let rows: Vec<Value> = on_pool!(self, p => {
                let query = sqlx::query(sql);
                let query = if *name == "staff_reads" {
                    query.bind(format!("citizen:{citizen_id}"))
                } else {
                    query.bind(citizen_id)
                };
                let rows = query.fetch_all(p).await?;
                let mut values = Vec::with_capacity(rows.len());
                for row in &rows {
                    values.push(row_json!(row));
                }
                Ok::<_, sqlx::Error>(values)
            })?;
            let value = if *name == "account" {
                rows.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(rows)
            };
            out.insert((*name).to_owned(), value);
        }
        Ok(out)
    }

    /// Deletes a citizen's account in one transaction, keeping what an open case or an active
    /// quarantine needs (see the module note). `today` is the local date, `lookback` how far
    /// before a quarantine's start a case would trace (the profile's transmission period).
    pub async fn delete_citizen(
        &self,
        citizen_id: i64,
        today: &str,
        lookback: SignedDuration,
        now: Timestamp,
    ) -> Result<Erasure> {
        let citizen = self
            .citizen(citizen_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let at = millis(now);
        let tombstone = format!("deleted:{citizen_id}");
        let subject = format!("citizen:{citizen_id}");
        let erasure = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row first (SQLite WAL: write before reading in a transaction).
            sqlx::query(
                "INSERT INTO audit_log (at, citizen_id, username, role, scope_unit, action, subject, unit_code, outcome, \
                 actor_unit_path, data_unit_path) \
                 VALUES ($1, $2, $3, 'citizen', $4, 'citizen.delete_account', $3, $5, 'allowed', \
                 (SELECT u.path FROM units u WHERE u.code = $4), (SELECT u.path FROM units u WHERE u.code = $4))",
            )
            .bind(at)
            .bind(citizen_id)
            .bind(&subject)
            .bind(citizen.unit_code.as_deref().unwrap_or(phongdich_domain::units::ROOT_CODE))
            .bind(&citizen.unit_code)
            .execute(&mut *tx)
            .await?;
            let person: Option<i64> = sqlx::query_scalar("SELECT id FROM persons WHERE citizen_id = $1")
                .bind(citizen_id)
                .fetch_optional(&mut *tx)
                .await?;
            let mut holds = Vec::new();
            let mut keep_from: Option<i64> = None;
            if let Some(pid) = person {
                let open: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT id, transmission_from FROM cases WHERE person_id = $1 AND closed_at IS NULL ORDER BY id",
                )
                .bind(pid)
                .fetch_all(&mut *tx)
                .await?;
                for (case_id, from) in open {
                    holds.push(Hold::OpenCase { case_id });
                    keep_from = Some(keep_from.map_or(from, |k: i64| k.min(from)));
                }
                let orders: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT id, monitoring_until, created_at FROM quarantine_orders \
                     WHERE person_id = $1 AND status = 'active' AND monitoring_until >= $2 ORDER BY id",
                )
                .bind(pid)
                .bind(today)
                .fetch_all(&mut *tx)
                .await?;
                for (order_id, until, created) in orders {
                    holds.push(Hold::Quarantine { order_id, until });
                    let from = created - lookback.as_millis() as i64;
                    keep_from = Some(keep_from.map_or(from, |k: i64| k.min(from)));
                }
                let count: i64 = sqlx::query_scalar(
                    "SELECT COUNT(DISTINCT k.id) FROM contacts ct JOIN cases k \
                     ON k.person_id = CASE WHEN ct.a = $1 THEN ct.b ELSE ct.a END \
                     WHERE (ct.a = $1 OR ct.b = $1) AND k.closed_at IS NULL",
                )
                .bind(pid)
                .fetch_one(&mut *tx)
                .await?;
                if count > 0 {
                    holds.push(Hold::ContactOfOpenCase { count });
                }
            }
            // Nothing of the citizen's own is kept unless a case or a quarantine needs it.
            let cutoff = keep_from.unwrap_or(i64::MAX);
            let mut removed = BTreeMap::new();
            let mut run = |name: &'static str, n: u64| {
                *removed.entry(name).or_insert(0) += n;
            };
            run("declarations", sqlx::query(
                "DELETE FROM declarations WHERE citizen_id = $1 AND (member_id IS NOT NULL OR declared_at < $2)",
            ).bind(citizen_id).bind(cutoff).execute(&mut *tx).await?.rows_affected());
            run("visits", sqlx::query(
                "DELETE FROM checkins WHERE citizen_id = $1 AND (person <> 0 OR in_at < $2)",
            ).bind(citizen_id).bind(cutoff).execute(&mut *tx).await?.rows_affected());
            run("f1_reports", sqlx::query(
                "DELETE FROM en_f1_reports WHERE citizen_id = $1 AND created_at < $2",
            ).bind(citizen_id).bind(cutoff).execute(&mut *tx).await?.rows_affected());
            run("alerts", sqlx::query("DELETE FROM alerts WHERE citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            run("family", sqlx::query("DELETE FROM family_members WHERE citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            run("risk_reports", sqlx::query("UPDATE risk_reports SET citizen_id = NULL WHERE citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            run("facility_feedback", sqlx::query("UPDATE facility_feedback SET citizen_id = NULL WHERE citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            run("venues_registered", sqlx::query("UPDATE venues SET owner_citizen_id = NULL WHERE owner_citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            if keep_from.is_none() {
                // The upload codes of a closed or never-opened case no longer need the account.
                run("exposure_codes", sqlx::query("UPDATE en_codes SET citizen_id = NULL WHERE citizen_id = $1")
                    .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            }
            if holds.is_empty() {
                if let Some(pid) = person {
                    // Closed cases stay countable in the figures, but no longer name anyone.
                    run("tracing_record", sqlx::query(
                        "UPDATE persons SET full_name = '—', phone = NULL, id_number = NULL, birth_year = NULL, citizen_id = NULL WHERE id = $1",
                    ).bind(pid).execute(&mut *tx).await?.rows_affected());
                }
            }
            run("sessions", sqlx::query("DELETE FROM sessions WHERE citizen_id = $1")
                .bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            sqlx::query("DELETE FROM otp_codes WHERE phone = $1")
                .bind(&citizen.phone).execute(&mut *tx).await?;
            run("account", sqlx::query(
                "UPDATE citizens SET phone = $1, full_name = NULL, unit_code = NULL, org_unit_id = NULL, \
                 last_sign_in_at = NULL, deleted_at = $2 WHERE id = $3",
            ).bind(&tombstone).bind(at).bind(citizen_id).execute(&mut *tx).await?.rows_affected());
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Erasure {
                holds,
                kept_records_from: keep_from.map(from_millis),
                removed,
            })
        })?;
        Ok(erasure)
    }
}
