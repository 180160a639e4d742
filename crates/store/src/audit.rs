//! The append-only audit log of staff access to personal data.

use jiff::Timestamp;
use phongdich_domain::audit::AuditEvent;
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::{from_millis, on_pool, Result, Store};

/// One row of the audit log as an admin reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub at: AuditTime,
    pub username: String,
    pub role: String,
    pub scope_unit: String,
    pub action: String,
    pub subject: String,
    pub unit_code: Option<String>,
    pub outcome: String,
}

/// The time of an audit row (a wrapper so rows map straight from the stored milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditTime(pub Timestamp);

impl From<i64> for AuditTime {
    fn from(ms: i64) -> Self {
        AuditTime(from_millis(ms))
    }
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Binds an audit event to [`INSERT_AUDIT`]; a macro because the query type differs per backend.
macro_rules! bind_audit {
    ($actor:expr, $event:expr, $now:expr) => {
        sqlx::query($crate::audit::INSERT_AUDIT)
            .bind($crate::millis($now))
            .bind($actor.staff_id)
            .bind(&$actor.username)
            .bind($actor.role.as_str())
            .bind(&$actor.unit.code)
            .bind($event.action)
            .bind(&$event.subject)
            .bind(&$event.unit_code)
            .bind($event.outcome.as_str())
    };
}
pub(crate) use bind_audit;

impl Store {
    /// Appends one event to the audit log on its own (for refusals decided outside the store).
    pub async fn record_audit(
        &self,
        actor: &Actor,
        event: &AuditEvent,
        now: Timestamp,
    ) -> Result<()> {
        on_pool!(self, p => bind_audit!(actor, event, now).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Appends several events in one transaction (one row per person a chain or list reveals).
    pub async fn record_audits(
        &self,
        actor: &Actor,
        events: &[AuditEvent],
        now: Timestamp,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for event in events {
                bind_audit!(actor, event, now).execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The newest audit rows of staff scoped inside the actor's jurisdiction.
    pub async fn audit_log(&self, actor: &Actor, limit: u32) -> Result<Vec<AuditRecord>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let rows: Vec<AuditRecord> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT a.id, a.at, a.username, a.role, a.scope_unit, a.action, a.subject, a.unit_code, a.outcome \
                 FROM audit_log a JOIN units u ON u.code = a.scope_unit \
                 WHERE u.path >= $1 AND u.path < $2 ORDER BY a.id DESC LIMIT $3",
            )
            .bind(&from)
            .bind(&to)
            .bind(i64::from(limit.clamp(1, 1000)))
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }

    /// Number of audit rows (tests and monitoring).
    pub async fn audit_count(&self) -> Result<i64> {
        let n = on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(p).await)?;
        Ok(n)
    }
}
