//! The raw declaration form as clients send it, and its validation into a [`Declaration`].
//!
//! Every field is checked and every problem reported at once, named by its path in the form
//! (`identity.address.unit_code`, `entry.border_gate`) so the web app can mark the input.

#[cfg(feature = "openapi")]
mod schema;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::*;
use crate::accounts::{birth_year, MAX_NAME_CHARS};
use crate::profile::DeclarationRules;
use crate::reference::{border_gate, country};
use crate::units::parse_code;
use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid};

crate::schema::string_choices!(
    /// The conveyances of a domestic journey.
    pub(crate) DomesticConveyance = ["air", "rail", "road", "water"]
);

/// A declaration as submitted (any kind; the parts that kind needs must be present).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclarationForm {
    /// domestic, domestic_travel, entry or daily_update.
    #[cfg_attr(feature = "openapi", schema(value_type = Kind))]
    pub kind: String,
    /// A family member of the signed-in citizen; absent for the citizen themselves.
    #[serde(default)]
    pub member_id: Option<i64>,
    /// Required for every kind except daily_update.
    #[serde(default)]
    pub identity: Option<IdentityForm>,
    /// Required for every kind except daily_update.
    #[serde(default)]
    pub health: Option<HealthForm>,
    /// Required for domestic_travel.
    #[serde(default)]
    pub travel: Option<TravelForm>,
    /// Required for entry.
    #[serde(default)]
    pub entry: Option<EntryForm>,
    /// Required for daily_update.
    #[serde(default)]
    pub daily: Option<DailyForm>,
    /// The declarant confirms the answers are true and consents to their use for epidemic
    /// control; false declaration is an offence.
    #[serde(default)]
    pub consent: bool,
}

crate::schema_marker!(
    /// [`DeclarationForm`] as a request body: its fields, and what each kind needs (`oneOf` by
    /// `kind`) — the parts `parse` requires and the consent every kind but the daily update
    /// asks for — so a client (or a generated one) knows a complete declaration.
    #[cfg(feature = "openapi")]
    pub DeclarationSubmission = schema::submission()
);

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentityForm {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub full_name: String,
    /// From 1900 up to this year.
    #[cfg_attr(feature = "openapi", schema(minimum = 1900, maximum = 2100))]
    pub birth_year: i64,
    /// male, female or other.
    #[cfg_attr(feature = "openapi", schema(value_type = Gender))]
    pub gender: String,
    /// ISO 3166-1 alpha-2, e.g. VN.
    pub nationality: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*([A-Za-z0-9]{6,20})?\\s*$")
    )]
    pub id_number: Option<String>,
    pub address: AddressForm,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::phone::OptionalPhoneText>))]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*([^\\s@]+@[^\\s.]\\S*\\.\\S*[^\\s.])?\\s*$")
    )]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*([A-Za-z0-9]{8,17})?\\s*$")
    )]
    pub insurance_number: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddressForm {
    /// Code of a commune from /api/v1/units.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub street: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HealthForm {
    /// fever, cough, shortness_of_breath, pneumonia, sore_throat, fatigue.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Symptom>))]
    pub symptoms: Vec<String>,
    /// contact_with_case, contact_with_traveller, contact_with_symptomatic.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Exposure>))]
    pub exposures: Vec<String>,
    /// chronic_liver, chronic_blood, chronic_lung, chronic_kidney, heart, high_blood_pressure,
    /// immunodeficiency, organ_transplant, diabetes, cancer, pregnancy.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Condition>))]
    pub conditions: Vec<String>,
    /// Travelled to another province or country in the last 14 days?
    #[serde(default)]
    pub travelled: bool,
    /// Where (required when travelled).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub travel_places: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TravelForm {
    /// air, rail, road or water.
    #[cfg_attr(feature = "openapi", schema(value_type = DomesticConveyance))]
    pub conveyance: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub vehicle_number: String,
    pub from: AddressForm,
    pub to: AddressForm,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub departure_station: Option<String>,
    /// YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub travel_date: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EntryForm {
    #[cfg_attr(feature = "openapi", schema(pattern = "^\\s*[A-Za-z0-9]{6,20}\\s*$"))]
    pub passport: String,
    /// air, sea, road, rail or other.
    #[cfg_attr(feature = "openapi", schema(value_type = Conveyance))]
    pub conveyance: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub vehicle_number: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub seat: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub departure_country: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub departure_place: String,
    /// YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub departure_date: String,
    /// YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub entry_date: String,
    /// Code from /api/v1/reference/border-gates.
    pub border_gate: String,
    /// ISO codes of countries visited in the last 14 days, transit included.
    #[serde(default)]
    pub visited_countries: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub quarantine_facility: Option<String>,
    /// none, partial or full.
    #[cfg_attr(feature = "openapi", schema(value_type = Vaccination))]
    pub vaccination: String,
    /// not_tested, negative or positive.
    #[cfg_attr(feature = "openapi", schema(value_type = TestResult))]
    pub test_result: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailyForm {
    /// Body temperature in °C.
    pub temperature_c: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Symptom>))]
    pub symptoms: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::OptionalText>))]
    pub note: Option<String>,
}

