//! Matching a downloaded key file against the encounter log and cutting the matches into
//! exposure windows, as the framework does on the phone.
//!
//! The observed identifiers go into one set; [`match_keys`] derives each diagnosis key's 144
//! identifiers with one key schedule and looks them up, so nothing is allocated per derived
//! identifier. A match counts only if it was heard within one interval of the interval it
//! belongs to (clock tolerance); its metadata is decrypted with the key's AEMK to read the
//! sender's TX power, from which the attenuation follows. One key's sightings are then split
//! by UTC day into windows of at most 30 minutes.

use std::collections::HashSet;

use phongdich_exposure::crypto::{aem, aemk, en_interval_number, match_keys};
use phongdich_exposure::export::{DiagnosisKey, ReportType};
use phongdich_exposure::scoring::{
    CalibrationConfidence, ExposureWindow, Infectiousness, ScanInstance,
};
use phongdich_exposure::Tek;

use crate::calendar::utc_day;
use crate::state::Encounter;
use crate::DeviceConfig;

/// Longest exposure window, in seconds: the framework's 30 minutes.
pub(crate) const MAX_WINDOW_SECS: i64 = 30 * 60;
/// Intervals a sighting may be off from its identifier's interval (phones' clocks drift).
const CLOCK_TOLERANCE_INTERVALS: i64 = 1;

/// The windows one diagnosis key produced; empty for a revoked or non-infectious key, which
/// still replaces whatever windows the key produced before.
#[derive(Debug)]
pub(crate) struct KeyWindows {
    pub(crate) key: Tek,
    pub(crate) windows: Vec<ExposureWindow>,
}

/// The result of matching one key file.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    /// Keys of the file heard at least once at the right time.
    pub(crate) matched_keys: usize,
    /// Per matched key, in file order (a key repeated later in the file overrides itself).
    pub(crate) per_key: Vec<KeyWindows>,
}

/// A matched sighting with its attenuation worked out.
#[derive(Clone, Copy, Debug)]
struct Contact {
    at: i64,
    attenuation_db: u8,
    seconds: u32,
}

/// Matches `keys` against `encounters` and builds the exposure windows of every matched key.
pub(crate) fn match_export(
    keys: &[DiagnosisKey],
    encounters: &[Encounter],
    config: &DeviceConfig,
) -> Matches {
    if keys.is_empty() || encounters.is_empty() {
        return Matches::default();
    }
    let observed: HashSet<[u8; 16]> = encounters.iter().map(|e| e.rpi).collect();
    // Encounter positions sorted by identifier: one identifier may have been heard in several
    // scans of its interval, and a binary search finds them all without a map of vectors.
    let mut by_rpi: Vec<usize> = (0..encounters.len()).collect();
    by_rpi.sort_unstable_by_key(|&i| encounters[i].rpi);
    let tuples: Vec<(Tek, u32, u32)> = keys
        .iter()
        .map(|k| {
            (
                k.key_data,
                k.rolling_start_interval_number,
                k.rolling_period,
            )
        })
        .collect();
    let mut hits = match_keys(&tuples, &observed);
    // Stable: a key's hits stay in interval order.
    hits.sort_by_key(|&(index, _, _)| index);

    let mut matches = Matches::default();
    let mut contacts = Vec::new();
    for group in hits.chunk_by(|a, b| a.0 == b.0) {
        let key = &keys[group[0].0];
        let aem_key = aemk(&key.key_data);
        contacts.clear();
        for &(_, interval, rpi) in group {
            let first = by_rpi.partition_point(|&i| encounters[i].rpi < rpi);
            let heard = by_rpi[first..]
                .iter()
                .map(|&i| &encounters[i])
                .take_while(|e| e.rpi == rpi);
            for encounter in heard {
                let drift = i64::from(en_interval_number(encounter.at)) - i64::from(interval);
                if drift.abs() > CLOCK_TOLERANCE_INTERVALS {
                    continue;
                }
                let metadata = aem(&aem_key, &rpi, &encounter.aem);
                let tx_power = i8::from_le_bytes([metadata[1]]);
                contacts.push(Contact {
                    at: encounter.at,
                    attenuation_db: attenuation(tx_power, encounter.rssi_dbm),
                    seconds: encounter.seconds,
                });
            }
        }
        if contacts.is_empty() {
            continue;
        }
        matches.matched_keys += 1;
        contacts.sort_by_key(|c| c.at);
        let report_type = config.report_type(key.report_type);
        let infectiousness = config.infectiousness(key.days_since_onset_of_symptoms);
        let windows =
            if report_type == ReportType::Revoked || infectiousness == Infectiousness::None {
                Vec::new()
            } else {
                cut_windows(&contacts, report_type, infectiousness)
            };
        matches.per_key.push(KeyWindows {
            key: key.key_data,
            windows,
        });
    }
    matches
}

