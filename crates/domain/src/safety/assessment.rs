//! The daily self-assessment: the form a facility's staff send, its check against the criteria
//! set, and the colour with its reasons.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::criteria::{CriteriaSet, SetKind, ANSWER_MET};
use super::{FacilityType, SafetyColour};
use crate::validation::{Checker, FieldError, Invalid};
use crate::Message;

/// Unknown criterion ids reported one by one before the rest are summed up in one error.
const MAX_UNKNOWN_REPORTED: usize = 10;
/// Share of a scored criterion's maximum from which the answer is named as a reason (HCMC's
/// 1203/QĐ-BCĐ let a medium-risk workplace operate only if no component scored 7 of 10 or more).
const HIGH_COMPONENT_PERCENT: i64 = 70;

/// A self-assessment as facility staff submit it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessmentForm {
    /// The id of the facility type's criteria set (`school-moet-2020` …).
    pub set_id: String,
    /// The version of the set the form was filled from; an old form must be reloaded.
    pub set_version: u32,
    /// The day assessed, `YYYY-MM-DD`; must be today in Vietnam.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub day: String,
    /// The answer to every criterion, by criterion id: `met` or `not_met` in a pass/fail set,
    /// an option id in a scored set.
    pub answers: BTreeMap<String, String>,
}

/// How the answers added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    PassFail {
        met: usize,
        total: usize,
        /// Ids of the criteria not met, in the set's order.
        failed: Vec<String>,
        /// Ids of the required criteria among them.
        failed_required: Vec<String>,
    },
    Scored {
        points: i64,
        max_points: i64,
        /// Risk index in whole percent: points / max × 100, rounded half up.
        index: u8,
        band: Message,
    },
}

/// A checked assessment with its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub set_id: String,
    pub set_version: u32,
    pub facility_type: FacilityType,
    pub day: Date,
    /// The answers as checked (trimmed), by criterion id.
    pub answers: BTreeMap<String, String>,
    /// Green, yellow or red; never grey.
    pub colour: SafetyColour,
    pub outcome: Outcome,
    /// Why the colour is what it is: the summary first, then each failed or high-risk criterion.
    pub reasons: Vec<Message>,
}

/// A facility's colour today: its last assessment's colour if that was made today, else grey.
pub fn colour_for(last: Option<(Date, SafetyColour)>, today: Date) -> SafetyColour {
    match last {
        Some((day, colour)) if day == today => colour,
        _ => SafetyColour::Grey,
    }
}

/// Checks a form against its facility's set and scores it. `today` is the date in Vietnam
/// ([`crate::time::vietnam_date`]); every problem is reported at once.
pub fn assess(
    set: &CriteriaSet,
    form: &AssessmentForm,
    today: Date,
) -> Result<Assessment, Invalid> {
    let mut c = Checker::new();
    if form.set_id.trim() != set.id {
        c.push(FieldError::new(
            "set_id",
            "set_mismatch",
            format!("Bộ tiêu chí của cơ sở này là {:?}", set.id),
            format!("This facility's criteria set is {:?}", set.id),
        ));
    } else if form.set_version != set.version {
        c.push(FieldError::new(
            "set_version",
            "set_version_outdated",
            format!(
                "Bộ tiêu chí đã đổi sang phiên bản {}; hãy tải lại biểu mẫu",
                set.version
            ),
            format!(
                "The criteria set is now version {}; reload the form",
                set.version
            ),
        ));
    }
    c.check(day(&form.day, today));

    let mut unknown = 0;
    for key in form.answers.keys() {
        if set.criterion(key).is_some() {
            continue;
        }
        unknown += 1;
        if unknown <= MAX_UNKNOWN_REPORTED {
            c.push(FieldError::new(
                answer_field(key),
                "criterion_unknown",
                format!("Bộ tiêu chí không có tiêu chí {:?}", shorten(key)),
                format!("The criteria set has no criterion {:?}", shorten(key)),
            ));
        }
    }
    if unknown > MAX_UNKNOWN_REPORTED {
        c.push(FieldError::new(
            "answers",
            "criterion_unknown",
            format!(
                "Còn {} tiêu chí không có trong bộ",
                unknown - MAX_UNKNOWN_REPORTED
            ),
            format!(
                "{} more answers name no criterion of the set",
                unknown - MAX_UNKNOWN_REPORTED
            ),
        ));
    }

    let mut answers = BTreeMap::new();
    let mut points_by_criterion = Vec::with_capacity(set.criteria.len());
    for criterion in &set.criteria {
        let Some(raw) = form.answers.get(&criterion.id) else {
            c.push(FieldError::new(
                answer_field(&criterion.id),
                "answer_missing",
                format!("Chưa trả lời tiêu chí: {}", criterion.vi),
                format!("No answer to: {}", criterion.en),
            ));
            continue;
        };
        let answer = raw.trim();
        match set.answers_of(criterion).find(|(id, _)| *id == answer) {
            Some((id, points)) => {
                answers.insert(criterion.id.clone(), id.to_owned());
                points_by_criterion.push((criterion, id, points));
            }
            None => {
                let choices = set
                    .answers_of(criterion)
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>()
                    .join(", ");
                c.push(FieldError::new(
                    answer_field(&criterion.id),
                    "choice_unknown",
                    format!(
                        "Câu trả lời {:?} không hợp lệ; chọn một trong: {choices}",
                        shorten(raw)
                    ),
                    format!(
                        "{:?} is not an answer to this criterion; choose one of: {choices}",
                        shorten(raw)
                    ),
                ));
            }
        }
    }
    let day = form.day.trim().parse::<Date>().unwrap_or(today);
    c.finish(|| ())?;

    let (colour, outcome, reasons) = match set.kind {
        SetKind::PassFail => pass_fail(set, &points_by_criterion),
        SetKind::Scored => scored(set, &points_by_criterion),
    };
    Ok(Assessment {
        set_id: set.id.clone(),
        set_version: set.version,
        facility_type: set.facility_type,
        day,
        answers,
        colour,
        outcome,
        reasons,
    })
}

