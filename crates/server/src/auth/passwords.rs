//! Staff passwords: argon2id with the crate's default (OWASP-recommended) parameters.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a password into a PHC string (`$argon2id$…`). CPU-heavy: call off the async threads.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// [`hash`] on the blocking pool, for async callers.
pub async fn hash_blocking(password: String) -> Result<String, crate::error::ApiError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?
        .map_err(crate::error::ApiError::Internal)
}

/// Checks a password against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A real hash of a random password, verified against when the username is unknown so that a
/// failed sign-in takes the same time whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&crate::auth::tokens::new_token()).unwrap_or_default())
}

/// A random password for a new staff login: 14 letters and digits, leaving out look-alikes
/// (0/O, 1/l/I, 5/S, …) so it can be read out and typed.
pub fn random_password() -> String {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    let mut rng = rand::rngs::OsRng;
    (0..14)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let h = hash("một mật khẩu dài").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("một mật khẩu dài", &h));
        assert!(!verify("mot mat khau dai", &h));
        assert!(!verify("x", "not a hash"));
    }
}
