//! A unit's progress report for a reporting date: counts per target population and a note.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::campaign::day;
use super::org_unit::above;
use super::{count, Campaign, HeadCounts, Population};
use crate::validation::Checker;
use crate::{FieldError, Invalid};

const NOTE_MAX: usize = 1_000;

/// A report as a unit's reporter sends it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    /// The unit's code.
    pub unit: String,
    /// The reporting date it is for, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: String,
    /// Counts reached so far, by population (`staff`, `smartphone_users`, …).
    #[cfg_attr(feature = "openapi", schema(schema_with = counts_schema))]
    pub counts: BTreeMap<String, i64>,
    #[serde(default)]
    pub note: String,
}

/// At least one count, by population, each a whole number of people.
#[cfg(feature = "openapi")]
fn counts_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    let count = || {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(super::MAX_COUNT))
    };
    super::Population::ALL
        .iter()
        .fold(ObjectBuilder::new().schema_type(Type::Object), |o, p| {
            o.property(p.as_str(), count())
        })
        .min_properties(Some(1))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build()
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub unit: String,
    pub date: Date,
    pub counts: BTreeMap<Population, u64>,
    pub note: String,
}

impl ReportForm {
    /// Checks the report against the campaign (a date within it, counts for its targets only)
    /// and the unit's head counts (no count above them). `today` bounds the date: nobody
    /// reports for the future.
    pub fn parse(
        &self,
        campaign: &Campaign,
        heads: &HeadCounts,
        today: Date,
    ) -> Result<Report, Invalid> {
        let mut c = Checker::new();
        let date = c.check(day("date", &self.date));
        if let Some(d) = date {
            let last = campaign.deadline.min(today);
            if d < campaign.start || d > last {
                c.push(FieldError::new(
                    "date",
                    "date_out_of_range",
                    format!("Ngày báo cáo phải từ {} đến {last}", campaign.start),
                    format!(
                        "The report date must be between {} and {last}",
                        campaign.start
                    ),
                ));
            }
        }
        let mut counts = BTreeMap::new();
        for (key, n) in &self.counts {
            let field = format!("counts.{key}");
            let Some(p) = c.check(Population::parse(&field, key)) else {
                continue;
            };
            if !campaign.targets.iter().any(|t| t.population == p) {
                c.push(FieldError::new(
                    field,
                    "not_a_target",
                    "Chiến dịch không có chỉ tiêu cho nhóm này",
                    "The campaign has no target for this population",
                ));
                continue;
            }
            if let Some(n) = c.check(count(&field, *n)) {
                if n > heads.of(p) {
                    c.push(above(&field, n, heads.of(p)));
                } else {
                    counts.insert(p, n);
                }
            }
        }
        if self.counts.is_empty() {
            c.push(FieldError::new(
                "counts",
                "required",
                "Cần ít nhất một số liệu",
                "At least one count is needed",
            ));
        }
        let note = self.note.trim();
        if note.chars().count() > NOTE_MAX {
            c.push(FieldError::new(
                "note",
                "too_long",
                format!("Ghi chú tối đa {NOTE_MAX} ký tự"),
                format!("The note may have at most {NOTE_MAX} characters"),
            ));
        }
        c.finish(|| Report {
            unit: self.unit.trim().to_uppercase(),
            date: date.unwrap_or_default(),
            counts,
            note: note.to_owned(),
        })
    }
}
