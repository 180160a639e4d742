//! The personal health pass: a compact, signed token that fits in a QR code and can be verified
//! offline by anyone who has the issuer's public keys.
//!
//! The format follows the EU Digital COVID Certificate's layering, so its tools and reasoning
//! carry over:
//!
//! ```text
//! PD1:  base45(  zlib(  COSE_Sign1( protected {alg: EdDSA, kid}, payload: CBOR claims )  )  )
//! ```
//!
//! - the COSE_Sign1 structure (RFC 9052) is CBOR-tagged (18), signed with Ed25519 (`alg` −8),
//!   and its `kid` is the first 8 bytes of the SHA-256 of the public key;
//! - the claims are a CBOR map with CWT keys (RFC 8392): `1` issuer, `4` expiry and `6` issue
//!   time in Unix seconds, plus private keys [`CLAIM_SUBJECT`] (pseudonymous person id, bytes)
//!   and [`CLAIM_COLOUR`] (0 green, 1 yellow, 2 red);
//! - zlib keeps the QR small, Base45 keeps it in the QR alphanumeric mode.
//!
//! This crate is pure: no clock (time is passed in), no files, no network.

mod claims;
mod keys;
#[cfg(any(test, feature = "reference-decoder"))]
pub mod reference_decoder;

use coset::{
    iana, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable,
};
use ed25519_dalek::{Signature, Signer as _, Verifier as _};

pub use claims::{Claims, Colour, CLAIM_COLOUR, CLAIM_SUBJECT, ISSUER};
pub use keys::{Jwk, JwkSet, KeyId, KeyRing, Signer, TrustedKey};

/// The text every pass starts with; the digit is the format version.
pub const PREFIX: &str = "PD1:";

/// Largest decompressed COSE structure accepted: a real pass is about 150 bytes, and the bound
/// stops a small QR from inflating into megabytes (a "zip bomb").
const MAX_COSE_BYTES: u64 = 4096;

/// Why a pass was refused. Each reason is something a checkpoint officer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("not a Phòng Dịch health pass (it must start with {PREFIX})")]
    Prefix,
    #[error("the text is damaged (not valid Base45)")]
    Base45,
    #[error("the pass is damaged (compressed data is invalid or too large)")]
    Compression,
    #[error("the pass is damaged (not a signed COSE structure)")]
    Structure,
    #[error("the pass is not signed with Ed25519")]
    Algorithm,
    #[error("the pass was signed by an unknown key")]
    UnknownKey,
    #[error("the signature does not match: the pass was altered or forged")]
    Signature,
    #[error("the pass content is invalid: {0}")]
    Claims(&'static str),
    #[error("the pass has expired")]
    Expired,
    #[error("the pass is not valid yet")]
    NotYetValid,
    #[error("the signing key was retired before this pass was issued")]
    KeyRetired,
}

/// Signs `claims` and returns the pass text (`PD1:…`), ready for a QR code.
pub fn issue(claims: &Claims, signer: &Signer) -> String {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(signer.kid().0.to_vec())
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(claims.to_cbor())
        .create_signature(b"", |data| signer.key().sign(data).to_bytes().to_vec())
        .build();
    // Serialising a structure we just built cannot fail.
    let cose = sign1.to_tagged_vec().unwrap_or_default();
    let compressed = compress(&cose);
    format!("{PREFIX}{}", base45::encode(&compressed))
}

/// Verifies a pass against trusted keys at `now` (Unix seconds) and returns its claims.
pub fn verify(text: &str, keys: &KeyRing, now: i64) -> Result<Claims, PassError> {
    let sign1 = open(text)?;
    let alg_ok = matches!(
        sign1.protected.header.alg,
        Some(coset::RegisteredLabelWithPrivate::Assigned(
            iana::Algorithm::EdDSA
        ))
    );
    if !alg_ok {
        return Err(PassError::Algorithm);
    }
    let kid = KeyId::from_slice(&sign1.protected.header.key_id).ok_or(PassError::UnknownKey)?;
    let trusted = keys.get(&kid).ok_or(PassError::UnknownKey)?;
    sign1.verify_signature(b"", |sig, data| {
        let sig = Signature::from_slice(sig).map_err(|_| PassError::Signature)?;
        trusted
            .key
            .verify(data, &sig)
            .map_err(|_| PassError::Signature)
    })?;
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(PassError::Claims("no payload"))?;
    let claims = Claims::from_cbor(payload)?;
    if trusted
        .retired_at
        .is_some_and(|retired| claims.issued_at >= retired)
    {
        return Err(PassError::KeyRetired);
    }
    if now >= claims.expires_at {
        return Err(PassError::Expired);
    }
    // A little slack for phones whose clocks run behind the issuer's.
    if claims.issued_at > now + 300 {
        return Err(PassError::NotYetValid);
    }
    Ok(claims)
}

/// Undoes the text, Base45 and zlib layers and parses the COSE structure, without verifying.
fn open(text: &str) -> Result<CoseSign1, PassError> {
    let body = text.trim().strip_prefix(PREFIX).ok_or(PassError::Prefix)?;
    let compressed = base45::decode(body).map_err(|_| PassError::Base45)?;
    let cose = decompress(&compressed)?;
    CoseSign1::from_tagged_slice(&cose)
        .or_else(|_| CoseSign1::from_slice(&cose))
        .map_err(|_| PassError::Structure)
}

fn compress(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn decompress(bytes: &[u8]) -> Result<Vec<u8>, PassError> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .take(MAX_COSE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| PassError::Compression)?;
    if out.len() as u64 > MAX_COSE_BYTES {
        return Err(PassError::Compression);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
