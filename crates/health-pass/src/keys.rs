//! Signing and verification keys: Ed25519, named by a key id, published as a JWK set.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// First 8 bytes of the SHA-256 of the public key, as the EU certificates name their keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    pub fn of(key: &VerifyingKey) -> Self {
        let digest = Sha256::digest(key.as_bytes());
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        KeyId(id)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        Some(KeyId(bytes.try_into().ok()?))
    }

    /// The id in base64url without padding, as it appears in the JWK set.
    pub fn to_base64url(self) -> String {
        base64url(&self.0)
    }
}

/// The key that signs new passes.
pub struct Signer {
    key: SigningKey,
    kid: KeyId,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer {{ kid: {} }}", self.kid.to_base64url())
    }
}

impl Signer {
    pub fn from_secret(secret: [u8; 32]) -> Self {
        let key = SigningKey::from_bytes(&secret);
        let kid = KeyId::of(&key.verifying_key());
        Self { key, kid }
    }

    pub fn secret(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn kid(&self) -> KeyId {
        self.kid
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// A detached Ed25519 signature of `message` (other signed formats share the key types).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.key.sign(message).to_bytes()
    }

    pub(crate) fn key(&self) -> &SigningKey {
        &self.key
    }
}

/// A public key trusted to have signed passes, until `retired_at` if it was rotated out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub kid: KeyId,
    pub key: VerifyingKey,
    /// Passes issued at or after this time (Unix seconds) with this key are refused.
    pub retired_at: Option<i64>,
}

/// The public keys a verifier trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRing {
    keys: Vec<TrustedKey>,
}

impl KeyRing {
    pub fn new(keys: Vec<TrustedKey>) -> Self {
        Self { keys }
    }

    pub fn get(&self, kid: &KeyId) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| k.kid == *kid)
    }

    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The ring as a JWK set (RFC 7517, OKP keys of RFC 8037) for `/api/v1/health-pass/keys`.
    pub fn to_jwks(&self) -> JwkSet {
        JwkSet {
            keys: self
                .keys
                .iter()
                .map(|k| Jwk {
                    kty: "OKP",
                    crv: "Ed25519",
                    alg: "EdDSA",
                    key_use: "sig",
                    kid: k.kid.to_base64url(),
                    x: base64url(k.key.as_bytes()),
                })
                .collect(),
        }
    }

    /// Reads a JWK set's Ed25519 keys (an offline verifier's way to load the published keys).
    pub fn from_jwks(set: &JwkSet) -> Option<Self> {
        let mut keys = Vec::new();
        for jwk in &set.keys {
            let bytes: [u8; 32] = from_base64url(&jwk.x)?.try_into().ok()?;
            let key = VerifyingKey::from_bytes(&bytes).ok()?;
            keys.push(TrustedKey {
                kid: KeyId::of(&key),
                key,
                retired_at: None,
            });
        }
        Some(Self { keys })
    }
}

/// One public key in JWK form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    pub kty: &'static str,
    pub crv: &'static str,
    pub alg: &'static str,
    pub key_use: &'static str,
    pub kid: String,
    pub x: String,
}

/// A JWK set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

/// Base64url without padding (RFC 4648 §5), as JWKs use.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn from_base64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}
