//! Seeded random streams. Every stream is ChaCha8 keyed by the run's seed and a tag (what it
//! is for, which day, which chunk), so work split across threads draws the same numbers
//! whatever thread runs it, and adding a stream never shifts another.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Stream tags, so two uses never share numbers.
#[derive(Clone, Copy)]
pub(crate) enum Tag {
    Population = 1,
    Course = 2,
    Contacts = 3,
    Venues = 4,
    Tracing = 5,
    WellMixed = 6,
}

/// SplitMix64's finaliser: a bijective mix, so distinct inputs give distinct seeds.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream of (`seed`, `tag`, `a`, `b`): e.g. `b` a chunk of day `a`.
pub(crate) fn stream(seed: u64, tag: Tag, a: u64, b: u64) -> ChaCha8Rng {
    let key = mix(mix(mix(seed) ^ tag as u64) ^ a.wrapping_mul(0x1000_0000_01B3)) ^ mix(b);
    ChaCha8Rng::seed_from_u64(key)
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    #[test]
    fn streams_are_stable_and_distinct() {
        let a: u64 = stream(1, Tag::Contacts, 3, 4).gen();
        let b: u64 = stream(1, Tag::Contacts, 3, 4).gen();
        let c: u64 = stream(1, Tag::Contacts, 4, 3).gen();
        let d: u64 = stream(2, Tag::Contacts, 3, 4).gen();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }
}
