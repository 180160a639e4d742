//! Any JSON body posted as a declaration: parsing and validation never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phongdich_domain::declarations::DeclarationForm;
use phongdich_domain::profile::Profile;

fuzz_target!(|data: &[u8]| {
    if let Ok(form) = serde_json::from_slice::<DeclarationForm>(data) {
        let today = jiff::civil::Date::constant(2021, 7, 20);
        let _ = form.parse(today, &Profile::covid19_2021().declarations);
    }
});
