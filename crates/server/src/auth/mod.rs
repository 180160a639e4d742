//! Who is calling and what they may do: session tokens, password hashing, and the extractors
//! that are the single place where sessions, roles and jurisdictions are checked.

pub(crate) mod codes;
mod extract;
pub mod passwords;
mod permit;
pub mod staff_accounts;
pub mod tokens;

pub use extract::{AnySession, Caller, CitizenUser, StaffUser};
pub use passwords::random_password;
pub use permit::{can, May, Permission};
pub use staff_accounts::{create_staff, create_staff_forced_change, StaffForm};
