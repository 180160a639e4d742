//! One day of contacts, setting by setting, and what each contact does: a chance of
//! transmission when one side is infectious and the other susceptible, a record of the true
//! contact when either side is infected (the ground truth tracing is judged against), and
//! radio readings when both carry the app.
//!
//! Contacts are sampled afresh every day and never stored whole: a million agents make about
//! ten million a day, and most touch nobody infected and no pair of app users, so a contact is
//! looked at through one byte of flags per person and dropped. The work is cut into fixed
//! chunks (households, groups, people, venue-hours), each with its own random stream, run on
//! all cores and merged in chunk order.

use phongdich_exposure::scoring::{ExposureWindow, ScoringConfig};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::ble::Encounter;
use crate::params::{Params, Setting};
use crate::population::Population;

/// Flag bits, one byte per person per day.
pub(crate) const INFECTIOUS: u8 = 1;
pub(crate) const SUSCEPTIBLE: u8 = 2;
/// Infected in the last 30 days: contacts are kept as ground truth.
pub(crate) const IN_COURSE: u8 = 4;
pub(crate) const APP: u8 = 8;
/// Not in quarantine or isolation: has contacts outside the household.
pub(crate) const OUT: u8 = 16;

/// A transmission that happened (if the target is still uninfected when merged).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Infection {
    pub target: u32,
    pub setting: Setting,
}

/// What a phone scored of another phone in a day, before the key owner's infectiousness.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BleEntry {
    pub heard: u32,
    pub hearer: u32,
    pub weighted_seconds: f32,
}

/// Two app users' phones near each other, with every reading each took of the other: what
/// phones driven outside the simulator (`sim run --mode http`) hear through the SDK.
#[derive(Clone, Debug, PartialEq)]
pub struct RadioContact {
    pub a: u32,
    pub b: u32,
    pub setting: Setting,
    /// Seconds each scan stands for.
    pub scan_seconds: u32,
    /// Attenuations `a`'s phone read of `b`'s advertisements, one a scan, dB.
    pub a_heard_b: Vec<u8>,
    /// Attenuations `b`'s phone read of `a`'s.
    pub b_heard_a: Vec<u8>,
}

/// A true contact of an infected person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TrueContact {
    pub infected: u32,
    pub other: u32,
    pub setting: Setting,
    /// Close by the profile's rule: within the distance for at least the minutes.
    pub close: bool,
}

/// Everything a chunk needs to read, shared by all chunks of a day.
pub(crate) struct DayView<'a> {
    pub pop: &'a Population,
    pub params: &'a Params,
    pub flags: &'a [u8],
    pub infectiousness: &'a [f32],
    /// Per-contact transmission rate of a unit-infectiousness case, per setting.
    pub beta: [f64; 6],
    pub susceptibility: [f64; 9],
    pub scoring: &'a ScoringConfig,
    pub close_metres: f64,
    pub close_minutes: u32,
    /// Keep every reading of phone pairs ([`RadioContact`]), for phones driven outside.
    pub record_radio: bool,
}

/// What a chunk found.
pub(crate) struct ChunkOut {
    pub infections: Vec<Infection>,
    pub ble: Vec<BleEntry>,
    pub truth: Vec<TrueContact>,
    pub radio: Vec<RadioContact>,
    pub contacts: [u64; 6],
    window: ExposureWindow,
}

impl ChunkOut {
    pub(crate) fn new() -> ChunkOut {
        ChunkOut {
            infections: Vec::new(),
            ble: Vec::new(),
            truth: Vec::new(),
            radio: Vec::new(),
            contacts: [0; 6],
            window: crate::ble::scratch_window(),
        }
    }