fn missing(field: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        "Phần này là bắt buộc",
        "This part is required",
    )
}

fn optional_text(
    c: &mut Checker,
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    c.check(required_text(field, v, max))
}

fn alnum(field: &str, value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let v: String = value.trim().to_uppercase();
    if (min..=max).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            "alphanumeric",
            format!("Chỉ gồm chữ cái và chữ số, từ {min} đến {max} ký tự"),
            format!("Letters and digits only, {min} to {max} characters"),
        ))
    }
}

fn country_code(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_uppercase();
    match country(&code) {
        Some(_) => Ok(code),
        None => Err(FieldError::new(
            field,
            "country_unknown",
            format!("Không có quốc gia mã {:?} (ISO 3166-1, ví dụ VN)", value),
            format!("No country has code {:?} (ISO 3166-1, e.g. VN)", value),
        )),
    }
}

use crate::time::parse_date as date;

/// Checks that `d` lies within `[earliest, latest]`.
fn date_between(field: &str, d: Date, earliest: Date, latest: Date) -> Result<Date, FieldError> {
    if d < earliest || d > latest {
        Err(FieldError::new(
            field,
            "date_out_of_range",
            format!("Ngày phải từ {earliest} đến {latest}"),
            format!("The date must be between {earliest} and {latest}"),
        ))
    } else {
        Ok(d)
    }
}

fn email(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let ok = v.len() <= 254
        && v.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        })
        && !v.chars().any(char::is_whitespace);
    if ok {
        Ok(v.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "email_invalid",
            "Email không hợp lệ",
            "Not a valid email address",
        ))
    }
}

fn list<T>(
    c: &mut Checker,
    field: &str,
    values: &[String],
    parse: fn(&str, &str) -> Result<T, FieldError>,
) -> Vec<T>
where
    T: PartialEq,
{
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if let Some(item) = c.check(parse(&format!("{field}[{i}]"), v)) {
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

fn address(c: &mut Checker, field: &str, a: &AddressForm) -> Address {
    let unit_code = c
        .check(parse_code(&format!("{field}.unit_code"), &a.unit_code))
        .unwrap_or_default();
    let street = c
        .check(required_text(&format!("{field}.street"), &a.street, 200))
        .unwrap_or_default();
    Address { unit_code, street }
}

fn identity(c: &mut Checker, f: &IdentityForm, today: Date) -> Identity {
    Identity {
        full_name: c
            .check(required_text(
                "identity.full_name",
                &f.full_name,
                MAX_NAME_CHARS,
            ))
            .unwrap_or_default(),
        birth_year: c
            .check(birth_year(
                "identity.birth_year",
                f.birth_year,
                today.year(),
            ))
            .unwrap_or_default(),
        gender: c
            .check(Gender::parse("identity.gender", &f.gender))
            .unwrap_or(Gender::Other),
        nationality: c
            .check(country_code("identity.nationality", &f.nationality))
            .unwrap_or_default(),
        id_number: f
            .id_number
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| c.check(alnum("identity.id_number", v, 6, 20))),
        address: address(c, "identity.address", &f.address),
        phone: f
            .phone
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| c.check(PhoneNumber::parse("identity.phone", v))),
        email: f
            .email
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| c.check(email("identity.email", v))),
        insurance_number: f
            .insurance_number
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| c.check(alnum("identity.insurance_number", v, 8, 17))),
    }
}

