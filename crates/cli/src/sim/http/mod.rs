//! `sim run --mode http`: a small simulated province whose app users are real phones — the
//! device SDK — talking to a running `phongdich serve` or `demo` through its public API, to
//! measure how long the whole chain takes under load, from an F0's confirmation to the alert
//! on a contact's phone, and how many true contacts it reaches.
//!
//! The simulator supplies the world ([`Simulation::set_external_phones`]): each day's contacts,
//! and for every pair of app users the attenuation each phone read of the other at every
//! scan. Each app user has a [`Device`] that hears the others through the simulator's
//! [`SimRadio`]: at each scan it broadcasts its rolling identifier and records what it heard.
//! When the simulator confirms an app user who would upload, a health official signed in to
//! the server issues a case code (`POST /api/v1/exposure/codes`); the phone trades it for an
//! upload token and uploads its keys (`/verify`, `/keys`); the driver asks the server to
//! publish now (`/exports`, instead of waiting for the hourly batch); then every phone
//! downloads `index.txt` and the key files it has not seen, verifies their signature and
//! matches them with the SDK. A new alert is fed back to the simulator, where it quarantines
//! the contact like any alert.
//!
//! Two clocks. The phones live on the simulated calendar, laid so that its last day is
//! yesterday (UTC): every key is then over and published at once, and every key is still
//! within the server's retention, which is why a run is at most that many days. The latency is
//! wall-clock time on this machine, from the moment the official asks for the code to the
//! moment the phone's alert appears: the server's real work (code, token, upload, signing the
//! export, serving files to every phone) and the phones' (download, verify, derive, match).
//!
//! The code is read from the official's answer, as an official reading it out to the case;
//! the SMS path (`device upload --sms-outbox`, as `tests/device.rs` uses) needs the server's
//! data folder on this machine, which a real server never shares.
//!
//! The pieces: [`session`] finds the server and signs the official in; [`phones`] makes the
//! phones and plays each day's radio through them; [`exchange`] is the day's traffic with the
//! server (codes, uploads, exports, the phones' downloads and matching); [`report`] turns what
//! was measured into latencies, recall and precision. This module holds the driver loop.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use phongdich_sim::{Population, Province, Simulation, UploadRequest};
use rand::SeedableRng;

use super::params;
use crate::args::SimRun;
use crate::device::{download, ServerSetup};

mod exchange;
mod phones;
mod report;
mod session;

use phones::{hear, make_phones};
use report::print_report;
use session::{server_and_login, sign_in, Official};

/// Most people a run drives: every app user is a phone deriving identifiers for every key
/// file, and the server sees every phone's downloads.
const MAX_POPULATION: usize = 2_000;
const DEFAULT_POPULATION: usize = 1_000;
const DAY: i64 = 86_400;
/// How long one request may take before the run gives up on the server.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One confirmed case whose phone uploaded.
struct Case {
    request: UploadRequest,
    /// When the official asked for the code.
    issued: Instant,
    /// Phones alerted for this case, with the seconds from `issued`.
    alerted: BTreeMap<u32, f64>,
}

/// The driver's state across days.
struct Run<'a> {
    http: &'a reqwest::Client,
    server: &'a str,
    official: &'a Official,
    concurrency: usize,
    cases: Vec<Case>,
    /// Uploaded key (hex) → index into `cases`.
    case_of_key: HashMap<String, usize>,
    keys_uploaded: u64,
    exports: usize,
    downloads: u64,
    download_bytes: u64,
    upload_seconds: Vec<f64>,
    rate_limited: u32,
}

pub(crate) async fn run(flags: &SimRun) -> anyhow::Result<()> {
    let started = Instant::now();
    let population = flags.population.unwrap_or(DEFAULT_POPULATION);
    if population > MAX_POPULATION {
        bail!(
            "--population {population} is too many for http mode: each app user is a real phone \
             matching every key file; use at most {MAX_POPULATION}, or --mode province"
        );
    }
    let retention = phongdich_domain::profile::Profile::covid19_2021()
        .exposure
        .retention_days;
    if flags.out.is_some() {
        bail!("--out writes a province run's curves; http mode prints its report (--json)");
    }
    let days = flags.days.unwrap_or(14);
    if i64::from(days) > retention {
        bail!(
            "--days {days} is too many for http mode: the phones' calendar ends yesterday and the \
             server refuses keys older than its {retention}-day retention"
        );
    }
    let p = params(
        population,
        days,
        flags.seed,
        flags.r0,
        flags.adoption,
        flags.initial,
        &flags.tracers,
    );
    p.validate()?;
    let province = Province::find(&flags.province)?;
    let (server, login) = server_and_login(flags)?;
    let http = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("building the HTTP client")?;
    download(&http, &format!("{server}/healthz"))
        .await
        .with_context(|| format!("cannot reach the server at {server}"))?;
    let official = sign_in(&http, &server, &login.0, &login.1).await?;
    let setup = ServerSetup::fetch(&http, &server).await?;

    let pop = Population::build(&p, &province)?;
    let mut sim = Simulation::new(&pop, p.clone())?;
    sim.set_external_phones(true);
    let folder = tempfile::tempdir().context("creating a folder for the phones")?;
    let mut phones = make_phones(&sim, population, folder.path(), &setup)?;
    let app_users = phones.iter().filter(|p| p.is_some()).count();
    let today = jiff::Timestamp::now().as_second().div_euclid(DAY) * DAY;
    let epoch = today - i64::from(days) * DAY;
    let mut rng = rand::rngs::StdRng::seed_from_u64(p.seed ^ 0x4854_5450);

    let mut run = Run {
        http: &http,
        server: &server,
        official: &official,
        concurrency: flags.http.concurrency.clamp(1, 256),
        cases: Vec::new(),
        case_of_key: HashMap::new(),
        keys_uploaded: 0,
        exports: 0,
        downloads: 0,
        download_bytes: 0,
        upload_seconds: Vec::new(),
        rate_limited: 0,
    };
    let progress = super::bar(u64::from(days), "days (phones on the server)");
    for day in 0..days {
        sim.step();
        let day_start = epoch + i64::from(day) * DAY;
        hear(&mut phones, &sim.take_radio(), day_start, &mut rng)?;
        // Late in the evening of the day: uploads, an export, the phones' downloads.
        let evening = day_start + DAY - 3_600;
        let uploads = sim.take_uploads();
        for request in uploads {
            run.upload(&mut phones, request, epoch, evening).await?;
        }
        run.publish().await?;
        for person in run.sync(&mut phones, &setup, evening).await? {
            sim.proximity_alert(person);
        }
        progress.set_position(u64::from(day) + 1);
    }
    progress.finish_and_clear();

    let summary = sim.summary();
    let report = run.report(&sim, &summary, &province, app_users, started);
    if flags.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report, &official);
    }
    Ok(())
}
