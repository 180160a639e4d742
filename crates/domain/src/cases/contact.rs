//! A contact between two people, from any of the three sources: venue co-presence (overlapping
//! check-ins), proximity (a phone's Bluetooth match reported as F1) and interviews entered by an
//! official. Each keeps its evidence and a confidence; only close contacts make F-levels.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::case::{Person, PersonForm};
use super::TracingRules;
use crate::validation::{required_text, Checker, FieldError, Invalid};

/// Where a contact happened, as interviews record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Household,
    Workplace,
    School,
    /// Same row or the two rows in front and behind on a vehicle (2020 rule).
    VehicleRow,
    Event,
    Healthcare,
    Venue,
    Other,
}

impl Setting {
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Household => "household",
            Setting::Workplace => "workplace",
            Setting::School => "school",
            Setting::VehicleRow => "vehicle_row",
            Setting::Event => "event",
            Setting::Healthcare => "healthcare",
            Setting::Venue => "venue",
            Setting::Other => "other",
        }
    }
}

/// Which part of the system found the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactSource {
    Venue,
    Proximity,
    Interview,
}

impl ContactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactSource::Venue => "venue",
            ContactSource::Proximity => "proximity",
            ContactSource::Interview => "interview",
        }
    }
}

/// How sure the tracer is that the contact happened as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// An interview contact as an official enters it: who, where, when, how long, masked or not.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactForm {
    /// Whose contact this is: the case's person by default, or someone of its chain an
    /// official interviewed (an F1 naming their own contacts makes F2s).
    #[serde(default)]
    pub from_person_id: Option<i64>,
    /// The contact person; an existing one by id, or a new one.
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub person: Option<PersonForm>,
    pub setting: Setting,
    /// When the contact began (RFC 3339).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// Minutes together, 1 to a week.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10080))]
    pub minutes: i64,
    /// Whether both wore masks; unknown counts as unmasked.
    #[serde(default)]
    pub masked: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub note: Option<String>,
}

/// A checked contact of any source, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub setting: Setting,
    pub at: Timestamp,
    pub minutes: i64,
    pub masked: Option<bool>,
    pub close: bool,
    pub source: ContactSource,
    pub confidence: Confidence,
    pub evidence: String,
}

impl ContactForm {
    /// Checks an interview contact of `from` (the case's person or someone of its chain); the
    /// new person (if any) comes back too.
    pub fn parse(
        &self,
        from: i64,
        rules: &TracingRules,
        now: Timestamp,
        year_now: i16,
    ) -> Result<(Contact, Option<Person>), Invalid> {
        let mut check = Checker::new();
        let person = match (&self.person_id, &self.person) {
            (Some(id), None) => {
                if *id == from {
                    check.push(FieldError::new(
                        "person_id",
                        "contact_with_self",
                        "Một người không thể là tiếp xúc của chính mình",
                        "A person cannot be their own contact",
                    ));
                }
                Some(None)
            }
            (None, Some(p)) => p.parse("person.", &mut check, year_now).map(Some),
            _ => {
                check.push(FieldError::new(
                    "person",
                    "person_required",
                    "Chọn một người đã có hoặc nhập người mới (không cả hai)",
                    "Give an existing person or a new one (not both)",
                ));
                None
            }
        };
        let at = check.check(
            self.at
                .trim()
                .parse::<Timestamp>()
                .map_err(|_| {
                    FieldError::new(
                        "at",
                        "time_malformed",
                        "Thời điểm phải theo RFC 3339",
                        "The time must be RFC 3339",
                    )
                })
                .and_then(|t| {
                    if t > now {
                        Err(FieldError::new(
                            "at",
                            "time_in_future",
                            "Thời điểm tiếp xúc không được ở tương lai",
                            "The contact cannot be in the future",
                        ))
                    } else {
                        Ok(t)
                    }
                }),
        );
        if !(1..=7 * 24 * 60).contains(&self.minutes) {
            check.push(FieldError::new(
                "minutes",
                "minutes_range",
                "Thời gian tiếp xúc từ 1 phút đến 7 ngày",
                "The contact lasts 1 minute to 7 days",
            ));
        }
        let note = match self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(n) => check.check(required_text("note", n, 1000)).map(Some),
            None => Some(None),
        };
        check.finish(|| ())?;
        let (Some(person), Some(at), Some(note)) = (person, at, note) else {
            return Err(Invalid::one(FieldError::new(
                "person",
                "invalid",
                "Dữ liệu không hợp lệ",
                "Invalid input",
            )));
        };
        let close = rules.is_close(self.masked, self.minutes);
        let masking = match self.masked {
            Some(true) => "masked",
            Some(false) => "unmasked",
            None => "masking unknown",
        };
        let evidence = format!(
            "interview: {}, {} min, {masking}{}",
            self.setting.as_str(),
            self.minutes,
            note.map(|n| format!(" — {n}")).unwrap_or_default()
        );
        Ok((
            Contact {
                setting: self.setting,
                at,
                minutes: self.minutes,
                masked: self.masked,
                close,
                source: ContactSource::Interview,
                // A household or an unmasked contact named by the case is as sure as tracing gets.
                confidence: if self.setting == Setting::Household || self.masked == Some(false) {
                    Confidence::High
                } else {
                    Confidence::Medium
                },
                evidence,
            },
            person,
        ))
    }
}
