//! The claims inside a pass, as a CBOR map with CWT keys.

use ciborium::value::{Integer, Value};

use crate::PassError;

/// Value of the CWT issuer claim.
pub const ISSUER: &str = "PD";
/// Private claim key: the pseudonymous person id (bytes).
pub const CLAIM_SUBJECT: i64 = -70_001;
/// Private claim key: the status colour (0 green, 1 yellow, 2 red).
pub const CLAIM_COLOUR: i64 = -70_002;

const CWT_ISSUER: i64 = 1;
const CWT_EXPIRY: i64 = 4;
const CWT_ISSUED_AT: i64 = 6;

/// Status colour of a person when the pass was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Colour {
    Green,
    Yellow,
    Red,
}

impl Colour {
    pub fn code(self) -> u8 {
        match self {
            Colour::Green => 0,
            Colour::Yellow => 1,
            Colour::Red => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        [Colour::Green, Colour::Yellow, Colour::Red]
            .into_iter()
            .find(|c| c.code() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Yellow => "yellow",
            Colour::Red => "red",
        }
    }
}

/// What a pass says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Pseudonymous person id: stable for one person, meaningless without the issuer's records.
    pub subject: Vec<u8>,
    pub colour: Colour,
    /// Unix seconds.
    pub issued_at: i64,
    /// Unix seconds; the pass is invalid from this moment.
    pub expires_at: i64,
}

/// Longest subject accepted: ids are 16 bytes; the bound keeps hostile passes small.
const MAX_SUBJECT: usize = 64;

impl Claims {
    pub(crate) fn to_cbor(&self) -> Vec<u8> {
        let map = Value::Map(vec![
            (Value::from(CWT_ISSUER), Value::from(ISSUER)),
            (Value::from(CWT_EXPIRY), Value::from(self.expires_at)),
            (Value::from(CWT_ISSUED_AT), Value::from(self.issued_at)),
            (
                Value::from(CLAIM_SUBJECT),
                Value::Bytes(self.subject.clone()),
            ),
            (Value::from(CLAIM_COLOUR), Value::from(self.colour.code())),
        ]);
        let mut out = Vec::with_capacity(64);
        // Serialising a map of integers, text and bytes into a Vec cannot fail.
        let _ = ciborium::into_writer(&map, &mut out);
        out
    }

    pub(crate) fn from_cbor(bytes: &[u8]) -> Result<Self, PassError> {
        let value: Value =
            ciborium::from_reader(bytes).map_err(|_| PassError::Claims("payload is not CBOR"))?;
        let Value::Map(entries) = value else {
            return Err(PassError::Claims("payload is not a map"));
        };
        let get = |key: i64| {
            entries.iter().find_map(|(k, v)| match k {
                Value::Integer(i) if *i == Integer::from(key) => Some(v),
                _ => None,
            })
        };
        let int = |key: i64, what: &'static str| -> Result<i64, PassError> {
            match get(key) {
                Some(Value::Integer(i)) => i64::try_from(*i).map_err(|_| PassError::Claims(what)),
                _ => Err(PassError::Claims(what)),
            }
        };
        match get(CWT_ISSUER) {
            Some(Value::Text(t)) if t == ISSUER => {}
            _ => return Err(PassError::Claims("wrong issuer")),
        }
        let subject = match get(CLAIM_SUBJECT) {
            Some(Value::Bytes(b)) if !b.is_empty() && b.len() <= MAX_SUBJECT => b.clone(),
            _ => return Err(PassError::Claims("missing person id")),
        };
        let colour = u8::try_from(int(CLAIM_COLOUR, "missing colour")?)
            .ok()
            .and_then(Colour::from_code)
            .ok_or(PassError::Claims("unknown colour"))?;
        let issued_at = int(CWT_ISSUED_AT, "missing issue time")?;
        let expires_at = int(CWT_EXPIRY, "missing expiry")?;
        if expires_at <= issued_at {
            return Err(PassError::Claims("expires before it is issued"));
        }
        Ok(Claims {
            subject,
            colour,
            issued_at,
            expires_at,
        })
    }
}
