//! What citizens send about places: feedback on a facility (public once sent, without its author)
//! and risk reports ("Phản ánh"), which only the unit's officials and the reporter see.
//!
//! Photos are stored beside the row as bytes, already re-encoded by the server (no EXIF), so a
//! report and its photo are written in one statement and never half exist.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::audit::bind_audit;
use crate::{from_millis, lock_citizen, millis, on_pool, Result, Store, StoreError};

/// Most items one listing returns.
pub const MAX_REPORTS_LISTED: u32 = 2_000;

/// Feedback on a facility.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub id: i64,
    pub facility_id: i64,
    pub facility_name: String,
    /// The facility's unit path, for officials' jurisdiction.
    pub unit_path: String,
    pub text: String,
    pub has_photo: bool,
    pub created_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct FeedbackRow {
    id: i64,
    facility_id: i64,
    facility_name: String,
    unit_path: String,
    text: String,
    has_photo: i64,
    created_at: i64,
    answer: Option<String>,
    answered_at: Option<i64>,
}

impl From<FeedbackRow> for Feedback {
    fn from(r: FeedbackRow) -> Self {
        Feedback {
            id: r.id,
            facility_id: r.facility_id,
            facility_name: r.facility_name,
            unit_path: r.unit_path,
            text: r.text,
            has_photo: r.has_photo != 0,
            created_at: from_millis(r.created_at),
            answer: r.answer,
            answered_at: r.answered_at.map(from_millis),
        }
    }
}

const SELECT_FEEDBACK: &str = "SELECT b.id, b.facility_id, f.name AS facility_name, \
     u.path AS unit_path, b.text, CAST(CASE WHEN b.photo IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_photo, \
     b.created_at, b.answer, b.answered_at \
     FROM facility_feedback b JOIN facilities f ON f.id = b.facility_id \
     JOIN units u ON u.code = f.unit_code";

/// A risk report to store, already checked.
#[derive(Debug, Clone)]
pub struct NewRiskReport {
    pub citizen_id: i64,
    pub category: String,
    pub unit_code: String,
    pub position: Option<(f64, f64)>,
    pub address: String,
    pub text: String,
    pub photo: Option<Vec<u8>>,
}

/// A stored risk report. `reporter_name` and `reporter_phone` are only for officials.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RiskReport {
    pub id: i64,
    pub citizen_id: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub category: String,
    pub unit_code: String,
    pub unit_path: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub text: String,
    pub has_photo: i64,
    pub status: String,
    pub note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT_RISK: &str = "SELECT r.id, r.citizen_id, z.full_name AS reporter_name, \
     z.phone AS reporter_phone, r.category, r.unit_code, u.path AS unit_path, r.lat, r.lon, \
     r.address, r.text, CAST(CASE WHEN r.photo IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_photo, \
     r.status, r.note, r.created_at, r.updated_at \
     FROM risk_reports r JOIN units u ON u.code = r.unit_code \
     LEFT JOIN citizens z ON z.id = r.citizen_id";

