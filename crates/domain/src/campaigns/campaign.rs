//! A campaign: a goal, targets per population, a start, a deadline, reporting dates and the
//! units it covers.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Population;
use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid, Message};

const NAME_MAX: usize = 200;
/// Most reporting dates (one a day for half a year).
const MAX_REPORTING_DATES: usize = 184;
/// Most units one campaign covers.
pub const MAX_CAMPAIGN_UNITS: usize = 5_000;

/// What the campaign asks people to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Install the app and register (Bluezone / PC-Covid drives of 2020–2021).
    InstallApp,
    /// Make a health declaration.
    Declare,
    /// Register public venues with a QR poster.
    RegisterVenues,
}

impl Goal {
    pub const ALL: &'static [Goal] = &[Goal::InstallApp, Goal::Declare, Goal::RegisterVenues];

    pub fn as_str(self) -> &'static str {
        match self {
            Goal::InstallApp => "install_app",
            Goal::Declare => "declare",
            Goal::RegisterVenues => "register_venues",
        }
    }

    pub fn label(self) -> Message {
        match self {
            Goal::InstallApp => Message::new(
                "Cài đặt và đăng ký ứng dụng",
                "Install and register the app",
            ),
            Goal::Declare => Message::new("Khai báo y tế", "Make a health declaration"),
            Goal::RegisterVenues => {
                Message::new("Đăng ký mã QR địa điểm", "Register venues with QR codes")
            }
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.as_str() == input.trim())
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "choice_unknown",
                    format!("Mục tiêu {input:?} không hợp lệ; chọn: install_app, declare, register_venues"),
                    format!("{input:?} is not a goal; choose install_app, declare or register_venues"),
                )
            })
    }
}

/// A target as sent.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetForm {
    /// `staff`, `staff_smartphone`, `residents`, `smartphone_users` or `venues`.
    #[cfg_attr(feature = "openapi", schema(value_type = Population))]
    pub population: String,
    /// 1–100.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub percent: i64,
}

/// A checked target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub population: Population,
    pub percent: u8,
}

/// A campaign as sent.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignForm {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub name: String,
    /// `install_app`, `declare` or `register_venues`.
    #[cfg_attr(feature = "openapi", schema(value_type = Goal))]
    pub goal: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub start: String,
    /// `YYYY-MM-DD`, on or after `start`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub deadline: String,
    /// Days units report on, between start and deadline; the deadline is always one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 184, value_type = Vec<crate::schema::DateText>))]
    pub reporting_dates: Vec<String>,
    /// One per population at most.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub targets: Vec<TargetForm>,
    /// Codes of the units covered.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5000))]
    pub units: Vec<String>,
}

/// A checked campaign (its units are resolved by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub name: String,
    pub goal: Goal,
    pub start: Date,
    pub deadline: Date,
    /// Sorted, without duplicates, ending with the deadline.
    pub reporting_dates: Vec<Date>,
    pub targets: Vec<Target>,
    pub units: Vec<String>,
}

pub(crate) use crate::time::parse_date as day;

impl CampaignForm {
    pub fn parse(&self) -> Result<Campaign, Invalid> {
        let mut c = Checker::new();
        let name = c.check(required_text("name", &self.name, NAME_MAX));
        let goal = c.check(Goal::parse("goal", &self.goal));
        let start = c.check(day("start", &self.start));
        let deadline = c.check(day("deadline", &self.deadline));
        if let (Some(s), Some(d)) = (start, deadline) {
            if d < s {
                c.push(FieldError::new(
                    "deadline",
                    "deadline_before_start",
                    "Hạn chót không được trước ngày bắt đầu",
                    "The deadline cannot be before the start",
                ));
            }
        }
        let mut dates = Vec::new();
        if self.reporting_dates.len() > MAX_REPORTING_DATES {
            c.push(FieldError::new(
                "reporting_dates",
                "too_many",
                format!("Tối đa {MAX_REPORTING_DATES} ngày báo cáo"),
                format!("At most {MAX_REPORTING_DATES} reporting dates"),
            ));
        }
        for (i, text) in self
            .reporting_dates
            .iter()
            .enumerate()
            .take(MAX_REPORTING_DATES)
        {
            let field = format!("reporting_dates[{i}]");
            if let Some(d) = c.check(day(&field, text)) {
                match (start, deadline) {
                    (Some(s), Some(e)) if d < s || d > e => {
                        let (s, e) = (
                            crate::time::day_month_year(s),
                            crate::time::day_month_year(e),
                        );
                        c.push(FieldError::new(
                            field,
                            "date_out_of_range",
                            format!("Ngày báo cáo phải từ {s} đến {e}"),
                            format!("A reporting date must be between {s} and {e}"),
                        ))
                    }
                    _ => dates.push(d),
                }
            }
        }
        if let Some(d) = deadline {
            dates.push(d);
        }
        dates.sort();
        dates.dedup();
        let mut targets: Vec<Target> = Vec::new();
        if self.targets.is_empty() {
            c.push(FieldError::new(
                "targets",
                "required",
                "Cần ít nhất một chỉ tiêu",
                "At least one target is needed",
            ));
        }
        for (i, t) in self.targets.iter().enumerate() {
            let population = c.check(Population::parse(
                &format!("targets[{i}].population"),
                &t.population,
            ));
            let percent = if (1..=100).contains(&t.percent) {
                Some(t.percent as u8)
            } else {
                c.push(FieldError::new(
                    format!("targets[{i}].percent"),
                    "percent_out_of_range",
                    "Chỉ tiêu phải từ 1 đến 100%",
                    "A target must be 1 to 100%",
                ));
                None
            };
            if let (Some(population), Some(percent)) = (population, percent) {
                if targets.iter().any(|t| t.population == population) {
                    c.push(FieldError::new(
                        format!("targets[{i}].population"),
                        "duplicate",
                        "Nhóm này đã có chỉ tiêu",
                        "This population already has a target",
                    ));
                } else {
                    targets.push(Target {
                        population,
                        percent,
                    });
                }
            }
        }
        let mut units: Vec<String> = self.units.iter().map(|u| u.trim().to_uppercase()).collect();
        units.sort();
        units.dedup();
        if units.is_empty() || units.len() > MAX_CAMPAIGN_UNITS {
            c.push(FieldError::new(
                "units",
                "units_count",
                format!("Chọn từ 1 đến {MAX_CAMPAIGN_UNITS} đơn vị"),
                format!("Choose 1 to {MAX_CAMPAIGN_UNITS} units"),
            ));
        }
        c.finish(|| Campaign {
            name: name.unwrap_or_default(),
            goal: goal.unwrap_or(Goal::InstallApp),
            start: start.unwrap_or_default(),
            deadline: deadline.unwrap_or_default(),
            reporting_dates: dates,
            targets,
            units,
        })
    }
}
