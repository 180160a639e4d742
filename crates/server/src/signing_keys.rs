//! Ed25519 signing keys kept in the data folder, one folder per purpose: `DIR/keys/health-pass/`
//! (health passes) and `DIR/keys/venues/` (venue links and the risky-venue feed). Generated on
//! first start, rotated on demand; a rotated-out key keeps verifying what it signed until all of
//! that has expired.
//!
//! Each key is one file `<created>-<kid>.json` holding the secret, its creation time and, once
//! rotated out, its retirement time. The newest key that is not retired signs.

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
    dir: Option<PathBuf>,
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
        Self::from_files(keys, now, max_pass_secs, Some(dir))
    }

    /// A single random key held in memory only (tests).
    pub fn ephemeral() -> Self {
        let signer = Signer::from_secret(random_key());
        let ring = KeyRing::new(vec![TrustedKey {
            kid: signer.kid(),
            key: signer.verifying_key(),
            retired_at: None,
        }]);
        Self {
            signer,
            ring,
            dir: None,
        }
    }

    fn from_files(
        keys: Vec<(PathBuf, KeyFile)>,
        now: i64,
        max_pass_secs: i64,
        dir: Option<PathBuf>,
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
            dir,
        })
    }

    /// Retires the signing key and starts signing with a new one; returns the keys to use now.
    pub fn rotate(data_dir: &Path, now: i64, max_pass_secs: i64) -> anyhow::Result<Self> {
        let dir = data_dir.join("keys").join("health-pass");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for (path, mut file) in read_all(&dir)? {
            if file.retired_at.is_none() {
                file.retired_at = Some(now);
                let tmp = path.with_extension("json.tmp");
                std::fs::write(&tmp, serde_json::to_vec_pretty(&file)?)?;
                std::fs::rename(&tmp, &path)?;
            }
        }
        save_new(
            &dir,
            &KeyFile {
                secret: hex::encode(random_key()),
                created_at: now,
                retired_at: None,
            },
        )?;
        Self::from_files(read_all(&dir)?, now, max_pass_secs, Some(dir))
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn ring(&self) -> &KeyRing {
        &self.ring
    }

    pub fn folder(&self) -> Option<&Path> {
        self.dir.as_deref()
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
    fn rotation_keeps_old_passes_valid_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let day = 86_400;
        let first = SigningKeys::load_or_create(dir.path(), 1_000, 3 * day).unwrap();
        let again = SigningKeys::load_or_create(dir.path(), 1_100, 3 * day).unwrap();
        assert_eq!(
            first.signer().kid(),
            again.signer().kid(),
            "the key is kept across restarts"
        );
        let claims = Claims {
            subject: vec![1; 16],
            colour: Colour::Green,
            issued_at: 1_000,
            expires_at: 1_000 + day,
        };
        let old_pass = issue(&claims, first.signer());

        let rotated = SigningKeys::rotate(dir.path(), 2_000, 3 * day).unwrap();
        assert_ne!(rotated.signer().kid(), first.signer().kid());
        assert!(
            verify(&old_pass, rotated.ring(), 2_500).is_ok(),
            "old passes still verify"
        );
        let reloaded = SigningKeys::load_or_create(dir.path(), 2_000 + 4 * day, 3 * day).unwrap();
        assert_eq!(
            reloaded.ring().keys().len(),
            1,
            "long-retired keys leave the ring"
        );
    }
}
