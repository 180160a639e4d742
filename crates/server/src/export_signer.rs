//! The ECDSA P-256 key that signs diagnosis-key exports, kept in `DIR/keys/exposure-export.pem`
//! (PKCS#8, readable by the owner only) and generated on first start. Phones are configured with
//! its public key (`GET /api/v1/exposure/export-key`); Apple and Google register it per country.

use std::path::Path;

use anyhow::Context;
use p256::ecdsa::{SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};

use crate::secrets::write_private;

/// File of the key under the data folder.
pub const EXPORT_KEY_FILE: &str = "keys/exposure-export.pem";

/// The signer of key exports and its public key as PEM.
#[derive(Clone)]
pub struct ExportSigner {
    key: SigningKey,
    public_pem: String,
}

impl std::fmt::Debug for ExportSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExportSigner { .. }")
    }
}

impl ExportSigner {
    /// Loads the key from the data folder, creating it on first start.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(EXPORT_KEY_FILE);
        let key = match std::fs::read_to_string(&path) {
            Ok(pem) => SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
                anyhow::anyhow!("{} is not a P-256 PKCS#8 key: {e}", path.display())
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::random(&mut rand::rngs::OsRng);
                let pem = key
                    .to_pkcs8_pem(LineEnding::LF)
                    .map_err(|e| anyhow::anyhow!("encoding the export key: {e}"))?;
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                write_private(&path, pem.as_bytes())?;
                tracing::info!(path = %path.display(), "created the key-export signing key");
                key
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Self::from_key(key)
    }

    /// A key that lives only in memory (tests, throw-away servers).
    pub fn ephemeral() -> Self {
        Self::from_key(SigningKey::random(&mut rand::rngs::OsRng))
            .unwrap_or_else(|e| panic!("encoding a fresh P-256 key cannot fail: {e}"))
    }

    /// The key from its PKCS#8 PEM (as the database keeps it, sealed).
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key = SigningKey::from_pkcs8_pem(pem)
            .map_err(|e| anyhow::anyhow!("not a P-256 PKCS#8 key: {e}"))?;
        Self::from_key(key)
    }

    /// A new random key's PKCS#8 PEM.
    pub fn new_pem() -> anyhow::Result<String> {
        SigningKey::random(&mut rand::rngs::OsRng)
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| anyhow::anyhow!("encoding the export key: {e}"))
    }

    /// The PEM an older version kept in the data folder, if any (to import it).
    pub fn folder_pem(data_dir: &Path) -> anyhow::Result<Option<String>> {
        let path = data_dir.join(EXPORT_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(pem) => Ok(Some(pem)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    fn from_key(key: SigningKey) -> anyhow::Result<Self> {
        let public_pem = VerifyingKey::from(&key)
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("encoding the export public key: {e}"))?;
        Ok(Self { key, public_pem })
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The public key as SPKI PEM, what phones and the frameworks are configured with.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let first = ExportSigner::load_or_create(dir.path()).unwrap();
        let again = ExportSigner::load_or_create(dir.path()).unwrap();
        assert_eq!(first.public_pem(), again.public_pem());
        assert!(first.public_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_ne!(ExportSigner::ephemeral().public_pem(), first.public_pem());
    }
}
