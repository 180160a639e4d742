//! `phongdich sim run|sweep`: the outbreak simulator (SPEC §8) from the command line.
//!
//! `run --mode well-mixed --json` prints the SPEC §10 object `{"attack_rate":…, …}`; a province
//! run prints its summary and, with `--out`, writes the daily curves as CSV, SVG and PNG. A
//! sweep runs the no-app baseline and each adoption level and prints the table a province
//! reads (infections averted, F1 recall and precision by source, hours to a Bluetooth alert).
//! `run --mode http` drives a running server with real phones ([`http`]).

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use phongdich_sim::{charts, metrics, sweep, well_mixed, Params, Population, Province, Simulation};

use crate::args::{SimCommand, SimMode, SimRun, SimSweep, TracerFlags};

mod http;

/// People and days of a province run unless given.
const POPULATION: usize = 50_000;
const DAYS: u32 = 120;

pub(crate) async fn run(command: SimCommand) -> anyhow::Result<()> {
    match command {
        SimCommand::Run(flags) => match flags.mode {
            SimMode::WellMixed => well_mixed_run(&flags),
            SimMode::Province => province_run(&flags),
            SimMode::Http => http::run(&flags).await,
        },
        SimCommand::Sweep(flags) => sweep_run(&flags),
    }
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(len)
        .with_style(style)
        .with_message(what.to_owned())
}

fn well_mixed_run(flags: &SimRun) -> anyhow::Result<()> {
    let r0 = flags.r0.unwrap_or(2.5);
    let population = flags.population.unwrap_or(POPULATION);
    let initial = flags
        .initial
        .unwrap_or_else(|| (population / 1000).clamp(1, 100));
    let result = well_mixed::run(r0, population, flags.seed, initial)?;
    if flags.json {
        println!("{}", serde_json::to_string(&result)?);
    } else {
        println!(
            "well-mixed: R0 {r0}, {} people, seed {}: attack rate {:.4} (SIR final size {:.4}), \
             {} days, peak on day {}",
            result.population,
            result.seed,
            result.attack_rate,
            result.final_size,
            result.days,
            result.peak_day
        );
    }
    Ok(())
}

/// The default parameters with the flags that override them.
fn params(
    population: usize,
    days: u32,
    seed: u64,
    r0: Option<f64>,
    adoption: Option<f64>,
    initial: Option<usize>,
    tracers: &TracerFlags,
) -> Params {
    let mut p = Params::new(population, days, seed);
    if let Some(r0) = r0 {
        p.disease.r0 = r0;
    }
    if let Some(a) = adoption {
        p.interventions.adoption = a;
    }
    if let Some(i) = initial {
        p.disease.initial_infections = i;
    }
    if let Some(c) = tracers.interview_capacity {
        p.interventions.interview_capacity_per_100k = c;
    }
    if let Some(d) = tracers.interview_recall_decay {
        p.interventions.interview_recall_decay = d;
    }
    p
}

