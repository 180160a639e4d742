//! Round trips, tampering, and an independent decoder written from the format's description.

use proptest::prelude::*;

use super::*;

const NOW: i64 = 1_800_000_000;

fn signer(seed: u8) -> Signer {
    Signer::from_secret([seed; 32])
}

fn ring(signers: &[&Signer]) -> KeyRing {
    KeyRing::new(
        signers
            .iter()
            .map(|s| TrustedKey {
                kid: s.kid(),
                key: s.verifying_key(),
                retired_at: None,
            })
            .collect(),
    )
}

fn claims(colour: Colour) -> Claims {
    Claims {
        subject: vec![7; 16],
        colour,
        issued_at: NOW,
        expires_at: NOW + 86_400,
    }
}

#[test]
fn a_pass_round_trips_and_is_small() {
    let s = signer(1);
    for colour in [Colour::Green, Colour::Yellow, Colour::Red] {
        let text = issue(&claims(colour), &s);
        assert!(text.starts_with("PD1:"));
        assert!(text.len() < 250, "{} chars", text.len());
        assert!(text[4..]
            .bytes()
            .all(|b| b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(&b)));
        assert_eq!(
            verify(&text, &ring(&[&s]), NOW + 10).unwrap(),
            claims(colour)
        );
    }
}

#[test]
fn expiry_unknown_keys_and_retired_keys_are_refused() {
    let (a, b) = (signer(1), signer(2));
    let text = issue(&claims(Colour::Green), &a);
    assert_eq!(
        verify(&text, &ring(&[&a]), NOW + 86_400),
        Err(PassError::Expired)
    );
    assert_eq!(
        verify(&text, &ring(&[&a]), NOW - 3600),
        Err(PassError::NotYetValid)
    );
    assert_eq!(verify(&text, &ring(&[&b]), NOW), Err(PassError::UnknownKey));
    // After rotation the old key still verifies the passes it signed before it was retired.
    let mut retired = ring(&[&a, &b]);
    retired = KeyRing::new(
        retired
            .keys()
            .iter()
            .cloned()
            .map(|mut k| {
                if k.kid == a.kid() {
                    k.retired_at = Some(NOW + 100);
                }
                k
            })
            .collect(),
    );
    assert!(verify(&text, &retired, NOW + 200).is_ok());
    let late = Claims {
        issued_at: NOW + 100,
        expires_at: NOW + 1000,
        ..claims(Colour::Green)
    };
    assert_eq!(
        verify(&issue(&late, &a), &retired, NOW + 200),
        Err(PassError::KeyRetired)
    );
}

#[test]
fn garbage_is_refused_with_the_layer_that_failed() {
    let keys = ring(&[&signer(1)]);
    assert_eq!(verify("HC1:6BFOXN", &keys, NOW), Err(PassError::Prefix));
    assert_eq!(verify("PD1:abc", &keys, NOW), Err(PassError::Base45));
    assert_eq!(
        verify("PD1:000000", &keys, NOW),
        Err(PassError::Compression)
    );
    let not_cose = format!("{PREFIX}{}", base45::encode(compress(b"hello")));
    assert_eq!(verify(&not_cose, &keys, NOW), Err(PassError::Structure));
    let text = issue(&claims(Colour::Red), &signer(1));
    assert!(
        verify(&text[..text.len() - 3], &keys, NOW).is_err(),
        "truncated"
    );
}

#[test]
fn every_tampered_byte_is_rejected() {
    let s = signer(3);
    let keys = ring(&[&s]);
    let text = issue(&claims(Colour::Green), &s);
    // Every byte of the signed COSE structure, changed and recompressed, must fail.
    let cose = decompress(&base45::decode(&text[4..]).unwrap()).unwrap();
    for i in 0..cose.len() {
        let mut bad = cose.clone();
        bad[i] ^= 0x01;
        let forged = format!("{PREFIX}{}", base45::encode(compress(&bad)));
        assert!(
            verify(&forged, &keys, NOW).is_err(),
            "byte {i} of {} changed and still verified",
            cose.len()
        );
    }
    // And every character of the text itself.
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (i, c) in text.char_indices().skip(4) {
        let other = alphabet.chars().find(|&a| a != c).unwrap();
        let forged = format!("{}{other}{}", &text[..i], &text[i + 1..]);
        assert!(
            verify(&forged, &keys, NOW).is_err(),
            "character {i} changed and still verified"
        );
    }
}

#[test]
fn a_claim_swapped_under_a_valid_signature_is_refused() {
    // Re-sign a red pass's payload as green with another key: unknown key.
    let (a, mallory) = (signer(1), signer(9));
    let forged = issue(&claims(Colour::Green), &mallory);
    assert_eq!(
        verify(&forged, &ring(&[&a]), NOW),
        Err(PassError::UnknownKey)
    );
}

#[test]
fn an_independent_decoder_reads_and_verifies_the_pass() {
    let s = signer(5);
    let text = issue(&claims(Colour::Yellow), &s);
    let expected = crate::reference_decoder::Decoded {
        subject: vec![7; 16],
        colour: 1,
        issued_at: NOW,
        expires_at: NOW + 86_400,
    };
    assert_eq!(
        crate::reference_decoder::decode(&text, &s.verifying_key()),
        Some(expected)
    );
    assert_eq!(
        crate::reference_decoder::decode(&text, &signer(6).verifying_key()),
        None
    );
}

#[test]
fn the_jwk_set_reloads_into_the_same_keys() {
    let s = signer(4);
    let jwks = ring(&[&s]).to_jwks();
    assert_eq!(jwks.keys[0].kty, "OKP");
    assert_eq!(jwks.keys[0].x.len(), 43);
    let back = KeyRing::from_jwks(&jwks).unwrap();
    let text = issue(&claims(Colour::Green), &s);
    assert!(verify(&text, &back, NOW).is_ok());
}

proptest! {
    /// The decoder's fuzz harness: arbitrary text and arbitrary bytes behind the prefix never
    /// panic and never verify.
    #[test]
    fn arbitrary_input_never_panics_or_verifies(text in ".{0,300}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let keys = ring(&[&signer(1)]);
        prop_assert!(verify(&text, &keys, NOW).is_err());
        let framed = format!("{PREFIX}{}", base45::encode(&bytes));
        prop_assert!(verify(&framed, &keys, NOW).is_err());
        let zipped = format!("{PREFIX}{}", base45::encode(compress(&bytes)));
        prop_assert!(verify(&zipped, &keys, NOW).is_err());
    }
}
