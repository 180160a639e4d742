//! Health declarations: storing them (a daily update replaces the same day's earlier one), the
//! citizen's own history, and officials' audited lists.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::audit::bind_audit;
use crate::{from_millis, millis, on_pool, Result, Store, StoreError};

/// A declaration to store, already validated and assessed.
#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub kind: String,
    pub citizen_id: Option<i64>,
    pub member_id: Option<i64>,
    pub subject: String,
    pub full_name: String,
    pub unit_code: String,
    pub day: String,
    pub colour: String,
    pub severity: i64,
    pub flags: Vec<String>,
    /// The submitted form as JSON.
    pub answers: String,
    pub declared_at: Timestamp,
    pub declared_by_staff: Option<i64>,
    pub monitor_from: Option<String>,
    pub monitor_until: Option<String>,
}

/// A stored declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDeclaration {
    pub id: i64,
    pub kind: String,
    pub citizen_id: Option<i64>,
    pub member_id: Option<i64>,
    pub subject: String,
    pub full_name: String,
    pub unit_code: String,
    pub day: String,
    pub colour: String,
    pub flags: Vec<String>,
    pub answers: String,
    pub declared_at: Timestamp,
    pub declared_by_staff: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    citizen_id: Option<i64>,
    member_id: Option<i64>,
    subject: String,
    full_name: String,
    unit_code: String,
    day: String,
    colour: String,
    flags: String,
    answers: String,
    declared_at: i64,
    declared_by_staff: Option<i64>,
}

impl From<Row> for StoredDeclaration {
    fn from(r: Row) -> Self {
        StoredDeclaration {
            id: r.id,
            kind: r.kind,
            citizen_id: r.citizen_id,
            member_id: r.member_id,
            subject: r.subject,
            full_name: r.full_name,
            unit_code: r.unit_code,
            day: r.day,
            colour: r.colour,
            flags: r
                .flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            answers: r.answers,
            declared_at: from_millis(r.declared_at),
            declared_by_staff: r.declared_by_staff,
        }
    }
}

const COLUMNS: &str =
    "d.id, d.kind, d.citizen_id, d.member_id, d.subject, d.full_name, d.unit_code, d.day, \
     d.colour, d.flags, d.answers, d.declared_at, d.declared_by_staff";

/// What an official asks for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct DeclarationFilter {
    /// Only this unit and below (must be inside the jurisdiction).
    pub unit_code: Option<String>,
    /// Local dates, inclusive (YYYY-MM-DD).
    pub from_day: Option<String>,
    pub to_day: Option<String>,
    pub kind: Option<String>,
    /// Only declarations with at least one flag.
    pub flagged_only: bool,
    /// Only declarations with this flag.
    pub flag: Option<String>,
    pub limit: u32,
}

/// A person under monitoring who sent no daily update for a day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MissedUpdate {
    pub subject: String,
    pub full_name: String,
    pub unit_code: String,
    pub citizen_id: Option<i64>,
    pub member_id: Option<i64>,
    pub monitor_until: String,
}

