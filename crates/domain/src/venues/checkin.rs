//! Check-in and check-out requests as phones and venue staff send them, checked in one place:
//! the client id that makes a retry safe, the time of a visit queued offline, the people of the
//! account, and how venue staff name a visitor.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::accept_visit_time;
use crate::phone::PhoneNumber;
use crate::profile::CheckinRules;
use crate::time::parse_instant;
use crate::validation::Checker;
use crate::{FieldError, Invalid};

/// Most people one account checks in at once (the holder and family members).
pub const MAX_PEOPLE: usize = 21;

/// How a visit was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CheckinMethod {
    /// The visitor scanned the venue's QR.
    #[serde(rename = "self")]
    SelfScan,
    /// Venue staff scanned the visitor's personal health QR.
    #[serde(rename = "staff_qr")]
    StaffQr,
    /// Venue staff typed the visitor's phone number.
    #[serde(rename = "staff_phone")]
    StaffPhone,
}

impl CheckinMethod {
    pub const ALL: [CheckinMethod; 3] = [
        CheckinMethod::SelfScan,
        CheckinMethod::StaffQr,
        CheckinMethod::StaffPhone,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinMethod::SelfScan => "self",
            CheckinMethod::StaffQr => "staff_qr",
            CheckinMethod::StaffPhone => "staff_phone",
        }
    }
}

crate::stored::stored_names!(CheckinMethod, "check-in method");

/// Whether venue staff record an arrival or a departure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// A citizen's check-in from the venue's QR link.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckinForm {
    /// Made by the phone (e.g. a UUID), 8–64 letters, digits, `-` or `_`; a retry reuses it.
    #[cfg_attr(feature = "openapi", schema(value_type = ClientIdText))]
    pub client_id: String,
    /// The venue code from the QR link.
    pub venue_id: String,
    /// The signature from the QR link.
    pub sig: String,
    /// Who is checking in: `null` for the account holder, family member ids for the others
    /// (default: the holder alone).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 21))]
    pub members: Option<Vec<Option<i64>>>,
    /// RFC 3339; only for a check-in queued while offline.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: Option<String>,
}

/// A citizen's check-out.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckoutForm {
    #[cfg_attr(feature = "openapi", schema(value_type = ClientIdText))]
    pub client_id: String,
    pub venue_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 21))]
    pub members: Option<Vec<Option<i64>>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: Option<String>,
}

/// A visitor checked in or out by venue staff.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffCheckinForm {
    #[cfg_attr(feature = "openapi", schema(value_type = ClientIdText))]
    pub client_id: String,
    /// The visitor's personal health QR (`PD1:…`), or …
    #[serde(default)]
    pub pass: Option<String>,
    /// … the phone number of a visitor without a smartphone (exactly one of the two).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::phone::OptionalPhoneText>))]
    pub phone: Option<String>,
    /// `in` (default) or `out`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Direction>))]
    pub direction: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: Option<String>,
}

/// A citizen's own check-in or check-out, checked. The family members named still have to be
/// found in the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnVisit {
    pub client_id: String,
    pub at: Timestamp,
    /// `None` is the account holder, `Some(id)` a family member; never empty, no repeats.
    pub people: Vec<Option<i64>>,
}

/// How venue staff name a visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitorKey {
    /// A personal health QR, still to be verified.
    Pass(String),
    /// A typed phone number.
    Phone(PhoneNumber),
}

/// A staff check-in or check-out, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffVisit {
    pub client_id: String,
    pub at: Timestamp,
    pub direction: Direction,
    pub visitor: VisitorKey,
}

impl CheckinForm {
    pub fn parse(&self, now: Timestamp, rules: &CheckinRules) -> Result<OwnVisit, Invalid> {
        own_visit(
            &self.client_id,
            self.at.as_deref(),
            &self.members,
            now,
            rules,
        )
    }
}

impl CheckoutForm {
    pub fn parse(&self, now: Timestamp, rules: &CheckinRules) -> Result<OwnVisit, Invalid> {
        own_visit(
            &self.client_id,
            self.at.as_deref(),
            &self.members,
            now,
            rules,
        )
    }
}