type Answered<'a> = (&'a super::Criterion, &'a str, i64);

fn pass_fail(set: &CriteriaSet, answered: &[Answered]) -> (SafetyColour, Outcome, Vec<Message>) {
    let total = set.criteria.len();
    let failed: Vec<_> = answered
        .iter()
        .filter(|(_, answer, _)| *answer != ANSWER_MET)
        .map(|(c, _, _)| *c)
        .collect();
    let met = total - failed.len();
    let failed_required: Vec<_> = failed.iter().filter(|c| c.required).collect();
    // Checked when the set was built; the default only keeps this total.
    let rule = set.pass_fail.unwrap_or(super::PassFailRule {
        green_min_met: total,
        yellow_min_met: total,
    });

    let mut reasons = vec![Message::new(
        format!("Đạt {met}/{total} tiêu chí"),
        format!("{met} of {total} criteria met"),
    )];
    let colour = if met < rule.yellow_min_met {
        reasons.push(Message::new(
            format!(
                "Đạt từ {} tiêu chí trở xuống: không an toàn, không được phép hoạt động",
                rule.yellow_min_met - 1
            ),
            format!(
                "{} or fewer criteria met: not safe, may not operate",
                rule.yellow_min_met - 1
            ),
        ));
        SafetyColour::Red
    } else if !failed_required.is_empty() {
        reasons.push(Message::new(
            "Có tiêu chí bắt buộc không đạt: không an toàn",
            "A required criterion is not met: not safe",
        ));
        SafetyColour::Red
    } else if met >= rule.green_min_met {
        SafetyColour::Green
    } else {
        reasons.push(Message::new(
            format!(
                "Đạt dưới {} tiêu chí: được hoạt động nhưng phải khắc phục các tiêu chí chưa đạt",
                rule.green_min_met
            ),
            format!(
                "Fewer than {} criteria met: may operate but must fix the criteria not met",
                rule.green_min_met
            ),
        ));
        SafetyColour::Yellow
    };
    for c in &failed {
        let (vi, en) = if c.required {
            ("Không đạt (bắt buộc)", "Not met (required)")
        } else {
            ("Không đạt", "Not met")
        };
        reasons.push(Message::new(
            format!("{vi}: {}", c.vi),
            format!("{en}: {}", c.en),
        ));
    }
    let outcome = Outcome::PassFail {
        met,
        total,
        failed: failed.iter().map(|c| c.id.clone()).collect(),
        failed_required: failed_required.iter().map(|c| c.id.clone()).collect(),
    };
    (colour, outcome, reasons)
}

fn scored(set: &CriteriaSet, answered: &[Answered]) -> (SafetyColour, Outcome, Vec<Message>) {
    let points: i64 = answered.iter().map(|(_, _, p)| p).sum();
    let max_points = set.max_points().max(1);
    let index = risk_index(points, max_points);
    let (colour, band) = match set.band(index) {
        Some(b) => (b.colour, Message::new(b.vi.clone(), b.en.clone())),
        // Unreachable for a checked set (the last band covers 100).
        None => (SafetyColour::Red, Message::new("Không xác định", "Unknown")),
    };
    let mut reasons = vec![Message::new(
        format!(
            "Chỉ số nguy cơ lây nhiễm {index}% ({points}/{max_points} điểm): {}",
            band.vi
        ),
        format!(
            "Infection risk index {index}% ({points} of {max_points} points): {}",
            band.en
        ),
    )];
    for (criterion, answer, p) in answered {
        let top = criterion
            .options
            .iter()
            .map(|o| o.points)
            .max()
            .unwrap_or(0);
        if top > 0 && *p * 100 >= top * HIGH_COMPONENT_PERCENT {
            if let Some(o) = criterion.options.iter().find(|o| o.id == *answer) {
                reasons.push(Message::new(
                    format!("Nguy cơ cao: {} — {} ({p}/{top})", criterion.vi, o.vi),
                    format!("High risk: {} — {} ({p}/{top})", criterion.en, o.en),
                ));
            }
        }
    }
    let outcome = Outcome::Scored {
        points,
        max_points,
        index,
        band,
    };
    (colour, outcome, reasons)
}

/// `points / max × 100` rounded half up to a whole percent, in integers so the bands' edges
/// are exact (2194's bands are whole percents: ≤ 15, 16–30, …).
pub(crate) fn risk_index(points: i64, max_points: i64) -> u8 {
    let points = points.clamp(0, max_points);
    let index = (points * 200 + max_points) / (2 * max_points);
    u8::try_from(index).unwrap_or(100)
}

fn day(value: &str, today: Date) -> Result<Date, FieldError> {
    let d: Date = value.trim().parse().map_err(|_| {
        FieldError::new(
            "day",
            "date_malformed",
            "Ngày phải có dạng YYYY-MM-DD",
            "The date must be YYYY-MM-DD",
        )
    })?;
    if d != today {
        return Err(FieldError::new(
            "day",
            "not_today",
            format!("Chỉ được tự đánh giá cho hôm nay ({today})"),
            format!("An assessment can only be made for today ({today})"),
        ));
    }
    Ok(d)
}

fn answer_field(criterion_id: &str) -> String {
    format!("answers.{}", shorten(criterion_id))
}

/// Echoes client text back in an error without letting it grow the response.
fn shorten(s: &str) -> String {
    const MAX: usize = 64;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
