//! Publishing diagnosis keys as signed GAEN export files: `DIR/en/exports/<time>-<n>.zip` and
//! `index.txt` listing them, served at `/en/exports/` (static files, so a CDN can carry them).
//!
//! A run claims every key whose embargo has passed for a new export row, writes and signs the
//! file, then marks the row published; `index.txt` lists published rows only. A crash between
//! claim and publish leaves an unpublished row whose file the next run writes again, so no key
//! is lost and no listed file is missing.

use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use phongdich_domain::proximity::report_type_from_name;
use phongdich_exposure::crypto::en_interval_number;
use phongdich_exposure::export::{build_export, DiagnosisKey, ExportBatch, SigningInfo};
use phongdich_store::{ExportFile, StoredKey};

use crate::files::write_atomically;
use crate::state::AppState;

/// The folder of export files under the data folder, and their URL prefix.
pub const EXPORTS_DIR: &str = "en/exports";
/// The index file's name.
pub const INDEX_FILE: &str = "index.txt";
/// Key id in the signature info: Apple looks keys up by the country's MCC (Vietnam: 452).
const VERIFICATION_KEY_ID: &str = "452";
const VERIFICATION_KEY_VERSION: &str = "v1";

/// What one export run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportRun {
    /// Files written (new and repaired).
    pub files: usize,
    /// Keys in the new file.
    pub keys: u64,
}

impl AppState {
    /// The folder export files are written to.
    pub fn exports_dir(&self) -> anyhow::Result<PathBuf> {
        let dir = self
            .inner
            .data_dir
            .as_ref()
            .context("key exports need a data folder")?
            .join(EXPORTS_DIR);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }

    /// Publishes every key that may be published now in a new export file and rewrites the
    /// index. Runs one at a time in this process.
    pub async fn publish_key_exports(&self) -> anyhow::Result<ExportRun> {
        let _one_at_a_time = self.inner.export_lock.lock().await;
        let dir = self.exports_dir()?;
        let store = self.store();
        let mut run = ExportRun::default();
        for export in store.unpublished_exports().await? {
            self.write_export(&dir, &export).await?;
            store.publish_export(export.id).await?;
            run.files += 1;
        }
        let now = self.now();
        let start = match store.last_export_end().await? {
            Some(ms) => Timestamp::from_millisecond(ms).unwrap_or(now),
            None => now - SignedDuration::from_hours(1),
        };
        let file = format!("{}-{:04x}.zip", now.as_second(), rand::random::<u16>());
        if let Some((id, keys)) = store.claim_export(&file, start, now).await? {
            let export = ExportFile {
                id,
                file: file.clone(),
                start_at: start.as_millisecond(),
                end_at: now.as_millisecond(),
                keys: i64::try_from(keys.len()).unwrap_or(i64::MAX),
                created_at: now.as_millisecond(),
            };
            self.write_file(&dir, &export, &keys)?;
            store.publish_export(id).await?;
            run.files += 1;
            run.keys = keys.len() as u64;
            tracing::info!(file, keys = keys.len(), "published a key export");
        }
        self.write_index(&dir).await?;
        Ok(run)
    }

    async fn write_export(&self, dir: &Path, export: &ExportFile) -> anyhow::Result<()> {
        let keys = self.store().export_keys(export.id).await?;
        self.write_file(dir, export, &keys)
    }

    fn write_file(
        &self,
        dir: &Path,
        export: &ExportFile,
        keys: &[StoredKey],
    ) -> anyhow::Result<()> {
        let mut keys = keys
            .iter()
            .map(to_diagnosis_key)
            .collect::<Result<Vec<_>, _>>()?;
        pad_with_random_keys(&mut keys, self.inner.config.exposure_export_min_keys);
        let batch = ExportBatch {
            start_timestamp: u64::try_from(export.start_at / 1000).unwrap_or(0),
            end_timestamp: u64::try_from(export.end_at / 1000).unwrap_or(0),
            region: self.inner.config.exposure_region.clone(),
            batch_num: 1,
            batch_size: 1,
        };
        let info = SigningInfo {
            verification_key_id: VERIFICATION_KEY_ID.into(),
            verification_key_version: VERIFICATION_KEY_VERSION.into(),
        };
        let signer = self.export_signer()?;
        let zip = build_export(&batch, &keys, signer.signing_key(), &info)
            .context("building a key export")?;
        write_atomically(&dir.join(&export.file), &zip)
    }

    async fn write_index(&self, dir: &Path) -> anyhow::Result<()> {
        let mut index = String::new();
        for export in self.store().published_exports().await? {
            index.push_str(&export.file);
            index.push('\n');
        }
        write_atomically(&dir.join(INDEX_FILE), index.as_bytes())
    }

    /// Deletes keys, codes and export files past the profile's retention period, then rewrites
    /// the index. Returns the rows and files deleted.
    pub async fn purge_exposure_data(&self) -> anyhow::Result<(u64, usize)> {
        let days = self.profile().exposure.retention_days;
        let cutoff = self.now() - SignedDuration::from_hours(24 * days);
        let key_cutoff = en_interval_number(cutoff.as_second());
        let (files, rows) = self.store().purge_exposure_data(key_cutoff, cutoff).await?;
        let dir = self.exports_dir()?;
        for file in &files {
            match std::fs::remove_file(dir.join(file)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("deleting export {file}")),
            }
        }
        self.write_index(&dir).await?;
        tracing::info!(
            rows,
            files = files.len(),
            retention_days = days,
            "retention: purged exposure keys"
        );
        Ok((rows, files.len()))
    }
}

fn to_diagnosis_key(k: &StoredKey) -> anyhow::Result<DiagnosisKey> {
    let key_data = hex::decode(&k.key_hex)
        .ok()
        .and_then(|b| b.try_into().ok())
        .with_context(|| format!("stored key {} is not 16 bytes of hex", k.key_hex))?;
    Ok(DiagnosisKey {
        key_data,
        rolling_start_interval_number: u32::try_from(k.rolling_start)?,
        rolling_period: u32::try_from(k.rolling_period)?,
        transmission_risk_level: i32::try_from(k.transmission_risk)?,
        report_type: Some(report_type_from_name(&k.report_type)),
        days_since_onset_of_symptoms: k.days_since_onset.map(i32::try_from).transpose()?,
    })
}

/// Adds random keys, each copying the validity and metadata of a real key, until there are at
/// least `min` plus a random 0..=100 (as the GAEN reference server does). Random keys match no
/// phone; they only hide how many real keys there are.
fn pad_with_random_keys(keys: &mut Vec<DiagnosisKey>, min: usize) {
    use rand::{Rng, RngCore};
    if keys.is_empty() || keys.len() >= min {
        return;
    }
    let mut rng = rand::rngs::OsRng;
    let target = min + rng.gen_range(0..=100);
    let real = keys.len();
    while keys.len() < target {
        let mut fake = keys[rng.gen_range(0..real)].clone();
        rng.fill_bytes(&mut fake.key_data);
        keys.push(fake);
    }
}

/// Whether `name` may be served from the exports folder (no paths, only our own names).
pub(crate) fn servable_name(name: &str) -> bool {
    name == INDEX_FILE
        || (name.ends_with(".zip")
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'))
}
