//! Criteria sets: the questions a facility answers each day and the rule that turns the answers
//! into a colour, versioned so an old assessment keeps the set it was made with.
//!
//! A set is data (`data/criteria/*.toml`, compiled in), either *pass/fail* (each criterion met or
//! not; the colour follows the count met and the required criteria) or *scored* (each answer
//! option has points; the risk index is the sum over the maximum × 100, banded). Every way of
//! building a set — the shipped TOML, a set an official edits, a set read back from the store as
//! JSON — goes through the same check, so a set in hand is always consistent.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{FacilityType, SafetyColour};

/// The answer id meaning "met" in a pass/fail set.
pub const ANSWER_MET: &str = "met";
/// The answer id meaning "not met" in a pass/fail set.
pub const ANSWER_NOT_MET: &str = "not_met";
/// Most criteria a set may have (keeps forms and error lists bounded).
pub const MAX_CRITERIA: usize = 100;
/// Most answer options a scored criterion may have.
const MAX_OPTIONS: usize = 20;
/// Longest id of a set, criterion or option.
const MAX_ID_CHARS: usize = 64;

/// The shipped sets' text, one per facility type.
const SHIPPED_TEXT: [&str; 4] = [
    include_str!("../../../../data/criteria/school.toml"),
    include_str!("../../../../data/criteria/medical.toml"),
    include_str!("../../../../data/criteria/workplace.toml"),
    include_str!("../../../../data/criteria/transport.toml"),
];

/// How a set turns answers into a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SetKind {
    PassFail,
    Scored,
}

/// Where a set's criteria come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The count, scoring and thresholds follow a cited official text.
    Official,
    /// The project's (or an operator's) own adaptation, not an official text.
    Adapted,
}

/// One question of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub vi: String,
    pub en: String,
    /// Pass/fail sets only: failing it makes the facility unsafe whatever the count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Scored sets only: the possible answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<AnswerOption>,
}

/// One possible answer to a scored criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub id: String,
    pub points: i64,
    pub vi: String,
    pub en: String,
}

/// The colour rule of a pass/fail set: red below `yellow_min_met` criteria met or when a
/// required criterion fails, green from `green_min_met`, yellow between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PassFailRule {
    pub green_min_met: usize,
    pub yellow_min_met: usize,
}

/// One band of a scored set's risk index: indices up to `up_to` (inclusive, whole percent)
/// above the previous band's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub up_to: u8,
    pub colour: SafetyColour,
    pub vi: String,
    pub en: String,
}

/// A checked, versioned criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "UncheckedSet")]
pub struct CriteriaSet {
    pub id: String,
    pub version: u32,
    pub facility_type: FacilityType,
    pub kind: SetKind,
    pub basis: Basis,
    /// The text the set follows, or a statement that it is an adaptation.
    pub source: String,
    pub name_vi: String,
    pub name_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_fail: Option<PassFailRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    pub criteria: Vec<Criterion>,
}

/// The same fields before the check; deserialising a [`CriteriaSet`] goes through it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UncheckedSet {
    id: String,
    version: u32,
    facility_type: FacilityType,
    kind: SetKind,
    basis: Basis,
    source: String,
    name_vi: String,
    name_en: String,
    #[serde(default)]
    pass_fail: Option<PassFailRule>,
    #[serde(default)]
    bands: Vec<Band>,
    criteria: Vec<Criterion>,
}

impl TryFrom<UncheckedSet> for CriteriaSet {
    type Error = String;

    fn try_from(u: UncheckedSet) -> Result<Self, String> {
        let set = CriteriaSet {
            id: u.id,
            version: u.version,
            facility_type: u.facility_type,
            kind: u.kind,
            basis: u.basis,
            source: u.source,
            name_vi: u.name_vi,
            name_en: u.name_en,
            pass_fail: u.pass_fail,
            bands: u.bands,
            criteria: u.criteria,
        };
        set.check()?;
        Ok(set)
    }
}

