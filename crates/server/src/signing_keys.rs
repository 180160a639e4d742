//! Rings of Ed25519 signing keys, one per purpose: health passes and venue links with the
//! risky-venue feed. The newest key signs; a rotated-out key keeps verifying what it signed until
//! all of that has expired. The rings live in the database (`shared_keys`); this module also
//! reads (and, for tests, writes) the folder layout of older versions, `DIR/keys/<purpose>/`
//! with one file `<created>-<kid>.json` per key, which `shared_keys` imports.

use std::path::{Path, PathBuf};

use anyhow::Context;
use phongdich_health_pass::{KeyRing, Signer, TrustedKey};
use serde::{Deserialize, Serialize};

use crate::secrets::{random_key, write_private};

/// The folder of the health-pass keys.
pub const HEALTH_PASS: &str = "health-pass";
/// The folder of the venue keys. Posters are printed and stay on walls for months, so these
/// keys are never dropped from the ring.
pub const VENUES: &str = "venues";

#[derive(Debug, Serialize, Deserialize)]
struct KeyFile {
    secret: String,
    created_at: i64,
    retired_at: Option<i64>,
}

/// The signer and the ring of keys that verify.
#[derive(Debug)]
pub struct SigningKeys {
    signer: Signer,
    ring: KeyRing,
}

impl SigningKeys {
    /// Loads the keys, creating the first one if the folder is empty. Keys retired longer ago
    /// than `max_pass_secs` are left out of the ring: no pass they signed can still be valid.
    pub fn load_or_create(data_dir: &Path, now: i64, max_pass_secs: i64) -> anyhow::Result<Self> {
        Self::load_or_create_in(data_dir, HEALTH_PASS, now, max_pass_secs)
    }

    /// As [`Self::load_or_create`], for the keys of `purpose` (a folder under `DIR/keys/`).
    pub fn load_or_create_in(
        data_dir: &Path,
        purpose: &str,
        now: i64,
        max_pass_secs: i64,
    ) -> anyhow::Result<Self> {
        let dir = data_dir.join("keys").join(purpose);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut keys = read_all(&dir)?;
        if !keys.iter().any(|(_, k)| k.retired_at.is_none()) {
            let file = KeyFile {
                secret: hex::encode(random_key()),
                created_at: now,
                retired_at: None,
            };
            save_new(&dir, &file)?;
            keys = read_all(&dir)?;
        }
        Self::from_files(keys, now, max_pass_secs)
    }

    /// A single random key held in memory only (tests).
    pub fn ephemeral() -> Self {
        let signer = Signer::from_secret(random_key());
        let ring = KeyRing::new(vec![TrustedKey {
            kid: signer.kid(),
            key: signer.verifying_key(),
            retired_at: None,
        }]);
        Self { signer, ring }
    }

    /// The keys of a ring shared through the database: its generations, oldest first, each
    /// retired when the next was made; the newest signs. Generations retired longer ago than
    /// `max_pass_secs` are left out (nothing they signed can still be valid).
    pub fn from_generations(
        generations: &[([u8; 32], i64)],
        now: i64,
        max_pass_secs: i64,
    ) -> anyhow::Result<Self> {
        let keys = generations
            .iter()
            .enumerate()
            .map(|(i, (secret, created_at))| {
                let file = KeyFile {
                    secret: hex::encode(secret),
                    created_at: *created_at,
                    retired_at: generations.get(i + 1).map(|(_, next)| *next),
                };
                (PathBuf::from(format!("generation {}", i + 1)), file)
            })
            .collect();
        Self::from_files(keys, now, max_pass_secs)
    }

    /// The keys an older version kept in `DIR/keys/<purpose>/`, oldest first (to import them).
    pub fn folder_generations(
        data_dir: &Path,
        purpose: &str,
    ) -> anyhow::Result<Vec<([u8; 32], i64)>> {
        let dir = data_dir.join("keys").join(purpose);
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut keys = Vec::new();
        for (path, file) in read_all(&dir)? {
            let secret: [u8; 32] = hex::decode(&file.secret)
                .ok()
                .and_then(|b| b.try_into().ok())
                .with_context(|| format!("{} does not hold a 32-byte key", path.display()))?;
            // A retired key sorts before the one that replaced it.
            keys.push((file.retired_at.is_none(), file.created_at, secret));
        }
        keys.sort_by_key(|(active, created, _)| (*active, *created));
        Ok(keys
            .into_iter()
            .map(|(_, created, secret)| (secret, created))
            .collect())
    }

