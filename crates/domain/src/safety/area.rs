//! Area levels 1–4 (green, yellow, orange, red) of Resolution 128/NQ-CP from new community cases
//! per 100,000 people per week, for a commune and aggregated to a district or province.
//!
//! Only the first of Resolution 128's three criteria (new community cases per population per
//! time) is computed here; vaccine coverage and treatment capacity are left to the officials who
//! publish the level.

use serde::{Deserialize, Serialize, Serializer};

use crate::Message;

/// The profile's `[area_levels]` section: the thresholds of the case rate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaLevelRules {
    /// Days of new community cases counted (a week).
    pub window_days: i64,
    /// The population the rate is expressed per (100,000).
    pub per_population: u64,
    /// Lowest rate (cases per `per_population` per window) of level 2, 3 and 4.
    pub level2_from: u64,
    pub level3_from: u64,
    pub level4_from: u64,
}

impl AreaLevelRules {
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.window_days <= 0 || self.per_population == 0 {
            return Err("area_levels: window_days and per_population must be positive".into());
        }
        if !(0 < self.level2_from
            && self.level2_from < self.level3_from
            && self.level3_from < self.level4_from)
        {
            return Err("area_levels: need 0 < level2_from < level3_from < level4_from".into());
        }
        Ok(())
    }
}

/// An area's epidemic level (Resolution 128/NQ-CP, 11 October 2021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaLevel {
    /// Level 1, low risk ("new normal"): green.
    Low = 1,
    /// Level 2, medium risk: yellow.
    Medium = 2,
    /// Level 3, high risk: orange.
    High = 3,
    /// Level 4, very high risk: red.
    VeryHigh = 4,
}

impl AreaLevel {
    pub const ALL: &'static [AreaLevel] = &[
        AreaLevel::Low,
        AreaLevel::Medium,
        AreaLevel::High,
        AreaLevel::VeryHigh,
    ];

    /// 1 to 4.
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn colour(self) -> &'static str {
        match self {
            AreaLevel::Low => "green",
            AreaLevel::Medium => "yellow",
            AreaLevel::High => "orange",
            AreaLevel::VeryHigh => "red",
        }
    }

    pub fn label(self) -> Message {
        match self {
            AreaLevel::Low => Message::new(
                "Cấp 1 – Nguy cơ thấp (bình thường mới)",
                "Level 1 – Low risk (new normal)",
            ),
            AreaLevel::Medium => {
                Message::new("Cấp 2 – Nguy cơ trung bình", "Level 2 – Medium risk")
            }
            AreaLevel::High => Message::new("Cấp 3 – Nguy cơ cao", "Level 3 – High risk"),
            AreaLevel::VeryHigh => {
                Message::new("Cấp 4 – Nguy cơ rất cao", "Level 4 – Very high risk")
            }
        }
    }
}

/// Serialised as its number, 1 to 4.
impl Serialize for AreaLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

/// Why a level cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaLevelError {
    #[error("the area's population is 0, so it has no case rate")]
    ZeroPopulation,
    #[error("unit {index} of the aggregate has population 0")]
    UnitWithoutPopulation { index: usize },
    #[error("no units to aggregate")]
    NoUnits,
}

/// One unit's count for a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct AreaCount {
    pub new_community_cases: u64,
    pub population: u64,
}

/// The level of one area from its new community cases in the window (a week) and population.
pub fn area_level(
    new_community_cases_7d: u64,
    population: u64,
    rules: &AreaLevelRules,
) -> Result<AreaLevel, AreaLevelError> {
    if population == 0 {
        return Err(AreaLevelError::ZeroPopulation);
    }
    // rate >= threshold  ⇔  cases × per_population >= threshold × population, in integers so
    // the edges are exact (20 cases per 100,000 is level 2, 19.99 is level 1).
    let scaled = u128::from(new_community_cases_7d) * u128::from(rules.per_population);
    let at_least = |threshold: u64| scaled >= u128::from(threshold) * u128::from(population);
    Ok(if at_least(rules.level4_from) {
        AreaLevel::VeryHigh
    } else if at_least(rules.level3_from) {
        AreaLevel::High
    } else if at_least(rules.level2_from) {
        AreaLevel::Medium
    } else {
        AreaLevel::Low
    })
}

