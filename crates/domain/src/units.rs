//! Administrative units: a generic tree (country → province → [district →] commune).
//!
//! Two official lists ship with the product (see `data/units/`): the current two-level structure
//! of 2025 and the three-level structure of 2020–2021. A deployment picks one. Every unit gets a
//! materialised `path` of codes from the root ("VN/15/02839/") so that "is this unit inside that
//! jurisdiction" is a prefix test, in memory and in SQL alike.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::text::fold;
use crate::FieldError;

/// Code of the virtual root unit that stands for the whole country.
pub const ROOT_CODE: &str = "VN";

/// The pattern of a unit code as [`parse_code`] reads it: the country's `VN`, or the digits of
/// an official code (white space around is ignored). Which codes exist is data, not schema.
pub const UNIT_CODE_PATTERN: &str = "^\\s*(VN|[0-9]{1,10})\\s*$";

crate::schema_marker!(
    /// A unit code, for `#[schema(value_type = UnitCodeText)]`.
    #[cfg(feature = "openapi")]
    pub UnitCodeText = crate::schema::string_matching(UNIT_CODE_PATTERN)
);

/// Level of a unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Country,
    Province,
    District,
    Commune,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Country => "country",
            Tier::Province => "province",
            Tier::District => "district",
            Tier::Commune => "commune",
        }
    }
}

impl FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "country" => Tier::Country,
            "province" => Tier::Province,
            "district" => Tier::District,
            "commune" => Tier::Commune,
            other => return Err(format!("unknown unit tier {other:?}")),
        })
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One administrative unit as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub code: String,
    pub parent_code: Option<String>,
    pub tier: Tier,
    /// The Vietnamese division type: tỉnh, huyện, xã, phường, …
    pub kind: String,
    pub name: String,
    /// Codes from the root, each followed by `/`: `VN/15/02839/`.
    pub path: String,
}

impl Unit {
    /// The lower-cased, accent-free name used for search.
    pub fn folded_name(&self) -> String {
        fold(&self.name)
    }
}

/// Which shipped list a deployment uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficialList {
    /// `vietnam-provinces` 2025.10.1: 34 provinces, 3,321 communes, no districts.
    Current2025,
    /// `vietnam-provinces` 0.6.0: 63 provinces, districts and wards as in 2020–2021.
    Structure2020,
}

impl OfficialList {
    pub fn id(self) -> &'static str {
        match self {
            OfficialList::Current2025 => "vn-2025.10.1",
            OfficialList::Structure2020 => "vn-0.6.0",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        [OfficialList::Current2025, OfficialList::Structure2020]
            .into_iter()
            .find(|l| l.id() == id)
    }

    /// The list's CSV text, compiled into the binary.
    pub fn csv(self) -> &'static str {
        match self {
            OfficialList::Current2025 => include_str!("../../../data/units/vn-2025.10.1.csv"),
            OfficialList::Structure2020 => include_str!("../../../data/units/vn-0.6.0.csv"),
        }
    }

    /// Parses the shipped list; it is tested, so failure here is a build defect.
    pub fn units(self) -> Vec<Unit> {
        parse_list(self.csv())
            .unwrap_or_else(|e| panic!("shipped unit list {} is broken: {e}", self.id()))
    }
}

