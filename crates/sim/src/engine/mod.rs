//! The simulation engine: [`Simulation`] holds a province over days, and this module keeps its
//! state, the logs tracing reads back, and the small bookkeeping shared by the setup
//! ([`setup`]: building a run, calibrating transmission, seeding infections) and the day loop
//! ([`step`]).
//!
//! Agent state is a set of columns indexed by person. Only what tracing can later ask for is
//! kept per day, sorted for binary search: the phones' scored readings by the heard phone, the
//! true contacts of infected people by the infected person, and the QR check-ins by venue and
//! by person, for as long as the profile keeps them.

use std::collections::{BTreeMap, VecDeque};

use phongdich_device::DeviceConfig;
use phongdich_domain::profile::Profile;
use rand_chacha::ChaCha8Rng;

use crate::contacts::{BleEntry, RadioContact, TrueContact};
use crate::disease::{CourseSampler, Curve};
use crate::metrics::{DailyRow, Tally};
use crate::params::Params;
use crate::population::Population;
use crate::tracing::{Event, UploadRequest};
use crate::visits::Visit;

mod setup;
mod step;
#[cfg(test)]
mod tests;

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

    /// Infections so far, by setting.
    pub(crate) fn infections(&self) -> (u64, [u64; 6]) {
        (self.infections_total, self.infections_by_setting)
    }
}
