//! Venues that print a QR code for check-in, and the rules of visits and exposure windows there.
//!
//! A visit is an interval `[in_at, out_at)`. When a visitor forgets to check out, the visit ends
//! by itself after the category's dwell time (profile), so every stored visit has an end and
//! overlap queries stay simple.

mod checkin;
mod exposure;
pub(crate) mod form;
mod visits;

pub use checkin::{
    CheckinForm, CheckinMethod, CheckoutForm, Direction, OwnVisit, StaffCheckinForm, StaffVisit,
    VisitorKey, MAX_PEOPLE,
};
pub use exposure::{ExposureForm, ExposureWindow, RiskLevel, MAX_WINDOW_HOURS};
pub use form::{VenueForm, VenueInput, MAX_STREET_CHARS, MAX_VENUE_NAME_CHARS};
pub use visits::{accept_visit_time, overlaps, TimeProblem};

use crate::declarations::vocab::answers;
use crate::FieldError;

answers!(
    /// What kind of place a venue is (SPEC §3); decides the automatic check-out time.
    Category as "VenueCategory" {
        Office = "office" / "Cơ quan, văn phòng" / "Office",
        HealthFacility = "health_facility" / "Bệnh viện, phòng khám" / "Hospital or clinic",
        School = "school" / "Trường học" / "School",
        Supermarket = "supermarket" / "Siêu thị" / "Supermarket",
        Market = "market" / "Chợ" / "Market",
        Restaurant = "restaurant" / "Nhà hàng, quán ăn, cà phê" / "Restaurant or café",
        Lodging = "lodging" / "Khách sạn, nhà nghỉ" / "Lodging",
        Factory = "factory" / "Nhà máy, khu công nghiệp" / "Factory or industrial zone",
        Station = "station" / "Bến xe, nhà ga, sân bay" / "Transport station",
        Vehicle = "vehicle" / "Phương tiện giao thông công cộng" / "Public transport vehicle",
        Checkpoint = "checkpoint" / "Chốt kiểm soát" / "Checkpoint",
        Other = "other" / "Khác" / "Other",
    }
);

/// Whether a venue accepts check-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueStatus {
    Open,
    Closed,
}

impl VenueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VenueStatus::Open => "open",
            VenueStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(VenueStatus::Open),
            "closed" => Some(VenueStatus::Closed),
            _ => None,
        }
    }

    /// Reads a status sent in `field` (white space around is ignored).
    pub fn parse_field(field: &str, s: &str) -> Result<Self, FieldError> {
        Self::parse(s.trim()).ok_or_else(|| {
            FieldError::new(
                field,
                "choice_unknown",
                "Trạng thái phải là open hoặc closed",
                "The status must be open or closed",
            )
        })
    }
}

crate::schema::string_choices!(
    /// A venue's status as sent: `open` or `closed`.
    pub VenueStatusChoice = ["open", "closed"]
);

/// Letters of a venue code: Crockford's base32 without I, L, O, U, so a code read aloud or
/// typed from a poster cannot be confused.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Length of a venue code after its `V` prefix: 40 random bits, a trillion codes.
pub const CODE_LEN: usize = 8;

/// Makes a venue code (`V` + 8 characters) from 5 random bytes supplied by the caller.
pub fn venue_code(random: [u8; 5]) -> String {
    let mut bits = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut out = [0u8; CODE_LEN];
    for slot in out.iter_mut().rev() {
        *slot = CODE_ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let mut code = String::with_capacity(CODE_LEN + 1);
    code.push('V');
    code.extend(out.iter().map(|&b| b as char));
    code
}

/// True when `s` has the shape of a venue code (it may still not exist).
pub fn is_venue_code(s: &str) -> bool {
    s.len() == CODE_LEN + 1
        && s.starts_with('V')
        && s.bytes().skip(1).all(|b| CODE_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_shape_and_differ_by_input() {
        let a = venue_code([1, 2, 3, 4, 5]);
        let b = venue_code([1, 2, 3, 4, 6]);
        assert!(is_venue_code(&a), "{a}");
        assert_ne!(a, b);
        assert_eq!(venue_code([0; 5]), "V00000000");
        assert_eq!(venue_code([255; 5]), "VZZZZZZZZ");
        assert!(!is_venue_code("V0000000I"));
        assert!(!is_venue_code("X00000000"));
        assert!(!is_venue_code("V000"));
    }

    #[test]
    fn every_category_parses_from_its_wire_name() {
        for c in Category::ALL {
            assert_eq!(Category::parse("category", c.as_str()), Ok(*c));
        }
        assert_eq!(Category::ALL.len(), 12);
        assert!(Category::parse("category", "casino").is_err());
    }
}
