//! The day loop: events of the day (tests, results, interviews, alerts), then everyone's
//! contacts in parallel chunks, then the infections they caused, then the day's logs and row.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;

use super::{DayLog, Simulation, COURSE_LOG_DAYS, LOG_DAYS, NEVER};
use crate::contacts::{self, ChunkOut, DayView};
use crate::contacts::{APP, INFECTIOUS, IN_COURSE, OUT, SUSCEPTIBLE};
use crate::disease::{stage, Stage};
use crate::metrics::DailyRow;
use crate::rng::{stream, Tag};
use crate::tracing::Event;
use crate::visits::{self, Visit};

impl Simulation<'_> {
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
