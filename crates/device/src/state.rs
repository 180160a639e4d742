//! What the phone keeps between runs, and how it is written: one JSON file, `device.json`,
//! replaced atomically (write a temporary file, fsync it, rename it over the old one, fsync the
//! folder), so a crash leaves either the old state or the new one, never half of either.
//!
//! The encounter log is the bulk of the file (a phone may hold ~10 000 sightings), so each
//! sighting is one short JSON array: `[unix secs, "rpi‖aem as hex", rssi, seconds]`.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use phongdich_exposure::scoring::ExposureWindow;
use phongdich_exposure::Tek;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{DeviceConfig, DeviceError};

/// Name of the state file inside the device folder.
pub(crate) const STATE_FILE: &str = "device.json";
const TEMP_FILE: &str = "device.json.tmp";
/// Version of the file layout; bumped when it changes incompatibly.
const FORMAT: u32 = 1;

/// The user's consent choices; both off until the user turns them on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Consent {
    /// May this phone's keys be uploaded after a positive test (or when reporting as an F1)?
    pub share_keys: bool,
    /// May the user report themselves as an F1 after an exposure alert?
    pub report_f1: bool,
}

/// Everything in `device.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct State {
    pub(crate) format: u32,
    pub(crate) config: DeviceConfig,
    pub(crate) consent: Consent,
    /// Own daily keys, oldest first.
    pub(crate) keys: Vec<OwnKey>,
    /// Sightings heard, in the order recorded.
    pub(crate) encounters: Vec<Encounter>,
    /// Exposure windows built from every key file ingested so far.
    pub(crate) windows: Vec<StoredWindow>,
    /// Names of the key files already ingested.
    pub(crate) processed_exports: BTreeSet<String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            format: FORMAT,
            config: DeviceConfig::default(),
            consent: Consent::default(),
            keys: Vec::new(),
            encounters: Vec::new(),
            windows: Vec::new(),
            processed_exports: BTreeSet::new(),
        }
    }
}

/// One of this phone's Temporary Exposure Keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OwnKey {
    #[serde(with = "hex16")]
    pub(crate) tek: Tek,
    /// First interval of the key's UTC day.
    pub(crate) rolling_start: u32,
}

/// One sighting of another phone's advertisement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Encounter {
    /// When it was heard, Unix seconds.
    pub(crate) at: i64,
    pub(crate) rpi: [u8; 16],
    pub(crate) aem: [u8; 4],
    pub(crate) rssi_dbm: i8,
    /// Seconds of contact this sighting stands for.
    pub(crate) seconds: u32,
}

impl Serialize for Encounter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut payload = [0u8; 20];
        payload[..16].copy_from_slice(&self.rpi);
        payload[16..].copy_from_slice(&self.aem);
        (self.at, hex::encode(payload), self.rssi_dbm, self.seconds).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Encounter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (at, payload, rssi_dbm, seconds) = <(i64, String, i8, u32)>::deserialize(d)?;
        let mut bytes = [0u8; 20];
        hex::decode_to_slice(&payload, &mut bytes).map_err(D::Error::custom)?;
        let (rpi, aem) = bytes.split_at(16);
        Ok(Self {
            at,
            rpi: rpi.try_into().map_err(D::Error::custom)?,
            aem: aem.try_into().map_err(D::Error::custom)?,
            rssi_dbm,
            seconds,
        })
    }
}

/// An exposure window and the diagnosis key it was built from, so a later file that revises
/// or repeats the key replaces its windows instead of adding to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredWindow {
    #[serde(with = "hex16")]
    pub(crate) key: Tek,
    #[serde(flatten)]
    pub(crate) window: ExposureWindow,
}

/// 16-byte values as hex strings.
mod hex16 {
    use super::*;

    pub(super) fn serialize<S: Serializer>(bytes: &[u8; 16], s: S) -> Result<S::Ok, S::Error> {
        hex::encode(bytes).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 16], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 16];
        hex::decode_to_slice(&text, &mut out).map_err(D::Error::custom)?;
        Ok(out)
    }
}

/// Reads `dir/device.json`; `None` if there is none yet.
pub(crate) fn load(dir: &Path) -> Result<Option<State>, DeviceError> {
    let text = match fs::read(dir.join(STATE_FILE)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let state: State =
        serde_json::from_slice(&text).map_err(|e| DeviceError::Corrupt(e.to_string()))?;
    if state.format != FORMAT {
        return Err(DeviceError::Corrupt(format!(
            "unknown format version {} (this build reads {FORMAT})",
            state.format
        )));
    }
    state
        .config
        .validate()
        .map_err(|e| DeviceError::Corrupt(e.to_string()))?;
    Ok(Some(state))
}

/// Replaces `dir/device.json` atomically with `state`.
pub(crate) fn save(dir: &Path, state: &State) -> Result<(), DeviceError> {
    let json = serde_json::to_vec(state).map_err(|e| std::io::Error::other(e.to_string()))?;
    let temp = dir.join(TEMP_FILE);
    let mut file = File::create(&temp)?;
    file.write_all(&json)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, dir.join(STATE_FILE))?;
    // The rename is durable only once the folder's entry is on disk. Folders cannot be opened
    // for syncing on every platform (not on Windows), so a failure here is not an error: the
    // file itself is complete either way.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encounters_are_compact_arrays() {
        let encounter = Encounter {
            at: 1_764_400_000,
            rpi: [0xab; 16],
            aem: [1, 2, 3, 4],
            rssi_dbm: -60,
            seconds: 60,
        };
        let json = serde_json::to_string(&encounter).unwrap();
        assert_eq!(
            json,
            format!("[1764400000,\"{}01020304\",-60,60]", "ab".repeat(16))
        );
        let back: Encounter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, encounter);
        assert!(serde_json::from_str::<Encounter>("[1,\"abcd\",-60,60]").is_err());
    }

    #[test]
    fn save_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        let mut state = State::default();
        save(dir.path(), &state).unwrap();
        state
            .processed_exports
            .insert("exports/1-00001.zip".to_owned());
        save(dir.path(), &state).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(state));
        assert!(!dir.path().join(TEMP_FILE).exists());
    }

    #[test]
    fn unknown_format_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let mut json = serde_json::to_value(State::default()).unwrap();
        json["format"] = 2.into();
        fs::write(dir.path().join(STATE_FILE), json.to_string()).unwrap();
        assert!(matches!(load(dir.path()), Err(DeviceError::Corrupt(_))));
    }
}
