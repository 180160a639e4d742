//! Every number the simulator uses, with its source, validated once before anything runs.
//!
//! Defaults come from the literature collected in `shared/research/sim.md`: OpenABM-Covid19
//! (Hinch et al. 2021, `baseline_parameters.csv`), Covasim (Kerr et al. 2021), Ferretti et al.
//! (Science 2020) and the BLE measurements of Leith & Farrell. Numbers marked *assumption* are
//! ours and say so; the disease profile (`data/profiles/covid19-2021.toml`) supplies the tracing
//! rules (close contact, transmission days before onset, quarantine by F-level) and the venue
//! dwell times, exactly as the server applies them.
//!
//! Each group lives in its own module with its defaults and its checks ([`Demography`],
//! [`Contacts`], [`Disease`], [`Ble`], [`Interventions`]; the settings in [`Setting`]), and
//! [`Params`] gathers them.

use serde::Serialize;

use crate::SimError;

mod ble;
mod check;
mod contacts;
mod demography;
mod disease;
mod interventions;
mod setting;

pub use ble::Ble;
pub use contacts::Contacts;
pub use demography::Demography;
pub use disease::Disease;
pub use interventions::Interventions;
pub use setting::{Setting, SettingShape};

use check::Check;

/// Ten-year age bands 0–9 … 80+.
pub const AGE_BANDS: usize = 9;

/// All parameters of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Agents.
    pub population: usize,
    /// Simulated days.
    pub days: u32,
    /// Seed of every random choice: the same seed gives the same run.
    pub seed: u64,
    pub demography: Demography,
    pub contacts: Contacts,
    pub disease: Disease,
    pub ble: Ble,
    pub interventions: Interventions,
}

impl Params {
    /// The literature defaults for `population` agents over `days`, seeded with `seed`.
    pub fn new(population: usize, days: u32, seed: u64) -> Params {
        Params {
            population,
            days,
            seed,
            demography: Demography::defaults(),
            contacts: Contacts::defaults(),
            disease: Disease::defaults(),
            ble: Ble::defaults(),
            interventions: Interventions::defaults(),
        }
    }

    /// Checks every number and returns every problem at once, before anything runs.
    pub fn validate(&self) -> Result<(), SimError> {
        let mut v = Check::default();
        if self.population == 0 {
            v.fail("population must be at least 1");
        }
        if self.population > 20_000_000 {
            v.fail("population must be at most 20,000,000 (agent ids are 32-bit, memory)");
        }
        if self.days == 0 || self.days > 3650 {
            v.fail("days must be 1..=3650");
        }
        self.demography.check(&mut v);
        self.contacts.check(&mut v);
        self.disease.check(self.population, &mut v);
        self.ble.check(&mut v);
        self.interventions.check(&mut v);
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Params::new(1000, 30, 1).validate().unwrap();
    }

    #[test]
    fn every_problem_is_named() {
        let mut p = Params::new(0, 0, 1);
        p.interventions.adoption = 1.5;
        p.interventions.quarantine_dropout = -0.1;
        p.disease.r0 = f64::NAN;
        p.interventions.interview_capacity_per_100k = 0.0;
        p.interventions.interview_recall_decay = -1.0;
        let Err(SimError::Invalid(problems)) = p.validate() else {
            panic!("must fail")
        };
        let text = problems.join("\n");
        for needle in [
            "population",
            "days",
            "adoption",
            "quarantine_dropout",
            "r0",
            "interview_capacity_per_100k",
            "interview_recall_decay",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
    }
}
