//! Opaque session tokens: 256 random bits handed to the client, only a SHA-256 stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix that makes a leaked token recognisable to secret scanners.
const PREFIX: &str = "pd_";

/// A new random token to give to the client.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// The form a token is stored in: a database leak does not reveal usable tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random numeric one-time code of six digits.
pub fn new_otp_code() -> String {
    // Rejection-free: 10^6 divides 2^64 unevenly by a negligible bias of under 10^-13.
    format!("{:06}", rand::rngs::OsRng.next_u64() % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("pd_") && a.len() == 67);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert!(!token_hash(&a).contains(&a[3..]));
    }

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..100 {
            let c = new_otp_code();
            assert!(phongdich_domain::otp::OtpPolicy::well_formed(&c), "{c}");
        }
    }
}
