//! The keys every instance shares through the database (SPEC §12): the server secrets (code
//! hashes, pass subjects), the export signing key and the rings of health-pass and venue keys.
//! Two instances over one database must sign and verify alike, so the database is where these
//! live — sealed with AES-256-GCM under a key-encryption key (KEK) from the configuration that is
//! never stored there. Each sealed value is bound to its row's name (the AEAD's associated
//! data), so rows cannot be swapped.
//!
//! Every row is written once (`INSERT … ON CONFLICT DO NOTHING`) and read back, so instances
//! starting together agree on whichever was written first. A ring is a list of generations
//! (`ring/<purpose>/<n>`); rotating adds generation n+1, which signs from then on, and the ones
//! before it count as retired from the moment it was made. An older version's keys in the data
//! folder are imported on first start, so passes and posters already out keep verifying.
//!
//! A first `check` row proves the KEK: an instance with another KEK cannot open it, and refuses
//! to start before it makes or changes anything.

use std::path::Path;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, KeyInit, Nonce};
use anyhow::Context;
use base64::Engine;
use jiff::Timestamp;
use phongdich_store::Store;
use serde::{Deserialize, Serialize};

use crate::export_signer::ExportSigner;
use crate::secrets::{random_key, write_private, Secrets};
use crate::signing_keys::{SigningKeys, HEALTH_PASS, VENUES};

/// The file of the KEK an embedded (SQLite) server makes for itself when none is configured.
pub const LOCAL_KEK_FILE: &str = "secrets/key-encryption.key";

const CHECK: &str = "check";
const CHECK_TEXT: &[u8] = b"phongdich key-encryption check v1";
const NONCE_BYTES: usize = 12;

/// Seals and opens the shared keys; `Debug` never prints the KEK.
#[derive(Clone)]
pub struct KeyVault {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for KeyVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyVault { .. }")
    }
}

