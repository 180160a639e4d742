//! A second, independent decoder written from the format description in the crate docs alone,
//! sharing no code with [`crate::verify`] (no `coset`): Base45 → zlib → CBOR tag 18 →
//! `[protected, unprotected, payload, signature]` → Sig_structure
//! `["Signature1", protected, b"", payload]` → Ed25519. Tests of this crate and of the server
//! check every pass against it, so a mistake in the main path cannot hide behind itself.

use std::io::Read;

use ciborium::value::Value;
use ed25519_dalek::Verifier as _;

/// What the reference decoder reads out of a pass whose signature checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub subject: Vec<u8>,
    pub colour: u64,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// Decodes and verifies `text` with `key`; `None` on any failure (expiry is not checked).
pub fn decode(text: &str, key: &ed25519_dalek::VerifyingKey) -> Option<Decoded> {
    let packed = base45::decode(text.strip_prefix("PD1:")?).ok()?;
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(&packed[..])
        .take(1 << 16)
        .read_to_end(&mut cose)
        .ok()?;
    let Value::Tag(18, inner) = ciborium::from_reader::<Value, _>(&cose[..]).ok()? else {
        return None;
    };
    let Value::Array(parts) = *inner else {
        return None;
    };
    let [Value::Bytes(protected), Value::Map(_), Value::Bytes(payload), Value::Bytes(signature)] =
        &parts[..]
    else {
        return None;
    };
    let Value::Map(header) = ciborium::from_reader::<Value, _>(&protected[..]).ok()? else {
        return None;
    };
    let alg = header.iter().find(|(k, _)| *k == Value::from(1))?.1.clone();
    if alg != Value::from(-8) {
        return None;
    }
    let to_be_signed = Value::Array(vec![
        Value::Text("Signature1".into()),
        Value::Bytes(protected.clone()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.clone()),
    ]);
    let mut message = Vec::new();
    ciborium::into_writer(&to_be_signed, &mut message).ok()?;
    let signature = ed25519_dalek::Signature::from_slice(signature).ok()?;
    key.verify(&message, &signature).ok()?;
    let Value::Map(claims) = ciborium::from_reader::<Value, _>(&payload[..]).ok()? else {
        return None;
    };
    let find = |k: i64| {
        claims
            .iter()
            .find(|(key, _)| *key == Value::from(k))
            .map(|(_, v)| v.clone())
    };
    Some(Decoded {
        subject: find(-70_001)?.into_bytes().ok()?,
        colour: u64::try_from(find(-70_002)?.into_integer().ok()?).ok()?,
        issued_at: i64::try_from(find(6)?.into_integer().ok()?).ok()?,
        expires_at: i64::try_from(find(4)?.into_integer().ok()?).ok()?,
    })
}