/// The level of a district or province from its communes: the rate of all their cases over all
/// their people (population-weighted), not the worst commune's level. A commune without a
/// population is an error rather than silently left out.
pub fn aggregate(
    units: &[AreaCount],
    rules: &AreaLevelRules,
) -> Result<(AreaCount, AreaLevel), AreaLevelError> {
    if units.is_empty() {
        return Err(AreaLevelError::NoUnits);
    }
    let mut total = AreaCount::default();
    for (index, u) in units.iter().enumerate() {
        if u.population == 0 {
            return Err(AreaLevelError::UnitWithoutPopulation { index });
        }
        total.new_community_cases = total
            .new_community_cases
            .saturating_add(u.new_community_cases);
        total.population = total.population.saturating_add(u.population);
    }
    let level = area_level(total.new_community_cases, total.population, rules)?;
    Ok((total, level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn rules() -> AreaLevelRules {
        Profile::covid19_2021().area_levels
    }

    #[test]
    fn the_profile_has_the_4800_thresholds() {
        let r = rules();
        assert_eq!(r.window_days, 7);
        assert_eq!(r.per_population, 100_000);
        assert_eq!((r.level2_from, r.level3_from, r.level4_from), (20, 50, 150));
    }

    #[test]
    fn thresholds_are_exact() {
        let r = rules();
        let level = |cases| area_level(cases, 100_000, &r).unwrap();
        assert_eq!(level(0), AreaLevel::Low);
        assert_eq!(level(19), AreaLevel::Low);
        assert_eq!(level(20), AreaLevel::Medium);
        assert_eq!(level(49), AreaLevel::Medium);
        assert_eq!(level(50), AreaLevel::High);
        assert_eq!(level(149), AreaLevel::High);
        assert_eq!(level(150), AreaLevel::VeryHigh);
        // A commune of 8,000: 20 per 100,000 is 1.6 cases, so 1 case is level 1 and 2 is level 2.
        assert_eq!(area_level(1, 8_000, &r).unwrap(), AreaLevel::Low);
        assert_eq!(area_level(2, 8_000, &r).unwrap(), AreaLevel::Medium);
        assert_eq!(area_level(4, 8_000, &r).unwrap(), AreaLevel::High);
        assert_eq!(area_level(12, 8_000, &r).unwrap(), AreaLevel::VeryHigh);
        assert_eq!(area_level(u64::MAX, 1, &r).unwrap(), AreaLevel::VeryHigh);
    }

    #[test]
    fn population_zero_is_an_error() {
        assert_eq!(
            area_level(3, 0, &rules()),
            Err(AreaLevelError::ZeroPopulation)
        );
        assert_eq!(aggregate(&[], &rules()), Err(AreaLevelError::NoUnits));
        let units = [
            AreaCount {
                new_community_cases: 1,
                population: 5_000,
            },
            AreaCount {
                new_community_cases: 0,
                population: 0,
            },
        ];
        assert_eq!(
            aggregate(&units, &rules()),
            Err(AreaLevelError::UnitWithoutPopulation { index: 1 })
        );
    }

    #[test]
    fn aggregation_weights_by_population_not_the_worst_commune() {
        let r = rules();
        // A small commune at 200 per 100,000 (level 4) and two large quiet ones.
        let units = [
            AreaCount {
                new_community_cases: 10,
                population: 5_000,
            },
            AreaCount {
                new_community_cases: 5,
                population: 50_000,
            },
            AreaCount {
                new_community_cases: 0,
                population: 45_000,
            },
        ];
        assert_eq!(area_level(10, 5_000, &r).unwrap(), AreaLevel::VeryHigh);
        let (total, level) = aggregate(&units, &r).unwrap();
        assert_eq!(
            total,
            AreaCount {
                new_community_cases: 15,
                population: 100_000
            }
        );
        // 15 per 100,000: level 1, though one commune is level 4.
        assert_eq!(level, AreaLevel::Low);
        // Five more cases anywhere reach 20 per 100,000.
        let mut more = units;
        more[2].new_community_cases = 5;
        assert_eq!(aggregate(&more, &r).unwrap().1, AreaLevel::Medium);
    }

    #[test]
    fn levels_have_colours_numbers_and_serialise_as_numbers() {
        let colours: Vec<_> = AreaLevel::ALL.iter().map(|l| l.colour()).collect();
        assert_eq!(colours, ["green", "yellow", "orange", "red"]);
        let numbers: Vec<_> = AreaLevel::ALL.iter().map(|l| l.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(serde_json::to_string(&AreaLevel::High).unwrap(), "3");
        assert!(AreaLevel::Low.label().en.contains("Level 1"));
    }

    #[test]
    fn inconsistent_rules_are_refused() {
        let profile = crate::profile::COVID19_2021;
        let swapped = profile.replace("level3_from = 50", "level3_from = 10");
        assert!(Profile::parse(&swapped)
            .unwrap_err()
            .contains("area_levels"));
        let zero = profile.replace("per_population = 100000", "per_population = 0");
        assert!(Profile::parse(&zero).unwrap_err().contains("area_levels"));
    }
}
