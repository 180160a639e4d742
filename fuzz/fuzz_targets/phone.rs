//! Any text typed as a phone number: no panic, and accepted numbers are normalised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_domain::phone::PhoneNumber;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = PhoneNumber::parse("phone", text) {
            assert!(p.as_str().starts_with("+84") && p.as_str().len() == 12);
        }
    }
});
