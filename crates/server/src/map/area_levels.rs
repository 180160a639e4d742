//! Area levels 1–4 per commune from new community cases per 100,000 a week (the profile's
//! `[area_levels]`), and the level of the whole area asked for, weighted by population.
//! Computed from the cases table on every request, so a registered or corrected case moves the
//! level at once.

use jiff::{Timestamp, ToSpan};
use phongdich_domain::safety::{aggregate, area_level, AreaCount, AreaLevel};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::units::{Tier, Unit};
use phongdich_domain::Message;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::state::AppState;

/// One unit's level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct UnitLevel {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) tier: String,
    /// Absent until an official enters it.
    pub(crate) population: Option<u64>,
    pub(crate) new_community_cases: u64,
    /// Cases per 100,000 in the window; absent without a population.
    pub(crate) rate_per_100k: Option<f64>,
    /// 1–4; absent without a population.
    pub(crate) level: Option<u8>,
    pub(crate) colour: &'static str,
    pub(crate) label: Message,
}

/// The thresholds used.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Thresholds {
    pub(crate) per_population: u64,
    pub(crate) level2_from: u64,
    pub(crate) level3_from: u64,
    pub(crate) level4_from: u64,
}

/// Levels of the communes of an area and of the area as a whole.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AreaLevels {
    pub(crate) window_days: i64,
    /// The window's first and last day (Vietnam time).
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) thresholds: Thresholds,
    /// Communes with a population entered or a case in the window, by name.
    pub(crate) units: Vec<UnitLevel>,
    /// The area asked for (communes with a population only).
    pub(crate) total: UnitLevel,
}

fn level_row(unit: &Unit, count: AreaCount, state: &AppState) -> UnitLevel {
    let rules = &state.profile().area_levels;
    let level = area_level(count.new_community_cases, count.population, rules).ok();
    row(unit, count, level, rules.per_population)
}

fn row(unit: &Unit, count: AreaCount, level: Option<AreaLevel>, per: u64) -> UnitLevel {
    let known = count.population > 0;
    UnitLevel {
        code: unit.code.clone(),
        name: unit.name.clone(),
        tier: unit.tier.as_str().to_owned(),
        population: known.then_some(count.population),
        new_community_cases: count.new_community_cases,
        rate_per_100k: known.then(|| {
            let rate = count.new_community_cases as f64 * per as f64 / count.population as f64;
            (rate * 10.0).round() / 10.0
        }),
        level: level.map(AreaLevel::number),
        colour: level.map_or("grey", AreaLevel::colour),
        label: level.map_or_else(
            || Message::new("Chưa có số dân", "No population entered"),
            AreaLevel::label,
        ),
    }
}

/// The levels of the communes at or below `area` for the week ending on `at`'s day.
pub(crate) async fn compute(state: &AppState, area: &Unit, at: Timestamp) -> ApiResult<AreaLevels> {
    let rules = &state.profile().area_levels;
    let to = vietnam_date(at);
    let from = to.checked_sub((rules.window_days - 1).days()).unwrap_or(to);
    let store = state.store();
    let populations = store.populations_under(&area.path).await?;
    let cases = store
        .cases_per_unit(&area.path, &from.to_string(), &to.to_string(), true)
        .await?;
    let mut codes: Vec<&String> = populations.keys().chain(cases.keys()).collect();
    codes.sort();
    codes.dedup();
    let mut units = Vec::new();
    let mut counts = Vec::new();
    for code in codes {
        let Some(unit) = store.unit(code).await? else {
            continue;
        };
        if unit.tier != Tier::Commune && unit.code != area.code {
            continue;
        }
        let count = AreaCount {
            new_community_cases: cases.get(code).copied().unwrap_or(0).max(0) as u64,
            population: populations.get(code).copied().unwrap_or(0).max(0) as u64,
        };
        if count.population > 0 {
            counts.push(count);
        }
        units.push(level_row(&unit, count, state));
    }
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let total = match aggregate(&counts, rules) {
        Ok((count, level)) => row(area, count, Some(level), rules.per_population),
        Err(_) => row(area, AreaCount::default(), None, rules.per_population),
    };
    Ok(AreaLevels {
        window_days: rules.window_days,
        from: from.to_string(),
        to: to.to_string(),
        thresholds: Thresholds {
            per_population: rules.per_population,
            level2_from: rules.level2_from,
            level3_from: rules.level3_from,
            level4_from: rules.level4_from,
        },
        units,
        total,
    })
}