impl Store {
    /// Stores a declaration; a daily update replaces the same person's update of the same day.
    pub async fn insert_declaration(&self, d: &NewDeclaration) -> Result<i64> {
        self.existing_unit(&d.unit_code).await?;
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            if d.kind == "daily_update" {
                sqlx::query("DELETE FROM declarations WHERE subject = $1 AND day = $2 AND kind = 'daily_update'")
                    .bind(&d.subject)
                    .bind(&d.day)
                    .execute(&mut *tx)
                    .await?;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO declarations (kind, citizen_id, member_id, subject, full_name, unit_code, day, colour, \
                 severity, flags, answers, declared_at, declared_by_staff, monitor_from, monitor_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(&d.kind)
            .bind(d.citizen_id)
            .bind(d.member_id)
            .bind(&d.subject)
            .bind(&d.full_name)
            .bind(&d.unit_code)
            .bind(&d.day)
            .bind(&d.colour)
            .bind(d.severity)
            .bind(d.flags.join(","))
            .bind(&d.answers)
            .bind(millis(d.declared_at))
            .bind(d.declared_by_staff)
            .bind(&d.monitor_from)
            .bind(&d.monitor_until)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The person's most recent declaration of any kind.
    pub async fn latest_declaration(&self, subject: &str) -> Result<Option<StoredDeclaration>> {
        let sql = format!("SELECT {COLUMNS} FROM declarations d WHERE d.subject = $1 ORDER BY d.declared_at DESC, d.id DESC LIMIT 1");
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(subject).fetch_optional(p).await)?;
        Ok(row.map(StoredDeclaration::from))
    }

    /// Is the person inside the monitoring period of an entry declaration on `day`?
    pub async fn under_monitoring(&self, subject: &str, day: &str) -> Result<bool> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM declarations WHERE subject = $1 AND kind = 'entry' \
                 AND monitor_from <= $2 AND monitor_until > $2",
            )
            .bind(subject)
            .bind(day)
            .fetch_one(p)
            .await
        })?;
        Ok(n > 0)
    }

    /// Declarations made under a citizen's account (their own and their family's), newest first.
    pub async fn citizen_declarations(
        &self,
        citizen_id: i64,
        limit: u32,
    ) -> Result<Vec<StoredDeclaration>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM declarations d WHERE d.citizen_id = $1 ORDER BY d.declared_at DESC, d.id DESC LIMIT $2"
        );
        let rows: Vec<Row> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(citizen_id).bind(i64::from(limit.clamp(1, 500))).fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(StoredDeclaration::from).collect())
    }

    /// The path range to list for `actor` and an optional narrower unit; refuses (and audits) a
    /// unit outside the jurisdiction.
    async fn scoped_range(
        &self,
        actor: &Actor,
        unit_code: Option<&str>,
        action: &'static str,
        now: Timestamp,
    ) -> Result<(String, String)> {
        let Some(code) = unit_code else {
            return Ok(subtree_range(&actor.unit.path));
        };
        let unit = self.existing_unit(code).await?;
        if !actor.covers(&unit.path) {
            let event = AuditEvent {
                action,
                subject: format!("unit:{code}"),
                unit_code: Some(code.to_owned()),
                outcome: Outcome::Denied,
            };
            self.record_audit(actor, &event, now).await?;
            return Err(StoreError::OutOfJurisdiction);
        }
        Ok(subtree_range(&unit.path))
    }

    /// Declarations in the actor's jurisdiction matching `filter`, risky first then newest;
    /// the listing is audited under `action` (`declaration.list` or `declaration.export`).
    pub async fn staff_list_declarations(
        &self,
        actor: &Actor,
        filter: &DeclarationFilter,
        action: &'static str,
        now: Timestamp,
    ) -> Result<Vec<StoredDeclaration>> {
        let (from, to) = self
            .scoped_range(actor, filter.unit_code.as_deref(), action, now)
            .await?;
        let flag_pattern = filter.flag.as_ref().map(|f| format!("%,{f},%"));
        let sql = format!(
            "SELECT {COLUMNS} FROM declarations d JOIN units u ON u.code = d.unit_code \
             WHERE u.path >= $1 AND u.path < $2 \
             AND ($3 IS NULL OR d.day >= $3) AND ($4 IS NULL OR d.day <= $4) \
             AND ($5 IS NULL OR d.kind = $5) AND ($6 = 0 OR d.flags <> '') \
             AND ($7 IS NULL OR (',' || d.flags || ',') LIKE $7) \
             ORDER BY d.severity DESC, d.declared_at DESC, d.id DESC LIMIT $8"
        );
        let event = AuditEvent {
            action,
            subject: format!(
                "unit={} kind={} from={} to={} flag={}",
                filter.unit_code.as_deref().unwrap_or(&actor.unit.code),
                filter.kind.as_deref().unwrap_or("*"),
                filter.from_day.as_deref().unwrap_or("*"),
                filter.to_day.as_deref().unwrap_or("*"),
                filter
                    .flag
                    .as_deref()
                    .unwrap_or(if filter.flagged_only { "any" } else { "*" }),
            ),
            unit_code: Some(
                filter
                    .unit_code
                    .clone()
                    .unwrap_or_else(|| actor.unit.code.clone()),
            ),
            outcome: Outcome::Allowed,
        };
        let rows: Vec<Row> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row is written first: in SQLite's WAL mode a transaction that reads
            // and then writes can fail when another writer commits in between.
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows = sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(&filter.from_day)
                .bind(&filter.to_day)
                .bind(&filter.kind)
                .bind(i64::from(filter.flagged_only))
                .bind(&flag_pattern)
                .bind(i64::from(filter.limit.clamp(1, 100_000)))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            rows
        });
        Ok(rows.into_iter().map(StoredDeclaration::from).collect())
    }

    /// Opens one declaration for an official (audited; refused outside the jurisdiction).
    pub async fn staff_read_declaration(
        &self,
        actor: &Actor,
        id: i64,
        now: Timestamp,
    ) -> Result<StoredDeclaration> {
        let sql = format!("SELECT {COLUMNS}, u.path AS unit_path FROM declarations d JOIN units u ON u.code = d.unit_code WHERE d.id = $1");
        #[derive(sqlx::FromRow)]
        struct WithPath {
            #[sqlx(flatten)]
            row: Row,
            unit_path: String,
        }
        let found: Option<WithPath> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        let found = found.ok_or(StoreError::NotFound)?;
        let allowed = actor.covers(&found.unit_path);
        let event = AuditEvent {
            action: "declaration.read",
            subject: format!("declaration:{id}"),
            unit_code: Some(found.row.unit_code.clone()),
            outcome: if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
        };
        self.record_audit(actor, &event, now).await?;
        if allowed {
            Ok(found.row.into())
        } else {
            Err(StoreError::OutOfJurisdiction)
        }
    }

    /// People under monitoring in the actor's jurisdiction with no daily update for `day`
    /// (audited).
    pub async fn staff_missed_updates(
        &self,
        actor: &Actor,
        day: &str,
        now: Timestamp,
    ) -> Result<Vec<MissedUpdate>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let event = AuditEvent {
            action: "declaration.missed_updates",
            subject: format!("day={day}"),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows: Vec<MissedUpdate> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row is written first: in SQLite's WAL mode a transaction that reads
            // and then writes can fail when another writer commits in between.
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows = sqlx::query_as(
                "SELECT d.subject, d.full_name, d.unit_code, d.citizen_id, d.member_id, MAX(d.monitor_until) AS monitor_until \
                 FROM declarations d JOIN units u ON u.code = d.unit_code \
                 WHERE d.kind = 'entry' AND d.monitor_from <= $1 AND d.monitor_until > $1 \
                 AND u.path >= $2 AND u.path < $3 \
                 AND NOT EXISTS (SELECT 1 FROM declarations x WHERE x.subject = d.subject AND x.kind = 'daily_update' AND x.day = $1) \
                 GROUP BY d.subject, d.full_name, d.unit_code, d.citizen_id, d.member_id \
                 ORDER BY d.full_name",
            )
            .bind(day)
            .bind(&from)
            .bind(&to)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            rows
        });
        Ok(rows)
    }
}
