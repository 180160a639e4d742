//! The Exposure Notification key schedule (Cryptography Specification v1.2).
//!
//! A device makes one random Temporary Exposure Key (TEK) per UTC day. From it, HKDF-SHA256
//! derives the Rolling Proximity Identifier Key (RPIK) and the Associated Encrypted Metadata
//! Key (AEMK); each 10-minute interval gets its own identifier, `AES-128(RPIK, padded interval)`,
//! broadcast with 4 bytes of metadata encrypted under the AEMK. A diagnosed user publishes their
//! TEKs; every other device re-derives the identifiers and looks for them among what it heard.

use std::collections::HashSet;

use aes::cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit, KeyIvInit, StreamCipher};
use aes::{Aes128, Aes128Enc};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Length of one interval in seconds: identifiers rotate every 10 minutes.
pub const INTERVAL_SECS: u32 = 600;
/// Intervals per key: a TEK lives 144 × 10 min = 24 h.
pub const KEY_ROLLING_PERIOD: u32 = 144;

/// A Temporary Exposure Key: 16 random bytes, independent every day.
pub type Tek = [u8; 16];

/// The ENIntervalNumber of a Unix time: which 10-minute window since the epoch it falls in.
///
/// Times before the epoch are clamped to 0 and times past the `u32` range to `u32::MAX`, since
/// the protocol only has unsigned 32-bit interval numbers.
pub fn en_interval_number(unix_secs: i64) -> u32 {
    let n = unix_secs.div_euclid(i64::from(INTERVAL_SECS));
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// HKDF-SHA256 with no salt (RFC 5869: a zero-filled salt) and a 7-byte info, 16 bytes out.
fn hkdf16(tek: &Tek, info: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    Hkdf::<Sha256>::new(None, tek)
        .expand(info, &mut out)
        .expect("16 bytes is a valid HKDF-SHA256 output length");
    out
}

/// The Rolling Proximity Identifier Key: `HKDF(TEK, salt = none, info = "EN-RPIK", 16)`.
pub fn rpik(tek: &Tek) -> [u8; 16] {
    hkdf16(tek, b"EN-RPIK")
}

/// The Associated Encrypted Metadata Key: `HKDF(TEK, salt = none, info = "EN-AEMK", 16)`.
pub fn aemk(tek: &Tek) -> [u8; 16] {
    hkdf16(tek, b"EN-AEMK")
}

/// The 16-byte block encrypted for an interval: `"EN-RPI"`, six zero bytes, the interval as
/// little-endian `u32`.
fn padded_data(interval: u32) -> [u8; 16] {
    let mut block = [0u8; 16];
    block[..6].copy_from_slice(b"EN-RPI");
    block[12..].copy_from_slice(&interval.to_le_bytes());
    block
}

/// The Rolling Proximity Identifier of one interval: one AES-128 block under the RPIK.
pub fn rpi(rpik: &[u8; 16], interval: u32) -> [u8; 16] {
    let cipher = Aes128::new(GenericArray::from_slice(rpik));
    let mut block = GenericArray::from(padded_data(interval));
    cipher.encrypt_block(&mut block);
    block.into()
}

/// The 144 identifiers of a whole key, one per interval from `start_interval` on.
pub fn rpis(rpik: &[u8; 16], start_interval: u32) -> Vec<[u8; 16]> {
    rpis_with(
        &Aes128::new(GenericArray::from_slice(rpik)),
        start_interval,
        KEY_ROLLING_PERIOD,
    )
}

/// Identifiers for `count` intervals with one key schedule, encrypted as one batch so the AES
/// implementation can pipeline blocks (AES-NI encrypts several blocks in parallel).
fn rpis_with(cipher: &Aes128, start_interval: u32, count: u32) -> Vec<[u8; 16]> {
    let mut blocks: Vec<_> = (0..count)
        .map(|i| GenericArray::from(padded_data(start_interval.wrapping_add(i))))
        .collect();
    cipher.encrypt_blocks(&mut blocks);
    blocks.into_iter().map(Into::into).collect()
}

/// Associated Encrypted Metadata: AES-128-CTR under the AEMK with the RPI as the initial counter
/// block. CTR is its own inverse, so this also decrypts a received AEM.
pub fn aem(aemk: &[u8; 16], rpi: &[u8; 16], metadata: &[u8; 4]) -> [u8; 4] {
    let mut out = *metadata;
    let mut cipher = ctr::Ctr128BE::<Aes128>::new(aemk.into(), rpi.into());
    cipher.apply_keystream(&mut out);
    out
}

/// The 4-byte BLE metadata: version byte (major in bits 7:6, minor in bits 5:4), TX power in
/// signed dBm, two reserved zero bytes. `metadata(1, 0, 8)` is `40 08 00 00`.
pub fn metadata(version_major: u8, version_minor: u8, tx_power: i8) -> [u8; 4] {
    let version = ((version_major & 0b11) << 6) | ((version_minor & 0b11) << 4);
    [version, tx_power.to_le_bytes()[0], 0, 0]
}

/// The 20 bytes of the 0xFD6F service data in the advertisement: RPI then AEM.
pub fn ble_payload(rpi: &[u8; 16], aem: &[u8; 4]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out[..16].copy_from_slice(rpi);
    out[16..].copy_from_slice(aem);
    out
}

/// Derives the identifiers of each diagnosis key once and looks them up among the observed ones,
/// returning `(key index, interval, rpi)` for every match.
///
/// Each key is given as `(tek, rolling start interval, rolling period)`; a period of 0 or above
/// 144 is read as 144, as the frameworks do. One AES key schedule per key, all blocks encrypted
/// in one batch: matching thousands of keys a day must stay cheap on a phone.
pub fn match_keys(
    keys: &[(Tek, u32, u32)],
    observed: &HashSet<[u8; 16]>,
) -> Vec<(usize, u32, [u8; 16])> {
    let mut found = Vec::new();
    if observed.is_empty() {
        return found;
    }
    // RPIs are AES outputs, uniformly random, so their first bytes are already a good hash. A
    // 32 KiB bitmap of them (it stays in the L1 cache) answers "not heard" for almost every
    // derived identifier in a nanosecond; the few bits that are set are confirmed in the set.
    let mut bitmap = vec![0u64; FILTER_BITS / 64];
    for id in observed {
        let bit = filter_bit(id);
        bitmap[bit / 64] |= 1 << (bit % 64);
    }
    let rpik_of = RpikDeriver::new();
    // Two buffers for every key, so nothing is allocated per key or per identifier. The
    // plaintexts keep their constant "EN-RPI" prefix and only the interval bytes are rewritten:
    // building each block whole costs more than encrypting it (store-forwarding stalls).
    let mut plain = [GenericArray::from(padded_data(0)); KEY_ROLLING_PERIOD as usize];
    let mut ids = [GenericArray::from([0u8; 16]); KEY_ROLLING_PERIOD as usize];
    for (index, (tek, start, period)) in keys.iter().enumerate() {
        let period = if *period == 0 || *period > KEY_ROLLING_PERIOD {
            KEY_ROLLING_PERIOD
        } else {
            *period
        } as usize;
        // Encryption only: the decryption key schedule would be wasted work.
        let cipher = Aes128Enc::new(GenericArray::from_slice(&rpik_of.derive(tek)));
        for (i, block) in plain[..period].iter_mut().enumerate() {
            // `i < period <= 144`, so the cast cannot truncate.
            block[12..].copy_from_slice(&start.wrapping_add(i as u32).to_le_bytes());
        }
        let blocks = &mut ids[..period];
        cipher
            .encrypt_blocks_b2b(&plain[..period], blocks)
            .expect("both buffers hold `period` blocks");
        for (i, block) in blocks.iter().enumerate() {
            let id: &[u8; 16] = block.as_ref();
            let bit = filter_bit(id);
            if bitmap[bit / 64] & (1 << (bit % 64)) != 0 && observed.contains(id) {
                found.push((index, start.wrapping_add(i as u32), *id));
            }
        }
    }
    found
}

/// HKDF-SHA256 for the RPIK with the work that is the same for every key done once: the
/// extract step's HMAC is keyed with the fixed all-zero salt, so its inner and outer states are
/// computed here and cloned per key. Each key then costs 6 SHA-256 blocks (2 to extract, 4 to
/// expand), the minimum the P1 ceiling assumes, instead of 8.
struct RpikDeriver {
    zero_salt: Hmac<Sha256>,
}

impl RpikDeriver {
    fn new() -> Self {
        Self {
            zero_salt: <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32])
                .expect("HMAC takes keys of any length"),
        }
    }

    fn derive(&self, tek: &Tek) -> [u8; 16] {
        let mut extract = self.zero_salt.clone();
        extract.update(tek);
        let prk = extract.finalize().into_bytes();
        let mut expand =
            <Hmac<Sha256> as Mac>::new_from_slice(&prk).expect("HMAC takes keys of any length");
        // RFC 5869: T(1) = HMAC(PRK, info || 0x01); 16 bytes need only T(1).
        expand.update(b"EN-RPIK");
        expand.update(&[1]);
        let t1 = expand.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&t1[..16]);
        out
    }
}

