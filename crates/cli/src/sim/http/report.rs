//! What a run measured: the report, its latencies (nearest-rank quantiles), recall and
//! precision against the true close contacts, and its printed form.

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use phongdich_sim::{Province, Simulation};
use serde::Serialize;

use super::session::Official;
use super::Run;

/// What a run measured.
#[derive(Debug, Serialize)]
pub(super) struct HttpReport {
    server: String,
    province: String,
    population: usize,
    days: u32,
    seed: u64,
    app_users: usize,
    infections: u64,
    confirmed: u64,
    /// Confirmed app users whose phones uploaded keys through the server.
    uploads: usize,
    keys_uploaded: u64,
    exports_published: usize,
    /// Requests the phones made for `index.txt` and key files, and the bytes they got.
    phone_downloads: u64,
    download_bytes: u64,
    /// Phones that showed an alert at least once.
    phones_alerted: usize,
    /// (phone, case) pairs: a phone whose alert names that case's keys.
    alerts: usize,
    /// Seconds from the code request to the alert on the phone.
    latency_median_s: Option<f64>,
    latency_p90_s: Option<f64>,
    latency_max_s: Option<f64>,
    /// Seconds from the code request to the upload being stored.
    upload_median_s: Option<f64>,
    /// True close contacts of the uploading cases, and those alerted.
    true_f1: usize,
    true_f1_app_users: usize,
    true_f1_alerted: usize,
    /// Share of true F1s alerted; of those with the app; share of alerts that were true F1s.
    recall: Option<f64>,
    recall_app_users: Option<f64>,
    precision: Option<f64>,
    /// The simulator's own scoring of the same readings, for comparison: phones it would
    /// alert, and of those, the ones the real phones alerted.
    fast_path_predicted: usize,
    fast_path_agreed: usize,
    /// Times the server's sign-in limit made a phone wait before checking its code.
    rate_limited_waits: u32,
    wall_seconds: f64,
}

impl Run<'_> {
    pub(super) fn report(
        &self,
        sim: &Simulation<'_>,
        summary: &phongdich_sim::RunSummary,
        province: &Province,
        app_users: usize,
        started: Instant,
    ) -> HttpReport {
        let latencies: Vec<f64> = self
            .cases
            .iter()
            .flat_map(|c| c.alerted.values().copied())
            .collect();
        let (mut true_f1, mut true_app, mut true_alerted, mut alerts) = (0, 0, 0, 0);
        let (mut predicted, mut agreed) = (0, 0);
        let mut phones_alerted = HashSet::new();
        for c in &self.cases {
            let truth: BTreeSet<u32> = c.request.true_f1.iter().copied().collect();
            true_f1 += truth.len();
            true_app += truth.iter().filter(|&&q| sim.is_app_user(q)).count();
            alerts += c.alerted.len();
            true_alerted += c.alerted.keys().filter(|q| truth.contains(q)).count();
            predicted += c.request.predicted.len();
            agreed += c
                .request
                .predicted
                .iter()
                .filter(|q| c.alerted.contains_key(q))
                .count();
            phones_alerted.extend(c.alerted.keys().copied());
        }
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        HttpReport {
            server: self.server.to_owned(),
            province: format!("{} ({})", province.name, province.code),
            population: summary.population,
            days: summary.days,
            seed: summary.seed,
            app_users,
            infections: summary.infections,
            confirmed: summary.confirmed,
            uploads: self.cases.len(),
            keys_uploaded: self.keys_uploaded,
            exports_published: self.exports,
            phone_downloads: self.downloads,
            download_bytes: self.download_bytes,
            phones_alerted: phones_alerted.len(),
            alerts,
            latency_median_s: quantile(&latencies, 0.5),
            latency_p90_s: quantile(&latencies, 0.9),
            latency_max_s: quantile(&latencies, 1.0),
            upload_median_s: quantile(&self.upload_seconds, 0.5),
            true_f1,
            true_f1_app_users: true_app,
            true_f1_alerted: true_alerted,
            recall: ratio(true_alerted, true_f1),
            recall_app_users: ratio(true_alerted, true_app),
            precision: ratio(true_alerted, alerts),
            fast_path_predicted: predicted,
            fast_path_agreed: agreed,
            rate_limited_waits: self.rate_limited,
            wall_seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// The `q` quantile of `values` (nearest rank).
fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() - 1) as f64 * q).round() as usize).copied()
}

pub(super) fn print_report(r: &HttpReport, official: &Official) {
    let secs = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |s| format!("{s:.3} s"));
    let pct = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0));
    println!(
        "{}: {} people, {} with the app (real phones), {} days against {} (codes by {})",
        r.province, r.population, r.app_users, r.days, r.server, official.username
    );
    println!(
        "{} infections, {} confirmed; {} cases uploaded {} keys; {} exports; phones made {} \
         downloads ({:.1} MB)",
        r.infections,
        r.confirmed,
        r.uploads,
        r.keys_uploaded,
        r.exports_published,
        r.phone_downloads,
        r.download_bytes as f64 / 1e6
    );
    println!(
        "{} alerts on {} phones; confirmation (code asked) → alert on the phone: median {}, \
         p90 {}, longest {}; → keys stored: median {}",
        r.alerts,
        r.phones_alerted,
        secs(r.latency_median_s),
        secs(r.latency_p90_s),
        secs(r.latency_max_s),
        secs(r.upload_median_s)
    );
    println!(
        "F1 recall {} of {} true close contacts ({} of the {} with the app), precision {}; \
         the simulator's own scoring predicted {} alerts, {} of them raised by the real phones",
        pct(r.recall),
        r.true_f1,
        pct(r.recall_app_users),
        r.true_f1_app_users,
        pct(r.precision),
        r.fast_path_predicted,
        r.fast_path_agreed
    );
    if r.rate_limited_waits > 0 {
        println!(
            "The server's sign-in limit held code checks back {} times (all phones share this \
             machine's address)",
            r.rate_limited_waits
        );
    }
    println!("Wall time {:.1} s", r.wall_seconds);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 1.0), Some(3.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
