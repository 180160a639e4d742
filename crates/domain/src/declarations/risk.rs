//! Risk flags and the status colour of a declaration, with the reasons listed.
//!
//! Red means "should not be at public places: contact the health station"; yellow means "watch
//! and take care"; green means nothing of note was declared.

use jiff::civil::Date;

use super::{Declaration, Exposure, Health, Symptom, TestResult};
use crate::profile::DeclarationRules;
use crate::Message;

/// Status colour, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Colour {
    Green,
    Yellow,
    Red,
}

impl Colour {
    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Yellow => "yellow",
            Colour::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Colour> {
        [Colour::Green, Colour::Yellow, Colour::Red]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// One reason for concern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Stable code, e.g. `contact_with_case`.
    pub code: &'static str,
    pub severity: Colour,
    pub message: Message,
}

/// A declaration's colour and the flags that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub colour: Colour,
    pub flags: Vec<Flag>,
}

/// What the assessment needs to know beyond the declaration itself.
pub struct RiskContext<'a> {
    /// The declarant's local date.
    pub today: Date,
    /// Is this unit (by code) inside an active lockdown or quarantine zone?
    pub in_active_zone: &'a (dyn Fn(&str) -> bool + Sync),
    /// Is the person under a quarantine order now?
    pub under_quarantine: bool,
}

fn flag(code: &'static str, severity: Colour, vi: &str, en: &str) -> Flag {
    Flag {
        code,
        severity,
        message: Message::new(vi, en),
    }
}

fn symptom_flags(symptoms: &[Symptom], flags: &mut Vec<Flag>) {
    if symptoms
        .iter()
        .any(|s| matches!(s, Symptom::Pneumonia | Symptom::ShortnessOfBreath))
    {
        flags.push(flag(
            "severe_symptoms",
            Colour::Red,
            "Có triệu chứng khó thở hoặc viêm phổi",
            "Shortness of breath or pneumonia declared",
        ));
    } else if !symptoms.is_empty() {
        flags.push(flag(
            "symptoms",
            Colour::Yellow,
            "Có triệu chứng trong 14 ngày qua",
            "Symptoms in the last 14 days",
        ));
    }
}

fn health_flags(health: &Health, flags: &mut Vec<Flag>) {
    symptom_flags(&health.symptoms, flags);
    if health.exposures.contains(&Exposure::ContactWithCase) {
        flags.push(flag(
            "contact_with_case",
            Colour::Red,
            "Tiếp xúc người bệnh hoặc nghi ngờ mắc bệnh",
            "Contact with a sick or suspected case",
        ));
    }
    if health.exposures.iter().any(|e| {
        matches!(
            e,
            Exposure::ContactWithTraveller | Exposure::ContactWithSymptomatic
        )
    }) {
        flags.push(flag(
            "exposure",
            Colour::Yellow,
            "Tiếp xúc người từ vùng dịch hoặc người có triệu chứng",
            "Contact with someone from an affected area or with symptoms",
        ));
    }
}

/// Assesses one declaration under the profile's rules.
pub fn assess(
    declaration: &Declaration,
    ctx: &RiskContext<'_>,
    rules: &DeclarationRules,
) -> Assessment {
    let mut flags = Vec::new();
    match declaration {
        Declaration::Domestic { identity, health } => {
            health_flags(health, &mut flags);
            if (ctx.in_active_zone)(&identity.address.unit_code) {
                flags.push(flag(
                    "lives_in_zone",
                    Colour::Yellow,
                    "Nơi ở thuộc vùng đang phong tỏa",
                    "Lives in an active lockdown zone",
                ));
            }
        }
        Declaration::DomesticTravel { health, travel, .. } => {
            health_flags(health, &mut flags);
            if (ctx.in_active_zone)(&travel.from.unit_code) {
                flags.push(flag(
                    "travel_from_zone",
                    Colour::Yellow,
                    "Đi từ vùng đang phong tỏa",
                    "Travelling from an active lockdown zone",
                ));
            }
            if (ctx.in_active_zone)(&travel.to.unit_code) {
                flags.push(flag(
                    "travel_to_zone",
                    Colour::Yellow,
                    "Đến vùng đang phong tỏa",
                    "Travelling to an active lockdown zone",
                ));
            }
        }
        Declaration::Entry { health, entry, .. } => {
            health_flags(health, &mut flags);
            let window_end = entry
                .entry_date
                .checked_add(jiff::Span::new().days(rules.entry_monitoring_days));
            if window_end.is_ok_and(|end| ctx.today < end) {
                flags.push(flag(
                    "entry_recent",
                    Colour::Yellow,
                    "Nhập cảnh trong thời gian theo dõi",
                    "Entered Vietnam within the monitoring period",
                ));
            }
            if entry.test_result == TestResult::Positive {
                flags.push(flag(
                    "test_positive",
                    Colour::Red,
                    "Kết quả xét nghiệm dương tính",
                    "Positive test result",
                ));
            }
        }
        Declaration::DailyUpdate(update) => {
            if update.temperature_c >= rules.fever_celsius {
                flags.push(flag(
                    "fever",
                    Colour::Yellow,
                    &format!("Sốt {:.1} °C", update.temperature_c),
                    &format!("Fever of {:.1} °C", update.temperature_c),
                ));
            }
            symptom_flags(&update.symptoms, &mut flags);
        }
    }
    if ctx.under_quarantine {
        flags.push(flag(
            "under_quarantine",
            Colour::Red,
            "Đang trong thời gian cách ly",
            "Under quarantine",
        ));
    }
    let colour = flags
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Colour::Green);
    Assessment { colour, flags }
}