    fn from_files(
        keys: Vec<(PathBuf, KeyFile)>,
        now: i64,
        max_pass_secs: i64,
    ) -> anyhow::Result<Self> {
        let mut trusted = Vec::new();
        let mut active: Option<(i64, Signer)> = None;
        for (path, file) in keys {
            let secret: [u8; 32] = hex::decode(&file.secret)
                .ok()
                .and_then(|b| b.try_into().ok())
                .with_context(|| format!("{} does not hold a 32-byte key", path.display()))?;
            let signer = Signer::from_secret(secret);
            if file.retired_at.is_some_and(|r| r + max_pass_secs < now) {
                continue;
            }
            trusted.push(TrustedKey {
                kid: signer.kid(),
                key: signer.verifying_key(),
                retired_at: file.retired_at,
            });
            if file.retired_at.is_none()
                && active
                    .as_ref()
                    .is_none_or(|(created, _)| file.created_at > *created)
            {
                active = Some((file.created_at, signer));
            }
        }
        let (_, signer) = active.context("no active signing key")?;
        Ok(Self {
            signer,
            ring: KeyRing::new(trusted),
        })
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn ring(&self) -> &KeyRing {
        &self.ring
    }
}

fn read_all(dir: &Path) -> anyhow::Result<Vec<(PathBuf, KeyFile)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path)?;
            let file: KeyFile = serde_json::from_str(&text)
                .with_context(|| format!("reading {}", path.display()))?;
            out.push((path, file));
        }
    }
    Ok(out)
}

fn save_new(dir: &Path, file: &KeyFile) -> anyhow::Result<()> {
    let secret: [u8; 32] = hex::decode(&file.secret)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("bad key"))?;
    let kid = Signer::from_secret(secret).kid().to_base64url();
    let path = dir.join(format!("{}-{kid}.json", file.created_at));
    write_private(&path, &serde_json::to_vec_pretty(file)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use phongdich_health_pass::{issue, verify, Claims, Colour};

    #[test]
    fn a_new_generation_signs_and_the_old_verifies_until_its_passes_expire() {
        let day = 86_400;
        let first = [1u8; 32];
        let second = [2u8; 32];
        let one = SigningKeys::from_generations(&[(first, 1_000)], 1_100, 3 * day).unwrap();
        let claims = Claims {
            subject: vec![1; 16],
            colour: Colour::Green,
            issued_at: 1_000,
            expires_at: 1_000 + day,
        };
        let old_pass = issue(&claims, one.signer());
        let both = [(first, 1_000), (second, 2_000)];
        let rotated = SigningKeys::from_generations(&both, 2_500, 3 * day).unwrap();
        assert_ne!(
            rotated.signer().kid(),
            one.signer().kid(),
            "the newest signs"
        );
        assert!(
            verify(&old_pass, rotated.ring(), 2_500).is_ok(),
            "old passes still verify"
        );
        let later = SigningKeys::from_generations(&both, 2_000 + 4 * day, 3 * day).unwrap();
        assert_eq!(
            later.ring().keys().len(),
            1,
            "long-retired keys leave the ring"
        );
    }

    #[test]
    fn an_older_folder_reads_back_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = SigningKeys::load_or_create(dir.path(), 1_000, 86_400).unwrap();
        let read = SigningKeys::folder_generations(dir.path(), HEALTH_PASS).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(
            SigningKeys::from_generations(&read, 1_100, 86_400)
                .unwrap()
                .signer()
                .kid(),
            first.signer().kid()
        );
        assert!(SigningKeys::folder_generations(dir.path(), "none")
            .unwrap()
            .is_empty());
    }
}
