//! The check against theory: a homogeneous, well-mixed population with the same disease course.
//!
//! Each day every infected person makes Poisson(R0 · w(k)) infectious contacts with people
//! drawn uniformly from the whole population, w(k) the generation-time share of day k since
//! infection; a contact infects if the person is still susceptible. As the population grows the
//! final share infected z tends to the root of z = 1 − exp(−R0·z) whatever the generation time
//! (Kermack–McKendrick), which is what the test checks for several R0.

use rand::Rng;
use rand_distr::{Distribution, Poisson};
use serde::Serialize;

use crate::disease::{Curve, COURSE_DAYS};
use crate::rng::{stream, Tag};
use crate::SimError;

/// Result of one well-mixed run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WellMixed {
    /// Share of the initially susceptible who were infected.
    pub attack_rate: f64,
    /// The SIR final size z = 1 − exp(−R0·z) for comparison.
    pub final_size: f64,
    pub r0: f64,
    pub population: usize,
    pub seed: u64,
    pub initial_infections: usize,
    pub infections: u64,
    /// Days until nobody was infectious any more.
    pub days: u32,
    pub peak_day: u32,
    /// New infections per day.
    pub daily: Vec<u64>,
}

/// The non-zero root of z = 1 − exp(−R0·z) (0 when R0 ≤ 1), by Newton's method from 1.
pub fn final_size(r0: f64) -> f64 {
    if r0 <= 1.0 {
        return 0.0;
    }
    let mut z: f64 = 1.0;
    for _ in 0..100 {
        let f = z - 1.0 + (-r0 * z).exp();
        let df = 1.0 - r0 * (-r0 * z).exp();
        let next = z - f / df;
        if (next - z).abs() < 1e-14 {
            return next;
        }
        z = next;
    }
    z
}

/// Runs the well-mixed model with the Ferretti generation time.
pub fn run(r0: f64, population: usize, seed: u64, initial: usize) -> Result<WellMixed, SimError> {
    let mut problems = Vec::new();
    if !(r0.is_finite() && (0.0..=30.0).contains(&r0)) {
        problems.push(format!("r0 must be between 0 and 30, not {r0}"));
    }
    if !(10..=50_000_000).contains(&population) {
        problems.push(format!(
            "population must be 10..=50,000,000, not {population}"
        ));
    }
    if initial == 0 || initial >= population {
        problems.push("initial infections must be 1..population".to_owned());
    }
    if !problems.is_empty() {
        return Err(SimError::Invalid(problems));
    }
    let curve = Curve::weibull(2.826, 5.665);
    let mut rng = stream(seed, Tag::WellMixed, 0, 0);
    let mut infected = vec![false; population];
    // Infected people by day of infection.
    let mut cohorts: Vec<Vec<u32>> = vec![Vec::new()];
    while cohorts[0].len() < initial {
        let p = rng.gen_range(0..population);
        if !infected[p] {
            infected[p] = true;
            cohorts[0].push(p as u32);
        }
    }
    let mut total = initial as u64;
    let mut daily = vec![initial as u64];
    let mut day = 0usize;
    loop {
        let mut new = Vec::new();
        let first = day.saturating_sub(COURSE_DAYS - 1);
        for (k_day, cohort) in cohorts.iter().enumerate().skip(first) {
            let rate = r0 * curve.at((day - k_day) as i32);
            let Ok(poisson) = Poisson::new(rate.max(1e-12)) else {
                continue;
            };
            for _ in cohort {
                let contacts = poisson.sample(&mut rng) as u64;
                for _ in 0..contacts {
                    let t = rng.gen_range(0..population);
                    if !infected[t] {
                        infected[t] = true;
                        new.push(t as u32);
                    }
                }
            }
        }
        day += 1;
        total += new.len() as u64;
        daily.push(new.len() as u64);
        cohorts.push(new);
        let active = cohorts
            .iter()
            .skip(day.saturating_sub(COURSE_DAYS - 1))
            .any(|c| !c.is_empty());
        if !active || day > 10_000 {
            break;
        }
    }
    let peak_day = daily
        .iter()
        .enumerate()
        .max_by_key(|(d, x)| (**x, std::cmp::Reverse(*d)))
        .map(|(d, _)| d as u32)
        .unwrap_or(0);
    Ok(WellMixed {
        attack_rate: (total - initial as u64) as f64 / (population - initial) as f64,
        final_size: final_size(r0),
        r0,
        population,
        seed,
        initial_infections: initial,
        infections: total,
        days: day as u32,
        peak_day,
        daily,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_size_table() {
        // sim.md §4: 1.5 → 0.583, 2 → 0.797, 2.5 → 0.893, 3 → 0.941.
        for (r0, z) in [(1.5, 0.583), (2.0, 0.797), (2.5, 0.893), (3.0, 0.941)] {
            assert!((final_size(r0) - z).abs() < 1e-3, "{r0}");
        }
        assert_eq!(final_size(0.9), 0.0);
    }

    /// The SIR final-size relation, within sampling error: for N = 40,000 the standard
    /// deviation of the attack rate is well under 0.01 for these R0.
    #[test]
    fn reproduces_the_final_size_relation() {
        for (r0, seed) in [(1.5, 1), (2.0, 2), (3.0, 3)] {
            let run = run(r0, 40_000, seed, 40).unwrap();
            let z = final_size(r0);
            assert!(
                (run.attack_rate - z).abs() < 0.02,
                "R0 {r0}: simulated {} vs z {z}",
                run.attack_rate
            );
        }
    }

    #[test]
    fn below_threshold_dies_out() {
        let run = run(0.5, 20_000, 1, 20).unwrap();
        assert!(run.attack_rate < 0.01, "{}", run.attack_rate);
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let a = run(2.0, 5_000, 7, 10).unwrap();
        let b = run(2.0, 5_000, 7, 10).unwrap();
        let c = run(2.0, 5_000, 8, 10).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.daily, c.daily);
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(run(-1.0, 1000, 1, 10).is_err());
        assert!(run(2.0, 0, 1, 10).is_err());
        assert!(run(2.0, 100, 1, 100).is_err());
    }
}
