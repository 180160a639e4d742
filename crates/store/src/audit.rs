//! The append-only audit log of staff access to personal data.
//!
//! Each row names the reader (staff or venue owner, their role and unit) and the data's unit,
//! both with their unit paths, so an admin can ask both "what did my staff read" and "who read
//! my unit's residents". The database refuses every change to a row (migration 0010); rows older
//! than the retention period go through [`Store::purge_audit`], which can never reach rows younger
//! than [`AUDIT_FLOOR_DAYS`](phongdich_domain::audit::AUDIT_FLOOR_DAYS).

use jiff::Timestamp;
use phongdich_domain::audit::AuditEvent;
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::{from_millis, millis, on_pool, Pool, Result, Store};

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
    /// Path of the reader's unit.
    pub actor_unit_path: Option<String>,
    /// Path of the data's unit.
    pub data_unit_path: Option<String>,
}

/// The time of an audit row (a wrapper so rows map straight from the stored milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditTime(pub Timestamp);

impl From<i64> for AuditTime {
    fn from(ms: i64) -> Self {
        AuditTime(from_millis(ms))
    }
}

/// What an auditor asks of the log; every field narrows it. Unit filters are paths (the
/// subtree below them matches).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The reader's username, exactly.
    pub username: Option<String>,
    /// An action name exactly, or a family of them ending in `.` (`case.` matches `case.open`).
    pub action: Option<String>,
    /// `allowed` or `denied`.
    pub outcome: Option<String>,
    pub from: Option<Timestamp>,
    /// Exclusive end.
    pub to: Option<Timestamp>,
    /// Readers whose unit is inside this path.
    pub reader_unit_path: Option<String>,
    /// Data whose unit is inside this path.
    pub data_unit_path: Option<String>,
    /// Only reads of data inside the actor's jurisdiction by readers from outside it ("who from
    /// outside read my residents").
    pub outside_readers: bool,
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome, actor_unit_path, data_unit_path) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT u.path FROM units u WHERE u.code = $8))";

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
            .bind(&$actor.unit.path)
    };
}
pub(crate) use bind_audit;

const AUDIT_COLUMNS: &str = "a.id, a.at, a.username, a.role, a.scope_unit, a.action, a.subject, \
     a.unit_code, a.outcome, a.actor_unit_path, a.data_unit_path";

/// Most rows one query returns (the export included).
pub const MAX_AUDIT_ROWS: u32 = 10_000;

/// `prefix` as a LIKE pattern that matches only itself and what follows it.
fn like_prefix(prefix: &str) -> String {
    let mut p = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Store {
    /// Appends one event to the audit log on its own (for refusals decided outside the store,
    /// and for accesses the server makes outside a store method, such as photo views).
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

    /// The newest audit rows of staff scoped inside the actor's jurisdiction, or about data
    /// inside it.
    pub async fn audit_log(&self, actor: &Actor, limit: u32) -> Result<Vec<AuditRecord>> {
        self.audit_search(actor, &AuditFilter::default(), limit)
            .await
    }

    /// Audit rows the actor may see (reader or data inside their jurisdiction) matching
    /// `filter`, newest first.
    pub async fn audit_search(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let reader = filter.reader_unit_path.as_deref().map(subtree_range);
        let data = filter.data_unit_path.as_deref().map(subtree_range);
        let action_exact = filter.action.clone();
        let action_prefix = filter
            .action
            .as_deref()
            .filter(|a| a.ends_with('.'))
            .map(like_prefix);
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log a \
             WHERE ((a.actor_unit_path >= $1 AND a.actor_unit_path < $2) \
                    OR (a.data_unit_path >= $1 AND a.data_unit_path < $2)) \
             AND ($3 IS NULL OR a.username = $3) \
             AND ($4 IS NULL OR a.action = $4 OR ($5 IS NOT NULL AND a.action LIKE $5 ESCAPE '\\')) \
             AND ($6 IS NULL OR a.outcome = $6) \
             AND ($7 IS NULL OR a.at >= $7) AND ($8 IS NULL OR a.at < $8) \
             AND ($9 IS NULL OR (a.actor_unit_path >= $9 AND a.actor_unit_path < $10)) \
             AND ($11 IS NULL OR (a.data_unit_path >= $11 AND a.data_unit_path < $12)) \
             AND ($13 = 0 OR ((a.data_unit_path >= $1 AND a.data_unit_path < $2) \
                    AND NOT (a.actor_unit_path >= $1 AND a.actor_unit_path < $2))) \
             ORDER BY a.id DESC LIMIT $14"
        );
        let rows: Vec<AuditRecord> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(&filter.username)
                .bind(&action_exact)
                .bind(&action_prefix)
                .bind(&filter.outcome)
                .bind(filter.from.map(millis))
                .bind(filter.to.map(millis))
                .bind(reader.as_ref().map(|r| r.0.clone()))
                .bind(reader.as_ref().map(|r| r.1.clone()))
                .bind(data.as_ref().map(|r| r.0.clone()))
                .bind(data.as_ref().map(|r| r.1.clone()))
                .bind(i64::from(filter.outside_readers))
                .bind(i64::from(limit.clamp(1, MAX_AUDIT_ROWS)))
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

    /// Deletes audit rows older than `before` (retention), never a row younger than the
    /// database's floor of [`AUDIT_FLOOR_DAYS`](phongdich_domain::audit::AUDIT_FLOOR_DAYS) by
    /// the database's clock. On PostgreSQL through `audit_log_purge`, so an application role
    /// without DELETE on the table can run it. Returns the rows deleted.
    pub async fn purge_audit(&self, before: Timestamp) -> Result<u64> {
        let n = match &self.pool {
            Pool::Sqlite(p) => sqlx::query(
                "DELETE FROM audit_log WHERE at < MIN($1, \
                 (CAST(strftime('%s', 'now') AS INTEGER) - 730 * 86400) * 1000)",
            )
            .bind(millis(before))
            .execute(p)
            .await?
            .rows_affected(),
            Pool::Postgres(p) => {
                let n: i64 = sqlx::query_scalar("SELECT audit_log_purge($1)")
                    .bind(millis(before))
                    .fetch_one(p)
                    .await?;
                u64::try_from(n).unwrap_or(0)
            }
        };
        Ok(n)
    }
}
