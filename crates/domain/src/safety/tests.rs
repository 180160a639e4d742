//! Tests of the self-assessment against the shipped sets and small synthetic ones.

use std::collections::BTreeMap;

use jiff::civil::{date, Date};
use proptest::prelude::*;

use super::assessment::risk_index;
use super::*;

const TODAY: Date = date(2021, 7, 20);

fn form(set: &CriteriaSet, answers: BTreeMap<String, String>) -> AssessmentForm {
    AssessmentForm {
        set_id: set.id.clone(),
        set_version: set.version,
        day: TODAY.to_string(),
        answers,
    }
}

/// A school form with the given criteria (1-based numbers) not met.
fn school_failing(failing: &[usize]) -> Assessment {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    let answers = set
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let a = if failing.contains(&(i + 1)) {
                ANSWER_NOT_MET
            } else {
                ANSWER_MET
            };
            (c.id.clone(), a.to_owned())
        })
        .collect();
    assess(set, &form(set, answers), TODAY).unwrap()
}

fn codes(err: &crate::Invalid) -> Vec<(&str, &str)> {
    err.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
}

#[test]
fn school_all_met_is_green() {
    let a = school_failing(&[]);
    assert_eq!(a.colour, SafetyColour::Green);
    assert_eq!(a.day, TODAY);
    assert_eq!(a.reasons[0].en, "15 of 15 criteria met");
}

#[test]
fn school_seven_met_is_red_and_eight_is_yellow() {
    // Eight met (the required 4, 5, 10, 11 among them): may operate, must fix the rest.
    let eight = school_failing(&[1, 2, 3, 6, 7, 8, 9]);
    assert_eq!(eight.colour, SafetyColour::Yellow);
    match &eight.outcome {
        Outcome::PassFail { met, failed, .. } => {
            assert_eq!(*met, 8);
            assert_eq!(failed.len(), 7);
        }
        other => panic!("{other:?}"),
    }
    // Seven met: not safe.
    let seven = school_failing(&[1, 2, 3, 6, 7, 8, 9, 12]);
    assert_eq!(seven.colour, SafetyColour::Red);
    assert!(seven.reasons[1].en.contains("7 or fewer"));
    // One reason per failed criterion after the summary and the rule.
    assert_eq!(seven.reasons.len(), 2 + 8);
}

#[test]
fn school_ten_met_is_yellow_and_eleven_green() {
    assert_eq!(
        school_failing(&[1, 2, 3, 6, 7]).colour,
        SafetyColour::Yellow
    );
    assert_eq!(school_failing(&[1, 2, 3, 6]).colour, SafetyColour::Green);
}

