//! The outbreak simulator: an agent-based digital twin of one province that runs the rules of
//! the real system (SPEC §8).
//!
//! A [`Population`] is built from the province's communes in the shipped unit list: households,
//! classes, workplaces, venues of the domain's categories and bus routes, ages, smartphones.
//! Each day ([`Simulation::step`]) people meet in every setting; infectious people infect
//! others along those contacts with a Weibull generation time ([`disease`]); phones of app
//! users hear each other through a radio model ([`ble`]) scored by the device SDK's EN v2 rules;
//! visits are checked in by QR. Testing, confirmation, key upload, venue exposure marking,
//! interviews in the tracers' limited queue, F1/F2 quarantine and their delays follow
//! ([`tracing`]), and [`metrics`] compares what tracing found with the true contacts.
//! [`well_mixed`] is the check against the SIR final-size relation; [`sweep`] runs adoption
//! levels against the no-app baseline; [`charts`] draws the curves. The app's part can also be
//! handed to real phones talking to a real server ([`Simulation::set_external_phones`]).
//!
//! Pure: no clock, network or async runtime; every random choice comes from a seeded ChaCha
//! stream, and parallel work is split into fixed chunks with their own streams, so a seed gives
//! the same output on any number of threads.

pub mod ble;
pub mod charts;
mod contacts;
pub mod disease;
mod engine;
pub mod metrics;
pub mod params;
pub mod population;
mod rng;
pub mod sweep;
pub mod tracing;
mod visits;
pub mod well_mixed;

pub use contacts::RadioContact;
pub use engine::Simulation;
pub use metrics::{DailyRow, RunSummary, SourceStats};
pub use params::{Params, Setting};
pub use population::{Population, Province};
pub use tracing::UploadRequest;

/// Why the simulator refused to run.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Parameters out of range; every problem is listed.
    #[error("invalid parameters: {}", .0.join("; "))]
    Invalid(Vec<String>),
    /// The province is not in the unit list, or has no communes.
    #[error("{0}")]
    Province(String),
    /// A chart could not be drawn.
    #[error("chart: {0}")]
    Chart(String),
    /// The device SDK refused an operation (a bug in the simulator's use of it).
    #[error("device SDK: {0}")]
    Device(#[from] phongdich_device::DeviceError),
}
