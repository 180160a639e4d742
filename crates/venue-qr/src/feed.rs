//! The risky-venues feed: a JWS phones download and check before matching their own visits.

use serde::{Deserialize, Serialize};

use crate::{any_key_verifies, b64, unb64, KeyRing, Signer};

/// The JWS `typ` of the feed; a JWS of another type signed by the same key is refused.
pub const FEED_TYPE: &str = "phongdich-risky-venues+jws";

/// The feed's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    /// Format version (1).
    pub version: u32,
    /// When the file was made, RFC 3339.
    pub generated_at: String,
    pub entries: Vec<FeedEntry>,
}

/// One exposure window at one venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// The exposure window's id (stable, so a phone alerts once per window).
    pub id: i64,
    pub venue_id: String,
    pub venue_name: String,
    /// RFC 3339 times.
    pub starts_at: String,
    pub ends_at: String,
    /// Minutes a visit may fall short of the window and still count.
    pub margin_minutes: i64,
    /// `low` or `high`.
    pub level: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    kid: String,
    typ: String,
}

/// Why a feed was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("not a JWS in compact form")]
    Shape,
    #[error("the feed header is not an EdDSA risky-venues header")]
    Header,
    #[error("the signature does not match: the feed was altered or forged")]
    Signature,
    #[error("the feed payload is not valid JSON of the expected shape")]
    Payload,
}

/// Signs the feed as a compact JWS: `header.payload.signature`, each Base64url.
pub fn sign_feed(signer: &Signer, feed: &Feed) -> String {
    let header = Header {
        alg: "EdDSA".into(),
        kid: signer.kid().to_base64url(),
        typ: FEED_TYPE.into(),
    };
    let header = b64(&serde_json::to_vec(&header).unwrap_or_default());
    let payload = b64(&serde_json::to_vec(feed).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = b64(&signer.sign(signing_input.as_bytes()));
    format!("{signing_input}.{sig}")
}

/// Verifies a feed against the ring and returns its payload.
pub fn verify_feed(ring: &KeyRing, jws: &str) -> Result<Feed, FeedError> {
    let mut parts = jws.trim().split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(FeedError::Shape);
    };
    let header: Header = unb64(h)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(FeedError::Header)?;
    if header.alg != "EdDSA" || header.typ != FEED_TYPE {
        return Err(FeedError::Header);
    }
    let sig = unb64(s).ok_or(FeedError::Signature)?;
    let signing_input = &jws.trim()[..h.len() + 1 + p.len()];
    if !any_key_verifies(ring, signing_input.as_bytes(), &sig) {
        return Err(FeedError::Signature);
    }
    unb64(p)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(FeedError::Payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys;

    fn feed() -> Feed {
        Feed {
            version: 1,
            generated_at: "2021-07-20T12:00:00Z".into(),
            entries: vec![FeedEntry {
                id: 1,
                venue_id: "V7K3QM2PX".into(),
                venue_name: "Chợ Bắc Hà".into(),
                starts_at: "2021-07-20T01:00:00Z".into(),
                ends_at: "2021-07-20T03:00:00Z".into(),
                margin_minutes: 15,
                level: "high".into(),
                message_vi: "Bạn có thể là F1".into(),
                message_en: "You may be F1".into(),
            }],
        }
    }

    #[test]
    fn a_signed_feed_round_trips_and_tampering_is_caught() {
        let (signer, ring) = test_keys();
        let jws = sign_feed(&signer, &feed());
        assert_eq!(verify_feed(&ring, &jws), Ok(feed()));
        let mut other = feed();
        other.entries.clear();
        let swapped_payload = {
            let parts: Vec<_> = jws.split('.').collect();
            let payload = b64(&serde_json::to_vec(&other).unwrap());
            format!("{}.{}.{}", parts[0], payload, parts[2])
        };
        assert_eq!(
            verify_feed(&ring, &swapped_payload),
            Err(FeedError::Signature)
        );
        let stranger = Signer::from_secret([1; 32]);
        assert_eq!(
            verify_feed(&ring, &sign_feed(&stranger, &feed())),
            Err(FeedError::Signature)
        );
        assert_eq!(verify_feed(&ring, "a.b"), Err(FeedError::Shape));
        assert_eq!(verify_feed(&ring, "a.b.c"), Err(FeedError::Header));
    }

    #[test]
    fn a_venue_link_signature_does_not_pass_as_a_feed() {
        let (signer, ring) = test_keys();
        let jws = sign_feed(&signer, &feed());
        let parts: Vec<_> = jws.split('.').collect();
        let link_sig = crate::sign_link(&signer, "V7K3QM2PX");
        let mixed = format!("{}.{}.{}", parts[0], parts[1], link_sig);
        assert_eq!(verify_feed(&ring, &mixed), Err(FeedError::Signature));
    }
}
