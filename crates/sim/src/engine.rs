//! The day loop: events of the day (tests, results, interviews, alerts), then everyone's
//! contacts in parallel chunks, then the infections they caused, then the day's logs and row.
//!
//! Agent state is a set of columns indexed by person. Only what tracing can later ask for is
//! kept per day, sorted for binary search: the phones' scored readings by the heard phone, the
//! true contacts of infected people by the infected person, and the QR check-ins by venue and
//! by person, for as long as the profile keeps them.

use std::collections::{BTreeMap, VecDeque};

use phongdich_device::DeviceConfig;
use phongdich_domain::profile::Profile;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;

use crate::contacts::{self, BleEntry, ChunkOut, DayView, RadioContact, TrueContact};
use crate::contacts::{APP, INFECTIOUS, IN_COURSE, OUT, SUSCEPTIBLE};
use crate::disease::{stage, CourseSampler, Curve, Stage};
use crate::metrics::{DailyRow, Tally};
use crate::params::{Params, Setting};
use crate::population::{Population, VISITED};
use crate::rng::{stream, Tag};
use crate::tracing::{Event, UploadRequest};
use crate::visits::{self, Visit};
use crate::SimError;

/// "Never infected" in `infected_on`, "no onset" in `onset`.
pub(crate) const NEVER: i32 = i32::MIN;
/// Days an infection stays in the ground-truth log after it began.
pub(crate) const COURSE_LOG_DAYS: i32 = 30;
/// Days of logs kept: the longest of the profile's check-in retention (21) and the trace-back.
const LOG_DAYS: usize = 21;

/// One day's logs.
pub(crate) struct DayLog {
    pub day: i32,
    /// Sorted by `heard`.
    pub ble: Vec<BleEntry>,
    /// Sorted by `infected`.
    pub truth: Vec<TrueContact>,
    /// Checked-in visits sorted by [`Visit::key`] (venue first).
    pub checkins: Vec<Visit>,
    /// Indices into `checkins`, sorted by person.
    pub checkins_by_person: Vec<u32>,
}

