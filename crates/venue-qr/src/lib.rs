//! The two signed things phones get about venues, pure (no clock, files or network):
//!
//! - the **venue link** printed as a QR code on the poster, `BASE/v/CODE/SIG`, where `SIG` is
//!   the Base64url Ed25519 signature of the venue code (86 characters); any phone camera opens
//!   it, and a forged or altered code fails [`verify_link`] before anything is recorded;
//! - the **risky-venues feed**, a JWS (RFC 7515 compact form, `alg` EdDSA, RFC 8037) whose
//!   payload lists exposure windows, so phones can match their own visit history locally.
//!
//! Both are signed with the deployment's venue keys ([`Signer`], [`KeyRing`]), with a distinct
//! context for each, so a signature of one can never pass as the other.

mod feed;
mod link;

pub use feed::{sign_feed, verify_feed, Feed, FeedEntry, FeedError, FEED_TYPE};
pub use link::{link_path, parse_link, sign_link, verify_link, LinkError, SIG_LEN};
pub use phongdich_health_pass::{KeyRing, Signer, TrustedKey};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// True when any key of the ring made `signature` over `message`.
pub(crate) fn any_key_verifies(ring: &KeyRing, message: &[u8], signature: &[u8]) -> bool {
    let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    ring.keys()
        .iter()
        .any(|k| k.key.verify_strict(message, &sig).is_ok())
}

#[cfg(test)]
pub(crate) fn test_keys() -> (Signer, KeyRing) {
    let signer = Signer::from_secret([7; 32]);
    let ring = KeyRing::new(vec![TrustedKey {
        kid: signer.kid(),
        key: signer.verifying_key(),
        retired_at: None,
    }]);
    (signer, ring)
}
