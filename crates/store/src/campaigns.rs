//! Adoption campaigns: units with head counts (entered or imported), campaigns, the units'
//! reports, what the system measures itself (citizens who signed up with a unit's code, their
//! declarations, venues registered), reminders sent, and a citizen's unit code.
//!
//! Head counts and counts are figures about units, not people: reading them is not audited.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use phongdich_domain::campaigns::{Campaign, Goal, HeadCounts, OrgKind, OrgUnit, Report, Target};
use phongdich_domain::jurisdiction::subtree_range;
use phongdich_domain::phone::PhoneNumber;

use crate::{from_millis, millis, on_pool, Result, Store, StoreError};

/// A stored unit with its id and the path of its administrative unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrgUnit {
    pub id: i64,
    pub unit: OrgUnit,
    pub unit_path: String,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCampaign {
    pub id: i64,
    pub campaign: Campaign,
    /// The creator's unit and its path.
    pub unit_code: String,
    pub unit_path: String,
    pub created_at: Timestamp,
}

/// A stored report with the unit it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub org_unit_id: i64,
    pub report: Report,
    pub reported_at: Timestamp,
}

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    unit_code: String,
    unit_path: String,
    parent_code: Option<String>,
    reporter_phone: Option<String>,
    staff: i64,
    staff_smartphone: i64,
    residents: i64,
    smartphone_users: i64,
    venues: i64,
}

impl TryFrom<OrgRow> for StoredOrgUnit {
    type Error = StoreError;

    fn try_from(r: OrgRow) -> Result<Self> {
        let n =
            |v: i64| u64::try_from(v).map_err(|_| corrupt(format!("org unit {}: count {v}", r.id)));
        Ok(StoredOrgUnit {
            id: r.id,
            unit: OrgUnit {
                kind: OrgKind::parse("kind", &r.kind)
                    .map_err(|_| corrupt(format!("org unit {}: kind {:?}", r.id, r.kind)))?,
                reporter_phone: r
                    .reporter_phone
                    .as_deref()
                    .and_then(|p| PhoneNumber::parse("phone", p).ok()),
                heads: HeadCounts {
                    staff: n(r.staff)?,
                    staff_smartphone: n(r.staff_smartphone)?,
                    residents: n(r.residents)?,
                    smartphone_users: n(r.smartphone_users)?,
                    venues: n(r.venues)?,
                },
                code: r.code,
                name: r.name,
                unit_code: r.unit_code,
                parent_code: r.parent_code,
            },
            unit_path: r.unit_path,
        })
    }
}

const SELECT_ORG: &str = "SELECT o.id, o.code, o.name, o.kind, o.unit_code, u.path AS unit_path, \
     p.code AS parent_code, o.reporter_phone, o.staff, o.staff_smartphone, o.residents, \
     o.smartphone_users, o.venues FROM org_units o JOIN units u ON u.code = o.unit_code \
     LEFT JOIN org_units p ON p.id = o.parent_id";

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    name: String,
    goal: String,
    start_day: String,
    deadline: String,
    reporting: String,
    targets: String,
    unit_code: String,
    unit_path: String,
    created_at: i64,
}