fn province_run(flags: &SimRun) -> anyhow::Result<()> {
    let days = flags.days.unwrap_or(DAYS);
    let p = params(
        flags.population.unwrap_or(POPULATION),
        days,
        flags.seed,
        flags.r0,
        flags.adoption,
        flags.initial,
        &flags.tracers,
    );
    // Every problem of the input before anything runs.
    p.validate()?;
    let province = Province::find(&flags.province)?;
    let pop = Population::build(&p, &province)?;
    let mut sim = Simulation::new(&pop, p)?;
    let progress = bar(u64::from(days), "simulating days");
    sim.run(&mut |day| progress.set_position(u64::from(day)));
    progress.finish_and_clear();
    let summary = sim.summary();
    if let Some(dir) = &flags.out {
        write_curves(dir, &province.name, &[("run".to_owned(), sim.rows())])?;
        std::fs::write(
            dir.join("summary.json"),
            serde_json::to_string_pretty(&summary)?,
        )
        .context("writing summary.json")?;
    }
    if flags.json {
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    println!(
        "{} ({}): {} people in {} households, {} communes, {} venues; {:.1}% use the app",
        province.name,
        province.code,
        pop.len(),
        pop.households(),
        province.communes.len(),
        pop.venues(),
        summary.app_users * 100.0
    );
    println!(
        "{} days: {} infections (attack rate {:.1}%), peak {} infectious on day {}, {} confirmed \
         ({} false positives), {:.1} contacts a person a day",
        summary.days,
        summary.infections,
        summary.attack_rate * 100.0,
        summary.peak_infectious,
        summary.peak_day,
        summary.confirmed,
        summary.false_positive_confirmed,
        summary.contacts_per_person_day
    );
    println!(
        "F1 tracing against {} true close contacts:",
        summary.true_f1
    );
    let pct = |x: Option<f64>| {
        x.map(|x| format!("{:.1}%", x * 100.0))
            .unwrap_or_else(|| "–".into())
    };
    for (source, s) in &summary.tracing {
        println!(
            "  {:<10} named {:>6}  recall {:>6}  precision {:>6}  confirmation → alert: median {} h, p90 {} h",
            source.as_str(),
            s.named,
            pct(s.recall),
            pct(s.precision),
            s.median_hours.map(|h| format!("{h:.1}")).unwrap_or_else(|| "–".into()),
            s.p90_hours.map(|h| format!("{h:.1}")).unwrap_or_else(|| "–".into()),
        );
    }
    println!("  all sources recall {}", pct(summary.recall_any));
    println!(
        "Interviews ({} a day per 100,000): confirmation → interview median {} d, p90 {} d, \
         longest {} d; {} confirmed cases never interviewed",
        sim.params().interventions.interview_capacity_per_100k,
        days_text(summary.interview_wait_median_days),
        days_text(summary.interview_wait_p90_days),
        days_text(summary.interview_wait_max_days),
        summary.interviews_dropped,
    );
    Ok(())
}

fn days_text(x: Option<f64>) -> String {
    x.map(|d| format!("{d:.0}")).unwrap_or_else(|| "–".into())
}

fn write_curves(
    dir: &Path,
    title: &str,
    runs: &[(String, &[metrics::DailyRow])],
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    if let [(_, rows)] = runs {
        std::fs::write(dir.join("curves.csv"), metrics::curves_csv(rows))
            .context("writing curves.csv")?;
    } else {
        for (label, rows) in runs {
            let name = format!("curves-{}.csv", label.replace(['%', ' '], ""));
            std::fs::write(dir.join(&name), metrics::curves_csv(rows))
                .with_context(|| format!("writing {name}"))?;
        }
    }
    let svg = charts::epidemic_svg(&format!("{title}: new infections per day"), runs)?;
    std::fs::write(dir.join("curves.svg"), &svg).context("writing curves.svg")?;
    std::fs::write(dir.join("curves.png"), charts::png(&svg)?).context("writing curves.png")?;
    Ok(())
}

fn sweep_run(flags: &SimSweep) -> anyhow::Result<()> {
    let p = params(
        flags.population,
        flags.days,
        flags.seed,
        flags.r0,
        None,
        None,
        &flags.tracers,
    );
    p.validate()?;
    let province = Province::find(&flags.province)?;
    let runs = u64::from(flags.replicates) * (flags.adoption.len() as u64 + 1);
    let progress = bar(runs, "runs (baseline and levels)");
    let result = sweep::run(
        &p,
        &province,
        &flags.adoption,
        flags.replicates,
        &mut |done, _| progress.set_position(done as u64),
    )?;
    progress.finish_and_clear();
    if let Some(dir) = &flags.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join("sweep.csv"), result.csv()).context("writing sweep.csv")?;
        let svg = charts::sweep_svg(&result)?;
        std::fs::write(dir.join("sweep.svg"), &svg).context("writing sweep.svg")?;
        std::fs::write(dir.join("sweep.png"), charts::png(&svg)?).context("writing sweep.png")?;
        let curves: Vec<(String, &[metrics::DailyRow])> = result
            .curves
            .iter()
            .map(|(a, rows)| {
                let label = if *a == 0.0 {
                    "no app".to_owned()
                } else {
                    format!("{:.0}% adoption", a * 100.0)
                };
                (label, rows.as_slice())
            })
            .collect();
        write_curves(dir, &result.province, &curves)?;
    }
    if flags.json {
        println!("{}", serde_json::to_string(&result)?);
    } else {
        print!("{}", result.table());
    }
    Ok(())
}
