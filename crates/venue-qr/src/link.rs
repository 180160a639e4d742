//! The venue link on a poster: `BASE/v/CODE/SIG`.

use crate::{any_key_verifies, b64, unb64, KeyRing, Signer};

/// Signed bytes: a context string, then the code. The context keeps a venue signature from
/// ever verifying as anything else the same key signs.
const CONTEXT: &[u8] = b"phongdich/venue-link/v1\0";

/// Length of the Base64url signature in a link.
pub const SIG_LEN: usize = 86;

/// Why a venue link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a venue link (expected …/v/CODE/SIGNATURE)")]
    Shape,
    #[error("the venue code is malformed")]
    Code,
    #[error("the signature is truncated or damaged")]
    Damaged,
    #[error("the signature does not match: the code was altered or forged")]
    Forged,
}

fn message(code: &str) -> Vec<u8> {
    [CONTEXT, code.as_bytes()].concat()
}

/// The signature part of a venue's link.
pub fn sign_link(signer: &Signer, code: &str) -> String {
    b64(&signer.sign(&message(code)))
}

/// The path of a venue's link (the server prefixes its public base URL).
pub fn link_path(code: &str, sig: &str) -> String {
    format!("/v/{code}/{sig}")
}

/// Checks that a key of the ring signed `code`.
pub fn verify_link(ring: &KeyRing, code: &str, sig: &str) -> Result<(), LinkError> {
    if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(LinkError::Code);
    }
    if sig.len() != SIG_LEN {
        return Err(LinkError::Damaged);
    }
    let bytes = unb64(sig).ok_or(LinkError::Damaged)?;
    if any_key_verifies(ring, &message(code), &bytes) {
        Ok(())
    } else {
        Err(LinkError::Forged)
    }
}

/// Splits a scanned link (full URL or path) into code and signature, without checking them.
pub fn parse_link(text: &str) -> Result<(&str, &str), LinkError> {
    let text = text.trim();
    let path = match text.find("://") {
        Some(i) => {
            let rest = &text[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        }
        None => text,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut parts = path.trim_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("v"), Some(code), Some(sig), None) if !code.is_empty() && !sig.is_empty() => {
            Ok((code, sig))
        }
        _ => Err(LinkError::Shape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys;
    use proptest::prelude::*;

    #[test]
    fn a_signed_link_verifies_and_an_altered_one_does_not() {
        let (signer, ring) = test_keys();
        let sig = sign_link(&signer, "V7K3QM2PX");
        assert_eq!(sig.len(), SIG_LEN);
        assert_eq!(verify_link(&ring, "V7K3QM2PX", &sig), Ok(()));
        assert_eq!(
            verify_link(&ring, "V7K3QM2PY", &sig),
            Err(LinkError::Forged)
        );
        assert_eq!(
            verify_link(&ring, "V7K3QM2PX", &sig[..80]),
            Err(LinkError::Damaged)
        );
        let mut flipped = sig.clone().into_bytes();
        flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            verify_link(&ring, "V7K3QM2PX", &flipped),
            Err(LinkError::Forged)
        );
        let other = crate::Signer::from_secret([9; 32]);
        let forged = sign_link(&other, "V7K3QM2PX");
        assert_eq!(
            verify_link(&ring, "V7K3QM2PX", &forged),
            Err(LinkError::Forged)
        );
        assert_eq!(verify_link(&ring, "V7K/../", &sig), Err(LinkError::Code));
    }

    #[test]
    fn links_parse_from_urls_and_paths() {
        let url = "https://phongdich.laocai.gov.vn/v/V7K3QM2PX/abc_-9?utm=x";
        assert_eq!(parse_link(url), Ok(("V7K3QM2PX", "abc_-9")));
        assert_eq!(parse_link("/v/V1/S"), Ok(("V1", "S")));
        assert_eq!(parse_link("https://x/checkin/V1/S"), Err(LinkError::Shape));
        assert_eq!(parse_link("https://x/v/V1"), Err(LinkError::Shape));
        assert_eq!(parse_link(""), Err(LinkError::Shape));
    }

    proptest! {
        #[test]
        fn no_input_panics(text in ".{0,200}") {
            let (_, ring) = test_keys();
            if let Ok((code, sig)) = parse_link(&text) {
                let _ = verify_link(&ring, code, sig);
            }
        }
    }
}
