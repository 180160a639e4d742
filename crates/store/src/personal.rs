//! Staff access to citizens' personal data: the only way in, and always audited.
//!
//! Each method takes the [`Actor`], checks the jurisdiction, and writes the audit row in the same
//! transaction as the read, so no read happens without its record and a refusal is recorded too.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::{subtree_range, Actor};
use phongdich_domain::units::{Unit, ROOT_CODE};

use crate::accounts::{Citizen, CitizenRow, FamilyMember, FamilyRow, CITIZEN_COLUMNS};
use crate::audit::bind_audit;
use crate::{on_pool, Result, Store, StoreError};

/// A citizen as listed to an official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSummary {
    pub citizen: Citizen,
    pub unit: Option<Unit>,
    pub family_count: i64,
}

/// A citizen's record as an official opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenRecord {
    pub citizen: Citizen,
    pub unit: Option<Unit>,
    pub family: Vec<FamilyMember>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    citizen: CitizenRow,
    unit_path: Option<String>,
    family_count: i64,
}

/// A citizen with no home unit belongs to the country root: only national staff see them.
const ROOT_PATH: &str = "VN/";

impl Store {
    /// Lists citizens whose home unit is inside the actor's jurisdiction, optionally filtered by
    /// name or phone, and records the listing in the audit log.
    pub async fn staff_list_citizens(
        &self,
        actor: &Actor,
        query: Option<&str>,
        limit: u32,
        now: Timestamp,
    ) -> Result<Vec<CitizenSummary>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let pattern = query.map(str::trim).filter(|q| !q.is_empty()).map(|q| {
            let cleaned: String = q
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '+')
                .collect();
            format!("%{}%", cleaned.to_lowercase())
        });
        let sql = format!(
            "SELECT {CITIZEN_COLUMNS}, u.path AS unit_path, \
             (SELECT COUNT(*) FROM family_members f WHERE f.citizen_id = c.id) AS family_count \
             FROM citizens c LEFT JOIN units u ON u.code = c.unit_code \
             WHERE COALESCE(u.path, '{ROOT_PATH}') >= $1 AND COALESCE(u.path, '{ROOT_PATH}') < $2 \
             AND c.phone_only = 0 \
             AND ($3 IS NULL OR LOWER(COALESCE(c.full_name, '')) LIKE $3 OR c.phone LIKE $3) \
             ORDER BY c.full_name, c.id LIMIT $4"
        );
        let event = AuditEvent {
            action: "citizen.list",
            subject: format!("query={}", query.unwrap_or("")),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows: Vec<SummaryRow> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row is written first: in SQLite's WAL mode a transaction that reads
            // and then writes can fail when another writer commits in between.
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows = sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(&pattern)
                .bind(i64::from(limit.clamp(1, 500)))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            rows
        });
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let citizen = Citizen::from(row.citizen);
            let unit = match &citizen.unit_code {
                Some(code) if row.unit_path.is_some() => self.unit(code).await?,
                _ => None,
            };
            out.push(CitizenSummary {
                citizen,
                unit,
                family_count: row.family_count,
            });
        }
        Ok(out)
    }

    /// Opens one citizen's record. Outside the actor's jurisdiction the refusal is audited and
    /// [`StoreError::OutOfJurisdiction`] returned; an unknown id is `NotFound`.
    pub async fn staff_read_citizen(
        &self,
        actor: &Actor,
        citizen_id: i64,
        now: Timestamp,
    ) -> Result<CitizenRecord> {
        let citizen = self
            .citizen(citizen_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let unit = match &citizen.unit_code {
            Some(code) => self.unit(code).await?,
            None => None,
        };
        let path = unit.as_ref().map_or(ROOT_PATH, |u| u.path.as_str());
        let allowed = actor.covers(path);
        let event = AuditEvent {
            action: "citizen.read",
            subject: format!("citizen:{citizen_id}"),
            unit_code: Some(
                unit.as_ref()
                    .map_or(ROOT_CODE.to_owned(), |u| u.code.clone()),
            ),
            outcome: if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
        };
        if !allowed {
            self.record_audit(actor, &event, now).await?;
            return Err(StoreError::OutOfJurisdiction);
        }
        let family: Vec<FamilyRow> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row is written first: in SQLite's WAL mode a transaction that reads
            // and then writes can fail when another writer commits in between.
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let family = sqlx::query_as(
                "SELECT id, full_name, birth_year, relation FROM family_members WHERE citizen_id = $1 ORDER BY id",
            )
            .bind(citizen_id)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            family
        });
        Ok(CitizenRecord {
            citizen,
            unit,
            family: family.into_iter().map(FamilyMember::from).collect(),
        })
    }
}
