//! Adoption levels against the no-app baseline: the table a province reads before a campaign.
//!
//! Each replicate builds one population (its seed) and runs it without the app (adoption 0:
//! testing, QR check-ins and interviews still work) and at every adoption level. Because the
//! app users at a higher level include those at a lower one, the levels differ only by the
//! app. Infections averted are the baseline's minus the level's, averaged over replicates.

use std::fmt::Write as _;

use serde::Serialize;

use crate::metrics::{DailyRow, RunSummary, Source};
use crate::{Params, Population, Province, SimError, Simulation};

/// One adoption level, averaged over replicates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRow {
    /// Share of smartphone owners using the app.
    pub adoption: f64,
    /// Share of the whole population using it.
    pub app_users: f64,
    pub infections: f64,
    pub attack_rate: f64,
    /// Baseline infections minus these.
    pub averted: f64,
    /// `averted` as a share of the baseline.
    pub averted_share: f64,
    pub confirmed: f64,
    /// Recall and precision by source, and of all sources together.
    pub recall: [Option<f64>; 3],
    pub precision: [Option<f64>; 3],
    pub recall_any: Option<f64>,
    /// Median hours from confirmation to a Bluetooth alert.
    pub proximity_median_hours: Option<f64>,
    /// Median hours from confirmation to an alert from the interview (queue included).
    pub interview_median_hours: Option<f64>,
    /// 90th percentile of days from confirmation to the interview.
    pub interview_wait_p90_days: Option<f64>,
    /// Confirmed cases the tracers never reached.
    pub interviews_dropped: f64,
}

/// A sweep's result.
#[derive(Clone, Debug, Serialize)]
pub struct Sweep {
    pub province: String,
    pub population: usize,
    pub days: u32,
    pub replicates: u32,
    pub baseline_infections: f64,
    pub rows: Vec<SweepRow>,
    /// The daily curves of the first replicate: the baseline, then each level.
    #[serde(skip)]
    pub curves: Vec<(f64, Vec<DailyRow>)>,
}

