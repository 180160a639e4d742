//! Server secrets kept in the data folder, generated on first start.
//!
//! The one-time-code key makes stored code hashes useless to someone who copies the database:
//! a six-digit code hashed without a key could be found by trying all million codes.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Keys the server needs; `Debug` never prints them.
#[derive(Clone)]
pub struct Secrets {
    otp_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

impl Secrets {
    /// Loads `DIR/secrets/otp.key`, creating it (readable by the owner only) on first start.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        let dir = data_dir.join("secrets");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join("otp.key");
        let otp_key = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim())
                    .with_context(|| format!("reading {}", path.display()))?;
                bytes
                    .try_into()
                    .map_err(|_| anyhow::anyhow!("{} must hold 32 bytes in hex", path.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                write_private(&path, hex::encode(key).as_bytes())?;
                key
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Ok(Self { otp_key })
    }

    /// Secrets from random bytes that are never written anywhere (tests, throw-away servers).
    pub fn ephemeral() -> Self {
        let mut otp_key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut otp_key);
        Self { otp_key }
    }

    /// The keyed hash under which a one-time code for `phone` is stored.
    pub fn otp_hash(&self, phone: &str, code: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.otp_key).expect("HMAC takes any key length");
        mac.update(phone.as_bytes());
        mac.update(b":");
        mac.update(code.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}