    /// One contact between `a` and `b` in `setting`.
    #[inline]
    pub(crate) fn meet(
        &mut self,
        v: &DayView<'_>,
        rng: &mut ChaCha8Rng,
        a: u32,
        b: u32,
        setting: Setting,
    ) {
        let (ai, bi) = (a as usize, b as usize);
        let (fa, fb) = (v.flags[ai], v.flags[bi]);
        self.contacts[setting.index()] += 1;
        let a_to_b = fa & INFECTIOUS != 0 && fb & SUSCEPTIBLE != 0;
        let b_to_a = fb & INFECTIOUS != 0 && fa & SUSCEPTIBLE != 0;
        let truth = (fa | fb) & IN_COURSE != 0;
        let radio = fa & fb & APP != 0;
        if !(a_to_b || b_to_a || truth || radio) {
            return;
        }
        let shape = &v.params.contacts.shapes[setting.index()];
        let z: f64 = rng.sample(StandardNormal);
        let distance = shape.median_distance_m * (shape.distance_sdlog * z).exp();
        let minutes = (-shape.mean_minutes * (1.0 - rng.gen::<f64>()).ln()).clamp(1.0, 1440.0);
        let minutes = minutes.ceil() as u32;
        if a_to_b || b_to_a {
            let d_min = v.params.disease.risk_full_distance_m;
            let risk = (d_min / distance).powi(2).min(1.0) * v.beta[setting.index()];
            let mut trial = |source: usize, target: usize, out: &mut Vec<Infection>| {
                let rate = risk
                    * f64::from(v.infectiousness[source])
                    * v.susceptibility[usize::from(v.pop.band[target])];
                if rng.gen::<f64>() < 1.0 - (-rate).exp() {
                    out.push(Infection {
                        target: target as u32,
                        setting,
                    });
                }
            };
            if a_to_b {
                trial(ai, bi, &mut self.infections);
            }
            if b_to_a {
                trial(bi, ai, &mut self.infections);
            }
        }
        if truth {
            let close = distance <= v.close_metres && minutes >= v.close_minutes;
            if fa & IN_COURSE != 0 {
                self.truth.push(TrueContact {
                    infected: a,
                    other: b,
                    setting,
                    close,
                });
            }
            if fb & IN_COURSE != 0 {
                self.truth.push(TrueContact {
                    infected: b,
                    other: a,
                    setting,
                    close,
                });
            }
        }
        if radio {
            let ble = &v.params.ble;
            let Some(e) = Encounter::sample(ble, rng, distance, minutes, shape.path_loss_exponent)
            else {
                return;
            };
            let calibration =
                f64::from(v.pop.device_offset_db[ai]) + f64::from(v.pop.device_offset_db[bi]);
            let mut heard_by = [Vec::new(), Vec::new()];
            for (k, (hearer, heard)) in [(a, b), (b, a)].into_iter().enumerate() {
                // Both paths draw the same numbers, so recording never changes the epidemic.
                let w = if v.record_radio {
                    heard_by[k] = e.readings(ble, rng, calibration).collect();
                    e.score(&heard_by[k], v.scoring, &mut self.window)
                } else {
                    e.weighted_seconds(ble, rng, calibration, v.scoring, &mut self.window)
                };
                if w > 0.0 {
                    self.ble.push(BleEntry {
                        heard,
                        hearer,
                        weighted_seconds: w,
                    });
                }
            }
            if v.record_radio {
                let [a_heard_b, b_heard_a] = heard_by;
                self.radio.push(RadioContact {
                    a,
                    b,
                    setting,
                    scan_seconds: e.scan_seconds,
                    a_heard_b,
                    b_heard_a,
                });
            }
        }
    }
}

/// How many contacts to start: `per_day / 2` (the other half are started by the partner),
/// the fraction decided by a coin.
#[inline]
pub(crate) fn initiated(rng: &mut ChaCha8Rng, per_day: f64) -> u32 {
    let half = per_day / 2.0;
    let whole = half.floor();
    whole as u32 + u32::from(rng.gen::<f64>() < half - whole)
}

/// Household contacts of households `range`: everyone with everyone, quarantine or not.
pub(crate) fn households(
    v: &DayView<'_>,
    rng: &mut ChaCha8Rng,
    range: std::ops::Range<usize>,
    out: &mut ChunkOut,
) {
    for h in range {
        let members = v.pop.household_members(h);
        for a in members.clone() {
            for b in a + 1..members.end {
                out.meet(v, rng, a as u32, b as u32, Setting::Household);
            }
        }
    }
}

/// Classmates and colleagues of groups `range`.
pub(crate) fn groups(
    v: &DayView<'_>,
    rng: &mut ChaCha8Rng,
    range: std::ops::Range<usize>,
    out: &mut ChunkOut,
) {
    let c = &v.params.contacts;
    for g in range {
        let members = v.pop.group(g);
        if members.len() < 2 {
            continue;
        }
        let (setting, per_day) = if v.pop.group_is_school[g] {
            (Setting::School, c.school_per_day)
        } else {
            (Setting::Work, c.work_per_day)
        };
        for &a in members {
            if v.flags[a as usize] & OUT == 0 {
                continue;
            }
            for _ in 0..initiated(rng, per_day) {
                let b = members[rng.gen_range(0..members.len())];
                if b != a && v.flags[b as usize] & OUT != 0 {
                    out.meet(v, rng, a, b, setting);
                }
            }
        }
    }
}

/// Random contacts started by people `range`: mostly within the commune.
pub(crate) fn random(
    v: &DayView<'_>,
    rng: &mut ChaCha8Rng,
    range: std::ops::Range<usize>,
    out: &mut ChunkOut,
) {
    let n = v.pop.len() as u32;
    let local = v.params.contacts.random_local_share;
    for a in range {
        if v.flags[a] & OUT == 0 {
            continue;
        }
        let count = initiated(rng, f64::from(v.pop.random_contacts[a]));
        for _ in 0..count {
            let b = if rng.gen::<f64>() < local {
                let c = usize::from(v.pop.commune_of[a]);
                rng.gen_range(v.pop.commune_start[c]..v.pop.commune_start[c + 1])
            } else {
                rng.gen_range(0..n)
            };
            if b as usize != a && v.flags[b as usize] & OUT != 0 {
                out.meet(v, rng, a as u32, b, Setting::Random);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn initiated_halves_on_average() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let total: u32 = (0..10_000).map(|_| initiated(&mut rng, 7.0)).sum();
        let mean = f64::from(total) / 10_000.0;
        assert!((mean - 3.5).abs() < 0.05, "{mean}");
    }
}
