//! A confirmed case (F0) as an official registers it: the person, the dates that decide the
//! transmission period, where the infection came from, and the case's course.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::TracingRules;
use crate::phone::PhoneNumber;
use crate::time::vietnam;
use crate::validation::{required_text, Checker, FieldError, Invalid};

/// The person of a case or a contact as an official enters them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonForm {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub full_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::phone::OptionalPhoneText>))]
    pub phone: Option<String>,
    /// CCCD/CMND number, if known.
    /// The citizen ID (CCCD, 12 digits) or the old ID card (CMND, 9 digits).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^\\s*([0-9]{9,12})?\\s*$"))]
    pub id_number: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1900, maximum = 2100))]
    pub birth_year: Option<i32>,
    /// Where they live (commune code).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
}

/// A person, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub full_name: String,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<String>,
    pub birth_year: Option<i32>,
    pub unit_code: String,
}

impl PersonForm {
    /// Checks the fields, naming them under `prefix` (e.g. `person.`).
    pub fn parse(&self, prefix: &str, check: &mut Checker, year_now: i16) -> Option<Person> {
        let field = |f: &str| format!("{prefix}{f}");
        let full_name = check.check(required_text(&field("full_name"), &self.full_name, 100));
        let phone = match self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => check
                .check(PhoneNumber::parse(&field("phone"), p))
                .map(Some),
            None => Some(None),
        };
        let id_number = match self
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(n) if (9..=12).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Some(n.to_owned()))
            }
            Some(_) => {
                check.push(FieldError::new(
                    field("id_number"),
                    "id_number_malformed",
                    "Số CCCD/CMND gồm 9 hoặc 12 chữ số",
                    "The ID number has 9 or 12 digits",
                ));
                None
            }
            None => Some(None),
        };
        if let Some(y) = self.birth_year {
            if !(1900..=i32::from(year_now)).contains(&y) {
                check.push(FieldError::new(
                    field("birth_year"),
                    "birth_year_range",
                    "Năm sinh không hợp lệ",
                    "The birth year is not plausible",
                ));
            }
        }
        let unit_code = check.check(required_text(&field("unit_code"), &self.unit_code, 10));
        Some(Person {
            full_name: full_name?,
            phone: phone?,
            id_number: id_number?,
            birth_year: self.birth_year,
            unit_code: unit_code?,
        })
    }
}

/// Where a case's infection came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseSource {
    /// Infected abroad (entry).
    Imported,
    /// Source unknown in the community.
    Community,
    /// A known contact of an earlier case (usually already an F1 in quarantine).
    KnownContact,
}

/// A case's course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Active,
    Recovered,
    Died,
}

impl CaseSource {
    pub const ALL: [CaseSource; 3] = [
        CaseSource::Imported,
        CaseSource::Community,
        CaseSource::KnownContact,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseSource::Imported => "imported",
            CaseSource::Community => "community",
            CaseSource::KnownContact => "known_contact",
        }
    }
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [CaseStatus::Active, CaseStatus::Recovered, CaseStatus::Died];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Active => "active",
            CaseStatus::Recovered => "recovered",
            CaseStatus::Died => "died",
        }
    }

    /// The status typed for `field`, or its `status_unknown` error.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        Self::from_stored(s).ok_or_else(|| {
            FieldError::new(
                field,
                "status_unknown",
                "Tình trạng là active, recovered hoặc died",
                "The status is active, recovered or died",
            )
        })
    }
}

crate::stored::stored_names!(CaseStatus, "case status");
crate::stored::stored_names!(CaseSource, "case source");

/// A case as an official submits it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseForm {
    pub person: PersonForm,
    /// Symptom onset (`YYYY-MM-DD`); absent for an asymptomatic case.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub onset_date: Option<String>,
    /// When the positive sample was taken.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub sample_date: String,
    /// When the result confirmed the case.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub confirmed_date: String,
    pub source: CaseSource,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// When the case was isolated (RFC 3339); by default the end of the sample day, since a
    /// person tested for cause is told to isolate at once.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub isolated_at: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub note: Option<String>,
}

