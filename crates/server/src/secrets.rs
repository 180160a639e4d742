//! Server secrets kept in the data folder, generated on first start.
//!
//! - `otp.key` makes stored code hashes useless to someone who copies the database: a six-digit
//!   code hashed without a key could be found by trying all million codes.
//! - `subject.key` derives the pseudonymous person ids that health passes carry, so a pass does
//!   not reveal an account number.

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
    subject_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

/// Whose pseudonymous id to derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    Citizen(i64),
    FamilyMember(i64),
}

impl Secrets {
    /// Loads the keys from `DIR/secrets/`, creating each (readable by the owner only) on first start.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        let dir = data_dir.join("secrets");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Self {
            otp_key: load_key(&dir.join("otp.key"))?,
            subject_key: load_key(&dir.join("subject.key"))?,
        })
    }

    /// The secrets from their keys (as shared through the database).
    pub fn from_keys(otp_key: [u8; 32], subject_key: [u8; 32]) -> Self {
        Self {
            otp_key,
            subject_key,
        }
    }

    /// The keys an older version kept in `DIR/secrets/`, where there are any (to import them).
    pub fn folder_keys(data_dir: &Path) -> anyhow::Result<[Option<[u8; 32]>; 2]> {
        let dir = data_dir.join("secrets");
        let read = |name: &str| -> anyhow::Result<Option<[u8; 32]>> {
            let path = dir.join(name);
            if path.exists() {
                load_key(&path).map(Some)
            } else {
                Ok(None)
            }
        };
        Ok([read("otp.key")?, read("subject.key")?])
    }

    /// Secrets from random bytes that are never written anywhere (tests, throw-away servers).
    pub fn ephemeral() -> Self {
        Self {
            otp_key: random_key(),
            subject_key: random_key(),
        }
    }

    /// The keyed hash under which a one-time code for `phone` is stored.
    pub fn otp_hash(&self, phone: &str, code: &str) -> String {
        hex::encode(hmac(
            &self.otp_key,
            &[phone.as_bytes(), b":", code.as_bytes()],
        ))
    }

    /// The key a limit counter is stored under for `value` (a typed username, an address):
    /// keyed, so the store never holds what was typed in clear.
    pub fn limit_key(&self, scope: &str, value: &str) -> String {
        hex::encode(hmac(
            &self.otp_key,
            &[b"limit:", scope.as_bytes(), b":", value.as_bytes()],
        ))
    }

    /// A short keyed tag for text a person typed that must not reach the log in clear (a
    /// username that may be a password typed in the wrong box): equal input gives an equal tag,
    /// so repeated attempts can be followed, but the tag says nothing about the text.
    pub fn log_tag(&self, typed: &str) -> String {
        let mac = hmac(&self.otp_key, &[b"log-tag:".as_slice(), typed.as_bytes()]);
        format!("#{}", hex::encode(&mac[..5]))
    }

    /// The person's pseudonymous id (16 bytes): stable, and meaningless without this key.
    pub fn subject(&self, person: Person) -> [u8; 16] {
        let label = match person {
            Person::Citizen(id) => format!("citizen:{id}"),
            Person::FamilyMember(id) => format!("member:{id}"),
        };
        let mac = hmac(&self.subject_key, &[label.as_bytes()]);
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac[..16]);
        out
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

pub(crate) fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

fn load_key(path: &Path) -> anyhow::Result<[u8; 32]> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes =
                hex::decode(text.trim()).with_context(|| format!("reading {}", path.display()))?;
            bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("{} must hold 32 bytes in hex", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = random_key();
            write_private(path, hex::encode(key).as_bytes())?;
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Creates a file readable by the owner only and syncs it, failing if it already exists.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
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