/// Runs the baseline and every level in `adoptions` for `replicates` seeds (params.seed, +1, …);
/// `progress(done, total)` after each run.
pub fn run(
    params: &Params,
    province: &Province,
    adoptions: &[f64],
    replicates: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Sweep, SimError> {
    let mut problems = Vec::new();
    if adoptions.is_empty() {
        problems.push("give at least one adoption level".to_owned());
    }
    for a in adoptions {
        if !(a.is_finite() && (0.0..=1.0).contains(a)) {
            problems.push(format!("adoption levels must be between 0 and 1, not {a}"));
        }
    }
    if !(1..=1000).contains(&replicates) {
        problems.push("replicates must be 1..=1000".to_owned());
    }
    if !problems.is_empty() {
        return Err(SimError::Invalid(problems));
    }
    params.validate()?;
    let total = replicates as usize * (adoptions.len() + 1);
    let mut done = 0;
    let mut baseline = 0.0;
    let mut summaries: Vec<Vec<RunSummary>> = vec![Vec::new(); adoptions.len()];
    let mut curves = Vec::new();
    for r in 0..replicates {
        let mut p = params.clone();
        p.seed = params.seed.wrapping_add(u64::from(r));
        let pop = Population::build(&p, province)?;
        for (k, adoption) in std::iter::once(0.0)
            .chain(adoptions.iter().copied())
            .enumerate()
        {
            let mut q = p.clone();
            q.interventions.adoption = adoption;
            let mut sim = Simulation::new(&pop, q)?;
            sim.run(&mut |_| {});
            let s = sim.summary();
            if r == 0 {
                curves.push((adoption, sim.rows().to_vec()));
            }
            if k == 0 {
                baseline += s.infections as f64;
            } else {
                summaries[k - 1].push(s);
            }
            done += 1;
            progress(done, total);
        }
    }
    let reps = f64::from(replicates);
    let baseline = baseline / reps;
    let mean = |xs: &[RunSummary], f: &dyn Fn(&RunSummary) -> Option<f64>| -> Option<f64> {
        let v: Vec<f64> = xs.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let rows = adoptions
        .iter()
        .zip(&summaries)
        .map(|(&adoption, runs)| {
            let infections = runs.iter().map(|s| s.infections as f64).sum::<f64>() / reps;
            let by = |s: Source, f: fn(&crate::SourceStats) -> Option<f64>| {
                mean(runs, &|r| r.tracing.get(&s).and_then(f))
            };
            SweepRow {
                adoption,
                app_users: mean(runs, &|r| Some(r.app_users)).unwrap_or(0.0),
                infections,
                attack_rate: infections / params.population as f64,
                averted: baseline - infections,
                averted_share: if baseline > 0.0 {
                    (baseline - infections) / baseline
                } else {
                    0.0
                },
                confirmed: runs.iter().map(|s| s.confirmed as f64).sum::<f64>() / reps,
                recall: Source::ALL.map(|s| by(s, |t| t.recall)),
                precision: Source::ALL.map(|s| by(s, |t| t.precision)),
                recall_any: mean(runs, &|r| r.recall_any),
                proximity_median_hours: by(Source::Proximity, |t| t.median_hours),
                interview_median_hours: by(Source::Interview, |t| t.median_hours),
                interview_wait_p90_days: mean(runs, &|r| r.interview_wait_p90_days),
                interviews_dropped: runs
                    .iter()
                    .map(|s| s.interviews_dropped as f64)
                    .sum::<f64>()
                    / reps,
            }
        })
        .collect();
    Ok(Sweep {
        province: format!("{} ({})", province.name, province.code),
        population: params.population,
        days: params.days,
        replicates,
        baseline_infections: baseline,
        rows,
        curves,
    })
}

fn hours(x: Option<f64>) -> String {
    x.map(|h| format!("{h:.1}")).unwrap_or_else(|| "–".into())
}

fn pct(x: Option<f64>) -> String {
    x.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "–".to_owned())
}

impl Sweep {
    /// The table printed for a province.
    pub fn table(&self) -> String {
        let mut t = format!(
            "{}: {} people, {} days, {} replicate(s); no-app baseline {:.0} infections\n",
            self.province, self.population, self.days, self.replicates, self.baseline_infections
        );
        t.push_str("adoption  app users  infections  averted        BLE recall  BLE precision  venue recall  interview recall  any recall  BLE alert h  interview alert h  interview wait p90 d  confirmed  not interviewed\n");
        for r in &self.rows {
            let _ = writeln!(
                t,
                "{:>8}  {:>9}  {:>10.0}  {:>6.0} {:>6}  {:>10}  {:>13}  {:>12}  {:>16}  {:>10}  {:>11}  {:>17}  {:>20}  {:>9.0}  {:>15.0}",
                format!("{:.0}%", r.adoption * 100.0),
                format!("{:.1}%", r.app_users * 100.0),
                r.infections,
                r.averted,
                pct(Some(r.averted_share)),
                pct(r.recall[0]),
                pct(r.precision[0]),
                pct(r.recall[1]),
                pct(r.recall[2]),
                pct(r.recall_any),
                hours(r.proximity_median_hours),
                hours(r.interview_median_hours),
                hours(r.interview_wait_p90_days),
                r.confirmed,
                r.interviews_dropped,
            );
        }
        t
    }

    /// The table as CSV.
    pub fn csv(&self) -> String {
        let mut out = String::from("adoption,app_users,infections,attack_rate,averted,averted_share,confirmed,recall_proximity,precision_proximity,recall_venue,precision_venue,recall_interview,precision_interview,recall_any,proximity_median_hours,interview_median_hours,interview_wait_p90_days,interviews_dropped\n");
        let f = |x: Option<f64>| x.map(|x| format!("{x:.4}")).unwrap_or_default();
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{},{:.4},{:.1},{:.4},{:.1},{:.4},{:.1},{},{},{},{},{},{},{},{},{},{},{:.1}",
                r.adoption,
                r.app_users,
                r.infections,
                r.attack_rate,
                r.averted,
                r.averted_share,
                r.confirmed,
                f(r.recall[0]),
                f(r.precision[0]),
                f(r.recall[1]),
                f(r.precision[1]),
                f(r.recall[2]),
                f(r.precision[2]),
                f(r.recall_any),
                f(r.proximity_median_hours),
                f(r.interview_median_hours),
                f(r.interview_wait_p90_days),
                r.interviews_dropped,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_levels_before_running() {
        let p = Params::new(100, 5, 1);
        let province = Province::new("9", "T", vec![("1".into(), "X".into())]).unwrap();
        for levels in [vec![], vec![1.2], vec![-0.1]] {
            assert!(run(&p, &province, &levels, 1, &mut |_, _| {}).is_err());
        }
        assert!(run(&p, &province, &[0.5], 0, &mut |_, _| {}).is_err());
    }
}
