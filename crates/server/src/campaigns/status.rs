//! A campaign's status on a date: each unit's progress (reported beside measured), the units
//! behind schedule or late first, the totals, and the totals at each reporting date so far.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use phongdich_domain::campaigns::{progress, totals, Population, TargetProgress, UnitProgress};
use phongdich_domain::time::vietnam;
use phongdich_store::{StoredCampaign, StoredOrgUnit, StoredReport};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One unit of the campaign on the date.
#[derive(Debug, Clone)]
pub(crate) struct UnitStatus {
    pub(crate) org: StoredOrgUnit,
    pub(crate) progress: UnitProgress,
    pub(crate) note: Option<String>,
}

/// The totals at one reporting date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct TimelinePoint {
    #[schema(value_type = String, format = Date)]
    pub(crate) date: Date,
    pub(crate) targets: Vec<TargetProgress>,
}

/// Everything the dashboard and the printed reports show.
#[derive(Debug, Clone)]
pub(crate) struct CampaignStatus {
    pub(crate) campaign: StoredCampaign,
    pub(crate) date: Date,
    /// Late first, then behind schedule, then the lowest progress.
    pub(crate) units: Vec<UnitStatus>,
    pub(crate) totals: Vec<TargetProgress>,
    pub(crate) timeline: Vec<TimelinePoint>,
}

/// The first instant of the day after `d` in Vietnam (the end of `d`).
fn end_of(d: Date) -> ApiResult<Timestamp> {
    let next = d
        .checked_add(1.day())
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(next
        .to_zoned(vietnam())
        .map_err(|e| ApiError::Internal(e.into()))?
        .timestamp())
}

fn start_of(d: Date) -> ApiResult<Timestamp> {
    Ok(d.to_zoned(vietnam())
        .map_err(|e| ApiError::Internal(e.into()))?
        .timestamp())
}

/// The lowest progress of a unit, for ordering.
fn least(p: &UnitProgress) -> f64 {
    p.targets
        .iter()
        .map(|t| {
            t.reported_percent
                .unwrap_or(0.0)
                .max(t.measured_percent.unwrap_or(0.0))
        })
        .fold(f64::INFINITY, f64::min)
}

async fn units_on(
    state: &AppState,
    c: &StoredCampaign,
    orgs: &[StoredOrgUnit],
    reports: &[StoredReport],
    date: Date,
) -> ApiResult<Vec<UnitStatus>> {
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let measured = state
        .store()
        .measured_counts(
            c.campaign.goal,
            &ids,
            start_of(c.campaign.start)?,
            end_of(date)?,
        )
        .await?;
    let mut out = Vec::with_capacity(orgs.len());
    for org in orgs {
        let last = reports
            .iter()
            .filter(|r| r.org_unit_id == org.id && r.report.date <= date)
            .max_by_key(|r| r.report.date);
        // What the system counts stands for every population the goal concerns.
        let n = measured.get(&org.id).copied().unwrap_or(0);
        let measured: BTreeMap<Population, u64> = c
            .campaign
            .targets
            .iter()
            .map(|t| (t.population, n.min(org.unit.heads.of(t.population))))
            .collect();
        let p = progress(
            &c.campaign,
            &org.unit.code,
            &org.unit.heads,
            last.map(|r| &r.report),
            &measured,
            date,
        );
        out.push(UnitStatus {
            org: org.clone(),
            progress: p,
            note: last
                .map(|r| r.report.note.clone())
                .filter(|n| !n.is_empty()),
        });
    }
    Ok(out)
}

/// The campaign's status on `date`.
pub(crate) async fn status(
    state: &AppState,
    c: StoredCampaign,
    date: Date,
) -> ApiResult<CampaignStatus> {
    let mut orgs = Vec::new();
    for code in &c.campaign.units {
        if let Some(o) = state.store().org_unit(code).await? {
            orgs.push(o);
        }
    }
    let reports = state.store().campaign_reports(c.id).await?;
    let mut units = units_on(state, &c, &orgs, &reports, date).await?;
    units.sort_by(|a, b| {
        (b.progress.late, b.progress.behind)
            .cmp(&(a.progress.late, a.progress.behind))
            .then(least(&a.progress).total_cmp(&least(&b.progress)))
            .then(a.org.unit.code.cmp(&b.org.unit.code))
    });
    let progress: Vec<UnitProgress> = units.iter().map(|u| u.progress.clone()).collect();
    let totals = totals(&c.campaign, &progress, date);
    let mut timeline = Vec::new();
    let mut days: Vec<Date> = std::iter::once(c.campaign.start)
        .chain(c.campaign.reporting_dates.iter().copied())
        .filter(|d| *d < date)
        .collect();
    days.push(date);
    days.dedup();
    for d in days {
        let at = units_on(state, &c, &orgs, &reports, d).await?;
        let p: Vec<UnitProgress> = at.into_iter().map(|u| u.progress).collect();
        timeline.push(TimelinePoint {
            date: d,
            targets: phongdich_domain::campaigns::totals(&c.campaign, &p, d),
        });
    }
    Ok(CampaignStatus {
        campaign: c,
        date,
        units,
        totals,
        timeline,
    })
}
