//! The GAEN-compatible exposure notification protocol, as pure functions.
//!
//! - [`crypto`]: the key schedule of the Exposure Notification Cryptography Specification v1.2
//!   (TEK → RPIK/AEMK → rolling proximity identifiers and encrypted metadata) and fast matching
//!   of diagnosis keys against observed identifiers.
//! - [`export`]: the signed key export file (`export.zip` = `export.bin` + `export.sig`) that
//!   Apple's and Google's frameworks read.
//! - [`scoring`]: Exposure Notification v2 risk scoring of exposure windows into daily summaries.
//!
//! No I/O, no clock: times come in as Unix seconds or interval numbers.

pub mod crypto;
pub mod export;
pub mod scoring;

pub use crypto::{Tek, INTERVAL_SECS, KEY_ROLLING_PERIOD};
