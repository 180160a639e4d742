//! `phongdich bench match` (SPEC §9 P1): on-device matching, one core — diagnosis keys derived
//! (RPIK, then 144 RPIs) and looked up among 10,000 observed identifiers, against the ceiling
//! computed in the same run from the measured cost of one SHA-256 block and one AES block
//! (6 SHA-256 blocks + 144 AES blocks per key).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use aes::cipher::{BlockEncrypt, KeyInit};
use phongdich_exposure::crypto::{match_keys, rpik, rpis, Tek, KEY_ROLLING_PERIOD};
use rand::{Rng, SeedableRng};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::report::result;
use crate::args::MatchBench;

/// SHA-256 blocks and AES blocks one key costs at the least (SPEC §9 P1).
const SHA_BLOCKS_PER_KEY: f64 = 6.0;
const AES_BLOCKS_PER_KEY: f64 = 144.0;

pub(super) fn run(flags: MatchBench) -> anyhow::Result<()> {
    anyhow::ensure!(flags.observed >= 100, "--observed must be at least 100");
    anyhow::ensure!(flags.keys >= 10, "--keys must be at least 10");
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let start = 2_642_976u32;
    let keys: Vec<(Tek, u32, u32)> = (0..flags.keys)
        .map(|_| (rng.gen(), start, KEY_ROLLING_PERIOD))
        .collect();
    // 10,000 identifiers heard by the phone; a few belong to diagnosis keys, so matching has
    // something to find.
    let mut observed: HashSet<[u8; 16]> = (0..flags.observed - 20).map(|_| rng.gen()).collect();
    for (tek, s, _) in keys.iter().step_by((flags.keys / 10).max(1)).take(10) {
        let ids = rpis(&rpik(tek), *s);
        observed.insert(ids[7]);
        observed.insert(ids[100]);
    }
    eprintln!(
        "bench match: {} keys against {} observed identifiers, one core",
        keys.len(),
        observed.len()
    );

    let sha_ns = sha_block_ns();
    let aes_ns = aes_block_ns();
    let ceiling = 1e9 / (SHA_BLOCKS_PER_KEY * sha_ns + AES_BLOCKS_PER_KEY * aes_ns);

    let t = Instant::now();
    let found = match_keys(&keys, &observed);
    let secs = t.elapsed().as_secs_f64();
    let rate = keys.len() as f64 / secs;
    anyhow::ensure!(
        found.len() == 20,
        "expected 20 matches, found {}",
        found.len()
    );

    println!("one SHA-256 block: {sha_ns:.1} ns   one AES-128 block: {aes_ns:.2} ns");
    println!("ceiling (6 SHA-256 + 144 AES blocks per key): {ceiling:>12.0} keys/s");
    println!(
        "measured (derive + match, {} matches):       {rate:>12.0} keys/s",
        found.len()
    );
    println!("ratio: {:.3}   (target, SPEC §9 P1: ≥ 0.5)", rate / ceiling);
    if flags.json {
        let line = result(
            "match",
            rate,
            "keys/s",
            ceiling,
            "keys/s",
            json!({"keys": keys.len(), "observed": observed.len(), "sha256_block_ns": sha_ns, "aes_block_ns": aes_ns}),
        );
        println!("{line}");
    }
    Ok(())
}

/// Nanoseconds per SHA-256 compression: digests of 55-byte messages (one padded block each).
fn sha_block_ns() -> f64 {
    let n = 2_000_000u32;
    let mut msg = [7u8; 55];
    let t = Instant::now();
    for i in 0..n {
        msg[..4].copy_from_slice(&i.to_le_bytes());
        black_box(Sha256::digest(black_box(&msg)));
    }
    t.elapsed().as_secs_f64() * 1e9 / f64::from(n)
}

/// Nanoseconds per AES-128 block, encrypting many blocks with one key schedule (as matching does).
fn aes_block_ns() -> f64 {
    let cipher = aes::Aes128::new(&[9u8; 16].into());
    let mut blocks = vec![aes::Block::default(); 144];
    let rounds = 50_000u32;
    let t = Instant::now();
    for _ in 0..rounds {
        cipher.encrypt_blocks(black_box(&mut blocks));
    }
    t.elapsed().as_secs_f64() * 1e9 / (144.0 * f64::from(rounds))
}