/// A simulated province over days.
pub struct Simulation<'p> {
    pub(crate) pop: &'p Population,
    pub(crate) params: Params,
    pub(crate) profile: Profile,
    pub(crate) device: DeviceConfig,
    curve: Curve,
    sampler: CourseSampler,
    beta: [f64; 6],
    susceptibility: [f64; 9],
    pub(crate) day: i32,
    pub(crate) infected_on: Vec<i32>,
    pub(crate) onset: Vec<i32>,
    multiplier: Vec<f32>,
    pub(crate) free_from: Vec<i32>,
    pub(crate) traced_until: Vec<i32>,
    pub(crate) app: Vec<bool>,
    pub(crate) confirmed: Vec<bool>,
    pub(crate) awaiting_result: Vec<bool>,
    active: Vec<u32>,
    flags: Vec<u8>,
    infectiousness: Vec<f32>,
    pub(crate) events: BTreeMap<i32, Vec<Event>>,
    pub(crate) logs: VecDeque<DayLog>,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) rows: Vec<DailyRow>,
    pub(crate) tallies: [Tally; 3],
    pub(crate) true_f1: u64,
    pub(crate) true_found_any: u64,
    pub(crate) confirmed_total: u64,
    pub(crate) false_positive_total: u64,
    infections_by_setting: [u64; 6],
    infections_total: u64,
    dwell: [f64; 5],
    /// When the tracers' queue is next free, in days (fractional: interviews are spread over
    /// the day).
    pub(crate) interviews_free_at: f64,
    /// Days each F0 waited from confirmation to the interview.
    pub(crate) interview_waits: Vec<f32>,
    /// Cases the tracers never reached.
    pub(crate) interviews_dropped: u64,
    /// Whether the phones live outside (see [`Simulation::set_external_phones`]).
    pub(crate) external_phones: bool,
    radio_today: Vec<RadioContact>,
    pub(crate) uploads: Vec<UploadRequest>,
}

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

    /// The per-contact transmission rate of each setting, from the nominal R0.
    pub fn beta(&self) -> [f64; 6] {
        self.beta
    }

    /// The days simulated so far.
    pub fn rows(&self) -> &[DailyRow] {
        &self.rows
    }

    /// The parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Hands the app to phones driven outside the simulator (the real device SDK talking to a
    /// real server, `sim run --mode http`): every reading of each day's phone pairs is kept for
    /// [`Simulation::take_radio`]; a confirmed app user who gets a code and uploads is handed
    /// out by [`Simulation::take_uploads`] instead of being scored here; and the alerts those
    /// phones raise come back through [`Simulation::proximity_alert`]. Recording draws the same
    /// random numbers as scoring, so the contacts and infections are those of a normal run
    /// until the first alert differs.
    pub fn set_external_phones(&mut self, on: bool) {
        self.external_phones = on;
    }

    /// The phone pairs of the last simulated day with their readings (empty unless
    /// [`Simulation::set_external_phones`]).
    pub fn take_radio(&mut self) -> Vec<RadioContact> {
        std::mem::take(&mut self.radio_today)
    }

    /// Confirmed app users who upload their keys, since the last call.
    pub fn take_uploads(&mut self) -> Vec<UploadRequest> {
        std::mem::take(&mut self.uploads)
    }

    /// An exposure alert raised on `person`'s phone outside: it arrives at the start of the
    /// next simulated day, with its quarantine, tests and F2s like any alert.
    pub fn proximity_alert(&mut self, person: u32) {
        self.schedule(
            self.day,
            Event::Alert {
                person,
                source: crate::metrics::Source::Proximity,
            },
        );
    }

    /// Whether `person` uses the app.
    pub fn is_app_user(&self, person: u32) -> bool {
        self.app.get(person as usize).copied().unwrap_or(false)
    }

    /// The next day [`Simulation::step`] simulates.
    pub fn day(&self) -> i32 {
        self.day
    }

    /// Runs all `params.days`, calling `progress` after each day.
    pub fn run(&mut self, progress: &mut dyn FnMut(u32)) {
        while self.day < self.params.days as i32 {
            self.step();
            progress(self.day as u32);
        }
    }

    fn infect(&mut self, p: usize, day: i32, rng: &mut ChaCha8Rng) {
        let course = self.sampler.sample(rng, usize::from(self.pop.band[p]), day);
        self.infected_on[p] = day;
        self.multiplier[p] = course.infectiousness;
        if let Some(o) = course.onset {
            self.onset[p] = o;
            self.schedule(o.max(self.day), Event::Onset(p as u32));
        }
        self.active.push(p as u32);
        self.infections_total += 1;
    }

    pub(crate) fn schedule(&mut self, day: i32, event: Event) {
        self.events.entry(day).or_default().push(event);
    }

    /// The flags and infectiousness of today.
    fn refresh(&mut self) {
        let day = self.day;
        let (free_from, infected_on, app) = (&self.free_from, &self.infected_on, &self.app);
        self.flags.par_iter_mut().enumerate().for_each(|(i, f)| {
            let mut flags = 0;
            if app[i] {
                flags |= APP;
            }
            if free_from[i] <= day {
                flags |= OUT;
            }
            if infected_on[i] == NEVER {
                flags |= SUSCEPTIBLE;
            }
            *f = flags;
        });
        let mut still = Vec::with_capacity(self.active.len());
        for &p in &self.active {
            let i = p as usize;
            let k = day - self.infected_on[i];
            if k >= COURSE_LOG_DAYS {
                self.infectiousness[i] = 0.0;
                continue;
            }
            still.push(p);
            let w = self.curve.at(k) as f32 * self.multiplier[i];
            self.infectiousness[i] = w;
            self.flags[i] |= IN_COURSE;
            if w > 0.0 {
                self.flags[i] |= INFECTIOUS;
            }
        }
        self.active = still;
    }

    /// Simulates one day.
    pub fn step(&mut self) {
        let day = self.day;
        let mut row = DailyRow {
            day: day as u32,
            ..DailyRow::default()
        };
        self.process_events(day, &mut row);
        self.other_symptoms(day);
        self.refresh();

        let tracing = &self.profile.tracing;
        let view = DayView {
            pop: self.pop,
            params: &self.params,
            flags: &self.flags,
            infectiousness: &self.infectiousness,
            beta: self.beta,
            susceptibility: self.susceptibility,
            scoring: &self.device.scoring,
            close_metres: tracing.close_contact_metres,
            close_minutes: tracing.close_contact_masked_minutes.max(0) as u32,
            record_radio: self.external_phones,
        };
        let seed = self.params.seed;
        let pop = self.pop;
        let n = pop.len();
        let chunks =
            |tag: u64, count: usize, f: &(dyn Fn(&mut ChaCha8Rng, usize, &mut ChunkOut) + Sync)| {
                (0..count)
                    .into_par_iter()
                    .map(|k| {
                        let mut rng =
                            stream(seed, Tag::Contacts, day as u64, (tag << 32) | k as u64);
                        let mut out = ChunkOut::new();
                        f(&mut rng, k, &mut out);
                        out
                    })
                    .collect::<Vec<_>>()
            };
        let span = |k: usize, size: usize, total: usize| k * size..((k + 1) * size).min(total);
        const PEOPLE: usize = 16_384;
        let households = pop.households();
        let groups = pop.group_is_school.len();
        let mut outs = chunks(1, households.div_ceil(4_096), &|rng, k, out| {
            contacts::households(&view, rng, span(k, 4_096, households), out)
        });
        outs.extend(chunks(2, groups.div_ceil(256), &|rng, k, out| {
            contacts::groups(&view, rng, span(k, 256, groups), out)
        }));
        outs.extend(chunks(3, n.div_ceil(PEOPLE), &|rng, k, out| {
            contacts::random(&view, rng, span(k, PEOPLE, n), out)
        }));
        let dwell = self.dwell;
        let mut day_visits: Vec<Visit> = (0..n.div_ceil(PEOPLE))
            .into_par_iter()
            .map(|k| {
                let mut rng = stream(seed, Tag::Venues, day as u64, k as u64);
                let mut out = Vec::new();
                visits::generate(&view, &mut rng, span(k, PEOPLE, n), &dwell, &mut out);
                out
            })
            .collect::<Vec<_>>()
            .concat();
        day_visits.par_sort_unstable_by_key(Visit::key);
        let venue_hours = visits::venue_hours(&day_visits);
        outs.extend(chunks(
            4,
            venue_hours.len().div_ceil(2_048),
            &|rng, k, out| {
                let groups = &venue_hours[span(k, 2_048, venue_hours.len())];
                visits::meet(&view, rng, &day_visits, groups, out)
            },
        ));

        let mut rng = stream(seed, Tag::Course, day as u64, 0);
        let mut ble = Vec::new();
        let mut truth = Vec::new();
        let mut radio = Vec::new();
        for out in outs {
            for (total, c) in row.contacts.iter_mut().zip(out.contacts) {
                *total += c;
            }
            for inf in out.infections {
                let t = inf.target as usize;
                if self.infected_on[t] == NEVER {
                    self.infect(t, day, &mut rng);
                    row.new_infections += 1;
                    row.new_by_setting[inf.setting.index()] += 1;
                    self.infections_by_setting[inf.setting.index()] += 1;
                }
            }
            ble.extend(out.ble);
            truth.extend(out.truth);
            radio.extend(out.radio);
        }
        self.radio_today = radio;
        row.ble_readings = ble.len() as u64;
        ble.par_sort_unstable_by_key(|e| (e.heard, e.hearer));
        truth.par_sort_unstable_by_key(|t| (t.infected, t.other, t.setting));
        let checkins: Vec<Visit> = day_visits.into_iter().filter(|v| v.checked_in).collect();
        let mut by_person: Vec<u32> = (0..checkins.len() as u32).collect();
        by_person.par_sort_unstable_by_key(|&i| checkins[i as usize].person);
        self.logs.push_back(DayLog {
            day,
            ble,
            truth,
            checkins,
            checkins_by_person: by_person,
        });
        while self.logs.len() > LOG_DAYS {
            self.logs.pop_front();
        }
        self.count_stages(day, &mut row);
        self.rows.push(row);
        self.day += 1;
    }

    fn count_stages(&self, day: i32, row: &mut DailyRow) {
        let mut in_course = 0u32;
        for &p in &self.active {
            let i = p as usize;
            let onset = (self.onset[i] != NEVER).then_some(self.onset[i]);
            match stage(day, Some(self.infected_on[i]), onset) {
                Stage::Exposed => row.exposed += 1,
                Stage::Presymptomatic => row.presymptomatic += 1,
                Stage::Symptomatic => row.symptomatic += 1,
                Stage::Asymptomatic => row.asymptomatic += 1,
                Stage::Recovered | Stage::Susceptible => continue,
            }
            in_course += 1;
        }
        let ever = self.infections_total.min(u64::from(u32::MAX)) as u32;
        row.susceptible = self.pop.len() as u32 - ever;
        row.recovered = ever - in_course;
        row.quarantined = self.free_from.par_iter().filter(|&&f| f > day).count() as u32;
    }

    /// People with symptoms from something else, who may get tested like anyone.
    fn other_symptoms(&mut self, day: i32) {
        let n = self.pop.len();
        let expected = n as f64 * self.params.interventions.other_symptoms_daily;
        let count = poisson(&mut self.rng, expected);
        for _ in 0..count {
            let p = self.rng.gen_range(0..n);
            if !self.confirmed[p] && !self.awaiting_result[p] {
                self.schedule(day, Event::Onset(p as u32));
            }
        }
    }

    /// Infections so far, by setting.
    pub(crate) fn infections(&self) -> (u64, [u64; 6]) {
        (self.infections_total, self.infections_by_setting)
    }
}