/// A checked case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub person: Person,
    pub onset: Option<Date>,
    pub sample: Date,
    pub confirmed: Date,
    pub source: CaseSource,
    pub status: CaseStatus,
    /// Start of the transmission period.
    pub transmission_from: Timestamp,
    pub isolated_at: Timestamp,
    pub note: Option<String>,
}

impl CaseForm {
    /// Validates the case against the rules at `now`, reporting every problem at once.
    pub fn parse(&self, rules: &TracingRules, now: Timestamp) -> Result<Case, Invalid> {
        let mut check = Checker::new();
        let today = now.to_zoned(vietnam()).date();
        let person = self.person.parse("person.", &mut check, today.year());
        let onset = match &self.onset_date {
            Some(s) if !s.trim().is_empty() => check.check(date("onset_date", s, today)).map(Some),
            _ => Some(None),
        };
        let sample = check.check(date("sample_date", &self.sample_date, today));
        let confirmed = check.check(date("confirmed_date", &self.confirmed_date, today));
        // The lookback bound (the profile's `lookback_days`): a date earlier than that would
        // gather contacts who can no longer be ill from this case.
        let earliest = today
            .checked_sub(jiff::Span::new().days(rules.lookback_days))
            .unwrap_or(today);
        for (field, day) in [("onset_date", onset.flatten()), ("sample_date", sample)] {
            if day.is_some_and(|d| d < earliest) {
                check.push(FieldError::new(
                    field,
                    "date_before_lookback",
                    format!(
                        "Ngày không được sớm hơn {} ngày trước hôm nay: người tiếp xúc trước đó đã qua thời gian ủ bệnh",
                        rules.lookback_days
                    ),
                    format!(
                        "The date cannot be more than {} days ago: contacts before that are past the incubation period",
                        rules.lookback_days
                    ),
                ));
            }
        }
        if let (Some(s), Some(c)) = (sample, confirmed) {
            if c < s {
                check.push(order("confirmed_date", "ngày lấy mẫu", "the sample date"));
            }
        }
        if let (Some(Some(o)), Some(c)) = (onset, confirmed) {
            if c < o {
                check.push(order("confirmed_date", "ngày khởi phát", "the onset date"));
            }
        }
        let isolated_at = match &self.isolated_at {
            Some(s) => check.check(s.trim().parse::<Timestamp>().map_err(|_| {
                FieldError::new(
                    "isolated_at",
                    "time_malformed",
                    "Thời điểm cách ly phải theo RFC 3339",
                    "The isolation time must be RFC 3339",
                )
            })),
            None => sample.and_then(end_of_day),
        };
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
        let (
            Some(person),
            Some(onset),
            Some(sample),
            Some(confirmed),
            Some(isolated_at),
            Some(note),
        ) = (person, onset, sample, confirmed, isolated_at, note)
        else {
            return Err(Invalid::one(FieldError::new(
                "person",
                "invalid",
                "Dữ liệu không hợp lệ",
                "Invalid input",
            )));
        };
        // From N days before onset, or before the sample for an asymptomatic case.
        let start_day = onset.unwrap_or(sample);
        let transmission_from = start_of_day(start_day)
            .and_then(|t| {
                t.checked_sub(SignedDuration::from_hours(
                    24 * rules.transmission_days_before,
                ))
                .ok()
            })
            .unwrap_or(now);
        Ok(Case {
            person,
            onset,
            sample,
            confirmed,
            source: self.source,
            status: self.status.unwrap_or(CaseStatus::Active),
            transmission_from,
            isolated_at,
            note,
        })
    }
}

