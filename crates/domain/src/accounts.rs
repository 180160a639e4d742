//! Accounts: citizens (by phone) with family members, and staff (by username) with a role.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::validation::{required_text, Checker};
use crate::{FieldError, Invalid};

/// What a member of staff may do; each role is scoped to a unit subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    HealthOfficial,
    VenueStaff,
    FacilityStaff,
    UnitReporter,
    /// Verifies passes and declares on behalf of travellers at a unit's checkpoints.
    CheckpointStaff,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::HealthOfficial,
        Role::VenueStaff,
        Role::FacilityStaff,
        Role::UnitReporter,
        Role::CheckpointStaff,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::HealthOfficial => "health_official",
            Role::VenueStaff => "venue_staff",
            Role::FacilityStaff => "facility_staff",
            Role::UnitReporter => "unit_reporter",
            Role::CheckpointStaff => "checkpoint_staff",
            Role::Admin => "admin",
        }
    }

    /// Parses a role name as it appears in the API, the CLI and the store.
    pub fn parse(field: &str, input: &str) -> Result<Role, FieldError> {
        input.parse().map_err(|_| {
            FieldError::new(
                field,
                "role_unknown",
                format!("Vai trò không hợp lệ; chọn một trong: {}", Self::names()),
                format!("Unknown role; choose one of: {}", Self::names()),
            )
        })
    }

    fn names() -> String {
        Self::ALL.map(Role::as_str).join(", ")
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest name we accept anywhere; Vietnamese full names are far shorter.
pub const MAX_NAME_CHARS: usize = 100;

/// A family member (dependent) a citizen declares and checks in for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyMemberInput {
    pub full_name: String,
    pub birth_year: i32,
    pub relation: Relation,
}

/// How a dependent is related to the account holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Spouse,
    Child,
    Parent,
    Grandparent,
    Grandchild,
    Sibling,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 7] = [
        Relation::Spouse,
        Relation::Child,
        Relation::Parent,
        Relation::Grandparent,
        Relation::Grandchild,
        Relation::Sibling,
        Relation::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Spouse => "spouse",
            Relation::Child => "child",
            Relation::Parent => "parent",
            Relation::Grandparent => "grandparent",
            Relation::Grandchild => "grandchild",
            Relation::Sibling => "sibling",
            Relation::Other => "other",
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Relation, FieldError> {
        Relation::ALL
            .into_iter()
            .find(|r| r.as_str() == input)
            .ok_or_else(|| {
                let names = Relation::ALL.map(Relation::as_str).join(", ");
                FieldError::new(
                    field,
                    "relation_unknown",
                    format!("Quan hệ không hợp lệ; chọn một trong: {names}"),
                    format!("Unknown relation; choose one of: {names}"),
                )
            })
    }
}

/// Checks a year of birth against the declaration forms' range, 1900 up to `current_year`.
pub fn birth_year(field: &str, year: i64, current_year: i16) -> Result<i32, FieldError> {
    if (1900..=i64::from(current_year)).contains(&year) {
        Ok(year as i32)
    } else {
        Err(FieldError::new(
            field,
            "birth_year_out_of_range",
            format!("Năm sinh phải từ 1900 đến {current_year}"),
            format!("Year of birth must be between 1900 and {current_year}"),
        ))
    }
}

impl FamilyMemberInput {
    /// Validates the raw fields of a new family member.
    pub fn parse(
        full_name: &str,
        birth_year_raw: i64,
        relation: &str,
        current_year: i16,
    ) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let full_name = c.check(required_text("full_name", full_name, MAX_NAME_CHARS));
        let year = c.check(birth_year("birth_year", birth_year_raw, current_year));
        let relation = c.check(Relation::parse("relation", relation));
        c.finish(|| FamilyMemberInput {
            full_name: full_name.unwrap_or_default(),
            birth_year: year.unwrap_or_default(),
            relation: relation.unwrap_or(Relation::Other),
        })
    }
}

/// The pattern of a new username as [`username`] checks it.
pub const USERNAME_PATTERN: &str = "^\\s*[a-z0-9._-]{3,32}\\s*$";

crate::schema_marker!(
    /// A new staff username, for `#[schema(value_type = UsernameText)]`.
    #[cfg(feature = "openapi")]
    pub UsernameText = crate::schema::string_matching(USERNAME_PATTERN)
);

/// Checks a staff username: 3–32 characters of lower-case letters, digits, '.', '_' or '-'.
pub fn username(field: &str, input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    let ok = (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(name.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "username_invalid",
            "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, '.', '_' hoặc '-'",
            "Usernames have 3–32 characters: lower-case letters, digits, '.', '_' or '-'",
        ))
    }
}

/// Minimum password length for staff; long passphrases beat composition rules (NIST 800-63B).
pub const MIN_PASSWORD_CHARS: usize = crate::passwords::MIN_CHARS;

/// Checks a new staff password for the account `username` (see [`crate::passwords`]).
pub fn new_password(field: &str, input: &str, username: &str) -> Result<String, FieldError> {
    crate::passwords::check(field, input, username).map(|()| input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The document's pattern for a new username is what `username` accepts.
        #[test]
        fn the_published_username_pattern_is_the_check(s in "[ a-zA-Z0-9._\\-é]{0,34}") {
            let pattern = regex::Regex::new(USERNAME_PATTERN).unwrap();
            proptest::prop_assert_eq!(pattern.is_match(&s), username("u", &s).is_ok(), "{:?}", s);
        }
    }

    #[test]
    fn roles_round_trip_and_unknown_roles_are_refused() {
        for r in Role::ALL {
            assert_eq!(Role::parse("role", r.as_str()).unwrap(), r);
        }
        assert_eq!(Role::parse("role", "god").unwrap_err().code, "role_unknown");
    }

    #[test]
    fn family_member_reports_all_errors() {
        let err = FamilyMemberInput::parse("", 1850, "cousin", 2026).unwrap_err();
        let codes: Vec<_> = err.0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            ["required", "birth_year_out_of_range", "relation_unknown"]
        );
        let ok = FamilyMemberInput::parse(" Trần Thị Mai ", 2015, "child", 2026).unwrap();
        assert_eq!(ok.full_name, "Trần Thị Mai");
        assert!(FamilyMemberInput::parse("A", 2027, "child", 2026).is_err());
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(username("u", "yte.bacha").is_ok());
        assert!(username("u", "Yte").is_err());
        assert!(username("u", "ab").is_err());
        assert!(new_password("p", "short", "yte").is_err());
        assert!(new_password("p", "một mật khẩu dài", "yte").is_ok());
    }
}