impl KeyVault {
    /// The vault of a KEK given as Base64 of 32 bytes (`key_encryption_key`).
    pub fn from_base64(text: &str) -> anyhow::Result<Self> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .context("key_encryption_key must be Base64 of 32 bytes (make one with `phongdich admin new-kek`)")?;
        Ok(Self {
            cipher: Aes256Gcm::new_from_slice(&bytes).context("a 32-byte key")?,
        })
    }

    /// The KEK of an embedded server: `DIR/secrets/key-encryption.key`, made on first start
    /// (beside the SQLite file it protects: one machine, one trust boundary).
    pub fn load_or_create_local(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(LOCAL_KEK_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                Self::from_base64(&text).with_context(|| format!("reading {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let text = new_kek();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                write_private(&path, text.as_bytes())?;
                Self::from_base64(&text)
            }
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    fn seal(&self, name: &str, plain: &[u8]) -> anyhow::Result<String> {
        let nonce = Aes256Gcm::generate_nonce(&mut aes_gcm::aead::OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealing {name} failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(base64::engine::general_purpose::STANDARD.encode(out))
    }

    fn open(&self, name: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .ok()
            .filter(|b| b.len() > NONCE_BYTES)
            .with_context(|| format!("the stored key {name} is damaged"))?;
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| {
                anyhow::anyhow!("the key-encryption key does not open the stored key {name}")
            })
    }
}

/// A new random KEK, Base64.
pub fn new_kek() -> String {
    base64::engine::general_purpose::STANDARD.encode(random_key())
}

/// Everything an instance signs and hashes with.
#[derive(Debug)]
pub struct SharedKeys {
    pub secrets: Secrets,
    pub pass_keys: SigningKeys,
    pub venue_keys: SigningKeys,
    pub export_signer: ExportSigner,
}

/// One generation of a ring, as sealed.
#[derive(Serialize, Deserialize)]
struct Generation {
    secret: String,
    created_at: i64,
}

/// Loads the shared keys, making (once, for every instance) what is missing and importing an
/// older version's keys from `data_dir`. Refuses with a clear error, before making anything,
/// when the vault's KEK is not the one the database's keys were sealed with.
pub async fn load(
    store: &Store,
    vault: &KeyVault,
    data_dir: Option<&Path>,
    now: Timestamp,
    max_pass_secs: i64,
) -> anyhow::Result<SharedKeys> {
    check_kek(store, vault, now).await?;
    let [folder_otp, folder_subject] = match data_dir {
        Some(dir) => Secrets::folder_keys(dir)?,
        None => [None, None],
    };
    let otp = secret(store, vault, "secret/otp", folder_otp, now).await?;
    let subject = secret(store, vault, "secret/subject", folder_subject, now).await?;
    let folder_pem = match data_dir {
        Some(dir) => ExportSigner::folder_pem(dir)?,
        None => None,
    };
    let pem = match folder_pem {
        Some(pem) => pem,
        None => ExportSigner::new_pem()?,
    };
    let pem = shared(store, vault, "export/p256", pem.as_bytes(), now).await?;
    let export_signer =
        ExportSigner::from_pem(std::str::from_utf8(&pem).context("the export key is not text")?)?;
    let pass_keys = ring(store, vault, HEALTH_PASS, data_dir, now, max_pass_secs).await?;
    // Venue links are printed on posters that stay up for months: their keys never expire.
    let venue_keys = ring(store, vault, VENUES, data_dir, now, i64::MAX / 2).await?;
    Ok(SharedKeys {
        secrets: Secrets::from_keys(otp, subject),
        pass_keys,
        venue_keys,
        export_signer,
    })
}

/// Starts a new generation of the health-pass ring (for every instance) and returns the ring.
pub async fn rotate_pass_keys(
    store: &Store,
    vault: &KeyVault,
    now: Timestamp,
    max_pass_secs: i64,
) -> anyhow::Result<SigningKeys> {
    let generations = generations(store, vault, HEALTH_PASS).await?;
    // Another instance rotating at the same moment takes the same number: one of the two new
    // keys is kept, and both read it back.
    let next = generations.len() + 1;
    add_generation(
        store,
        vault,
        HEALTH_PASS,
        next,
        &random_key(),
        now.as_second(),
        now,
    )
    .await?;
    pass_ring(store, vault, now, max_pass_secs).await
}

/// The health-pass ring as stored now (instances reload it to follow another's rotation).
pub async fn pass_ring(
    store: &Store,
    vault: &KeyVault,
    now: Timestamp,
    max_pass_secs: i64,
) -> anyhow::Result<SigningKeys> {
    let generations = generations(store, vault, HEALTH_PASS).await?;
    SigningKeys::from_generations(&generations, now.as_second(), max_pass_secs)
}

async fn check_kek(store: &Store, vault: &KeyVault, now: Timestamp) -> anyhow::Result<()> {
    // Stored by the first instance; every later one must open it (storing is then a no-op).
    match shared(store, vault, CHECK, CHECK_TEXT, now).await {
        Ok(text) if text == CHECK_TEXT => Ok(()),
        _ => anyhow::bail!(
            "the key-encryption key does not open this database's keys: every instance must be \
             started with the same key_encryption_key (PHONGDICH_KEY_ENCRYPTION_KEY). Refusing \
             to start; no key was made or changed"
        ),
    }
}

/// The value stored under `name`, storing `candidate` first if there is none.
async fn shared(
    store: &Store,
    vault: &KeyVault,
    name: &str,
    candidate: &[u8],
    now: Timestamp,
) -> anyhow::Result<Vec<u8>> {
    store
        .add_server_key(name, &vault.seal(name, candidate)?, now)
        .await?;
    let row = store
        .server_keys(name)
        .await?
        .into_iter()
        .find(|k| k.name == name)
        .with_context(|| format!("the stored key {name} vanished"))?;
    vault.open(name, &row.sealed)
}

async fn secret(
    store: &Store,
    vault: &KeyVault,
    name: &str,
    folder: Option<[u8; 32]>,
    now: Timestamp,
) -> anyhow::Result<[u8; 32]> {
    let candidate = folder.unwrap_or_else(random_key);
    shared(store, vault, name, &candidate, now)
        .await?
        .try_into()
        .map_err(|_| anyhow::anyhow!("the stored key {name} is not 32 bytes"))
}

fn generation_name(purpose: &str, n: usize) -> String {
    format!("ring/{purpose}/{n:08}")
}

async fn add_generation(
    store: &Store,
    vault: &KeyVault,
    purpose: &str,
    n: usize,
    secret: &[u8; 32],
    created_at: i64,
    now: Timestamp,
) -> anyhow::Result<()> {
    let name = generation_name(purpose, n);
    let plain = serde_json::to_vec(&Generation {
        secret: hex::encode(secret),
        created_at,
    })?;
    store
        .add_server_key(&name, &vault.seal(&name, &plain)?, now)
        .await?;
    Ok(())
}

async fn generations(
    store: &Store,
    vault: &KeyVault,
    purpose: &str,
) -> anyhow::Result<Vec<([u8; 32], i64)>> {
    let mut out = Vec::new();
    for row in store.server_keys(&format!("ring/{purpose}/")).await? {
        let plain = vault.open(&row.name, &row.sealed)?;
        let g: Generation = serde_json::from_slice(&plain)
            .with_context(|| format!("the stored key {} is damaged", row.name))?;
        let secret: [u8; 32] = hex::decode(&g.secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("the stored key {} is damaged", row.name))?;
        out.push((secret, g.created_at));
    }
    Ok(out)
}

/// A ring, made or imported first if the database has none.
async fn ring(
    store: &Store,
    vault: &KeyVault,
    purpose: &str,
    data_dir: Option<&Path>,
    now: Timestamp,
    max_pass_secs: i64,
) -> anyhow::Result<SigningKeys> {
    if generations(store, vault, purpose).await?.is_empty() {
        let folder = match data_dir {
            Some(dir) => SigningKeys::folder_generations(dir, purpose)?,
            None => Vec::new(),
        };
        if folder.is_empty() {
            add_generation(
                store,
                vault,
                purpose,
                1,
                &random_key(),
                now.as_second(),
                now,
            )
            .await?;
        }
        for (i, (secret, created_at)) in folder.iter().enumerate() {
            add_generation(store, vault, purpose, i + 1, secret, *created_at, now).await?;
        }
    }
    let generations = generations(store, vault, purpose).await?;
    SigningKeys::from_generations(&generations, now.as_second(), max_pass_secs)
}
