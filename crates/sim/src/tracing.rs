//! Testing, confirmation, and the three ways an F0's contacts are found, with their delays.
//!
//! Symptoms send people to a test (with the chance of `test_on_symptoms`), some stay home
//! meanwhile; the swab detects an infection from day 3 to day 14 with the test's sensitivity,
//! and a healthy person tests positive with 1 − specificity. A positive result confirms an F0,
//! who isolates. Then:
//!
//! - **Proximity.** An app user is given an upload code and may upload their keys; phones
//!   download the next key file and score what they heard of those keys with the SDK's EN v2
//!   rules: attenuation-weighted seconds × the infectiousness of the key's day by days since
//!   onset (ENX map; no onset counts as standard) × the report type's weight, summed per day
//!   against the daily threshold.
//! - **Venue.** The official marks the F0's checked-in visits (the server holds them) as
//!   exposure windows a day later; everyone checked in at the same venue at overlapping times
//!   (with the profile's margin) is alerted. This needs no interview, so it does not queue.
//! - **Interview.** The F0 joins the tracers' first-come-first-served queue: at the earliest a
//!   day after confirmation, and later when more cases arrive than the province's tracers can
//!   interview a day (`interview_capacity_per_100k`); a case still waiting two weeks after
//!   the swab is dropped (`interview_max_days_after_swab`). The F0 then names contacts of the
//!   transmission period, each with the setting's recall, which fades with the days between
//!   the contact and the interview (`interview_recall_decay`): a surge both delays interviews
//!   and makes them find less.
//!
//! Every F1 is asked to quarantine (compliance, daily drop-out, the profile's F1 days), tested
//! on the profile's test days, and their household is told to stay home as F2.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use phongdich_exposure::scoring::Infectiousness;
use rand::Rng;
use rand_distr::{Distribution, Exp};

use crate::disease::DETECTABLE;
use crate::engine::{Simulation, COURSE_LOG_DAYS, NEVER};
use crate::metrics::{quantile, ratio, DailyRow, RunSummary, Source, SourceStats};
use crate::params::Setting;

/// A confirmed app user who got an upload code and shares their keys, handed to phones driven
/// outside the simulator ([`Simulation::set_external_phones`]).
#[derive(Clone, Debug, PartialEq)]
pub struct UploadRequest {
    pub person: u32,
    /// The day of the positive result.
    pub day: i32,
    /// The day symptoms began, if they did by then.
    pub onset: Option<i32>,
    /// The F0's true close contacts of the transmission period (empty for a false positive).
    pub true_f1: Vec<u32>,
    /// The phones the simulator's own scoring of the same readings would alert (the fast
    /// path), to compare with what the real phones do.
    pub predicted: Vec<u32>,
}

/// Something that happens to a person on a day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Event {
    /// Symptoms start (of COVID-19 or something else).
    Onset(u32),
    /// A swab is taken.
    Swab(u32),
    /// A result arrives; `sampled` is the day of the swab.
    Result {
        person: u32,
        positive: bool,
        sampled: i32,
    },
    /// An F1 alert arrives.
    Alert { person: u32, source: Source },
}

