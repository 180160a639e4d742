//! Scanned venue links, risky-venue feeds and venue forms from outside: no panic, and nothing
//! verifies without the key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_venue_qr::{parse_link, verify_feed, verify_link, KeyRing, Signer, TrustedKey};

fuzz_target!(|data: &[u8]| {
    let signer = Signer::from_secret([7; 32]);
    let ring = KeyRing::new(vec![TrustedKey { kid: signer.kid(), key: signer.verifying_key(), retired_at: None }]);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok((code, sig)) = parse_link(text) {
            assert!(verify_link(&ring, code, sig).is_err());
        }
        assert!(verify_feed(&ring, text).is_err());
        if let Ok(form) = serde_json::from_str::<phongdich_domain::venues::VenueForm>(text) {
            let _ = form.parse();
        }
    }
});
