//! The phone: its daily keys and advertisement, the encounter log it fills while scanning, the
//! key files it ingests, and the alert they add up to.
//!
//! Every operation that takes `now` first calls [`Device::rotate`], so keys roll and old data
//! is deleted however irregularly the app is woken. Nothing is written until [`Device::save`].

use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use p256::ecdsa::VerifyingKey;
use phongdich_exposure::crypto::{aem, aemk, ble_payload, en_interval_number, metadata, rpi, rpik};
use phongdich_exposure::export::{read_export, DiagnosisKey};
use phongdich_exposure::{Tek, KEY_ROLLING_PERIOD};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::alert::{current_alert, is_new};
use crate::calendar::{day_of_interval, day_start_interval, utc_day};
use crate::matching::match_export;
use crate::state::{self, Encounter, OwnKey, State};
use crate::{Consent, DeviceConfig, DeviceError, ExposureStatus, Radio};

/// RSSI values a phone can report, in dBm.
pub(crate) const RSSI_RANGE: RangeInclusive<i8> = -127..=20;
/// Seconds one scan may stand for: the framework caps the time since the last scan at 5 min.
pub(crate) const SCAN_SECONDS_RANGE: RangeInclusive<u32> = 1..=300;

/// What ingesting one key file did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOutcome {
    /// Keys in the file (new and revised).
    pub keys: usize,
    /// Keys of the file this phone heard at the right time.
    pub matched_keys: usize,
    /// Whether the alert changed: a new day, a new level or a higher score.
    pub new_alert: bool,
}

/// One phone's Exposure Notification state, persisted in a folder.
#[derive(Debug)]
pub struct Device {
    dir: PathBuf,
    state: State,
}

impl Device {
    /// Opens the phone whose state lives in `dir` (file `dir/device.json`), creating an empty
    /// one if absent (the folder is created; the file is first written by [`Device::save`]).
    pub fn open(dir: &Path) -> Result<Device, DeviceError> {
        std::fs::create_dir_all(dir)?;
        let state = state::load(dir)?.unwrap_or_default();
        Ok(Device {
            dir: dir.to_owned(),
            state,
        })
    }

    /// Writes the state atomically (write `device.json.tmp`, fsync, rename), so a crash never
    /// leaves a half-written file.
    pub fn save(&self) -> Result<(), DeviceError> {
        state::save(&self.dir, &self.state)
    }

    /// The folder the state lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The configuration in force.
    pub fn config(&self) -> &DeviceConfig {
        &self.state.config
    }

    /// Replaces the configuration after validating it ([`DeviceConfig::validate`]); the alert
    /// is rescored with it. A shorter retention applies at the next [`Device::rotate`].
    pub fn set_config(&mut self, config: DeviceConfig) -> Result<(), DeviceError> {
        config.validate()?;
        self.state.config = config;
        Ok(())
    }

    /// Makes sure a TEK exists for the UTC day of `now` (16 random bytes from the OS; rolling
    /// start = first interval of that day, period 144) and drops own keys, encounters and
    /// exposure windows older than `retention_days` before that day.
    pub fn rotate(&mut self, now: i64) {
        self.key_for(now);
        let oldest = utc_day(now) - i64::from(self.state.config.retention_days);
        let state = &mut self.state;
        state
            .keys
            .retain(|k| day_of_interval(k.rolling_start) >= oldest);
        state.encounters.retain(|e| utc_day(e.at) >= oldest);
        state.windows.retain(|w| i64::from(w.window.day) >= oldest);
    }

    /// The key of the UTC day of `now`, made if there is none yet.
    fn key_for(&mut self, now: i64) -> Tek {
        let start = day_start_interval(now);
        if let Some(key) = self.state.keys.iter().find(|k| k.rolling_start == start) {
            return key.tek;
        }
        let mut tek = [0u8; 16];
        OsRng.fill_bytes(&mut tek);
        self.state.keys.push(OwnKey {
            tek,
            rolling_start: start,
        });
        self.state.keys.sort_by_key(|k| k.rolling_start);
        tek
    }

    /// The 20-byte BLE service data to broadcast at `now`: the RPI of the current interval and
    /// the AEM of metadata version 1.0 with this phone's TX power.
    pub fn advertisement(&mut self, now: i64) -> [u8; 20] {
        self.rotate(now);
        let tek = self.key_for(now);
        let id = rpi(&rpik(&tek), en_interval_number(now));
        let meta = metadata(1, 0, self.state.config.tx_power_dbm);
        ble_payload(&id, &aem(&aemk(&tek), &id, &meta))
    }

    /// Records one sighting heard in a scan: the payload, the RSSI in dBm, and the seconds this
    /// scan stands for (since the previous scan, 1..=300 as the framework caps it).
    ///
    /// An RSSI outside −127..=20 dBm, a duration outside 1..=300 s or a time before 1970 is
    /// refused with [`DeviceError::Invalid`] and nothing is recorded.
    pub fn record_sighting(
        &mut self,
        now: i64,
        payload: &[u8; 20],
        rssi_dbm: i8,
        seconds_since_last_scan: u32,
    ) -> Result<(), DeviceError> {
        check_scan(now, seconds_since_last_scan)?;
        check_rssi(rssi_dbm)?;
        self.rotate(now);
        self.push_encounter(now, payload, rssi_dbm, seconds_since_last_scan);
        Ok(())
    }

    fn push_encounter(&mut self, at: i64, payload: &[u8; 20], rssi_dbm: i8, seconds: u32) {
        let (rpi, aem) = payload.split_at(16);
        let mut encounter = Encounter {
            at,
            rpi: [0; 16],
            aem: [0; 4],
            rssi_dbm,
            seconds,
        };
        encounter.rpi.copy_from_slice(rpi);
        encounter.aem.copy_from_slice(aem);
        self.state.encounters.push(encounter);
    }