impl Simulation<'_> {
    pub(crate) fn process_events(&mut self, day: i32, row: &mut DailyRow) {
        let Some(events) = self.events.remove(&day) else {
            return;
        };
        let i = self.params.interventions.clone();
        for event in events {
            match event {
                Event::Onset(p) => {
                    let p = p as usize;
                    if self.confirmed[p] || self.awaiting_result[p] {
                        continue;
                    }
                    if self.rng.gen_bool(i.test_on_symptoms) {
                        self.awaiting_result[p] = true;
                        self.schedule(day + i.days_to_test as i32, Event::Swab(p as u32));
                        if self.rng.gen_bool(i.isolate_while_waiting) {
                            let until = day + (i.days_to_test + i.days_to_result) as i32 + 1;
                            self.free_from[p] = self.free_from[p].max(until);
                        }
                    }
                }
                Event::Swab(p) => {
                    row.tests += 1;
                    let person = p as usize;
                    let infected = self.infected_on[person];
                    let positive = if infected != NEVER {
                        DETECTABLE.contains(&(day - infected)) && self.rng.gen_bool(i.sensitivity)
                    } else {
                        self.rng.gen_bool(1.0 - i.specificity)
                    };
                    let at = day + i.days_to_result as i32;
                    self.schedule(
                        at,
                        Event::Result {
                            person: p,
                            positive,
                            sampled: day,
                        },
                    );
                }
                Event::Result {
                    person,
                    positive,
                    sampled,
                } => {
                    self.awaiting_result[person as usize] = false;
                    if positive && !self.confirmed[person as usize] {
                        row.new_confirmed += 1;
                        self.confirm(person as usize, day, sampled);
                    }
                }
                Event::Alert { person, source } => {
                    row.alerts[source.index()] += 1;
                    let f2 = self.quarantine_f1(person as usize, day);
                    row.f2_notified += f2;
                }
            }
        }
    }

    /// Days a person told to stay home for `days` actually stays, given the daily drop-out.
    fn compliant_days(&mut self, days: i64, dropout: f64) -> i32 {
        let mut stayed = 0;
        while stayed < days && !self.rng.gen_bool(dropout) {
            stayed += 1;
        }
        stayed as i32
    }

    /// The F1's quarantine, tests and F2s; returns F2s notified.
    fn quarantine_f1(&mut self, p: usize, day: i32) -> u32 {
        if self.confirmed[p] || self.traced_until[p] > day {
            return 0;
        }
        let i = self.params.interventions.clone();
        let rule = self.profile.tracing.quarantine_rule(1).clone();
        self.traced_until[p] = day + rule.days as i32;
        if self.rng.gen_bool(i.quarantine_compliance) {
            let stay = self.compliant_days(rule.days, i.quarantine_dropout);
            self.free_from[p] = self.free_from[p].max(day + stay);
        }
        for test_day in &rule.test_days {
            if self.rng.gen_bool(i.test_traced) {
                self.schedule(day + *test_day as i32 - 1, Event::Swab(p as u32));
            }
        }
        if !i.trace_f2 {
            return 0;
        }
        let f2_days = self.profile.tracing.quarantine_rule(2).days;
        let household = self.household_of(p);
        let mut notified = 0;
        for m in household {
            if m == p || self.confirmed[m] || self.traced_until[m] > day {
                continue;
            }
            notified += 1;
            if self.rng.gen_bool(i.quarantine_compliance) {
                let stay = self.compliant_days(f2_days, i.quarantine_dropout);
                self.free_from[m] = self.free_from[m].max(day + stay);
            }
        }
        notified
    }

    fn household_of(&self, p: usize) -> std::ops::Range<usize> {
        let h = self
            .pop
            .household_start
            .partition_point(|&s| s as usize <= p)
            - 1;
        self.pop.household_members(h)
    }

    /// A positive result: isolate the F0 and start all three kinds of tracing.
    fn confirm(&mut self, p: usize, day: i32, sampled: i32) {
        let i = self.params.interventions.clone();
        self.confirmed[p] = true;
        self.confirmed_total += 1;
        let infected = self.infected_on[p] != NEVER && day - self.infected_on[p] < COURSE_LOG_DAYS;
        if !infected {
            self.false_positive_total += 1;
        }
        let stay = self.compliant_days(14, i.isolation_dropout);
        self.free_from[p] = self.free_from[p].max(day + stay);

        let before = self.profile.tracing.transmission_days_before as i32;
        let onset = (self.onset[p] != NEVER).then_some(self.onset[p]);
        let window_start = match onset {
            Some(o) if o <= sampled => o,
            _ => sampled,
        } - before;
        let conf_hour = self.rng.gen_range(8.0..17.0);

        let mut truth: HashSet<u32> = HashSet::new();
        if infected {
            for log in self.logs.iter().filter(|l| l.day >= window_start) {
                let from = log.truth.partition_point(|t| (t.infected as usize) < p);
                for t in log.truth[from..]
                    .iter()
                    .take_while(|t| t.infected as usize == p)
                {
                    if t.close {
                        truth.insert(t.other);
                    }
                }
            }
            self.true_f1 += truth.len() as u64;
        }

        let mut found: [BTreeMap<u32, f32>; 3] = Default::default();
        // Proximity: code, upload, key file, the phones' scoring.
        let mut predicted = Vec::new();
        let uploads = self.app[p]
            && self.rng.gen_bool(i.code_issue_rate)
            && self.rng.gen_bool(i.key_upload_rate);
        if uploads {
            let upload = exp_hours(&mut self.rng, i.upload_delay_hours);
            let retention = i64::from(self.device.retention_days);
            let scoring = &self.device.scoring;
            let mut daily: BTreeMap<(u32, i32), f64> = BTreeMap::new();
            for log in self
                .logs
                .iter()
                .filter(|l| i64::from(day - l.day) <= retention)
            {
                let infectiousness = self.device.infectiousness(onset.map(|o| log.day - o));
                let weight = match infectiousness {
                    Infectiousness::None => continue,
                    Infectiousness::Standard => scoring.infectiousness_weights.standard,
                    Infectiousness::High => scoring.infectiousness_weights.high,
                } * scoring.report_type_weights.confirmed_test;
                let from = log.ble.partition_point(|e| (e.heard as usize) < p);
                for e in log.ble[from..].iter().take_while(|e| e.heard as usize == p) {
                    *daily.entry((e.hearer, log.day)).or_default() +=
                        f64::from(e.weighted_seconds) * weight;
                }
            }
            for ((hearer, _), score) in daily {
                if score >= scoring.daily_score_threshold {
                    // Drawn either way, so phones driven outside leave the stream unchanged.
                    let hours = upload
                        + self.rng.gen_range(0.0..=i.export_interval_hours)
                        + self.rng.gen_range(0.0..=i.phone_poll_hours);
                    if self.external_phones {
                        predicted.push(hearer);
                        continue;
                    }
                    let best = found[0].entry(hearer).or_insert(f32::MAX);
                    *best = best.min(hours as f32);
                }
            }
        }
        if uploads && self.external_phones {
            predicted.sort_unstable();
            predicted.dedup();
            let mut true_f1: Vec<u32> = truth.iter().copied().collect();
            true_f1.sort_unstable();
            self.uploads.push(UploadRequest {
                person: p as u32,
                day,
                onset,
                true_f1,
                predicted,
            });
        }
        // Venue: the F0's checked-in visits become exposure windows a day later.
        let margin = self.profile.checkin.overlap_margin_minutes.clamp(0, 600) as u16;
        let venue_hours = f64::from(i.interview_delay_days * 24);
        for log in self.logs.iter().filter(|l| l.day >= window_start) {
            let from = log
                .checkins_by_person
                .partition_point(|&k| (log.checkins[k as usize].person as usize) < p);
            for &k in log.checkins_by_person[from..]
                .iter()
                .take_while(|&&k| log.checkins[k as usize].person as usize == p)
            {
                let own = log.checkins[k as usize];
                let start = log.checkins.partition_point(|v| v.venue < own.venue);
                for other in log.checkins[start..]
                    .iter()
                    .take_while(|v| v.venue == own.venue)
                {
                    if other.person != own.person && own.overlaps(other, margin) {
                        let hours = venue_hours
                            + self.rng.gen_range(0.0..4.0)
                            + self.rng.gen_range(0.0..=i.phone_poll_hours);
                        let best = found[1].entry(other.person).or_insert(f32::MAX);
                        *best = best.min(hours as f32);
                    }
                }
            }
        }
        // Interview: contacts named from memory, by setting, fading with the days since.
        let interview_day = self.book_interview(day, sampled);
        let interview_hours = f64::from((interview_day.unwrap_or(day) - day) * 24);
        let mut named = BTreeSet::new();
        if let (Some(interview_day), true) = (interview_day, infected) {
            for log in self.logs.iter().filter(|l| l.day >= window_start) {
                let since = f64::from((interview_day - log.day).max(1));
                let fading = since.powf(-i.interview_recall_decay);
                let from = log.truth.partition_point(|t| (t.infected as usize) < p);
                for t in log.truth[from..]
                    .iter()
                    .take_while(|t| t.infected as usize == p)
                {
                    let recall = i.interview_recall[t.setting.index()] * fading;
                    if self.rng.gen_bool(recall.clamp(0.0, 1.0)) {
                        named.insert(t.other);
                    }
                }
            }
        } else if interview_day.is_some() {
            let recall = i.interview_recall[Setting::Household.index()];
            for m in self.household_of(p) {
                if m != p && self.rng.gen_bool(recall) {
                    named.insert(m as u32);
                }
            }
        }
        for person in named {
            let hours = interview_hours + self.rng.gen_range(0.0..8.0);
            found[2].insert(person, hours as f32);
        }

        let mut any: HashSet<u32> = HashSet::new();
        for source in Source::ALL {
            let mut alerts: Vec<(u32, f32)> = found[source.index()]
                .iter()
                .filter(|(q, _)| **q as usize != p)
                .map(|(q, h)| (*q, *h))
                .collect();
            alerts.sort_by_key(|(q, _)| *q);
            for (person, hours) in alerts {
                if infected {
                    let tally = &mut self.tallies[source.index()];
                    tally.named += 1;
                    tally.hours.push(hours);
                    if truth.contains(&person) {
                        tally.true_named += 1;
                        any.insert(person);
                    }
                }
                let arrives = day + ((conf_hour + f64::from(hours)) / 24.0).floor() as i32;
                self.schedule(arrives.max(day + 1), Event::Alert { person, source });
            }
        }
        self.true_found_any += any.len() as u64;
    }

    /// Books the F0's interview in the tracers' queue and returns its day. The tracers work
    /// through cases first come, first served at `interview_capacity_per_100k` scaled to the
    /// population, each interview taking its share of a day; a day they have nobody to call is
    /// lost, not saved for later. Booking at confirmation is exact because nobody confirmed
    /// later can overtake. None when the case would wait past the limit after the swab: the
    /// tracers skip it without spending time on it.
    fn book_interview(&mut self, day: i32, sampled: i32) -> Option<i32> {
        let i = &self.params.interventions;
        let per_day = i.interview_capacity_per_100k * self.pop.len() as f64 / 100_000.0;
        let earliest = f64::from(day) + f64::from(i.interview_delay_days);
        let start = self.interviews_free_at.max(earliest);
        let interview_day = start.floor() as i32;
        if interview_day > sampled + i.interview_max_days_after_swab as i32 {
            self.interviews_dropped += 1;
            return None;
        }
        self.interviews_free_at = start + 1.0 / per_day;
        self.interview_waits.push((interview_day - day) as f32);
        Some(interview_day)
    }

    /// The run's result so far.
    pub fn summary(&self) -> RunSummary {
        let n = self.pop.len();
        let (infections, by_setting) = self.infections();
        let (peak_day, peak_infectious) = self
            .rows
            .iter()
            .map(|r| (r.day, r.presymptomatic + r.symptomatic + r.asymptomatic))
            .max_by_key(|(d, x)| (*x, std::cmp::Reverse(*d)))
            .unwrap_or((0, 0));
        let tracing = Source::ALL
            .iter()
            .map(|s| {
                let t = &self.tallies[s.index()];
                (
                    *s,
                    SourceStats {
                        recall: ratio(t.true_named, self.true_f1),
                        precision: ratio(t.true_named, t.named),
                        named: t.named,
                        median_hours: quantile(&t.hours, 0.5),
                        p90_hours: quantile(&t.hours, 0.9),
                    },
                )
            })
            .collect();
        let contacts: u64 = self.rows.iter().flat_map(|r| r.contacts).sum();
        RunSummary {
            population: n,
            days: self.rows.len() as u32,
            seed: self.params.seed,
            adoption: self.params.interventions.adoption,
            app_users: self.app.iter().filter(|&&a| a).count() as f64 / n as f64,
            infections,
            attack_rate: infections as f64 / n as f64,
            peak_day,
            peak_infectious,
            confirmed: self.confirmed_total,
            false_positive_confirmed: self.false_positive_total,
            true_f1: self.true_f1,
            tracing,
            recall_any: ratio(self.true_found_any, self.true_f1),
            interviews_dropped: self.interviews_dropped,
            interview_wait_median_days: quantile(&self.interview_waits, 0.5),
            interview_wait_p90_days: quantile(&self.interview_waits, 0.9),
            interview_wait_max_days: self
                .interview_waits
                .iter()
                .copied()
                .fold(None, |m: Option<f64>, w| {
                    Some(m.unwrap_or(0.0).max(f64::from(w)))
                }),
            infections_by_setting: Setting::ALL
                .iter()
                .map(|s| (*s, by_setting[s.index()]))
                .collect(),
            // Each contact counts for both people.
            contacts_per_person_day: 2.0 * contacts as f64
                / (n as f64 * self.rows.len().max(1) as f64),
        }
    }
}

fn exp_hours(rng: &mut impl Rng, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    Exp::new(1.0 / mean).map(|e| e.sample(rng)).unwrap_or(mean)
}
