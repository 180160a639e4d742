//! Reference lists shipped with the product: countries (ISO 3166-1) and border gates.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A country with its Vietnamese and English names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// An international border gate of Vietnam.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BorderGate {
    pub code: String,
    /// air, land, rail or sea.
    pub kind: String,
    pub province_code: String,
    pub name_vi: String,
    pub name_en: String,
}

fn read<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .unwrap_or_else(|e| panic!("shipped list {what} is broken: {e}"))
}

/// All ISO 3166-1 countries, by alpha-2 code.
pub fn countries() -> &'static [Country] {
    static LIST: OnceLock<Vec<Country>> = OnceLock::new();
    LIST.get_or_init(|| {
        read(
            include_str!("../../../data/countries/iso3166.csv"),
            "countries",
        )
    })
}

/// The country with this alpha-2 code (upper case).
pub fn country(code: &str) -> Option<&'static Country> {
    countries().iter().find(|c| c.code == code)
}

/// Vietnam's international border gates.
pub fn border_gates() -> &'static [BorderGate] {
    static LIST: OnceLock<Vec<BorderGate>> = OnceLock::new();
    LIST.get_or_init(|| {
        read(
            include_str!("../../../data/border-gates/border-gates.csv"),
            "border gates",
        )
    })
}

pub fn border_gate(code: &str) -> Option<&'static BorderGate> {
    border_gates().iter().find(|g| g.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load() {
        assert_eq!(countries().len(), 249);
        assert_eq!(country("VN").unwrap().name_vi, "Việt Nam");
        assert!(country("XX").is_none());
        assert!(border_gates().len() > 30);
        assert_eq!(border_gate("DB-LAOCAI").unwrap().province_code, "15");
        let mut codes: Vec<_> = border_gates().iter().map(|g| &g.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), border_gates().len(), "gate codes are unique");
        for g in border_gates() {
            assert!(
                ["air", "land", "rail", "sea"].contains(&g.kind.as_str()),
                "{}",
                g.code
            );
        }
    }
}
