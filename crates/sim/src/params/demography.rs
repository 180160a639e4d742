//! Who lives in the province: age bands, household sizes, schools, workplaces, buses and
//! smartphones, with their defaults and their checks.

use serde::Serialize;

use super::check::Check;
use super::AGE_BANDS;

/// The population of the province.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Demography {
    /// Share of people per age band. Vietnam's 2019 census, rounded to ten-year bands
    /// (*assumption*: read off the GSO pyramid, young-heavy, 1.8 % aged 80+).
    pub age_shares: [f64; AGE_BANDS],
    /// Share of households of 1, 2, 3, 4, 5 and 6 people: mean 3.5, the 2019 census mean
    /// household size (the shape is an *assumption*).
    pub household_size_shares: [f64; 6],
    /// Share of people aged 18–59 who work outside home (*assumption*, ILO participation
    /// ≈ 0.75 for Vietnam).
    pub employment_rate: f64,
    /// Pupils per class, ages 3–17 (*assumption*: Vietnamese classes of 35–45, kindergartens
    /// smaller).
    pub class_size: usize,
    /// Mean people per workplace (*assumption*; sizes are geometric, so a few are large).
    pub mean_workplace_size: f64,
    /// Share of pupils and workers who take a bus each day (*assumption*: provinces travel by
    /// motorbike; buses carry a small share).
    pub bus_share: f64,
    /// Smartphone ownership by age band (OpenABM's app uptake ceiling from OFCOM: 0.09, 0.80,
    /// 0.97, 0.96, 0.94, 0.86, 0.70, 0.48, 0.32).
    pub smartphone_by_age: [f64; AGE_BANDS],
}

impl Demography {
    /// The literature defaults.
    pub(super) fn defaults() -> Demography {
        Demography {
            age_shares: [
                0.161, 0.146, 0.153, 0.161, 0.136, 0.115, 0.079, 0.033, 0.016,
            ],
            household_size_shares: [0.10, 0.18, 0.21, 0.26, 0.14, 0.11],
            employment_rate: 0.75,
            class_size: 38,
            mean_workplace_size: 15.0,
            bus_share: 0.08,
            smartphone_by_age: [0.09, 0.80, 0.97, 0.96, 0.94, 0.86, 0.70, 0.48, 0.32],
        }
    }

    /// Adds this group's problems to `v`.
    pub(super) fn check(&self, v: &mut Check) {
        let d = self;
        v.shares("demography.age_shares", &d.age_shares);
        v.shares("demography.household_size_shares", &d.household_size_shares);
        v.prob("demography.employment_rate", d.employment_rate);
        v.prob("demography.bus_share", d.bus_share);
        for p in d.smartphone_by_age {
            v.prob("demography.smartphone_by_age", p);
        }
        if !(2..=200).contains(&d.class_size) {
            v.fail("demography.class_size must be 2..=200");
        }
        v.range(
            "demography.mean_workplace_size",
            d.mean_workplace_size,
            1.0,
            10_000.0,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::params::Params;

    #[test]
    fn household_shares_average_three_and_a_half() {
        let p = Params::new(1, 1, 1);
        let mean: f64 = p
            .demography
            .household_size_shares
            .iter()
            .enumerate()
            .map(|(i, s)| (i + 1) as f64 * s)
            .sum();
        assert!((mean - 3.5).abs() < 0.15, "{mean}");
    }
}