impl Store {
    /// Adds or updates units by code (an import run again updates the head counts), then links
    /// each to its parent, in one transaction: a parent code that names no unit leaves nothing
    /// written and is `Conflict("org_parent_unknown")`.
    pub async fn save_org_units(&self, units: &[OrgUnit], now: Timestamp) -> Result<usize> {
        for u in units {
            self.existing_unit(&u.unit_code).await?;
        }
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for u in units {
                sqlx::query(
                    "INSERT INTO org_units (code, name, kind, unit_code, reporter_phone, staff, \
                     staff_smartphone, residents, smartphone_users, venues, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                     unit_code = excluded.unit_code, reporter_phone = excluded.reporter_phone, \
                     staff = excluded.staff, staff_smartphone = excluded.staff_smartphone, \
                     residents = excluded.residents, smartphone_users = excluded.smartphone_users, \
                     venues = excluded.venues, updated_at = excluded.updated_at",
                )
                .bind(&u.code)
                .bind(&u.name)
                .bind(u.kind.as_str())
                .bind(&u.unit_code)
                .bind(u.reporter_phone.as_ref().map(|p| p.as_str().to_owned()))
                .bind(u.heads.staff as i64)
                .bind(u.heads.staff_smartphone as i64)
                .bind(u.heads.residents as i64)
                .bind(u.heads.smartphone_users as i64)
                .bind(u.heads.venues as i64)
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
            }
            let mut unknown_parent = false;
            for u in units {
                let n = sqlx::query(
                    "UPDATE org_units SET parent_id = (SELECT id FROM org_units WHERE code = $1) \
                     WHERE code = $2",
                )
                .bind(&u.parent_code)
                .bind(&u.code)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 && u.parent_code.is_some() {
                    let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units WHERE code = $1")
                        .bind(&u.parent_code)
                        .fetch_one(&mut *tx)
                        .await?;
                    unknown_parent |= found == 0;
                }
            }
            if !unknown_parent {
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(!unknown_parent)
        })?;
        if !result {
            return Err(StoreError::Conflict("org_parent_unknown"));
        }
        Ok(units.len())
    }

    pub async fn org_unit(&self, code: &str) -> Result<Option<StoredOrgUnit>> {
        let sql = format!("{SELECT_ORG} WHERE o.code = $1");
        let row: Option<OrgRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(code.trim().to_uppercase()).fetch_optional(p).await)?;
        row.map(StoredOrgUnit::try_from).transpose()
    }

    /// Units whose administrative unit is at or below `path`, by code.
    pub async fn org_units_under(&self, path: &str) -> Result<Vec<StoredOrgUnit>> {
        let (from, to) = subtree_range(path);
        let sql = format!("{SELECT_ORG} WHERE u.path >= $1 AND u.path < $2 ORDER BY o.code");
        let rows: Vec<OrgRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(p).await)?;
        rows.into_iter().map(StoredOrgUnit::try_from).collect()
    }

    /// Stores a campaign over the units with these ids, scoped to `unit_code`.
    pub async fn create_campaign(
        &self,
        c: &Campaign,
        org_unit_ids: &[i64],
        unit_code: &str,
        created_by: i64,
        now: Timestamp,
    ) -> Result<i64> {
        let reporting = serde_json::to_string(
            &c.reporting_dates
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
        )
        .map_err(|e| corrupt(e.to_string()))?;
        let targets = serde_json::to_string(&c.targets).map_err(|e| corrupt(e.to_string()))?;
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO campaigns (name, goal, start_day, deadline, reporting, targets, unit_code, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&c.name)
            .bind(c.goal.as_str())
            .bind(c.start.to_string())
            .bind(c.deadline.to_string())
            .bind(&reporting)
            .bind(&targets)
            .bind(unit_code)
            .bind(created_by)
            .bind(millis(now))
            .fetch_one(&mut *tx)
            .await?;
            for org in org_unit_ids {
                sqlx::query("INSERT INTO campaign_units (campaign_id, org_unit_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?;
        Ok(id)
    }

    async fn campaign_units(&self, id: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT o.code FROM campaign_units c JOIN org_units o ON o.id = c.org_unit_id \
                 WHERE c.campaign_id = $1 ORDER BY o.code",
            )
            .bind(id)
            .fetch_all(p)
            .await
        })?)
    }

    async fn stored_campaign(&self, r: CampaignRow) -> Result<StoredCampaign> {
        let date = |s: &str| {
            s.parse::<Date>()
                .map_err(|_| corrupt(format!("campaign {}: day {s:?}", r.id)))
        };
        let reporting: Vec<String> =
            serde_json::from_str(&r.reporting).map_err(|e| corrupt(e.to_string()))?;
        let targets: Vec<Target> =
            serde_json::from_str(&r.targets).map_err(|e| corrupt(e.to_string()))?;
        Ok(StoredCampaign {
            id: r.id,
            campaign: Campaign {
                name: r.name.clone(),
                goal: Goal::parse("goal", &r.goal)
                    .map_err(|_| corrupt(format!("goal {:?}", r.goal)))?,
                start: date(&r.start_day)?,
                deadline: date(&r.deadline)?,
                reporting_dates: reporting.iter().map(|d| date(d)).collect::<Result<_>>()?,
                targets,
                units: self.campaign_units(r.id).await?,
            },
            unit_code: r.unit_code,
            unit_path: r.unit_path,
            created_at: from_millis(r.created_at),
        })
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<StoredCampaign>> {
        let row: Option<CampaignRow> = on_pool!(self, p => {
            sqlx::query_as(&format!("{SELECT_CAMPAIGN} WHERE c.id = $1")).bind(id).fetch_optional(p).await
        })?;
        match row {
            Some(r) => Ok(Some(self.stored_campaign(r).await?)),
            None => Ok(None),
        }
    }

    /// Campaigns created at or below `path`, or covering a unit there, newest first.
    pub async fn campaigns_visible(&self, path: &str) -> Result<Vec<StoredCampaign>> {
        let (from, to) = subtree_range(path);
        let sql = format!(
            "{SELECT_CAMPAIGN} WHERE (u.path >= $1 AND u.path < $2) OR EXISTS (SELECT 1 FROM \
             campaign_units cu JOIN org_units o ON o.id = cu.org_unit_id JOIN units ou ON ou.code = o.unit_code \
             WHERE cu.campaign_id = c.id AND ou.path >= $1 AND ou.path < $2) ORDER BY c.id DESC"
        );
        let rows: Vec<CampaignRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(p).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.stored_campaign(r).await?);
        }
        Ok(out)
    }

    /// Stores a unit's report for a reporting day, replacing an earlier one for that day.
    pub async fn save_campaign_report(
        &self,
        campaign_id: i64,
        org_unit_id: i64,
        report: &Report,
        reported_by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let counts: BTreeMap<&str, u64> = report
            .counts
            .iter()
            .map(|(p, n)| (p.as_str(), *n))
            .collect();
        let counts = serde_json::to_string(&counts).map_err(|e| corrupt(e.to_string()))?;
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO campaign_reports (campaign_id, org_unit_id, day, counts, note, reported_by, \
                 reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (campaign_id, org_unit_id, day) DO UPDATE SET counts = excluded.counts, \
                 note = excluded.note, reported_by = excluded.reported_by, reported_at = excluded.reported_at",
            )
            .bind(campaign_id)
            .bind(org_unit_id)
            .bind(report.date.to_string())
            .bind(&counts)
            .bind(&report.note)
            .bind(reported_by)
            .bind(millis(now))
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Every report of a campaign, oldest day first.
    pub async fn campaign_reports(&self, campaign_id: i64) -> Result<Vec<StoredReport>> {
        let rows: Vec<(i64, String, String, String, String, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT r.org_unit_id, o.code, r.day, r.counts, r.note, r.reported_at FROM campaign_reports r \
                 JOIN org_units o ON o.id = r.org_unit_id WHERE r.campaign_id = $1 ORDER BY r.day, o.code",
            )
            .bind(campaign_id)
            .fetch_all(p)
            .await
        })?;
        rows.into_iter()
            .map(|(org_unit_id, code, day, counts, note, at)| {
                let raw: BTreeMap<String, u64> =
                    serde_json::from_str(&counts).map_err(|e| corrupt(e.to_string()))?;
                let counts = raw
                    .into_iter()
                    .filter_map(|(k, v)| {
                        phongdich_domain::campaigns::Population::parse("p", &k)
                            .ok()
                            .map(|p| (p, v))
                    })
                    .collect();
                Ok(StoredReport {
                    org_unit_id,
                    report: Report {
                        unit: code,
                        date: day
                            .parse()
                            .map_err(|_| corrupt(format!("report day {day:?}")))?,
                        counts,
                        note,
                    },
                    reported_at: from_millis(at),
                })
            })
            .collect()
    }

    /// What the system itself counted for each unit up to `until`: citizens who signed up with
    /// the unit's code (installs), those of them who declared since `since` (declarations), or
    /// venues registered in a commune unit's administrative unit (venues).
    pub async fn measured_counts(
        &self,
        goal: Goal,
        org_unit_ids: &[i64],
        since: Timestamp,
        until: Timestamp,
    ) -> Result<BTreeMap<i64, u64>> {
        let sql = match goal {
            Goal::InstallApp => {
                "SELECT o.id, (SELECT COUNT(*) FROM citizens z WHERE z.org_unit_id = o.id \
                 AND z.created_at <= $2 AND $1 = $1) FROM org_units o WHERE o.id = $3"
            }
            Goal::Declare => {
                "SELECT o.id, (SELECT COUNT(DISTINCT d.citizen_id) FROM declarations d JOIN citizens z \
                 ON z.id = d.citizen_id WHERE z.org_unit_id = o.id AND d.declared_at >= $1 \
                 AND d.declared_at <= $2) FROM org_units o WHERE o.id = $3"
            }
            Goal::RegisterVenues => {
                "SELECT o.id, (SELECT COUNT(*) FROM venues v WHERE v.unit_code = o.unit_code \
                 AND o.kind = 'commune' AND v.created_at <= $2 AND $1 = $1) FROM org_units o WHERE o.id = $3"
            }
        };
        let mut out = BTreeMap::new();
        for id in org_unit_ids {
            let row: Option<(i64, i64)> = on_pool!(self, p => {
                sqlx::query_as(sql)
                    .bind(millis(since))
                    .bind(millis(until))
                    .bind(id)
                    .fetch_optional(p)
                    .await
            })?;
            if let Some((id, n)) = row {
                out.insert(id, n.max(0) as u64);
            }
        }
        Ok(out)
    }

    /// Records that a reminder for `due` went to a unit; false when one was already recorded
    /// (so two instances, or a restart, never send it twice).
    pub async fn claim_reminder(
        &self,
        campaign_id: i64,
        org_unit_id: i64,
        due: Date,
        now: Timestamp,
    ) -> Result<bool> {
        let n = on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO campaign_reminders (campaign_id, org_unit_id, due_day, sent_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(campaign_id)
            .bind(org_unit_id)
            .bind(due.to_string())
            .bind(millis(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Links a citizen to the unit whose code they gave at sign-up (or unlinks with `None`).
    pub async fn set_citizen_org_unit(
        &self,
        citizen_id: i64,
        org_unit_id: Option<i64>,
    ) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("UPDATE citizens SET org_unit_id = $1 WHERE id = $2")
                .bind(org_unit_id)
                .bind(citizen_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The code of the unit a citizen signed up with.
    pub async fn citizen_org_unit(&self, citizen_id: i64) -> Result<Option<String>> {
        let code: Option<Option<String>> = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT o.code FROM citizens z LEFT JOIN org_units o ON o.id = z.org_unit_id WHERE z.id = $1",
            )
            .bind(citizen_id)
            .fetch_optional(p)
            .await
        })?;
        Ok(code.flatten())
    }
}

const SELECT_CAMPAIGN: &str = "SELECT c.id, c.name, c.goal, c.start_day, c.deadline, c.reporting, \
     c.targets, c.unit_code, u.path AS unit_path, c.created_at FROM campaigns c \
     JOIN units u ON u.code = c.unit_code";
