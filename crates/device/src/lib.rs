//! The on-phone Exposure Notification SDK: what a native Android or iOS app embeds.
//!
//! A [`Device`] makes a random key per UTC day and broadcasts the 20-byte BLE payload of the
//! current 10-minute interval ([`Device::advertisement`]); it logs the payloads it hears
//! ([`Device::record_sighting`], [`Device::scan`] through a [`Radio`]). After a positive test,
//! the user may share their keys ([`Device::keys_to_share`]). Every phone downloads the health
//! authority's signed key files, checks them, and matches them against its log
//! ([`Device::ingest_export`]): matches become exposure windows, scored by the EN v2 rules,
//! and the latest day over the threshold is the [`Alert`], F1 or F2.
//!
//! The protocol itself is [`phongdich_exposure`]; this crate adds the phone's state, persisted
//! in one JSON file. No network, no system clock (time comes in as Unix seconds), no async
//! runtime: the app supplies those.

mod alert;
mod calendar;
mod config;
mod device;
mod error;
mod matching;
mod radio;
mod state;

pub use alert::{Alert, ContactLevel, ExposureStatus};
pub use config::{DeviceConfig, MAX_RETENTION_DAYS, ONSET_DAYS, ONSET_MAP_LEN};
pub use device::{Device, IngestOutcome};
pub use error::DeviceError;
pub use radio::{meet, Radio, Sighting, MAX_MEETING_ATTENUATION_DB, MAX_MEETING_MINUTES};
pub use state::Consent;
