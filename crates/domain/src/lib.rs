//! The rules of Phòng Dịch, free of I/O.
//!
//! Nothing in this crate reads a clock, a file, the network or a database: time is passed in as a
//! [`jiff::Timestamp`], data comes in as values. That keeps every rule testable on its own and
//! lets the server, the store and the simulator share one definition of each rule.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod cases;
pub mod declarations;
pub mod jurisdiction;
pub mod otp;
pub mod passwords;
pub mod phone;
pub mod policy;
pub mod profile;
pub mod proximity;
pub mod reference;
pub mod safety;
pub mod schema;
pub mod stored;
pub mod text;
pub mod time;
pub mod units;
pub mod validation;
pub mod venues;
pub mod zones;

pub use validation::{FieldError, Invalid, Message};