impl StaffCheckinForm {
    pub fn parse(&self, now: Timestamp, rules: &CheckinRules) -> Result<StaffVisit, Invalid> {
        let mut c = Checker::new();
        let client_id = c.check(client_id(&self.client_id));
        let at = c.check(visit_time(self.at.as_deref(), now, rules));
        let direction = match self.direction.as_deref() {
            None | Some("in") => Some(Direction::In),
            Some("out") => Some(Direction::Out),
            Some(_) => {
                c.push(FieldError::new(
                    "direction",
                    "choice_unknown",
                    "Chiều phải là in hoặc out",
                    "The direction must be in or out",
                ));
                None
            }
        };
        fn given(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let visitor = match (given(&self.pass), given(&self.phone)) {
            (Some(pass), None) => Some(VisitorKey::Pass(pass.to_owned())),
            (None, Some(phone)) => c
                .check(PhoneNumber::parse("phone", phone))
                .map(VisitorKey::Phone),
            _ => {
                c.push(FieldError::new(
                    "pass",
                    "pass_or_phone",
                    "Quét mã QR cá nhân hoặc nhập số điện thoại (chỉ một trong hai)",
                    "Scan a personal QR or type a phone number (one of the two)",
                ));
                None
            }
        };
        c.finish(|| StaffVisit {
            client_id: client_id.unwrap_or_default(),
            at: at.unwrap_or(now),
            direction: direction.unwrap_or(Direction::In),
            visitor: visitor.unwrap_or(VisitorKey::Pass(String::new())),
        })
    }
}

fn own_visit(
    raw_client_id: &str,
    at: Option<&str>,
    members: &Option<Vec<Option<i64>>>,
    now: Timestamp,
    rules: &CheckinRules,
) -> Result<OwnVisit, Invalid> {
    let mut c = Checker::new();
    let client_id = c.check(client_id(raw_client_id));
    let at = c.check(visit_time(at, now, rules));
    // In the order given (the answer lists the visits in it), each person once.
    let mut people: Vec<Option<i64>> = Vec::new();
    for person in members.clone().unwrap_or_else(|| vec![None]) {
        if !people.contains(&person) {
            people.push(person);
        }
    }
    if people.is_empty() || people.len() > MAX_PEOPLE {
        c.push(FieldError::new(
            "members",
            "members_count",
            format!("Chọn từ 1 đến {MAX_PEOPLE} người"),
            format!("Choose between 1 and {MAX_PEOPLE} people"),
        ));
    }
    c.finish(|| OwnVisit {
        client_id: client_id.unwrap_or_default(),
        at: at.unwrap_or(now),
        people,
    })
}

/// The pattern of a client id as [`client_id`] checks it.
pub(crate) const CLIENT_ID_PATTERN: &str = "^\\s*[A-Za-z0-9_-]{8,64}\\s*$";

crate::schema_marker!(
    /// A request's client id, for `#[schema(value_type = ClientIdText)]`.
    #[cfg(feature = "openapi")]
    pub(crate) ClientIdText = crate::schema::string_matching(CLIENT_ID_PATTERN)
);

/// The client id of a request: what makes a retry return the first answer.
fn client_id(raw: &str) -> Result<String, FieldError> {
    let id = raw.trim();
    let ok = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(id.to_owned())
    } else {
        Err(FieldError::new(
            "client_id",
            "client_id_invalid",
            "Mã yêu cầu phải dài 8–64 ký tự gồm chữ, số, - hoặc _",
            "The client id must be 8–64 letters, digits, - or _",
        ))
    }
}

/// The time to record: the phone's own (offline queue) within bounds, else now.
fn visit_time(
    at: Option<&str>,
    now: Timestamp,
    rules: &CheckinRules,
) -> Result<Timestamp, FieldError> {
    let claimed = at.map(|s| parse_instant("at", s)).transpose()?;
    accept_visit_time(claimed, now, rules).map_err(|p| p.field_error(rules))
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The document's pattern for a client id is what `client_id` accepts.
        #[test]
        fn the_published_client_id_pattern_is_the_check(s in "[ a-zA-Z0-9_\\-.é]{0,66}") {
            let pattern = regex::Regex::new(super::CLIENT_ID_PATTERN).unwrap();
            proptest::prop_assert_eq!(pattern.is_match(&s), super::client_id(&s).is_ok(), "{:?}", s);
        }
    }

    use super::*;

    fn rules() -> CheckinRules {
        crate::profile::Profile::covid19_2021().checkin.clone()
    }

    fn now() -> Timestamp {
        "2021-07-20T08:00:00+07:00".parse().unwrap()
    }

    fn staff(pass: Option<&str>, phone: Option<&str>, direction: Option<&str>) -> StaffCheckinForm {
        StaffCheckinForm {
            client_id: "abcdefgh-1".into(),
            pass: pass.map(Into::into),
            phone: phone.map(Into::into),
            direction: direction.map(Into::into),
            at: None,
        }
    }

    #[test]
    fn a_typed_phone_number_names_the_visitor() {
        let visit = staff(None, Some("0912 345 678"), Some("out"))
            .parse(now(), &rules())
            .unwrap();
        assert_eq!(visit.direction, Direction::Out);
        assert!(matches!(visit.visitor, VisitorKey::Phone(_)));
        assert_eq!(visit.at, now());
    }

    #[test]
    fn staff_name_a_visitor_exactly_once_and_every_mistake_is_reported() {
        let err = staff(Some("PD1:x"), Some("0912345678"), Some("sideways"))
            .parse(now(), &rules())
            .unwrap_err();
        let codes: Vec<_> = err.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["choice_unknown", "pass_or_phone"]);
        let err = staff(None, None, None).parse(now(), &rules()).unwrap_err();
        assert_eq!(err.0[0].code, "pass_or_phone");
    }

    #[test]
    fn own_visits_are_for_one_to_twenty_one_distinct_people() {
        let form = |members: Option<Vec<Option<i64>>>| CheckoutForm {
            client_id: "abcdefgh-1".into(),
            venue_id: "V1".into(),
            members,
            at: Some("2021-07-20T07:00:00+07:00".into()),
        };
        let visit = form(Some(vec![Some(2), None, Some(2)]))
            .parse(now(), &rules())
            .unwrap();
        assert_eq!(visit.people, [Some(2), None]);
        assert_eq!(
            visit.at,
            "2021-07-20T07:00:00+07:00".parse::<Timestamp>().unwrap()
        );
        let err = form(Some(vec![])).parse(now(), &rules()).unwrap_err();
        assert_eq!(err.0[0].code, "members_count");
        let mut bad = form(None);
        bad.client_id = "short".into();
        bad.at = Some("tomorrow".into());
        let codes: Vec<_> = bad
            .parse(now(), &rules())
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["client_id_invalid", "time_invalid"]);
    }
}