#[test]
fn school_failing_a_required_criterion_is_red_whatever_the_count() {
    for required in [4, 5, 10, 11] {
        let a = school_failing(&[required]);
        assert_eq!(a.colour, SafetyColour::Red, "criterion {required}");
        match &a.outcome {
            Outcome::PassFail {
                met,
                failed_required,
                ..
            } => {
                assert_eq!(*met, 14);
                assert_eq!(failed_required.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(a.reasons.iter().any(|r| r.en.contains("(required)")));
    }
}

/// A scored set with one criterion whose options are worth 0 to 100 points (max 100), so the
/// index equals the points; bands as the shipped workplace set.
fn percent_set() -> CriteriaSet {
    let mut set = CriteriaSet::shipped_for(FacilityType::Workplace).clone();
    set.criteria.truncate(1);
    set.criteria[0].options = (0..=100)
        .map(|p| AnswerOption {
            id: format!("p{p}"),
            points: p,
            vi: format!("{p} điểm"),
            en: format!("{p} points"),
        })
        .collect();
    set
}

#[test]
fn workplace_bands_follow_2194_at_every_edge() {
    let set = percent_set();
    let mut one = BTreeMap::new();
    let mut at = |p: i64| {
        one.insert(set.criteria[0].id.clone(), format!("p{p}"));
        let a = assess(&set, &form(&set, one.clone()), TODAY).unwrap();
        match &a.outcome {
            Outcome::Scored { index, band, .. } => {
                assert_eq!(i64::from(*index), p);
                (a.colour, band.en.clone())
            }
            other => panic!("{other:?}"),
        }
    };
    use SafetyColour::*;
    assert_eq!(at(0), (Green, "Very low infection risk".into()));
    assert_eq!(at(15), (Green, "Very low infection risk".into()));
    assert_eq!(at(16), (Yellow, "Low infection risk".into()));
    assert_eq!(at(30), (Yellow, "Low infection risk".into()));
    assert_eq!(at(31), (Yellow, "Medium infection risk".into()));
    assert_eq!(at(50), (Yellow, "Medium infection risk".into()));
    assert_eq!(at(51), (Red, "High infection risk".into()));
    assert_eq!(at(80), (Red, "High infection risk".into()));
    assert_eq!(at(81), (Red, "Very high infection risk".into()));
    assert_eq!(at(100), (Red, "Very high infection risk".into()));
}

#[test]
fn the_index_is_rounded_half_up_out_of_300() {
    assert_eq!(risk_index(45, 300), 15);
    assert_eq!(risk_index(46, 300), 15); // 15.33 %
    assert_eq!(risk_index(47, 300), 16); // 15.67 %
    assert_eq!(risk_index(3, 200), 2); // 1.5 % rounds up
    assert_eq!(risk_index(300, 300), 100);
}

#[test]
fn the_shipped_workplace_set_scores_a_real_form() {
    let set = CriteriaSet::shipped_for(FacilityType::Workplace);
    // The safest answer everywhere: 2 + 2 points of 300 → 1 %.
    let best: BTreeMap<_, _> = set
        .criteria
        .iter()
        .map(|c| (c.id.clone(), c.options[0].id.clone()))
        .collect();
    let a = assess(set, &form(set, best.clone()), TODAY).unwrap();
    assert_eq!(a.colour, SafetyColour::Green);
    assert_eq!(
        a.outcome,
        Outcome::Scored {
            points: 4,
            max_points: 300,
            index: 1,
            band: crate::Message::new("Rất ít nguy cơ lây nhiễm", "Very low infection risk"),
        }
    );
    assert_eq!(a.reasons.len(), 1);
    // No masks and no handwashing: 40 + 4 = 44 points → 15 %, still very low, but both named.
    let mut worse = best;
    worse.insert("w04".into(), "none".into());
    worse.insert("w05".into(), "few".into());
    let a = assess(set, &form(set, worse), TODAY).unwrap();
    assert_eq!(a.colour, SafetyColour::Green);
    assert_eq!(a.reasons.len(), 3);
    assert!(a.reasons[1].en.starts_with("High risk: Handwashing"));
}

#[test]
fn grey_when_not_assessed_today() {
    let yesterday = date(2021, 7, 19);
    assert_eq!(colour_for(None, TODAY), SafetyColour::Grey);
    assert_eq!(
        colour_for(Some((yesterday, SafetyColour::Green)), TODAY),
        SafetyColour::Grey
    );
    assert_eq!(
        colour_for(Some((TODAY, SafetyColour::Yellow)), TODAY),
        SafetyColour::Yellow
    );
    assert_eq!(SafetyColour::Grey.label().en, "Not assessed today");
}

fn all_met() -> BTreeMap<String, String> {
    CriteriaSet::shipped_for(FacilityType::School)
        .criteria
        .iter()
        .map(|c| (c.id.clone(), ANSWER_MET.to_owned()))
        .collect()
}

#[test]
fn another_day_is_refused() {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    for day in ["2021-07-19", "2021-07-21"] {
        let f = AssessmentForm {
            day: day.into(),
            ..form(set, all_met())
        };
        assert_eq!(
            codes(&assess(set, &f, TODAY).unwrap_err()),
            [("day", "not_today")]
        );
    }
    let f = AssessmentForm {
        day: "20/07/2021".into(),
        ..form(set, all_met())
    };
    assert_eq!(
        codes(&assess(set, &f, TODAY).unwrap_err()),
        [("day", "date_malformed")]
    );
}

#[test]
fn a_wrong_set_or_version_is_refused() {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    let f = AssessmentForm {
        set_version: 2,
        ..form(set, all_met())
    };
    let err = assess(set, &f, TODAY).unwrap_err();
    assert_eq!(codes(&err), [("set_version", "set_version_outdated")]);
    assert!(err.0[0].message.en.contains("version 1"));
    let f = AssessmentForm {
        set_id: "workplace-2194-2020".into(),
        ..form(set, all_met())
    };
    assert_eq!(
        codes(&assess(set, &f, TODAY).unwrap_err()),
        [("set_id", "set_mismatch")]
    );
}

#[test]
fn unknown_missing_and_invalid_answers_are_each_named() {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    let mut answers = all_met();
    answers.remove("s03");
    answers.insert("s07".into(), "yes".into());
    answers.insert("s99".into(), ANSWER_MET.into());
    let err = assess(set, &form(set, answers), TODAY).unwrap_err();
    assert_eq!(
        codes(&err),
        [
            ("answers.s99", "criterion_unknown"),
            ("answers.s03", "answer_missing"),
            ("answers.s07", "choice_unknown"),
        ]
    );
    for e in &err.0 {
        assert!(!e.message.vi.is_empty() && !e.message.en.is_empty());
    }
    assert!(err.0[2].message.en.contains("met, not_met"));

    let work = CriteriaSet::shipped_for(FacilityType::Workplace);
    let mut answers: BTreeMap<_, _> = work
        .criteria
        .iter()
        .map(|c| (c.id.clone(), c.options[0].id.clone()))
        .collect();
    answers.insert("w01".into(), ANSWER_MET.into());
    assert_eq!(
        codes(&assess(work, &form(work, answers), TODAY).unwrap_err()),
        [("answers.w01", "choice_unknown")]
    );
}

#[test]
fn every_problem_is_reported_at_once_and_floods_are_bounded() {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    let mut answers: BTreeMap<_, _> = (0..500)
        .map(|i| (format!("x{i}"), ANSWER_MET.to_owned()))
        .collect();
    answers.insert("y".repeat(10_000), ANSWER_MET.into());
    let f = AssessmentForm {
        set_id: set.id.clone(),
        set_version: 9,
        day: "yesterday".into(),
        answers,
    };
    let err = assess(set, &f, TODAY).unwrap_err();
    // Version, day, 10 unknown ids and one summary, 15 missing answers.
    assert_eq!(err.0.len(), 2 + 11 + 15);
    assert!(err.0.iter().all(|e| e.field.chars().count() < 80));
}

#[test]
fn answers_are_trimmed_and_the_form_refuses_unknown_fields() {
    let set = CriteriaSet::shipped_for(FacilityType::School);
    let mut answers = all_met();
    answers.insert("s01".into(), " met ".into());
    let a = assess(set, &form(set, answers), TODAY).unwrap();
    assert_eq!(a.answers["s01"], "met");
    let json = r#"{"set_id":"x","set_version":1,"day":"2021-07-20","answers":{},"facility":"1"}"#;
    assert!(serde_json::from_str::<AssessmentForm>(json).is_err());
}

proptest! {
    #[test]
    fn any_answers_never_panic(
        set_index in 0usize..4,
        version in 0u32..3,
        day in "[0-9-]{0,12}",
        answers in proptest::collection::btree_map("[a-z0-9_]{0,4}|s[0-9]{2}|w[0-9]{2}", "met|not_met|none|all|[a-z0-9_ ]{0,6}", 0..40),
    ) {
        let set = &CriteriaSet::shipped()[set_index];
        let f = AssessmentForm { set_id: set.id.clone(), set_version: version, day, answers };
        match assess(set, &f, TODAY) {
            Ok(a) => {
                prop_assert_ne!(a.colour, SafetyColour::Grey);
                prop_assert_eq!(a.answers.len(), set.criteria.len());
            }
            Err(e) => prop_assert!(!e.0.is_empty()),
        }
    }

    #[test]
    fn any_complete_school_form_follows_the_rule(met in proptest::collection::vec(any::<bool>(), 15)) {
        let set = CriteriaSet::shipped_for(FacilityType::School);
        let answers = set.criteria.iter().zip(&met)
            .map(|(c, m)| (c.id.clone(), if *m { ANSWER_MET } else { ANSWER_NOT_MET }.to_owned()))
            .collect();
        let a = assess(set, &form(set, answers), TODAY).unwrap();
        let count = met.iter().filter(|m| **m).count();
        let required_ok = [3, 4, 9, 10].iter().all(|i| met[*i]);
        let expected = if count <= 7 || !required_ok {
            SafetyColour::Red
        } else if count >= 11 {
            SafetyColour::Green
        } else {
            SafetyColour::Yellow
        };
        prop_assert_eq!(a.colour, expected);
    }
}
