//! What a run measures: the daily curves, and how well tracing found the true close contacts,
//! by source, with the time from an F0's confirmation to each F1's alert.
//!
//! Recall and precision are judged against the ground truth for every confirmed person who was
//! really infected: a true F1 is a person who met the F0 within the profile's close-contact
//! rule (distance and minutes) between the start of the transmission period (days before onset,
//! or before the sample without symptoms) and the confirmation. A source's recall is the share
//! of true F1s it found; its precision the share of the people it named who were true F1s.
//! False-positive F0s (a test's specificity) are traced like any other, counted apart.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::params::Setting;

/// Where an F1 came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The app's Bluetooth exposure alert.
    Proximity,
    /// Checked in at a venue during the F0's visit.
    Venue,
    /// Named by the F0 in the interview.
    Interview,
}

impl Source {
    /// All sources.
    pub const ALL: [Source; 3] = [Source::Proximity, Source::Venue, Source::Interview];

    /// Index into per-source arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Proximity => "proximity",
            Source::Venue => "venue",
            Source::Interview => "interview",
        }
    }
}

/// One day of the curves.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DailyRow {
    pub day: u32,
    pub susceptible: u32,
    pub exposed: u32,
    pub presymptomatic: u32,
    pub symptomatic: u32,
    pub asymptomatic: u32,
    pub recovered: u32,
    pub new_infections: u32,
    /// New infections by setting, in [`Setting::ALL`] order.
    pub new_by_setting: [u32; 6],
    pub tests: u32,
    pub new_confirmed: u32,
    /// People in quarantine or isolation (no contacts outside the household).
    pub quarantined: u32,
    /// F1 alerts that arrived today, by source.
    pub alerts: [u32; 3],
    pub f2_notified: u32,
    /// Contacts sampled today, by setting.
    pub contacts: [u64; 6],
    /// Phone-to-phone readings with a non-zero score today.
    pub ble_readings: u64,
}

impl DailyRow {
    /// The CSV header of [`DailyRow::csv_line`].
    pub fn csv_header() -> String {
        let mut h = String::from(
            "day,susceptible,exposed,presymptomatic,symptomatic,asymptomatic,recovered,new_infections",
        );
        for s in Setting::ALL {
            let _ = write!(h, ",new_{}", s.as_str());
        }
        h.push_str(",tests,new_confirmed,quarantined");
        for s in Source::ALL {
            let _ = write!(h, ",alerts_{}", s.as_str());
        }
        h.push_str(",f2_notified,contacts,ble_readings");
        h
    }

    /// This row as CSV.
    pub fn csv_line(&self) -> String {
        let mut l = format!(
            "{},{},{},{},{},{},{},{}",
            self.day,
            self.susceptible,
            self.exposed,
            self.presymptomatic,
            self.symptomatic,
            self.asymptomatic,
            self.recovered,
            self.new_infections
        );
        for n in self.new_by_setting {
            let _ = write!(l, ",{n}");
        }
        let _ = write!(
            l,
            ",{},{},{}",
            self.tests, self.new_confirmed, self.quarantined
        );
        for n in self.alerts {
            let _ = write!(l, ",{n}");
        }
        let contacts: u64 = self.contacts.iter().sum();
        let _ = write!(
            l,
            ",{},{},{}",
            self.f2_notified, contacts, self.ble_readings
        );
        l
    }
}

/// Running tallies of one source.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Tally {
    /// People named, for really infected F0s.
    pub named: u64,
    /// Of those, true F1s.
    pub true_named: u64,
    /// Hours from confirmation to each alert.
    pub hours: Vec<f32>,
}

/// How one source did over a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceStats {
    /// Share of true F1s it found (NaN → null when there were none).
    pub recall: Option<f64>,
    /// Share of those it named who were true F1s.
    pub precision: Option<f64>,
    /// People named (for really infected F0s).
    pub named: u64,
    /// Median and 90th percentile hours from confirmation to alert.
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

/// The result of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    pub population: usize,
    pub days: u32,
    pub seed: u64,
    pub adoption: f64,
    /// Share of the population using the app.
    pub app_users: f64,
    pub infections: u64,
    /// Share of the population ever infected.
    pub attack_rate: f64,
    pub peak_day: u32,
    pub peak_infectious: u32,
    pub confirmed: u64,
    pub false_positive_confirmed: u64,
    /// True F1s of really infected F0s.
    pub true_f1: u64,
    pub tracing: BTreeMap<Source, SourceStats>,
    /// Recall of all sources together.
    pub recall_any: Option<f64>,
    /// Confirmed cases never interviewed: still waiting when the swab grew too old.
    pub interviews_dropped: u64,
    /// Days from confirmation to the interview: the fixed delay plus the wait in the tracers'
    /// queue (median, 90th percentile, longest), of those interviewed.
    pub interview_wait_median_days: Option<f64>,
    pub interview_wait_p90_days: Option<f64>,
    pub interview_wait_max_days: Option<f64>,
    /// Infections by setting.
    pub infections_by_setting: BTreeMap<Setting, u64>,
    /// Mean contacts a person a day.
    pub contacts_per_person_day: f64,
}

/// The `q` quantile of unsorted `values`.
pub(crate) fn quantile(values: &[f32], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f32::total_cmp);
    let rank = ((v.len() - 1) as f64 * q).round() as usize;
    v.get(rank).map(|x| f64::from(*x))
}

/// `a / b`, None when `b` is 0.
pub(crate) fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Daily rows as CSV text.
pub fn curves_csv(rows: &[DailyRow]) -> String {
    let mut out = DailyRow::csv_header();
    out.push('\n');
    for r in rows {
        out.push_str(&r.csv_line());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_match_the_header() {
        let row = DailyRow {
            day: 3,
            new_infections: 7,
            ..DailyRow::default()
        };
        let csv = curves_csv(&[row]);
        let mut lines = csv.lines();
        let header = lines.next().unwrap().split(',').count();
        assert_eq!(lines.next().unwrap().split(',').count(), header);
    }

    #[test]
    fn quantiles_and_ratios() {
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(ratio(1, 4), Some(0.25));
        assert_eq!(ratio(1, 0), None);
    }
}