/// Parses a unit list in the format written by `data/units/generate.py` and adds the root,
/// checking that codes are unique and every parent exists before its children.
pub fn parse_list(csv: &str) -> Result<Vec<Unit>, String> {
    let mut lines = csv.lines();
    match lines.next() {
        Some("code,parent_code,tier,kind,name") => {}
        other => return Err(format!("unexpected header {other:?}")),
    }
    let mut units = vec![Unit {
        code: ROOT_CODE.to_owned(),
        parent_code: None,
        tier: Tier::Country,
        kind: "quốc gia".to_owned(),
        name: "Việt Nam".to_owned(),
        path: format!("{ROOT_CODE}/"),
    }];
    let mut index: HashMap<String, usize> = HashMap::from([(ROOT_CODE.to_owned(), 0)]);
    for (n, line) in lines.enumerate() {
        let line_no = n + 2;
        // Names contain no commas in the official lists; the name is the rest of the line anyway.
        let mut fields = line.splitn(5, ',');
        let mut next = || {
            fields
                .next()
                .ok_or_else(|| format!("line {line_no}: too few fields"))
        };
        let (code, parent, tier, kind, name) = (next()?, next()?, next()?, next()?, next()?);
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("line {line_no}: bad code {code:?}"));
        }
        let tier: Tier = tier.parse().map_err(|e| format!("line {line_no}: {e}"))?;
        let parent = if parent.is_empty() { ROOT_CODE } else { parent };
        let parent_path = match index.get(parent) {
            Some(&i) => units[i].path.clone(),
            None => {
                return Err(format!(
                    "line {line_no}: parent {parent} not listed before {code}"
                ))
            }
        };
        if index.insert(code.to_owned(), units.len()).is_some() {
            return Err(format!("line {line_no}: duplicate code {code}"));
        }
        units.push(Unit {
            code: code.to_owned(),
            parent_code: Some(parent.to_owned()),
            tier,
            kind: kind.to_owned(),
            name: name.trim().to_owned(),
            path: format!("{parent_path}{code}/"),
        });
    }
    Ok(units)
}

/// Checks the syntax of a unit code typed by a user; whether it exists is the store's question.
pub fn parse_code(field: &str, input: &str) -> Result<String, FieldError> {
    let code = input.trim();
    let valid = code == ROOT_CODE
        || (!code.is_empty() && code.len() <= 10 && code.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Ok(code.to_owned())
    } else {
        Err(unknown_unit(field, input))
    }
}

/// The error for a unit code that is malformed or not in the deployment's list.
pub fn unknown_unit(field: &str, code: &str) -> FieldError {
    FieldError::new(
        field,
        "unit_unknown",
        format!("Không có đơn vị hành chính mã {:?}", code.trim()),
        format!("No administrative unit has code {:?}", code.trim()),
    )
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The document's pattern for a unit code is what `parse_code` accepts.
        #[test]
        fn the_published_pattern_is_the_parser(s in "[ \t0-9VNvx]{0,13}") {
            let pattern = regex::Regex::new(UNIT_CODE_PATTERN).unwrap();
            proptest::prop_assert_eq!(pattern.is_match(&s), parse_code("unit", &s).is_ok(), "{:?}", s);
        }
    }

    use super::*;

    #[test]
    fn current_list_has_34_provinces_and_3321_communes() {
        let units = OfficialList::Current2025.units();
        let count = |t| units.iter().filter(|u| u.tier == t).count();
        assert_eq!(count(Tier::Province), 34);
        assert_eq!(count(Tier::District), 0);
        assert_eq!(count(Tier::Commune), 3321);
        let bac_ha = units.iter().find(|u| u.name == "Xã Bắc Hà").unwrap();
        assert_eq!(bac_ha.path, "VN/15/02839/");
    }

    #[test]
    fn list_of_2020_has_63_provinces_with_districts() {
        let units = OfficialList::Structure2020.units();
        assert_eq!(
            units.iter().filter(|u| u.tier == Tier::Province).count(),
            63
        );
        assert_eq!(
            units.iter().filter(|u| u.tier == Tier::District).count(),
            696
        );
        assert_eq!(
            units.iter().filter(|u| u.tier == Tier::Commune).count(),
            10_051
        );
        let ward = units.iter().find(|u| u.code == "00001").unwrap();
        assert_eq!(ward.path, "VN/01/001/00001/");
        assert_eq!(ward.kind, "phường");
    }

    #[test]
    fn broken_lists_are_refused() {
        let header = "code,parent_code,tier,kind,name\n";
        assert!(parse_list("nope\n").is_err());
        assert!(parse_list(&format!(
            "{header}01,,province,tỉnh,A\n01,,province,tỉnh,B\n"
        ))
        .is_err());
        assert!(parse_list(&format!("{header}00001,999,commune,xã,A\n")).is_err());
        assert!(parse_list(&format!("{header}01,,planet,tỉnh,A\n")).is_err());
    }

    #[test]
    fn codes_are_checked_for_syntax() {
        assert_eq!(parse_code("unit", " 02839 ").unwrap(), "02839");
        assert_eq!(parse_code("unit", "VN").unwrap(), "VN");
        assert_eq!(parse_code("unit", "12a").unwrap_err().code, "unit_unknown");
        assert!(parse_code("unit", "").is_err());
    }
}