fn date(field: &str, s: &str, today: Date) -> Result<Date, FieldError> {
    let d: Date = s.trim().parse().map_err(|_| {
        FieldError::new(
            field,
            "date_malformed",
            "Ngày phải có dạng YYYY-MM-DD",
            "The date must be YYYY-MM-DD",
        )
    })?;
    if d > today {
        return Err(FieldError::new(
            field,
            "date_in_future",
            "Ngày không được ở tương lai",
            "The date cannot be in the future",
        ));
    }
    // A case's dates are recent: anything older than a year is a typing mistake.
    if today.since(d).map_or(true, |s| s.get_days() > 366) {
        return Err(FieldError::new(
            field,
            "date_too_old",
            "Ngày quá xa trong quá khứ (hơn một năm)",
            "The date is more than a year ago",
        ));
    }
    Ok(d)
}

fn order(field: &str, vi_other: &str, en_other: &str) -> FieldError {
    FieldError::new(
        field,
        "dates_out_of_order",
        format!("Ngày xác nhận không được trước {vi_other}"),
        format!("The confirmation date cannot be before {en_other}"),
    )
}

fn start_of_day(d: Date) -> Option<Timestamp> {
    d.to_zoned(vietnam()).ok().map(|z| z.timestamp())
}

fn end_of_day(d: Date) -> Option<Timestamp> {
    d.tomorrow().ok().and_then(start_of_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn form() -> CaseForm {
        CaseForm {
            person: PersonForm {
                full_name: "Lò Văn Sử".into(),
                phone: Some("0912345678".into()),
                id_number: Some("012345678901".into()),
                birth_year: Some(1980),
                unit_code: "02839".into(),
            },
            onset_date: Some("2021-07-10".into()),
            sample_date: "2021-07-12".into(),
            confirmed_date: "2021-07-13".into(),
            source: CaseSource::Community,
            status: None,
            isolated_at: None,
            note: None,
        }
    }

    fn now() -> Timestamp {
        "2021-07-14T03:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_transmission_period_starts_two_days_before_onset_or_sample() {
        let rules = Profile::covid19_2021().tracing;
        let case = form().parse(&rules, now()).unwrap();
        // 2021-07-08 00:00 in Vietnam.
        assert_eq!(case.transmission_from.to_string(), "2021-07-07T17:00:00Z");
        // Isolated at the end of the sample day, Vietnam's midnight.
        assert_eq!(case.isolated_at.to_string(), "2021-07-12T17:00:00Z");
        let mut asymptomatic = form();
        asymptomatic.onset_date = None;
        let case = asymptomatic.parse(&rules, now()).unwrap();
        assert_eq!(case.transmission_from.to_string(), "2021-07-09T17:00:00Z");
        assert_eq!(case.status, CaseStatus::Active);
    }

    #[test]
    fn every_problem_is_named() {
        let rules = Profile::covid19_2021().tracing;
        let mut bad = form();
        bad.person.full_name = " ".into();
        bad.person.phone = Some("12".into());
        bad.person.id_number = Some("12ab".into());
        bad.person.birth_year = Some(1800);
        bad.onset_date = Some("2021-07-20".into());
        bad.sample_date = "12/07/2021".into();
        bad.confirmed_date = "2021-07-09".into();
        let err = bad.parse(&rules, now()).unwrap_err();
        let codes: Vec<(&str, &str)> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        for expected in [
            ("person.full_name", "required"),
            ("person.id_number", "id_number_malformed"),
            ("person.birth_year", "birth_year_range"),
            ("onset_date", "date_in_future"),
            ("sample_date", "date_malformed"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
        }
        assert!(codes.iter().any(|(f, _)| *f == "person.phone"));
        let mut ancient = form();
        ancient.sample_date = "-009999-01-03".into();
        let err = ancient.parse(&rules, now()).unwrap_err();
        assert!(err.0.iter().any(|e| e.code == "date_too_old"), "{err:?}");
        let mut early = form();
        early.confirmed_date = "2021-07-11".into();
        let err = early.parse(&rules, now()).unwrap_err();
        assert_eq!(err.0[0].code, "dates_out_of_order");
    }
}