    /// One scan through the radio: broadcasts this phone's advertisement and records what it
    /// heard, returning how many sightings were recorded. If any sighting is out of range,
    /// none is recorded.
    pub fn scan(
        &mut self,
        radio: &mut dyn Radio,
        now: i64,
        seconds_since_last_scan: u32,
    ) -> Result<usize, DeviceError> {
        check_scan(now, seconds_since_last_scan)?;
        let own = self.advertisement(now);
        let heard = radio.scan(own, now);
        for sighting in &heard {
            check_rssi(sighting.rssi_dbm)?;
        }
        for sighting in &heard {
            self.push_encounter(
                now,
                &sighting.payload,
                sighting.rssi_dbm,
                seconds_since_last_scan,
            );
        }
        Ok(heard.len())
    }

    /// The user's consent choices.
    pub fn consent(&self) -> Consent {
        self.state.consent
    }

    /// Records the user's consent choices.
    pub fn set_consent(&mut self, consent: Consent) {
        self.state.consent = consent;
    }

    /// The keys to upload after a positive test (or as an F1 who reports): every own key kept,
    /// the last `retention_days` days and today's (the server embargoes that one until the day
    /// is over), as diagnosis keys with rolling period 144, no report type, transmission risk 0
    /// and no days since onset; the server and the verification code decide those.
    ///
    /// Fails with [`DeviceError::NoConsent`] unless the user consented to sharing keys.
    pub fn keys_to_share(&mut self, now: i64) -> Result<Vec<DiagnosisKey>, DeviceError> {
        if !self.state.consent.share_keys {
            return Err(DeviceError::NoConsent("sharing this phone's exposure keys"));
        }
        self.rotate(now);
        let today = utc_day(now);
        Ok(self
            .state
            .keys
            .iter()
            // A key of a later day exists only if the clock went back; it is not shared yet.
            .filter(|k| day_of_interval(k.rolling_start) <= today)
            .map(|k| DiagnosisKey {
                key_data: k.tek,
                rolling_start_interval_number: k.rolling_start,
                rolling_period: KEY_ROLLING_PERIOD,
                transmission_risk_level: 0,
                report_type: None,
                days_since_onset_of_symptoms: None,
            })
            .collect())
    }

    /// Names from an export index (`index.txt`: one relative path per line, e.g.
    /// `exports/1764400000-00001.zip`) that this phone has not ingested yet, in order; blank
    /// lines and repeats are skipped.
    pub fn pending_exports(&self, index_txt: &str) -> Vec<String> {
        let mut seen = HashSet::new();
        index_txt
            .lines()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .filter(|name| !self.state.processed_exports.contains(*name))
            .filter(|name| seen.insert(*name))
            .map(str::to_owned)
            .collect()
    }

    /// Verifies a downloaded key file against the health authority's public key, matches its
    /// keys against the encounter log, builds and scores exposure windows, and updates the
    /// alert. Remembers `name` as ingested, also when nothing matched.
    ///
    /// A key that appears again (in a later file, or revised with a new report type) replaces
    /// the windows it produced before, so repeats never count twice and a revoked key no longer
    /// counts at all. A file that fails verification gives [`DeviceError::Export`] and changes
    /// nothing.
    pub fn ingest_export(
        &mut self,
        name: &str,
        zip: &[u8],
        verifier: &VerifyingKey,
        now: i64,
    ) -> Result<IngestOutcome, DeviceError> {
        if name.trim().is_empty() {
            return Err(DeviceError::Invalid("a key file needs a name".to_owned()));
        }
        let (_batch, keys) = read_export(zip, verifier)?;
        self.rotate(now);
        let before = self.alert();
        let matches = match_export(&keys, &self.state.encounters, &self.state.config);
        for found in matches.per_key {
            self.state.windows.retain(|w| w.key != found.key);
            self.state
                .windows
                .extend(found.windows.into_iter().map(|window| state::StoredWindow {
                    key: found.key,
                    window,
                }));
        }
        self.state.processed_exports.insert(name.trim().to_owned());
        let after = self.alert();
        Ok(IngestOutcome {
            keys: keys.len(),
            matched_keys: matches.matched_keys,
            new_alert: is_new(before.as_ref(), after.as_ref()),
        })
    }

    fn alert(&self) -> Option<crate::Alert> {
        current_alert(&self.state.windows, &self.state.config.scoring)
    }

    /// The current exposure status: the alert, if any, and what the phone holds.
    pub fn status(&self) -> ExposureStatus {
        ExposureStatus {
            alert: self.alert(),
            own_keys: self.state.keys.len(),
            encounters: self.state.encounters.len(),
            exports_processed: self.state.processed_exports.len(),
        }
    }
}

fn check_scan(now: i64, seconds_since_last_scan: u32) -> Result<(), DeviceError> {
    if now < 0 {
        return Err(DeviceError::Invalid(
            "a sighting cannot be before 1970".to_owned(),
        ));
    }
    if !SCAN_SECONDS_RANGE.contains(&seconds_since_last_scan) {
        return Err(DeviceError::Invalid(format!(
            "seconds since the last scan must be 1..=300, not {seconds_since_last_scan}"
        )));
    }
    Ok(())
}

fn check_rssi(rssi_dbm: i8) -> Result<(), DeviceError> {
    if RSSI_RANGE.contains(&rssi_dbm) {
        Ok(())
    } else {
        Err(DeviceError::Invalid(format!(
            "RSSI must be -127..=20 dBm, not {rssi_dbm}"
        )))
    }
}