/// Bits of the matching prefilter (a power of two).
const FILTER_BITS: usize = 1 << 18;

fn filter_bit(id: &[u8; 16]) -> usize {
    (usize::from(id[0]) | usize::from(id[1]) << 8 | usize::from(id[2]) << 16) & (FILTER_BITS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_numbers() {
        assert_eq!(en_interval_number(1_585_785_600), 2_642_976);
        assert_eq!(en_interval_number(1_585_785_600 + 599), 2_642_976);
        assert_eq!(en_interval_number(1_585_785_600 + 600), 2_642_977);
        assert_eq!(en_interval_number(-1), 0);
        assert_eq!(en_interval_number(i64::MAX), u32::MAX);
    }

    #[test]
    fn padded_data_layout() {
        let expected = [
            0x45, 0x4e, 0x2d, 0x52, 0x50, 0x49, 0, 0, 0, 0, 0, 0, 0x20, 0x54, 0x28, 0x00,
        ];
        assert_eq!(padded_data(2_642_976), expected);
    }

    #[test]
    fn the_precomputed_hkdf_equals_the_plain_one() {
        let deriver = RpikDeriver::new();
        for seed in 0..50u8 {
            let tek = [seed.wrapping_mul(37); 16];
            assert_eq!(deriver.derive(&tek), rpik(&tek));
        }
    }

    #[test]
    fn metadata_layout() {
        assert_eq!(metadata(1, 0, 8), [0x40, 0x08, 0, 0]);
        assert_eq!(metadata(1, 1, -20), [0x50, 0xec, 0, 0]);
    }
}