impl Store {
    /// Stores a citizen's feedback on a facility.
    /// Stores feedback if the citizen has sent fewer than `max_per_window` since
    /// `window_start` (counted like risk reports); otherwise
    /// `Conflict("feedback_rate_limited")` and nothing is written.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_feedback(
        &self,
        facility_id: i64,
        citizen_id: i64,
        text: &str,
        photo: Option<&[u8]>,
        window_start: Timestamp,
        max_per_window: u32,
        now: Timestamp,
    ) -> Result<Feedback> {
        let id: Option<i64> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            lock_citizen!(tx, citizen_id).await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO facility_feedback (facility_id, citizen_id, text, photo, created_at) \
                 SELECT $1, $2, $3, $4, $5 \
                 WHERE (SELECT COUNT(*) FROM facility_feedback WHERE citizen_id = $2 \
                 AND created_at >= $6) < $7 RETURNING id",
            )
            .bind(facility_id)
            .bind(citizen_id)
            .bind(text)
            .bind(photo)
            .bind(millis(now))
            .bind(millis(window_start))
            .bind(i64::from(max_per_window))
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?;
        let id = id.ok_or(StoreError::Conflict("feedback_rate_limited"))?;
        self.feedback(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn feedback(&self, id: i64) -> Result<Option<Feedback>> {
        let sql = format!("{SELECT_FEEDBACK} WHERE b.id = $1");
        let row: Option<FeedbackRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row.map(Feedback::from))
    }

    /// A facility's open feedback and what was answered since `answered_since`, newest first.
    pub async fn facility_feedback(
        &self,
        facility_id: i64,
        answered_since: Timestamp,
    ) -> Result<Vec<Feedback>> {
        let sql = format!(
            "{SELECT_FEEDBACK} WHERE b.facility_id = $1 \
             AND (b.answered_at IS NULL OR b.answered_at >= $2) ORDER BY b.id DESC LIMIT $3"
        );
        let rows: Vec<FeedbackRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(facility_id)
                .bind(millis(answered_since))
                .bind(i64::from(MAX_REPORTS_LISTED))
                .fetch_all(p)
                .await
        })?;
        Ok(rows.into_iter().map(Feedback::from).collect())
    }

    /// Unanswered feedback on facilities at or below `path`, oldest first.
    pub async fn open_feedback_under(&self, path: &str) -> Result<Vec<Feedback>> {
        let (from, to) = subtree_range(path);
        let sql = format!(
            "{SELECT_FEEDBACK} WHERE b.answered_at IS NULL AND u.path >= $1 AND u.path < $2 \
             ORDER BY b.id LIMIT $3"
        );
        let rows: Vec<FeedbackRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(i64::from(MAX_REPORTS_LISTED))
                .fetch_all(p)
                .await
        })?;
        Ok(rows.into_iter().map(Feedback::from).collect())
    }

    /// Answers feedback once; a second answer is `Conflict("feedback_answered")`.
    pub async fn answer_feedback(
        &self,
        id: i64,
        answer: &str,
        staff_id: i64,
        now: Timestamp,
    ) -> Result<Feedback> {
        let n = on_pool!(self, p => {
            sqlx::query(
                "UPDATE facility_feedback SET answer = $1, answered_by = $2, answered_at = $3 \
                 WHERE id = $4 AND answered_at IS NULL",
            )
            .bind(answer)
            .bind(staff_id)
            .bind(millis(now))
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        let feedback = self.feedback(id).await?.ok_or(StoreError::NotFound)?;
        if n == 0 {
            return Err(StoreError::Conflict("feedback_answered"));
        }
        Ok(feedback)
    }

    /// The unit of the facility a piece of feedback is about (for the audit row of a staff view).
    pub async fn feedback_unit(&self, id: i64) -> Result<Option<String>> {
        let unit = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT f.unit_code FROM facility_feedback b JOIN facilities f ON f.id = b.facility_id WHERE b.id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await
        })?;
        Ok(unit)
    }

    pub async fn feedback_photo(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let photo: Option<Option<Vec<u8>>> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT photo FROM facility_feedback WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await
        })?;
        Ok(photo.flatten())
    }

    /// Stores a risk report if the citizen has sent fewer than `max_per_window` since
    /// `window_start`; otherwise `Conflict("risk_report_rate_limited")` and nothing is written.
    pub async fn create_risk_report(
        &self,
        r: &NewRiskReport,
        window_start: Timestamp,
        max_per_window: u32,
        now: Timestamp,
    ) -> Result<RiskReport> {
        self.existing_unit(&r.unit_code).await?;
        let id: Option<i64> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            lock_citizen!(tx, r.citizen_id).await?;
            // The count and the insert in one statement, after the lock: on PostgreSQL the
            // statement's snapshot then includes every report committed before the lock.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO risk_reports (citizen_id, category, unit_code, lat, lon, address, \
                 text, photo, status, created_at, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9 \
                 WHERE (SELECT COUNT(*) FROM risk_reports WHERE citizen_id = $1 \
                 AND created_at >= $10) < $11 RETURNING id",
            )
            .bind(r.citizen_id)
            .bind(&r.category)
            .bind(&r.unit_code)
            .bind(r.position.map(|p| p.0))
            .bind(r.position.map(|p| p.1))
            .bind(Some(r.address.as_str()).filter(|a| !a.is_empty()))
            .bind(&r.text)
            .bind(r.photo.as_deref())
            .bind(millis(now))
            .bind(millis(window_start))
            .bind(i64::from(max_per_window))
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?;
        let id = id.ok_or(StoreError::Conflict("risk_report_rate_limited"))?;
        self.risk_report(id).await?.ok_or(StoreError::NotFound)
    }

    /// One report, with its reporter (callers decide who may see what).
    pub async fn risk_report(&self, id: i64) -> Result<Option<RiskReport>> {
        let sql = format!("{SELECT_RISK} WHERE r.id = $1");
        Ok(on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
    }

    /// The citizen's own reports, newest first.
    pub async fn my_risk_reports(&self, citizen_id: i64) -> Result<Vec<RiskReport>> {
        let sql = format!("{SELECT_RISK} WHERE r.citizen_id = $1 ORDER BY r.id DESC LIMIT $2");
        Ok(on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(citizen_id)
                .bind(i64::from(MAX_REPORTS_LISTED))
                .fetch_all(p)
                .await
        })?)
    }

    /// Reports about units inside the actor's jurisdiction, optionally of one status, oldest
    /// first; audited, since they name the reporters.
    pub async fn staff_list_risk_reports(
        &self,
        actor: &Actor,
        status: Option<&str>,
        now: Timestamp,
    ) -> Result<Vec<RiskReport>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let sql = format!(
            "{SELECT_RISK} WHERE u.path >= $1 AND u.path < $2 AND ($3 IS NULL OR r.status = $3) \
             ORDER BY r.id LIMIT $4"
        );
        let event = AuditEvent {
            action: "risk_report.list",
            subject: format!("status={}", status.unwrap_or("")),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows: Vec<RiskReport> = sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(status)
                .bind(i64::from(MAX_REPORTS_LISTED))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        })?;
        Ok(rows)
    }

    /// Moves a report from `from_status` to `to_status` with the official's note, audited;
    /// if another official changed it meanwhile, `Conflict("risk_report_changed")`.
    pub async fn update_risk_report(
        &self,
        actor: &Actor,
        id: i64,
        from_status: &str,
        to_status: &str,
        note: Option<&str>,
        now: Timestamp,
    ) -> Result<RiskReport> {
        let event = AuditEvent {
            action: "risk_report.update",
            subject: format!("report={id} status={to_status}"),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let n = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let n = sqlx::query(
                "UPDATE risk_reports SET status = $1, note = COALESCE($2, note), handled_by = $3, \
                 updated_at = $4 WHERE id = $5 AND status = $6",
            )
            .bind(to_status)
            .bind(note)
            .bind(actor.staff_id)
            .bind(millis(now))
            .bind(id)
            .bind(from_status)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(n)
        })?;
        if n == 0 {
            return Err(StoreError::Conflict("risk_report_changed"));
        }
        self.risk_report(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn risk_report_photo(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let photo: Option<Option<Vec<u8>>> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT photo FROM risk_reports WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await
        })?;
        Ok(photo.flatten())
    }

    /// Deletes risk reports closed, and feedback answered, before `before` (retention); open
    /// ones stay until handled.
    pub async fn purge_handled_reports(&self, before: Timestamp) -> Result<crate::TableCounts> {
        let n = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let a = sqlx::query("DELETE FROM risk_reports WHERE status = 'closed' AND updated_at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let b = sqlx::query(
                "DELETE FROM facility_feedback WHERE answered_at IS NOT NULL AND answered_at < $1",
            )
            .bind(millis(before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(vec![("risk_reports", a), ("facility_feedback", b)])
        })?;
        Ok(n)
    }
}