/// A Poisson count by normal approximation above 30 (enough for a daily tally).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 30.0 {
        let z: f64 = rng.sample(StandardNormal);
        return (mean + z * mean.sqrt()).round().max(0.0) as u64;
    }
    let limit = (-mean).exp();
    let (mut k, mut p) = (0, rng.gen::<f64>());
    while p > limit {
        k += 1;
        p *= rng.gen::<f64>();
    }
    k
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Source;
    use crate::Province;

    fn province() -> Province {
        Province::new(
            "99",
            "Test",
            (0..3)
                .map(|i| (format!("{i:05}"), format!("Xã {i}")))
                .collect(),
        )
        .unwrap()
    }

    fn run(adoption: f64, seed: u64) -> (Vec<DailyRow>, crate::RunSummary) {
        let mut p = Params::new(6_000, 40, seed);
        p.disease.initial_infections = 30;
        p.interventions.adoption = adoption;
        let pop = Population::build(&p, &province()).unwrap();
        let mut sim = Simulation::new(&pop, p).unwrap();
        sim.run(&mut |_| {});
        (sim.rows().to_vec(), sim.summary())
    }

    #[test]
    fn same_seed_same_output() {
        let a = run(0.6, 4);
        let b = run(0.6, 4);
        assert_eq!(a, b);
        let c = run(0.6, 5);
        assert_ne!(a.0, c.0);
    }

    #[test]
    fn an_outbreak_grows_and_is_traced() {
        let (rows, s) = run(1.0, 3);
        assert!(s.infections > 90, "{s:?}");
        assert!(s.confirmed > 10, "{s:?}");
        assert!(rows.iter().any(|r| r.quarantined > 0));
        let ble = &s.tracing[&Source::Proximity];
        assert!(ble.named > 0 && ble.recall.unwrap_or(0.0) > 0.05, "{ble:?}");
        let interview = &s.tracing[&Source::Interview];
        assert!(interview.recall.unwrap_or(0.0) > ble.recall.unwrap_or(0.0) * 0.5);
        // Without the app nobody is alerted by Bluetooth.
        let (_, none) = run(0.0, 3);
        assert_eq!(none.tracing[&Source::Proximity].named, 0);
        assert_eq!(none.app_users, 0.0);
    }

    /// Fewer tracers: the same cases wait longer for their interview, and the interviews
    /// name fewer of their true contacts.
    #[test]
    fn a_small_tracing_team_makes_cases_wait_and_find_less() {
        let summary = |capacity: f64| {
            let mut p = Params::new(6_000, 40, 3);
            p.disease.initial_infections = 30;
            p.interventions.adoption = 0.0;
            p.interventions.interview_capacity_per_100k = capacity;
            let pop = Population::build(&p, &province()).unwrap();
            let mut sim = Simulation::new(&pop, p).unwrap();
            sim.run(&mut |_| {});
            sim.summary()
        };
        let ample = summary(100_000.0);
        let few = summary(20.0);
        // Unlimited: everyone is interviewed the day after confirmation.
        assert_eq!(ample.interview_wait_max_days, Some(1.0), "{ample:?}");
        assert!(few.interview_wait_p90_days.unwrap() > 3.0, "{few:?}");
        assert_eq!(ample.interviews_dropped, 0);
        assert!(few.interviews_dropped > 0, "{few:?}");
        // Nobody is interviewed later than the limit after the swab allows.
        assert!(few.interview_wait_max_days.unwrap() <= 14.0, "{few:?}");
        let recall = |s: &crate::RunSummary| s.tracing[&Source::Interview].recall.unwrap();
        assert!(recall(&few) < recall(&ample), "{few:?} vs {ample:?}");
        let hours = |s: &crate::RunSummary| s.tracing[&Source::Interview].median_hours.unwrap();
        assert!(hours(&few) > hours(&ample) + 24.0);
    }

    /// Memory fades: with a steep decay an interview a day after confirmation still names
    /// fewer contacts than with none.
    #[test]
    fn recall_fades_with_the_days_since_the_contact() {
        let recall = |decay: f64| {
            let mut p = Params::new(6_000, 40, 8);
            p.disease.initial_infections = 30;
            p.interventions.adoption = 0.0;
            p.interventions.interview_capacity_per_100k = 100_000.0;
            p.interventions.interview_recall_decay = decay;
            let pop = Population::build(&p, &province()).unwrap();
            let mut sim = Simulation::new(&pop, p).unwrap();
            sim.run(&mut |_| {});
            sim.summary().tracing[&Source::Interview].recall.unwrap()
        };
        let (none, steep) = (recall(0.0), recall(1.0));
        assert!(steep < none * 0.8, "{steep} vs {none}");
    }

    /// Phones driven outside: the radio readings are kept, uploads are handed out instead of
    /// scored, and until an outside alert comes back the epidemic is exactly the normal run.
    #[test]
    fn external_phones_see_the_same_world() {
        let mut p = Params::new(3_000, 12, 5);
        p.disease.initial_infections = 30;
        p.interventions.adoption = 0.8;
        let pop = Population::build(&p, &province()).unwrap();
        let mut inside = Simulation::new(&pop, p.clone()).unwrap();
        let mut outside = Simulation::new(&pop, p).unwrap();
        outside.set_external_phones(true);
        let (mut readings, mut uploads) = (0, Vec::new());
        for _ in 0..12 {
            inside.step();
            outside.step();
            assert!(inside.take_radio().is_empty());
            for c in outside.take_radio() {
                assert!(outside.is_app_user(c.a) && outside.is_app_user(c.b));
                assert_eq!(c.a_heard_b.len(), c.b_heard_a.len());
                readings += c.a_heard_b.len();
            }
            uploads.extend(outside.take_uploads());
        }
        assert!(readings > 1_000, "{readings}");
        assert!(!uploads.is_empty());
        for u in &uploads {
            assert!(outside.is_app_user(u.person));
            assert!(u.predicted.iter().all(|&q| outside.is_app_user(q)));
        }
        // No alerts were fed back, so the infections match the run that scored its own
        // proximity alerts only until those alerts started quarantining people.
        let first_alert = inside
            .rows()
            .iter()
            .position(|r| r.alerts[Source::Proximity.index()] > 0)
            .unwrap_or(12);
        assert!(first_alert > 3, "{first_alert}");
        for day in 0..first_alert {
            assert_eq!(
                inside.rows()[day].new_infections,
                outside.rows()[day].new_infections,
                "day {day}"
            );
        }
        assert_eq!(outside.summary().tracing[&Source::Proximity].named, 0);
    }

    #[test]
    fn mismatched_population_is_refused() {
        let p = Params::new(500, 5, 1);
        let pop = Population::build(&p, &province()).unwrap();
        assert!(Simulation::new(&pop, Params::new(501, 5, 1)).is_err());
    }
}