fn health(c: &mut Checker, f: &HealthForm) -> Health {
    let travel_places = if f.travelled {
        match f
            .travel_places
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => c.check(required_text("health.travel_places", p, 500)),
            None => {
                c.push(FieldError::new(
                    "health.travel_places",
                    "required",
                    "Hãy ghi nơi đã đến",
                    "Say where you travelled",
                ));
                None
            }
        }
    } else {
        None
    };
    Health {
        symptoms: list(c, "health.symptoms", &f.symptoms, Symptom::parse),
        exposures: list(c, "health.exposures", &f.exposures, Exposure::parse),
        conditions: list(c, "health.conditions", &f.conditions, Condition::parse),
        travel_places,
    }
}

fn travel(c: &mut Checker, f: &TravelForm, today: Date, rules: &DeclarationRules) -> Travel {
    let conveyance = c
        .check(Conveyance::parse("travel.conveyance", &f.conveyance))
        .unwrap_or(Conveyance::Other);
    if !matches!(
        conveyance,
        Conveyance::Air | Conveyance::Rail | Conveyance::Road | Conveyance::Water
    ) {
        c.push(FieldError::new(
            "travel.conveyance",
            "choice_unknown",
            "Chọn máy bay, tàu hỏa, đường bộ hoặc đường thủy",
            "Choose air, rail, road or water",
        ));
    }
    let departure_station = optional_text(c, "travel.departure_station", &f.departure_station, 120);
    if matches!(conveyance, Conveyance::Air | Conveyance::Rail) && departure_station.is_none() {
        c.push(FieldError::new(
            "travel.departure_station",
            "required",
            "Hãy ghi sân bay hoặc ga đi",
            "Give the departure airport or station",
        ));
    }
    let earliest = today
        .checked_sub(jiff::Span::new().days(rules.lookback_days))
        .unwrap_or(today);
    let latest = today
        .checked_add(jiff::Span::new().days(rules.travel_days_ahead))
        .unwrap_or(today);
    Travel {
        conveyance,
        vehicle_number: c
            .check(required_text(
                "travel.vehicle_number",
                &f.vehicle_number,
                20,
            ))
            .unwrap_or_default(),
        from: address(c, "travel.from", &f.from),
        to: address(c, "travel.to", &f.to),
        departure_station,
        travel_date: c
            .check(
                date("travel.travel_date", &f.travel_date)
                    .and_then(|d| date_between("travel.travel_date", d, earliest, latest)),
            )
            .unwrap_or(today),
    }
}

fn entry(c: &mut Checker, f: &EntryForm, today: Date, rules: &DeclarationRules) -> Entry {
    let earliest = today
        .checked_sub(jiff::Span::new().days(rules.lookback_days))
        .unwrap_or(today);
    let soon = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    let departure_date = c.check(
        date("entry.departure_date", &f.departure_date).and_then(|d| {
            date_between(
                "entry.departure_date",
                d,
                earliest
                    .checked_sub(jiff::Span::new().days(30))
                    .unwrap_or(earliest),
                soon,
            )
        }),
    );
    let entry_date = c.check(
        date("entry.entry_date", &f.entry_date)
            .and_then(|d| date_between("entry.entry_date", d, earliest, soon)),
    );
    if let (Some(dep), Some(arr)) = (departure_date, entry_date) {
        if dep > arr {
            c.push(FieldError::new(
                "entry.departure_date",
                "date_order",
                "Ngày khởi hành phải trước hoặc bằng ngày nhập cảnh",
                "The departure date must be on or before the entry date",
            ));
        }
    }
    let gate = f.border_gate.trim().to_uppercase();
    if border_gate(&gate).is_none() {
        c.push(FieldError::new(
            "entry.border_gate",
            "border_gate_unknown",
            "Không có cửa khẩu này trong danh sách",
            "This border gate is not in the list",
        ));
    }
    Entry {
        passport: c
            .check(alnum("entry.passport", &f.passport, 6, 20))
            .unwrap_or_default(),
        conveyance: c
            .check(Conveyance::parse("entry.conveyance", &f.conveyance))
            .unwrap_or(Conveyance::Other),
        vehicle_number: c
            .check(required_text("entry.vehicle_number", &f.vehicle_number, 20))
            .unwrap_or_default(),
        seat: optional_text(c, "entry.seat", &f.seat, 10),
        departure_country: c
            .check(country_code(
                "entry.departure_country",
                &f.departure_country,
            ))
            .unwrap_or_default(),
        departure_place: c
            .check(required_text(
                "entry.departure_place",
                &f.departure_place,
                120,
            ))
            .unwrap_or_default(),
        departure_date: departure_date.unwrap_or(today),
        entry_date: entry_date.unwrap_or(today),
        border_gate: gate,
        visited_countries: list(
            c,
            "entry.visited_countries",
            &f.visited_countries,
            country_code,
        ),
        quarantine_facility: optional_text(
            c,
            "entry.quarantine_facility",
            &f.quarantine_facility,
            200,
        ),
        vaccination: c
            .check(Vaccination::parse("entry.vaccination", &f.vaccination))
            .unwrap_or(Vaccination::None),
        test_result: c
            .check(TestResult::parse("entry.test_result", &f.test_result))
            .unwrap_or(TestResult::NotTested),
    }
}

