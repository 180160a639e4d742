//! Where a unit stands: for each target the head count, the count reported and the count the
//! system measured (citizens who signed up with the unit's code, venues registered), both as
//! percentages beside the percentage expected by now on a straight line from the start to the
//! target at the deadline; behind schedule when the better-known figure is below that line; late
//! when the last reporting date has passed without a report for it.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

use super::{Campaign, HeadCounts, Population, Report};

/// One target of one unit (or of all units, for the totals).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetProgress {
    pub population: Population,
    pub target_percent: u8,
    pub head_count: u64,
    /// The count that meets the target (rounded up).
    pub target_count: u64,
    pub reported: Option<u64>,
    pub measured: Option<u64>,
    pub reported_percent: Option<f64>,
    pub measured_percent: Option<f64>,
    /// Where a straight line from 0 at the start to the target at the deadline is today.
    pub expected_percent: f64,
    pub behind: bool,
}

/// One unit's standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitProgress {
    pub unit: String,
    pub targets: Vec<TargetProgress>,
    /// The date of its latest report.
    pub last_report: Option<Date>,
    /// The reporting date it should have reported for by now.
    pub due: Option<Date>,
    /// `due` has passed without a report for it.
    pub late: bool,
    /// Some target is behind schedule.
    pub behind: bool,
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 * 1000.0 / whole as f64).round()) / 10.0)
}

/// The share of the campaign's time gone by on `today`, 0–1.
fn elapsed(campaign: &Campaign, today: Date) -> f64 {
    let total = (campaign.deadline - campaign.start).get_days();
    if total <= 0 {
        return if today >= campaign.start { 1.0 } else { 0.0 };
    }
    let gone = (today - campaign.start).get_days();
    (f64::from(gone) / f64::from(total)).clamp(0.0, 1.0)
}

fn target(
    population: Population,
    target_percent: u8,
    heads: u64,
    reported: Option<u64>,
    measured: Option<u64>,
    share: f64,
) -> TargetProgress {
    let expected_percent = (f64::from(target_percent) * share * 10.0).round() / 10.0;
    let reported_percent = reported.and_then(|n| percent(n, heads));
    let measured_percent = measured.and_then(|n| percent(n, heads));
    let best = match (reported_percent, measured_percent) {
        (Some(r), Some(m)) => Some(r.max(m)),
        (r, m) => r.or(m),
    };
    TargetProgress {
        population,
        target_percent,
        head_count: heads,
        target_count: (heads * u64::from(target_percent)).div_ceil(100),
        reported,
        measured,
        reported_percent,
        measured_percent,
        expected_percent,
        behind: heads > 0 && best.unwrap_or(0.0) < expected_percent,
    }
}

/// The latest reporting date on or before `today`.
pub fn due_date(campaign: &Campaign, today: Date) -> Option<Date> {
    campaign
        .reporting_dates
        .iter()
        .copied()
        .filter(|d| *d <= today)
        .max()
}

/// The reporting date two days after `today`, if there is one: the day reminders go out.
pub fn reminder_due(campaign: &Campaign, today: Date) -> Option<Date> {
    let in_two_days = today.checked_add(2.days()).ok()?;
    campaign
        .reporting_dates
        .contains(&in_two_days)
        .then_some(in_two_days)
}

/// A unit's standing on `today` from its head counts, its latest report and the measured
/// counts (by population; a missing population was not measured).
pub fn progress(
    campaign: &Campaign,
    unit: &str,
    heads: &HeadCounts,
    last_report: Option<&Report>,
    measured: &BTreeMap<Population, u64>,
    today: Date,
) -> UnitProgress {
    let share = elapsed(campaign, today);
    let targets: Vec<TargetProgress> = campaign
        .targets
        .iter()
        .map(|t| {
            target(
                t.population,
                t.percent,
                heads.of(t.population),
                last_report.and_then(|r| r.counts.get(&t.population).copied()),
                measured.get(&t.population).copied(),
                share,
            )
        })
        .collect();
    let due = due_date(campaign, today);
    let last = last_report.map(|r| r.date);
    UnitProgress {
        unit: unit.to_owned(),
        behind: targets.iter().any(|t| t.behind),
        late: due.is_some_and(|d| last.is_none_or(|l| l < d)),
        last_report: last,
        due,
        targets,
    }
}

/// The campaign's totals over its units: head counts and counts added up (a unit that did not
/// report adds nothing to the reported count).
pub fn totals(campaign: &Campaign, units: &[UnitProgress], today: Date) -> Vec<TargetProgress> {
    let share = elapsed(campaign, today);
    campaign
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let rows = units.iter().filter_map(|u| u.targets.get(i));
            let (mut heads, mut reported, mut measured) = (0u64, None::<u64>, None::<u64>);
            for r in rows {
                heads += r.head_count;
                if let Some(n) = r.reported {
                    reported = Some(reported.unwrap_or(0) + n);
                }
                if let Some(n) = r.measured {
                    measured = Some(measured.unwrap_or(0) + n);
                }
            }
            target(t.population, t.percent, heads, reported, measured, share)
        })
        .collect()
}
