//! Building a run: checking the parameters against the population, calibrating each
//! setting's transmission rate to the nominal R0, and seeding the first infections.

use std::collections::{BTreeMap, VecDeque};

use phongdich_device::DeviceConfig;
use phongdich_domain::profile::Profile;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::{Simulation, NEVER};
use crate::disease::{CourseSampler, Curve};
use crate::params::{Params, Setting};
use crate::population::{Population, VISITED};
use crate::rng::{stream, Tag};
use crate::visits;
use crate::SimError;

impl<'p> Simulation<'p> {
    /// A run of `params` over `pop` (built from the same population size), with
    /// `params.disease.initial_infections` people infected in the last five days.
    pub fn new(pop: &'p Population, params: Params) -> Result<Simulation<'p>, SimError> {
        params.validate()?;
        if params.population != pop.len() {
            return Err(SimError::Invalid(vec![format!(
                "the population has {} people, the parameters say {}",
                pop.len(),
                params.population
            )]));
        }
        let profile = Profile::covid19_2021();
        let n = pop.len();
        let curve = Curve::weibull(
            params.disease.generation_shape,
            params.disease.generation_scale,
        );
        let sampler = CourseSampler::new(&params.disease)?;
        let mut susceptibility = [0.0; 9];
        susceptibility.copy_from_slice(&params.disease.susceptibility_by_age);
        let beta = calibrate(pop, &params);
        let mut dwell = [0.0; 5];
        for (k, c) in VISITED.iter().enumerate() {
            dwell[k] = visits::dwell_minutes(&profile, *c);
        }
        let mut sim = Simulation {
            pop,
            app: pop.app_users(params.interventions.adoption),
            rng: stream(params.seed, Tag::Tracing, 0, 0),
            params,
            profile,
            device: DeviceConfig::default(),
            curve,
            sampler,
            beta,
            susceptibility,
            day: 0,
            infected_on: vec![NEVER; n],
            onset: vec![NEVER; n],
            multiplier: vec![0.0; n],
            free_from: vec![0; n],
            traced_until: vec![NEVER; n],
            confirmed: vec![false; n],
            awaiting_result: vec![false; n],
            active: Vec::new(),
            flags: vec![0; n],
            infectiousness: vec![0.0; n],
            events: BTreeMap::new(),
            logs: VecDeque::new(),
            rows: Vec::new(),
            tallies: Default::default(),
            true_f1: 0,
            true_found_any: 0,
            confirmed_total: 0,
            false_positive_total: 0,
            infections_by_setting: [0; 6],
            infections_total: 0,
            dwell,
            interviews_free_at: 0.0,
            interview_waits: Vec::new(),
            interviews_dropped: 0,
            external_phones: false,
            radio_today: Vec::new(),
            uploads: Vec::new(),
        };
        let mut rng = stream(sim.params.seed, Tag::Course, u64::MAX, 0);
        let mut seeded = 0;
        while seeded < sim.params.disease.initial_infections {
            let p = rng.gen_range(0..n);
            if sim.infected_on[p] == NEVER {
                let day = -rng.gen_range(0..5);
                sim.infect(p, day, &mut rng);
                seeded += 1;
            }
        }
        Ok(sim)
    }
}

/// The per-contact rate of each setting that makes one case of average infectiousness infect
/// R0 people in a fully susceptible population: R0 / Σ (mean daily contacts × weight × mean
/// distance risk) / mean susceptibility / mean infectiousness.
fn calibrate(pop: &Population, params: &Params) -> [f64; 6] {
    let n = pop.len() as f64;
    let c = &params.contacts;
    let household: f64 = (0..pop.households())
        .map(|h| {
            let m = pop.household_members(h).len() as f64;
            m * (m - 1.0)
        })
        .sum::<f64>()
        / n;
    let (mut school, mut work) = (0.0, 0.0);
    for g in 0..pop.group_is_school.len() {
        let m = pop.group(g).len() as f64;
        if m < 2.0 {
            continue;
        }
        if pop.group_is_school[g] {
            school += m * c.school_per_day;
        } else {
            work += m * c.work_per_day;
        }
    }
    let venue: f64 = c.venue_visit_prob.iter().sum::<f64>() * c.venue_contacts_per_visit;
    let riders = pop
        .bus_route
        .iter()
        .filter(|&&r| r != crate::population::NONE)
        .count() as f64;
    let transport = riders * 2.0 * c.bus_contacts_per_ride / n;
    let random = pop
        .random_contacts
        .iter()
        .map(|&r| f64::from(r))
        .sum::<f64>()
        / n;
    let per_day = [household, school / n, work / n, venue, transport, random];

    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED);
    let d_min = params.disease.risk_full_distance_m;
    let mut weighted = 0.0;
    for s in Setting::ALL {
        let shape = &c.shapes[s.index()];
        let risk: f64 = (0..4_096)
            .map(|_| {
                let z: f64 = rng.sample(StandardNormal);
                let d = shape.median_distance_m * (shape.distance_sdlog * z).exp();
                (d_min / d).powi(2).min(1.0)
            })
            .sum::<f64>()
            / 4_096.0;
        weighted += per_day[s.index()] * shape.transmission_weight * risk;
    }
    let d = &params.disease;
    let (mut susc, mut asym) = (0.0, 0.0);
    for &b in &pop.band {
        susc += d.susceptibility_by_age[usize::from(b)];
        asym += d.asymptomatic_by_age[usize::from(b)];
    }
    let (susc, asym) = (susc / n, asym / n);
    let infectiousness = 1.0 - asym + asym * d.asymptomatic_infectiousness;
    let denominator = weighted * susc * infectiousness;
    let base = if denominator > 0.0 {
        d.r0 / denominator
    } else {
        0.0
    };
    let mut beta = [0.0; 6];
    for s in Setting::ALL {
        beta[s.index()] = base * c.shapes[s.index()].transmission_weight;
    }
    beta
}
