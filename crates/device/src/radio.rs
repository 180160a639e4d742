//! The Bluetooth side, abstracted: a [`Radio`] broadcasts this phone's payload for one scan and
//! returns what it heard. Native apps implement it over the platform's BLE stack; the simulator
//! and tests script contacts with [`meet`].

use crate::{Device, DeviceError};

/// Most minutes one scripted contact may last: a whole day.
pub const MAX_MEETING_MINUTES: u32 = 24 * 60;
/// Highest attenuation a scripted contact may have, in dB.
pub const MAX_MEETING_ATTENUATION_DB: u8 = 120;

/// One advertisement heard during a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting {
    /// The 20 bytes of 0xFD6F service data: RPI then AEM.
    pub payload: [u8; 20],
    /// Received signal strength, dBm.
    pub rssi_dbm: i8,
}

/// The phone's Bluetooth radio.
pub trait Radio {
    /// Broadcasts `own` for one scan and returns the sightings heard meanwhile.
    fn scan(&mut self, own: [u8; 20], now: i64) -> Vec<Sighting>;
}

/// Scripted contact for tests and the CLI: `a` and `b` are near each other from `start` for
/// `minutes` at `attenuation_db`.
///
/// There is one scan per minute (60 seconds since the last scan) in which each phone records
/// the other's current advertisement with `rssi = other's tx power − attenuation_db`. Refuses
/// an attenuation above 120 dB, 0 or more than 1440 minutes, or an RSSI that would fall outside
/// −127..=20 dBm, with [`DeviceError::Invalid`] before recording anything.
pub fn meet(
    a: &mut Device,
    b: &mut Device,
    start: i64,
    minutes: u32,
    attenuation_db: u8,
) -> Result<(), DeviceError> {
    if attenuation_db > MAX_MEETING_ATTENUATION_DB {
        return Err(DeviceError::Invalid(format!(
            "attenuation must be 0..={MAX_MEETING_ATTENUATION_DB} dB, not {attenuation_db}"
        )));
    }
    if !(1..=MAX_MEETING_MINUTES).contains(&minutes) {
        return Err(DeviceError::Invalid(format!(
            "a meeting lasts 1..={MAX_MEETING_MINUTES} minutes, not {minutes}"
        )));
    }
    if start < 0 {
        return Err(DeviceError::Invalid(
            "a meeting cannot start before 1970".to_owned(),
        ));
    }
    let rssi_of = |sender: &Device| -> Result<i8, DeviceError> {
        let rssi = i16::from(sender.config().tx_power_dbm) - i16::from(attenuation_db);
        i8::try_from(rssi)
            .ok()
            .filter(|r| crate::device::RSSI_RANGE.contains(r))
            .ok_or_else(|| {
                DeviceError::Invalid(format!(
                    "a TX power of {} dBm less {attenuation_db} dB is no RSSI a phone reports",
                    sender.config().tx_power_dbm
                ))
            })
    };
    let a_hears_b = rssi_of(b)?;
    let b_hears_a = rssi_of(a)?;
    for minute in 0..minutes {
        let now = start + i64::from(minute) * 60;
        let from_a = a.advertisement(now);
        let from_b = b.advertisement(now);
        a.record_sighting(now, &from_b, a_hears_b, 60)?;
        b.record_sighting(now, &from_a, b_hears_a, 60)?;
    }
    Ok(())
}