fn daily(c: &mut Checker, f: &DailyForm, today: Date, rules: &DeclarationRules) -> DailyUpdate {
    let t = f.temperature_c;
    if !(t.is_finite() && (rules.min_plausible_celsius..=rules.max_plausible_celsius).contains(&t))
    {
        c.push(FieldError::new(
            "daily.temperature_c",
            "temperature_out_of_range",
            format!(
                "Nhiệt độ phải từ {} đến {} °C",
                rules.min_plausible_celsius, rules.max_plausible_celsius
            ),
            format!(
                "The temperature must be between {} and {} °C",
                rules.min_plausible_celsius, rules.max_plausible_celsius
            ),
        ));
    }
    DailyUpdate {
        date: today,
        temperature_c: (t * 10.0).round() / 10.0,
        symptoms: list(c, "daily.symptoms", &f.symptoms, Symptom::parse),
        note: optional_text(c, "daily.note", &f.note, 500),
    }
}

impl DeclarationForm {
    /// Validates the form on `today` (the declarant's local date) under the profile's rules.
    pub fn parse(&self, today: Date, rules: &DeclarationRules) -> Result<Declaration, Invalid> {
        let mut c = Checker::new();
        let Some(kind) = c.check(Kind::parse("kind", &self.kind)) else {
            return Err(c
                .finish(|| ())
                .err()
                .unwrap_or_else(|| Invalid::one(missing("kind"))));
        };
        if kind != Kind::DailyUpdate && !self.consent {
            c.push(FieldError::new(
                "consent",
                "consent_required",
                "Cần xác nhận cam kết khai báo trung thực",
                "You must confirm that your answers are true",
            ));
        }
        let base = |c: &mut Checker| {
            let identity = match &self.identity {
                Some(f) => Some(identity(c, f, today)),
                None => {
                    c.push(missing("identity"));
                    None
                }
            };
            let health = health(c, self.health.as_ref().unwrap_or(&HealthForm::default()));
            (identity, health)
        };
        let declaration = match kind {
            Kind::Domestic => {
                let (identity, health) = base(&mut c);
                identity.map(|identity| Declaration::Domestic { identity, health })
            }
            Kind::DomesticTravel => {
                let (identity, health) = base(&mut c);
                let travel = match &self.travel {
                    Some(f) => Some(travel(&mut c, f, today, rules)),
                    None => {
                        c.push(missing("travel"));
                        None
                    }
                };
                identity
                    .zip(travel)
                    .map(|(identity, travel)| Declaration::DomesticTravel {
                        identity,
                        health,
                        travel,
                    })
            }
            Kind::Entry => {
                let (identity, health) = base(&mut c);
                let entry = match &self.entry {
                    Some(f) => Some(entry(&mut c, f, today, rules)),
                    None => {
                        c.push(missing("entry"));
                        None
                    }
                };
                identity
                    .zip(entry)
                    .map(|(identity, entry)| Declaration::Entry {
                        identity,
                        health,
                        entry,
                    })
            }
            Kind::DailyUpdate => match &self.daily {
                Some(f) => Some(Declaration::DailyUpdate(daily(&mut c, f, today, rules))),
                None => {
                    c.push(missing("daily"));
                    None
                }
            },
        };
        let declaration = c.finish(|| declaration)?;
        declaration.ok_or_else(|| Invalid::one(missing("kind")))
    }
}

#[cfg(test)]
mod tests;
