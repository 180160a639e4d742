//! What can go wrong on the phone, split by whose fault it is: the caller's input
//! ([`DeviceError::Invalid`], [`DeviceError::Config`], [`DeviceError::NoConsent`]), a downloaded
//! file ([`DeviceError::Export`]), or the phone's own storage ([`DeviceError::Io`],
//! [`DeviceError::Corrupt`]).

use phongdich_exposure::export::ExportError;

/// Why a device operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// Reading or writing the state folder failed.
    #[error("device storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The state file exists but cannot be read back.
    #[error("the device state file is corrupt: {0}")]
    Corrupt(String),
    /// An argument is out of its range; nothing was recorded.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The user has not given the consent this operation needs.
    #[error("the user has not consented to {0}")]
    NoConsent(&'static str),
    /// A downloaded key file failed verification or decoding; nothing was changed.
    #[error("the key file was rejected: {0}")]
    Export(#[from] ExportError),
    /// A configuration is unusable.
    #[error("invalid device configuration: {0}")]
    Config(String),
}