impl CriteriaSet {
    /// Parses and checks a set written in TOML (the format of `data/criteria/`).
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The sets shipped with the program, one per facility type, checked on first use.
    pub fn shipped() -> &'static [CriteriaSet] {
        static SETS: OnceLock<Vec<CriteriaSet>> = OnceLock::new();
        SETS.get_or_init(|| {
            SHIPPED_TEXT
                .iter()
                .map(|text| {
                    Self::parse(text)
                        .unwrap_or_else(|e| panic!("shipped criteria set is broken: {e}"))
                })
                .collect()
        })
    }

    /// The shipped set of a facility type.
    pub fn shipped_for(facility_type: FacilityType) -> &'static CriteriaSet {
        Self::shipped()
            .iter()
            .find(|s| s.facility_type == facility_type)
            .unwrap_or_else(|| panic!("no shipped criteria set for {}", facility_type.as_str()))
    }

    /// A criterion by id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// The answer ids a criterion accepts, with their points (0 for pass/fail sets).
    pub fn answers_of<'a>(
        &'a self,
        criterion: &'a Criterion,
    ) -> Box<dyn Iterator<Item = (&'a str, i64)> + 'a> {
        match self.kind {
            SetKind::PassFail => Box::new([(ANSWER_MET, 0), (ANSWER_NOT_MET, 0)].into_iter()),
            SetKind::Scored => {
                Box::new(criterion.options.iter().map(|o| (o.id.as_str(), o.points)))
            }
        }
    }

    /// The highest total a scored set can reach (0 for pass/fail sets).
    pub fn max_points(&self) -> i64 {
        self.criteria
            .iter()
            .map(|c| c.options.iter().map(|o| o.points).max().unwrap_or(0))
            .sum()
    }

    /// The band of a risk index in whole percent (scored sets; the last band covers 100).
    pub fn band(&self, index: u8) -> Option<&Band> {
        self.bands.iter().find(|b| index <= b.up_to)
    }

    /// Checks everything the assessment relies on; the error names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let at = |what: &str| format!("criteria set {:?}: {what}", self.id);
        check_id(&self.id).map_err(|e| at(&format!("id {e}")))?;
        if self.version == 0 {
            return Err(at("version must be 1 or more"));
        }
        for (name, text) in [
            ("source", &self.source),
            ("name_vi", &self.name_vi),
            ("name_en", &self.name_en),
        ] {
            if text.trim().is_empty() {
                return Err(at(&format!("{name} must not be empty")));
            }
        }
        if self.criteria.is_empty() || self.criteria.len() > MAX_CRITERIA {
            return Err(at(&format!("needs 1 to {MAX_CRITERIA} criteria")));
        }
        let mut ids = BTreeSet::new();
        for c in &self.criteria {
            check_id(&c.id).map_err(|e| at(&format!("criterion id {e}")))?;
            if !ids.insert(c.id.as_str()) {
                return Err(at(&format!("criterion {} appears twice", c.id)));
            }
            if c.vi.trim().is_empty() || c.en.trim().is_empty() {
                return Err(at(&format!("criterion {} needs text in vi and en", c.id)));
            }
        }
        match self.kind {
            SetKind::PassFail => self.check_pass_fail().map_err(|e| at(&e)),
            SetKind::Scored => self.check_scored().map_err(|e| at(&e)),
        }
    }

    fn check_pass_fail(&self) -> Result<(), String> {
        let rule = self
            .pass_fail
            .ok_or("a pass_fail set needs a [pass_fail] rule")?;
        if !self.bands.is_empty() {
            return Err("bands belong to scored sets".into());
        }
        if let Some(c) = self.criteria.iter().find(|c| !c.options.is_empty()) {
            return Err(format!(
                "criterion {}: options belong to scored sets (pass/fail answers are {ANSWER_MET} and {ANSWER_NOT_MET})",
                c.id
            ));
        }
        if !(1 <= rule.yellow_min_met
            && rule.yellow_min_met <= rule.green_min_met
            && rule.green_min_met <= self.criteria.len())
        {
            return Err(
                "pass_fail: need 1 <= yellow_min_met <= green_min_met <= number of criteria".into(),
            );
        }
        Ok(())
    }

    fn check_scored(&self) -> Result<(), String> {
        if self.pass_fail.is_some() {
            return Err("a [pass_fail] rule belongs to pass/fail sets".into());
        }
        for c in &self.criteria {
            if c.required {
                return Err(format!(
                    "criterion {}: `required` belongs to pass/fail sets",
                    c.id
                ));
            }
            if c.options.len() < 2 || c.options.len() > MAX_OPTIONS {
                return Err(format!(
                    "criterion {}: needs 2 to {MAX_OPTIONS} options",
                    c.id
                ));
            }
            let mut ids = BTreeSet::new();
            for o in &c.options {
                check_id(&o.id).map_err(|e| format!("criterion {}: option id {e}", c.id))?;
                if !ids.insert(o.id.as_str()) {
                    return Err(format!("criterion {}: option {} appears twice", c.id, o.id));
                }
                // Bounded so the sum over every criterion cannot overflow.
                if !(0..=1_000_000).contains(&o.points) {
                    return Err(format!(
                        "criterion {}: option {} points must be 0 to 1000000",
                        c.id, o.id
                    ));
                }
                if o.vi.trim().is_empty() || o.en.trim().is_empty() {
                    return Err(format!(
                        "criterion {}: option {} needs text in vi and en",
                        c.id, o.id
                    ));
                }
            }
        }
        if self.max_points() <= 0 {
            return Err("the maximum total must be positive".into());
        }
        if self.bands.is_empty() {
            return Err("a scored set needs bands".into());
        }
        if self.bands.windows(2).any(|w| w[0].up_to >= w[1].up_to) {
            return Err("bands must be in increasing order of up_to".into());
        }
        if self.bands.last().map(|b| b.up_to) != Some(100) {
            return Err("the last band must go up to 100".into());
        }
        for b in &self.bands {
            if b.colour == SafetyColour::Grey {
                return Err("a band cannot be grey (grey means not assessed)".into());
            }
            if b.vi.trim().is_empty() || b.en.trim().is_empty() {
                return Err(format!("band up to {} needs text in vi and en", b.up_to));
            }
        }
        Ok(())
    }
}

