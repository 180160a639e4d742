//! Units that campaigns count: agencies, schools, companies and communes, each under an
//! administrative unit, optionally under another such unit, with head counts entered by hand
//! or imported from CSV.

use serde::{Deserialize, Serialize};

use super::{count, Population};
use crate::phone::PhoneNumber;
use crate::units::parse_code;
use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid, Message};

/// Longest unit code (what citizens type when they sign up).
pub const ORG_CODE_MAX: usize = 20;
const NAME_MAX: usize = 160;

/// What kind of unit it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Agency,
    School,
    Company,
    Commune,
    Other,
}

impl OrgKind {
    pub const ALL: &'static [OrgKind] = &[
        OrgKind::Agency,
        OrgKind::School,
        OrgKind::Company,
        OrgKind::Commune,
        OrgKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Agency => "agency",
            OrgKind::School => "school",
            OrgKind::Company => "company",
            OrgKind::Commune => "commune",
            OrgKind::Other => "other",
        }
    }

    pub fn label(self) -> Message {
        match self {
            OrgKind::Agency => Message::new("Cơ quan", "Agency"),
            OrgKind::School => Message::new("Trường học", "School"),
            OrgKind::Company => Message::new("Doanh nghiệp", "Company"),
            OrgKind::Commune => Message::new("Xã, phường", "Commune"),
            OrgKind::Other => Message::new("Khác", "Other"),
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == input.trim())
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "choice_unknown",
                    format!("Loại đơn vị {input:?} không hợp lệ; chọn: agency, school, company, commune, other"),
                    format!("{input:?} is not a unit kind; choose agency, school, company, commune or other"),
                )
            })
    }
}

/// Head counts of a unit (zero where they do not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HeadCounts {
    pub staff: u64,
    pub staff_smartphone: u64,
    pub residents: u64,
    pub smartphone_users: u64,
    pub venues: u64,
}

impl HeadCounts {
    pub fn of(&self, p: Population) -> u64 {
        match p {
            Population::Staff => self.staff,
            Population::StaffSmartphone => self.staff_smartphone,
            Population::Residents => self.residents,
            Population::SmartphoneUsers => self.smartphone_users,
            Population::Venues => self.venues,
        }
    }
}

/// A unit as entered (also one row of the CSV import).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgUnitForm {
    /// Short code citizens enter at sign-up, e.g. `BH-UBND` (letters, digits, `-`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^\\s*[A-Za-z0-9-]{2,20}\\s*$"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::RequiredText))]
    pub name: String,
    /// `agency`, `school`, `company`, `commune` or `other`.
    #[cfg_attr(feature = "openapi", schema(value_type = OrgKind))]
    pub kind: String,
    /// The administrative unit it belongs to (its officials' jurisdiction).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::units::UnitCodeText))]
    pub unit_code: String,
    /// The code of the unit above it, if any.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*([A-Za-z0-9-]{2,20})?\\s*$")
    )]
    pub parent_code: Option<String>,
    /// The mobile number reminders go to.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::phone::OptionalPhoneText>))]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub staff: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub staff_smartphone: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub residents: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub smartphone_users: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub venues: i64,
}

/// A checked unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnit {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub unit_code: String,
    pub parent_code: Option<String>,
    pub reporter_phone: Option<PhoneNumber>,
    pub heads: HeadCounts,
}

fn org_code(field: &str, input: &str) -> Result<String, FieldError> {
    let code = input.trim().to_uppercase();
    let ok = (2..=ORG_CODE_MAX).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "org_code_invalid",
            format!("Mã đơn vị gồm 2–{ORG_CODE_MAX} chữ cái không dấu, chữ số hoặc dấu -"),
            format!("A unit code is 2–{ORG_CODE_MAX} letters (no accents), digits or -"),
        ))
    }
}

impl OrgUnitForm {
    pub fn parse(&self) -> Result<OrgUnit, Invalid> {
        let mut c = Checker::new();
        let code = c.check(org_code("code", &self.code));
        let name = c.check(required_text("name", &self.name, NAME_MAX));
        let kind = c.check(OrgKind::parse("kind", &self.kind));
        let unit_code = c.check(parse_code("unit_code", &self.unit_code));
        let parent_code = match self.parent_code.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => c.check(org_code("parent_code", p)),
            _ => None,
        };
        if parent_code.is_some() && parent_code == code {
            c.push(FieldError::new(
                "parent_code",
                "parent_is_self",
                "Đơn vị không thể trực thuộc chính nó",
                "A unit cannot be its own parent",
            ));
        }
        let reporter_phone = match self.reporter_phone.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => c.check(PhoneNumber::parse("reporter_phone", p)),
            _ => None,
        };
        let staff = c.check(count("staff", self.staff));
        let staff_smartphone = c.check(count("staff_smartphone", self.staff_smartphone));
        let residents = c.check(count("residents", self.residents));
        let smartphone_users = c.check(count("smartphone_users", self.smartphone_users));
        let venues = c.check(count("venues", self.venues));
        if let (Some(all), Some(part)) = (staff, staff_smartphone) {
            if part > all {
                c.push(above("staff_smartphone", part, all));
            }
        }
        if let (Some(all), Some(part)) = (residents, smartphone_users) {
            if part > all {
                c.push(above("smartphone_users", part, all));
            }
        }
        c.finish(|| OrgUnit {
            code: code.unwrap_or_default(),
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(OrgKind::Other),
            unit_code: unit_code.unwrap_or_default(),
            parent_code,
            reporter_phone,
            heads: HeadCounts {
                staff: staff.unwrap_or(0),
                staff_smartphone: staff_smartphone.unwrap_or(0),
                residents: residents.unwrap_or(0),
                smartphone_users: smartphone_users.unwrap_or(0),
                venues: venues.unwrap_or(0),
            },
        })
    }
}

/// A part larger than its whole.
pub(crate) fn above(field: &str, part: u64, whole: u64) -> FieldError {
    FieldError::new(
        field,
        "count_above_head_count",
        format!("{part} lớn hơn tổng số {whole}"),
        format!("{part} is more than the head count of {whole}"),
    )
}