/// `tx_power − rssi` in dB, clamped to 0..=255: a reading above the sender's calibrated power
/// is noise, not a negative distance.
fn attenuation(tx_power_dbm: i8, rssi_dbm: i8) -> u8 {
    let db = (i16::from(tx_power_dbm) - i16::from(rssi_dbm)).clamp(0, 255);
    u8::try_from(db).unwrap_or(u8::MAX)
}

/// Splits one key's time-ordered contacts into windows: a new window starts on a new UTC day
/// or once 30 minutes have passed since the current window's first sighting.
fn cut_windows(
    contacts: &[Contact],
    report_type: ReportType,
    infectiousness: Infectiousness,
) -> Vec<ExposureWindow> {
    let mut windows = Vec::new();
    let mut current: Option<(i64, ExposureWindow)> = None;
    for contact in contacts {
        let day = u32::try_from(utc_day(contact.at)).unwrap_or_default();
        let scan = ScanInstance {
            typical_attenuation_db: contact.attenuation_db,
            min_attenuation_db: contact.attenuation_db,
            seconds_since_last_scan: contact.seconds,
        };
        match &mut current {
            Some((first_at, window))
                if window.day == day && contact.at - *first_at < MAX_WINDOW_SECS =>
            {
                window.scan_instances.push(scan);
            }
            _ => {
                let new = ExposureWindow {
                    day,
                    report_type,
                    infectiousness,
                    calibration_confidence: CalibrationConfidence::Medium,
                    scan_instances: vec![scan],
                };
                if let Some((_, done)) = current.replace((contact.at, new)) {
                    windows.push(done);
                }
            }
        }
    }
    windows.extend(current.map(|(_, window)| window));
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(at: i64, attenuation_db: u8) -> Contact {
        Contact {
            at,
            attenuation_db,
            seconds: 60,
        }
    }

    #[test]
    fn attenuation_is_clamped() {
        assert_eq!(attenuation(0, -55), 55);
        assert_eq!(attenuation(-20, -75), 55);
        assert_eq!(attenuation(-10, 5), 0);
        assert_eq!(attenuation(127, -127), 254);
        assert_eq!(attenuation(127, -128), 255);
    }

    #[test]
    fn windows_last_at_most_thirty_minutes() {
        // 70 scans a minute apart: 30 + 30 + 10.
        let day0 = 20_000 * 86_400;
        let contacts: Vec<_> = (0..70)
            .map(|m| contact(day0 + 3_600 + m * 60, 40))
            .collect();
        let windows = cut_windows(&contacts, ReportType::ConfirmedTest, Infectiousness::High);
        let lengths: Vec<_> = windows.iter().map(|w| w.scan_instances.len()).collect();
        assert_eq!(lengths, [30, 30, 10]);
        assert!(windows.iter().all(|w| w.day == 20_000));
        assert_eq!(windows[0].scan_instances[0].typical_attenuation_db, 40);
        assert_eq!(windows[0].scan_instances[0].min_attenuation_db, 40);
        assert_eq!(
            windows[0].calibration_confidence,
            CalibrationConfidence::Medium
        );
    }

    #[test]
    fn windows_split_at_utc_midnight() {
        let midnight = 20_001 * 86_400;
        let contacts = [
            contact(midnight - 120, 50),
            contact(midnight - 60, 50),
            contact(midnight, 50),
        ];
        let windows = cut_windows(&contacts, ReportType::Recursive, Infectiousness::Standard);
        assert_eq!(windows.len(), 2);
        assert_eq!(
            (windows[0].day, windows[0].scan_instances.len()),
            (20_000, 2)
        );
        assert_eq!(
            (windows[1].day, windows[1].scan_instances.len()),
            (20_001, 1)
        );
        assert!(windows
            .iter()
            .all(|w| w.report_type == ReportType::Recursive));
    }

    #[test]
    fn gaps_do_not_stretch_a_window() {
        // Two sightings 31 minutes apart are two windows even with nothing in between.
        let start = 20_000 * 86_400 + 600;
        let contacts = [contact(start, 50), contact(start + 31 * 60, 50)];
        let windows = cut_windows(&contacts, ReportType::ConfirmedTest, Infectiousness::High);
        assert_eq!(windows.len(), 2);
    }
}