/// Ids are short lowercase words so they are safe in field names, URLs and SQL text.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{id:?} must be 1 to {MAX_ID_CHARS} of a-z, 0-9, _ and -"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_set_parses_once_per_type() {
        let sets = CriteriaSet::shipped();
        assert_eq!(sets.len(), FacilityType::ALL.len());
        for t in FacilityType::ALL {
            let set = CriteriaSet::shipped_for(*t);
            assert_eq!(set.facility_type, *t);
            assert!(set.version >= 1);
        }
    }

    #[test]
    fn the_school_set_is_fifteen_pass_fail_criteria() {
        let s = CriteriaSet::shipped_for(FacilityType::School);
        assert_eq!(s.kind, SetKind::PassFail);
        assert_eq!(s.basis, Basis::Official);
        assert_eq!(s.criteria.len(), 15);
        let required: Vec<_> = s
            .criteria
            .iter()
            .filter(|c| c.required)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(required, ["s04", "s05", "s10", "s11"]);
        assert_eq!(
            s.pass_fail,
            Some(PassFailRule {
                green_min_met: 11,
                yellow_min_met: 8
            })
        );
    }

    #[test]
    fn the_workplace_set_is_fifteen_criteria_out_of_300() {
        let s = CriteriaSet::shipped_for(FacilityType::Workplace);
        assert_eq!(s.kind, SetKind::Scored);
        assert_eq!(s.criteria.len(), 15);
        assert_eq!(s.max_points(), 300);
        let ups: Vec<_> = s.bands.iter().map(|b| b.up_to).collect();
        assert_eq!(ups, [15, 30, 50, 80, 100]);
    }

    #[test]
    fn adaptations_say_so() {
        for t in [FacilityType::Medical, FacilityType::Transport] {
            let s = CriteriaSet::shipped_for(t);
            assert_eq!(s.basis, Basis::Adapted);
            assert!(s.source.contains("not an official text"));
        }
    }

    #[test]
    fn a_set_round_trips_through_json_and_is_checked_on_the_way_in() {
        let s = CriteriaSet::shipped_for(FacilityType::Workplace);
        let json = serde_json::to_string(s).unwrap();
        let back: CriteriaSet = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, s);
        let broken = json.replace("\"up_to\":100", "\"up_to\":99");
        assert!(serde_json::from_str::<CriteriaSet>(&broken)
            .unwrap_err()
            .to_string()
            .contains("last band"));
    }

    fn school_text() -> &'static str {
        SHIPPED_TEXT[0]
    }

    fn refused(text: &str, needle: &str) {
        let err = CriteriaSet::parse(text).unwrap_err();
        assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    }

    #[test]
    fn broken_sets_are_refused() {
        let school = school_text();
        refused(
            &school.replace("id = \"s02\"", "id = \"s01\""),
            "appears twice",
        );
        refused(
            &school.replacen(
                "en = \"All pupils and staff wear masks correctly on the way to school\"",
                "en = \" \"",
                1,
            ),
            "vi and en",
        );
        refused(
            &school.replace("green_min_met = 11", "green_min_met = 16"),
            "yellow_min_met",
        );
        refused(&school.replace("version = 1", "version = 0"), "version");
        refused(
            &school.replace("kind = \"pass_fail\"", "kind = \"scored\""),
            "[pass_fail]",
        );
        refused(
            &school.replace("id = \"s03\"", "id = \"S 3\""),
            "criterion id",
        );
        refused(
            &school.replace("basis = \"official\"", "basis = \"rumour\""),
            "basis",
        );

        let work = SHIPPED_TEXT[2];
        refused(&work.replace("points = 2,", "points = -2,"), "points");
        refused(&work.replace("up_to = 30", "up_to = 10"), "increasing");
        refused(
            &work.replace("colour = \"green\"", "colour = \"grey\""),
            "grey",
        );
        refused(
            &work.replace("id = \"lt100\"", "id = \"ge5000\""),
            "appears twice",
        );

        let no_criteria = "id = \"x\"\nversion = 1\nfacility_type = \"school\"\nkind = \"pass_fail\"\nbasis = \"adapted\"\nsource = \"s\"\nname_vi = \"a\"\nname_en = \"b\"\ncriteria = []\n[pass_fail]\ngreen_min_met = 1\nyellow_min_met = 1\n";
        refused(no_criteria, "criteria");
    }
}
