//! The disease course: R0, generation time, incubation, asymptomatic share, susceptibility
//! and super-spreading, with their defaults and their checks.

use serde::Serialize;

use super::check::Check;
use super::AGE_BANDS;

/// The disease course.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disease {
    /// Nominal basic reproduction number: expected infections by one case of average
    /// infectiousness in a fully susceptible province, from the mean contacts of each setting
    /// (household saturation, testing and interviews make the realised number much lower).
    /// Ferretti: 2.0 for the 2020 strain; Vietnam's 2021 wave was Delta, R0 ≈ 5.08 (Liu &
    /// Rocklöv, J Travel Med 2021), which we take.
    pub r0: f64,
    /// Generation time Weibull shape and scale (Ferretti et al. 2020: 2.826, 5.665; mean 5.0
    /// days); the infectiousness of a case on each day since infection.
    pub generation_shape: f64,
    /// See [`Disease::generation_shape`].
    pub generation_scale: f64,
    /// Incubation period lognormal meanlog and sdlog (Ferretti/Lauer: 1.644, 0.363; mean 5.5).
    pub incubation_meanlog: f64,
    /// See [`Disease::incubation_meanlog`].
    pub incubation_sdlog: f64,
    /// Share of infections that never show symptoms, by age (OpenABM: 0.456 … 0.192).
    pub asymptomatic_by_age: [f64; AGE_BANDS],
    /// Infectiousness of an asymptomatic case relative to a symptomatic one (OpenABM: 0.33).
    pub asymptomatic_infectiousness: f64,
    /// Susceptibility by age (OpenABM: 0.35, 0.69, 1.03 for 20–59, 1.27 for 60s, 1.52 70+).
    pub susceptibility_by_age: [f64; AGE_BANDS],
    /// Shape of the gamma-distributed individual infectiousness (mean 1); Covasim uses a
    /// negative binomial dispersion of 0.45. Smaller means more super-spreading.
    pub infectiousness_dispersion: f64,
    /// Distance within which risk is constant; beyond it falls as (d_min/d)² (Oxford's
    /// proposal, Fraser et al. 2020: 1 m).
    pub risk_full_distance_m: f64,
    /// People infected on day 0.
    pub initial_infections: usize,
}

impl Disease {
    /// The literature defaults.
    pub(super) fn defaults() -> Disease {
        Disease {
            r0: 5.08,
            generation_shape: 2.826,
            generation_scale: 5.665,
            incubation_meanlog: 1.644,
            incubation_sdlog: 0.363,
            asymptomatic_by_age: [
                0.456, 0.412, 0.370, 0.332, 0.296, 0.265, 0.238, 0.214, 0.192,
            ],
            asymptomatic_infectiousness: 0.33,
            susceptibility_by_age: [0.35, 0.69, 1.03, 1.03, 1.03, 1.03, 1.27, 1.52, 1.52],
            infectiousness_dispersion: 0.45,
            risk_full_distance_m: 1.0,
            initial_infections: 20,
        }
    }

    /// Adds this group's problems to `v`; `population` bounds the initial infections.
    pub(super) fn check(&self, population: usize, v: &mut Check) {
        let s = self;
        v.range("disease.r0", s.r0, 0.0, 30.0);
        v.range("disease.generation_shape", s.generation_shape, 0.1, 20.0);
        v.range("disease.generation_scale", s.generation_scale, 0.1, 60.0);
        v.range(
            "disease.incubation_meanlog",
            s.incubation_meanlog,
            -3.0,
            4.0,
        );
        v.range("disease.incubation_sdlog", s.incubation_sdlog, 0.0, 3.0);
        for p in s.asymptomatic_by_age {
            v.prob("disease.asymptomatic_by_age", p);
        }
        v.prob(
            "disease.asymptomatic_infectiousness",
            s.asymptomatic_infectiousness,
        );
        for x in s.susceptibility_by_age {
            v.range("disease.susceptibility_by_age", x, 0.0, 10.0);
        }
        v.range(
            "disease.infectiousness_dispersion",
            s.infectiousness_dispersion,
            0.01,
            1000.0,
        );
        v.range(
            "disease.risk_full_distance_m",
            s.risk_full_distance_m,
            0.01,
            100.0,
        );
        if s.initial_infections == 0 || s.initial_infections > population {
            v.fail("disease.initial_infections must be 1..=population");
        }
    }
}
