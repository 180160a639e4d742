//! The disease course of one infection: when the person is infectious and how much, whether
//! and when symptoms start.
//!
//! Infectiousness by day since infection is the generation-time distribution (Ferretti et al.
//! 2020: Weibull, shape 2.826, scale 5.665, mean 5.0 days): the chance a transmission happens
//! on day k is the Weibull mass of [k, k+1). Symptoms follow the incubation period (lognormal
//! 1.644, 0.363: mean 5.5 days) independently, so about half of transmission happens before
//! onset, as Ferretti estimated. Asymptomatic cases (by age, OpenABM) transmit at a fraction of
//! the rate. An individual multiplier (gamma, mean 1) makes a few people super-spreaders.

use rand::Rng;
use rand_distr::{Distribution, Gamma, LogNormal};
use serde::Serialize;

use crate::params::Disease;
use crate::SimError;

/// Days after infection the curve covers; the Weibull mass beyond is below 10⁻⁹.
pub const COURSE_DAYS: usize = 21;
/// Days after infection a person counts as recovered in the curves (and tests negative).
pub const RECOVERED_AFTER: i32 = 14;
/// Days after infection during which tests can detect it (OpenABM: from day 3 to day 14).
pub const DETECTABLE: std::ops::Range<i32> = 3..15;
/// Days after infection before which a case counts as exposed, not yet infectious, in the
/// curves: the Weibull puts 5 % of transmission before day 2.
pub const LATENT_DAYS: i32 = 2;

/// The infectiousness of a case on each day since infection, summing to 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// `daily[k]`: share of all transmission on day k.
    pub daily: [f64; COURSE_DAYS],
}

impl Curve {
    /// The Weibull generation time cut into days.
    pub fn weibull(shape: f64, scale: f64) -> Curve {
        let cdf = |t: f64| 1.0 - (-(t / scale).powf(shape)).exp();
        let mut daily = [0.0; COURSE_DAYS];
        for (k, w) in daily.iter_mut().enumerate() {
            *w = cdf(k as f64 + 1.0) - cdf(k as f64);
        }
        let total: f64 = daily.iter().sum();
        for w in &mut daily {
            *w /= total;
        }
        Curve { daily }
    }

    /// The share on day `k` since infection (0 outside the course).
    pub fn at(&self, k: i32) -> f64 {
        usize::try_from(k)
            .ok()
            .and_then(|k| self.daily.get(k))
            .copied()
            .unwrap_or(0.0)
    }

    /// Mean generation time in days (transmission taken mid-day).
    pub fn mean(&self) -> f64 {
        self.daily
            .iter()
            .enumerate()
            .map(|(k, w)| (k as f64 + 0.5) * w)
            .sum()
    }
}

/// One sampled course.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Course {
    /// Day of symptom onset, None for an asymptomatic infection.
    pub onset: Option<i32>,
    /// Relative infectiousness: individual multiplier, times the asymptomatic factor.
    pub infectiousness: f32,
}

/// Draws courses.
#[derive(Clone, Debug)]
pub struct CourseSampler {
    incubation: LogNormal<f64>,
    multiplier: Gamma<f64>,
    asymptomatic_by_age: [f64; 9],
    asymptomatic_infectiousness: f64,
}

impl CourseSampler {
    /// From validated parameters.
    pub fn new(d: &Disease) -> Result<CourseSampler, SimError> {
        let bad = |e: &dyn std::fmt::Display| SimError::Invalid(vec![format!("disease: {e}")]);
        let incubation =
            LogNormal::new(d.incubation_meanlog, d.incubation_sdlog).map_err(|e| bad(&e))?;
        let k = d.infectiousness_dispersion;
        let multiplier = Gamma::new(k, 1.0 / k).map_err(|e| bad(&e))?;
        Ok(CourseSampler {
            incubation,
            multiplier,
            asymptomatic_by_age: d.asymptomatic_by_age,
            asymptomatic_infectiousness: d.asymptomatic_infectiousness,
        })
    }

    /// The course of someone in age band `band` infected on `day`.
    pub fn sample(&self, rng: &mut impl Rng, band: usize, day: i32) -> Course {
        let asymptomatic = rng.gen_bool(self.asymptomatic_by_age[band.min(8)]);
        let mut infectiousness = self.multiplier.sample(rng);
        let onset = if asymptomatic {
            infectiousness *= self.asymptomatic_infectiousness;
            None
        } else {
            // Incubation in days; onset at the day it falls in, at least the next day.
            let days = self.incubation.sample(rng).clamp(1.0, 30.0);
            Some(day + days.floor() as i32)
        };
        Course {
            onset,
            infectiousness: infectiousness as f32,
        }
    }
}

/// Where a person is in the course on a day, for the curves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Stage {
    Susceptible,
    Exposed,
    Presymptomatic,
    Symptomatic,
    Asymptomatic,
    Recovered,
}

/// The stage on `day` of someone infected on `infected_on` (None: never) with `onset`.
pub fn stage(day: i32, infected_on: Option<i32>, onset: Option<i32>) -> Stage {
    let Some(t) = infected_on else {
        return Stage::Susceptible;
    };
    let k = day - t;
    if k >= RECOVERED_AFTER {
        Stage::Recovered
    } else if k < LATENT_DAYS {
        Stage::Exposed
    } else {
        match onset {
            None => Stage::Asymptomatic,
            Some(o) if day < o => Stage::Presymptomatic,
            Some(_) => Stage::Symptomatic,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::params::Params;

    #[test]
    fn ferretti_generation_time() {
        let c = Curve::weibull(2.826, 5.665);
        assert!((c.daily.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Ferretti: mean 5.0 days (ours takes transmission mid-day: 5.05 ± a day's rounding).
        assert!((c.mean() - 5.05).abs() < 0.1, "{}", c.mean());
        assert_eq!(c.at(-1), 0.0);
        assert_eq!(c.at(COURSE_DAYS as i32), 0.0);
        let peak = (0..COURSE_DAYS).max_by(|a, b| c.daily[*a].total_cmp(&c.daily[*b]));
        assert_eq!(peak, Some(4));
    }

    #[test]
    fn about_half_of_transmission_is_presymptomatic() {
        let p = Params::new(1, 1, 1);
        let sampler = CourseSampler::new(&p.disease).unwrap();
        let curve = Curve::weibull(2.826, 5.665);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (mut pre, mut all) = (0.0, 0.0);
        let mut asymptomatic = 0;
        for _ in 0..20_000 {
            let c = sampler.sample(&mut rng, 3, 0);
            match c.onset {
                None => asymptomatic += 1,
                Some(o) => {
                    pre += (0..o).map(|k| curve.at(k)).sum::<f64>();
                    all += 1.0;
                }
            }
        }
        let share = pre / all;
        // Ferretti: 0.9 of 1.7 symptomatic-route R0, 53 %; the 40 pairs alone gave 37 %.
        assert!((0.35..0.65).contains(&share), "{share}");
        let asym = asymptomatic as f64 / 20_000.0;
        assert!((asym - 0.332).abs() < 0.02, "{asym}");
    }

    #[test]
    fn stages() {
        assert_eq!(stage(5, None, None), Stage::Susceptible);
        assert_eq!(stage(11, Some(10), Some(15)), Stage::Exposed);
        assert_eq!(stage(13, Some(10), Some(15)), Stage::Presymptomatic);
        assert_eq!(stage(15, Some(10), Some(15)), Stage::Symptomatic);
        assert_eq!(stage(15, Some(10), None), Stage::Asymptomatic);
        assert_eq!(stage(24, Some(10), None), Stage::Recovered);
    }
}
