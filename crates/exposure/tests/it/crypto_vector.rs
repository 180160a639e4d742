//! The official v1.2 test vector: one TEK, its RPIK and AEMK, 144 RPIs and 144 AEMs.

use std::collections::{HashMap, HashSet};

use phongdich_exposure::crypto::{
    aem, aemk, ble_payload, en_interval_number, match_keys, metadata, rpi, rpik, rpis, Tek,
    KEY_ROLLING_PERIOD,
};

struct Vector {
    fields: HashMap<String, String>,
    /// `(i, interval, rpi, aem)` for i = 0..144.
    rows: Vec<(u32, u32, [u8; 16], [u8; 4])>,
}

fn vector() -> Vector {
    let text = include_str!("../data/en_v1_2_test_vector.txt");
    let mut fields = HashMap::new();
    let mut rows = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts[0] == "rpi" {
            rows.push((
                parts[1].parse().unwrap(),
                parts[2].parse().unwrap(),
                hex16(parts[3]),
                hex::decode(parts[4]).unwrap().try_into().unwrap(),
            ));
        } else {
            fields.insert(parts[0].to_owned(), parts[1].to_owned());
        }
    }
    assert_eq!(rows.len(), 144);
    Vector { fields, rows }
}

fn hex16(s: &str) -> [u8; 16] {
    hex::decode(s).unwrap().try_into().unwrap()
}

impl Vector {
    fn get(&self, name: &str) -> &str {
        &self.fields[name]
    }
}

#[test]
fn interval_of_key_generation_time() {
    let v = vector();
    let t: i64 = v.get("key_generation_unix_secs").parse().unwrap();
    let n: u32 = v.get("key_interval_number").parse().unwrap();
    assert_eq!(en_interval_number(t), n);
    assert_eq!(n % KEY_ROLLING_PERIOD, 0, "the key starts at UTC midnight");
}

#[test]
fn derived_keys() {
    let v = vector();
    let tek: Tek = hex16(v.get("tek"));
    assert_eq!(rpik(&tek), hex16(v.get("rpik")));
    assert_eq!(aemk(&tek), hex16(v.get("aemk")));
}

#[test]
fn all_144_rpis_and_aems() {
    let v = vector();
    let tek: Tek = hex16(v.get("tek"));
    let rpik = rpik(&tek);
    let aemk = aemk(&tek);
    let meta: [u8; 4] = hex::decode(v.get("metadata")).unwrap().try_into().unwrap();
    assert_eq!(meta, metadata(1, 0, 8));
    let start: u32 = v.get("key_interval_number").parse().unwrap();

    let batch = rpis(&rpik, start);
    assert_eq!(batch.len(), 144);
    for &(i, interval, want_rpi, want_aem) in &v.rows {
        assert_eq!(interval, start + i);
        assert_eq!(rpi(&rpik, interval), want_rpi, "RPI {i}");
        assert_eq!(batch[i as usize], want_rpi, "batched RPI {i}");
        assert_eq!(aem(&aemk, &want_rpi, &meta), want_aem, "AEM {i}");
        assert_eq!(aem(&aemk, &want_rpi, &want_aem), meta, "AEM {i} decrypts");
        let payload = ble_payload(&want_rpi, &want_aem);
        assert_eq!(&payload[..16], &want_rpi);
        assert_eq!(&payload[16..], &want_aem);
    }
}

#[test]
fn aem_round_trip_of_google_test() {
    // AssociatedEncryptedMetadataGeneratorTest: only decrypt(encrypt(x)) == x is specified.
    let tek: Tek = hex16("fedcba9876543210fedcba9876543210");
    let rpi = hex16("aabbccddeeff00112233445566778899");
    let key = aemk(&tek);
    let enc = aem(&key, &rpi, &[1, 2, 3, 4]);
    assert_ne!(enc, [1, 2, 3, 4]);
    assert_eq!(aem(&key, &rpi, &enc), [1, 2, 3, 4]);
}

#[test]
fn matching_finds_observed_identifiers() {
    let v = vector();
    let tek: Tek = hex16(v.get("tek"));
    let start: u32 = v.get("key_interval_number").parse().unwrap();
    let (_, _, rpi5, _) = v.rows[5];
    let (_, _, rpi143, _) = v.rows[143];
    let observed: HashSet<[u8; 16]> = [rpi5, rpi143, [0u8; 16]].into_iter().collect();

    let other: Tek = [7u8; 16];
    let keys = [(other, start, 144), (tek, start, 144)];
    let found = match_keys(&keys, &observed);
    assert_eq!(found, vec![(1, start + 5, rpi5), (1, start + 143, rpi143)]);

    // A shorter rolling period only covers its own intervals.
    let found = match_keys(&[(tek, start, 10)], &observed);
    assert_eq!(found, vec![(0, start + 5, rpi5)]);
    assert!(match_keys(&keys, &HashSet::new()).is_empty());
}
