//! "I may be F1" reports from phones that matched a diagnosis key: stored against the upload the
//! key came from (so officials can link the contact to the case) and listed, audited, to the
//! officials of the reporter's unit. The reporter never learns whose upload it was.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::audit::bind_audit;
use crate::{millis, on_pool, Result, Store, StoreError};

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewF1Report {
    pub citizen_id: i64,
    pub unit_code: String,
    pub level: String,
    pub exposure_day: String,
    pub score: f64,
    pub minutes: f64,
    pub upload_id: i64,
}

/// The upload a published key came from, and the case's unit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct KeyOrigin {
    pub upload_id: i64,
    pub report_type: String,
    pub case_unit: String,
}

/// A report as the official of the reporter's unit sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct F1Report {
    pub id: i64,
    pub citizen_id: i64,
    pub phone: String,
    pub full_name: Option<String>,
    pub unit_code: String,
    pub level: String,
    pub exposure_day: String,
    pub score: f64,
    pub minutes: f64,
    pub upload_id: Option<i64>,
    /// The unit of the case whose keys matched (not the case's identity).
    pub case_unit: Option<String>,
    pub created_at: i64,
}

impl Store {
    /// Where the first of `key_hexes` that the server published came from.
    pub async fn key_origin(&self, key_hexes: &[String]) -> Result<Option<KeyOrigin>> {
        for hex in key_hexes {
            let origin: Option<KeyOrigin> = on_pool!(self, p => {
                sqlx::query_as(
                    "SELECT k.upload_id, k.report_type, c.unit_code AS case_unit FROM en_keys k \
                     JOIN en_uploads u ON u.id = k.upload_id JOIN en_codes c ON c.id = u.code_id \
                     WHERE k.key_hex = $1",
                )
                .bind(hex)
                .fetch_optional(p)
                .await
            })?;
            if origin.is_some() {
                return Ok(origin);
            }
        }
        Ok(None)
    }

    /// Stores a report; `Conflict("f1_report_exists")` when the citizen already reported that day.
    pub async fn create_f1_report(&self, r: &NewF1Report, now: Timestamp) -> Result<i64> {
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO en_f1_reports (citizen_id, unit_code, level, exposure_day, score, minutes, upload_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(r.citizen_id)
            .bind(&r.unit_code)
            .bind(&r.level)
            .bind(&r.exposure_day)
            .bind(r.score)
            .bind(r.minutes)
            .bind(r.upload_id)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })
        .map_err(|e| {
            if crate::is_unique_violation(&e) {
                StoreError::Conflict("f1_report_exists")
            } else {
                e.into()
            }
        })?;
        Ok(id)
    }

    /// Whether the citizen already reported an exposure on `day`.
    pub async fn f1_report_exists(&self, citizen_id: i64, day: &str) -> Result<bool> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM en_f1_reports WHERE citizen_id = $1 AND exposure_day = $2")
                .bind(citizen_id)
                .bind(day)
                .fetch_one(p)
                .await
        })?;
        Ok(n > 0)
    }

    /// The citizen's own reports, newest first (without the case's unit).
    pub async fn my_f1_reports(&self, citizen_id: i64) -> Result<Vec<F1Report>> {
        let sql = format!("{REPORT_SELECT} WHERE r.citizen_id = $1 ORDER BY r.id DESC");
        let mut rows: Vec<F1Report> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(citizen_id).fetch_all(p).await)?;
        for r in &mut rows {
            r.case_unit = None;
            r.upload_id = None;
        }
        Ok(rows)
    }

    /// Reports of reporters whose unit is inside the actor's jurisdiction, newest first; the
    /// read is audited in the same transaction.
    pub async fn staff_list_f1_reports(
        &self,
        actor: &Actor,
        limit: u32,
        now: Timestamp,
    ) -> Result<Vec<F1Report>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let sql = format!(
            "{REPORT_SELECT} JOIN units ru ON ru.code = r.unit_code \
             WHERE ru.path >= $1 AND ru.path < $2 ORDER BY r.id DESC LIMIT $3"
        );
        let event = AuditEvent {
            action: "exposure.f1_reports.list",
            subject: String::new(),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows: Vec<F1Report> = sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(i64::from(limit.clamp(1, 1000)))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        })?;
        Ok(rows)
    }
}

const REPORT_SELECT: &str =
    "SELECT r.id, r.citizen_id, z.phone, z.full_name, r.unit_code, r.level, \
     r.exposure_day, r.score, r.minutes, r.upload_id, c.unit_code AS case_unit, r.created_at \
     FROM en_f1_reports r JOIN citizens z ON z.id = r.citizen_id \
     LEFT JOIN en_uploads u ON u.id = r.upload_id LEFT JOIN en_codes c ON c.id = u.code_id";
