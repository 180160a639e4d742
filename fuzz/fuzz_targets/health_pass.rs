//! Any text given to the health-pass verifier: no panic, and nothing verifies without the key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_health_pass::{verify, KeyRing, Signer, TrustedKey};

fuzz_target!(|data: &[u8]| {
    let signer = Signer::from_secret([7; 32]);
    let ring = KeyRing::new(vec![TrustedKey { kid: signer.kid(), key: signer.verifying_key(), retired_at: None }]);
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(verify(text, &ring, 1_800_000_000).is_err());
        assert!(verify(&format!("PD1:{text}"), &ring, 1_800_000_000).is_err());
    }
});
