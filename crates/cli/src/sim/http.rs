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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::stream::{self, StreamExt};
use phongdich_device::{Consent, Device};
use phongdich_sim::ble::SimRadio;
use phongdich_sim::{Population, Province, RadioContact, Simulation, UploadRequest};
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{json, Value};

use super::params;
use crate::args::SimRun;
use crate::device::phone::{json_of, send_json};
use crate::device::{download, wire_keys, ServerSetup};

/// Most people a run drives: every app user is a phone deriving identifiers for every key
/// file, and the server sees every phone's downloads.
const MAX_POPULATION: usize = 2_000;
const DEFAULT_POPULATION: usize = 1_000;
const DAY: i64 = 86_400;
/// How long one request may take before the run gives up on the server.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Waits on the server's sign-in limit (code checks share it) before giving up.
const MAX_RATE_LIMIT_WAITS: u32 = 20;

/// Who issues the codes and for which unit.
struct Official {
    token: String,
    unit: String,
    username: String,
}

/// One confirmed case whose phone uploaded.
struct Case {
    request: UploadRequest,
    /// When the official asked for the code.
    issued: Instant,
    /// Phones alerted for this case, with the seconds from `issued`.
    alerted: BTreeMap<u32, f64>,
}

/// What a run measured.
#[derive(Debug, Serialize)]
struct HttpReport {
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

/// The server and the official's username and password, from the flags or `demo.json`.
fn server_and_login(flags: &SimRun) -> anyhow::Result<(String, (String, String))> {
    let h = &flags.http;
    if let Some(path) = &h.demo_json {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let demo: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a demo.json", path.display()))?;
        let staff = demo["staff"].as_array().cloned().unwrap_or_default();
        let official = staff
            .iter()
            .find(|s| s["role"] == "health_official")
            .with_context(|| format!("{} lists no health official", path.display()))?;
        let field = |k: &str| official[k].as_str().unwrap_or_default().to_owned();
        let server = match &h.server {
            Some(s) => s.clone(),
            None => demo["url"]
                .as_str()
                .filter(|u| !u.is_empty())
                .with_context(|| format!("{} has no url: pass --server", path.display()))?
                .to_owned(),
        };
        return Ok((
            server.trim_end_matches('/').to_owned(),
            (field("username"), field("password")),
        ));
    }
    match (&h.server, &h.username, &h.password) {
        (Some(s), Some(u), Some(p)) => {
            Ok((s.trim_end_matches('/').to_owned(), (u.clone(), p.clone())))
        }
        _ => bail!(
            "http mode needs a server and a health official: --server URL --username NAME \
             --password PASSWORD, or --demo-json DIR/demo.json of a `phongdich demo`"
        ),
    }
}

/// Signs the official in and checks they may issue codes.
async fn sign_in(
    http: &reqwest::Client,
    server: &str,
    username: &str,
    password: &str,
) -> anyhow::Result<Official> {
    let session = send_json(
        http.post(format!("{server}/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password})),
    )
    .await
    .with_context(|| format!("signing in as {username}"))?;
    let token = session["token"]
        .as_str()
        .context("no token in the sign-in answer")?
        .to_owned();
    let me = send_json(http.get(format!("{server}/api/v1/me")).bearer_auth(&token))
        .await
        .context("reading the official's account")?;
    let role = me["role"].as_str().unwrap_or_default();
    if !matches!(role, "health_official" | "admin") {
        bail!("{username} is {role:?}: only a health official or an admin issues case codes");
    }
    let unit = me["unit"]["code"]
        .as_str()
        .context("the official's account has no unit")?
        .to_owned();
    Ok(Official {
        token,
        unit,
        username: username.to_owned(),
    })
}

/// A phone for every app user, configured from the server.
fn make_phones(
    sim: &Simulation<'_>,
    population: usize,
    folder: &Path,
    setup: &ServerSetup,
) -> anyhow::Result<Vec<Option<Device>>> {
    (0..population as u32)
        .map(|person| {
            if !sim.is_app_user(person) {
                return Ok(None);
            }
            let mut device = Device::open(&folder.join(person.to_string()))?;
            device.set_config(setup.device_config.clone())?;
            Ok(Some(device))
        })
        .collect()
}

/// One sighting: at `at`, `hearer`'s phone reads `heard`'s advertisement at `db`.
type Sighting = (i64, u32, u32, u8);

/// Plays the day's phone pairs through the phones' radios, in time order. Each contact starts
/// at a random scan slot between 06:00 and 22:00 (earlier if it would run past midnight); a
/// phone scans once a slot and hears everyone near it in that scan.
fn hear(
    phones: &mut [Option<Device>],
    radio: &[RadioContact],
    day_start: i64,
    rng: &mut impl Rng,
) -> anyhow::Result<()> {
    let mut sightings: Vec<Sighting> = Vec::new();
    // One radio model: every contact scans at the same interval.
    let scan_seconds = radio.first().map_or(300, |c| c.scan_seconds.max(1));
    for c in radio {
        let step = i64::from(scan_seconds);
        let slots = DAY / step;
        let length = c.a_heard_b.len() as i64;
        let latest = (slots - length).max(0);
        let slot = rng
            .gen_range(6 * 3_600 / step..22 * 3_600 / step)
            .min(latest);
        for (k, (ab, ba)) in c.a_heard_b.iter().zip(&c.b_heard_a).enumerate() {
            let at = day_start + (slot + k as i64) * step;
            sightings.push((at, c.a, c.b, *ab));
            sightings.push((at, c.b, c.a, *ba));
        }
    }
    sightings.sort_unstable();
    let mut start = 0;
    while start < sightings.len() {
        let at = sightings[start].0;
        let end = start + sightings[start..].partition_point(|s| s.0 == at);
        let slot = &sightings[start..end];
        let mut adverts: HashMap<u32, ([u8; 20], i8)> = HashMap::new();
        for &(_, _, heard, _) in slot {
            if let std::collections::hash_map::Entry::Vacant(e) = adverts.entry(heard) {
                let device = phone(phones, heard)?;
                e.insert((device.advertisement(at), device.config().tx_power_dbm));
            }
        }
        let mut k = 0;
        while k < slot.len() {
            let hearer = slot[k].1;
            let same = slot[k..].partition_point(|s| s.1 == hearer);
            let mut radio = SimRadio::default();
            for &(_, _, heard, db) in &slot[k..k + same] {
                let (payload, tx) = adverts[&heard];
                radio.tx_power_dbm = tx;
                radio.nearby.push((payload, db));
            }
            phone(phones, hearer)?.scan(&mut radio, at, scan_seconds)?;
            k += same;
        }
        start = end;
    }
    Ok(())
}

fn phone(phones: &mut [Option<Device>], person: u32) -> anyhow::Result<&mut Device> {
    phones
        .get_mut(person as usize)
        .and_then(Option::as_mut)
        .with_context(|| format!("person {person} has no phone (a simulator bug)"))
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

impl Run<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server)
    }

    /// The official issues a code, the case's phone trades it for a token and uploads.
    async fn upload(
        &mut self,
        phones: &mut [Option<Device>],
        request: UploadRequest,
        epoch: i64,
        now: i64,
    ) -> anyhow::Result<()> {
        let issued = Instant::now();
        let mut ask = json!({"unit_code": self.official.unit});
        // Only an onset that has happened is known to the official.
        if let Some(onset) = request.onset.filter(|&o| o <= request.day) {
            let date = jiff::Timestamp::from_second(epoch + i64::from(onset) * DAY)?
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date();
            ask["symptom_onset_date"] = json!(date.to_string());
        }
        let code = send_json(
            self.http
                .post(self.url("/api/v1/exposure/codes"))
                .bearer_auth(&self.official.token)
                .json(&ask),
        )
        .await
        .with_context(|| format!("{} asking for a case code", self.official.username))?;
        let code = code["code"]
            .as_str()
            .context("no code in the server's answer")?
            .to_owned();
        let token = self.verify(&code).await?;
        let device = phone(phones, request.person)?;
        device.set_consent(Consent {
            share_keys: true,
            ..device.consent()
        });
        let keys = device.keys_to_share(now)?;
        send_json(
            self.http
                .post(self.url("/api/v1/exposure/keys"))
                .json(&json!({"token": token, "keys": wire_keys(&keys)})),
        )
        .await
        .context("uploading a case's keys")?;
        self.upload_seconds.push(issued.elapsed().as_secs_f64());
        self.keys_uploaded += keys.len() as u64;
        let index = self.cases.len();
        for k in &keys {
            self.case_of_key.insert(hex::encode(k.key_data), index);
        }
        self.cases.push(Case {
            request,
            issued,
            alerted: BTreeMap::new(),
        });
        Ok(())
    }

    /// Trades a code for an upload token, waiting out the server's sign-in limit: every
    /// simulated phone comes from this machine's one address, which a real crowd does not.
    async fn verify(&mut self, code: &str) -> anyhow::Result<String> {
        for _ in 0..=MAX_RATE_LIMIT_WAITS {
            let res = self
                .http
                .post(self.url("/api/v1/exposure/verify"))
                .json(&json!({"code": code}))
                .send()
                .await
                .context("the server did not answer")?;
            if res.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
                let wait = res
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(5)
                    .clamp(1, 120);
                self.rate_limited += 1;
                tokio::time::sleep(Duration::from_secs(wait)).await;
                continue;
            }
            let answer = json_of(res).await.context("checking a case code")?;
            return Ok(answer["token"]
                .as_str()
                .context("no token in the server's answer")?
                .to_owned());
        }
        bail!("the server kept refusing code checks as too many; raise logins_per_ip_per_minute")
    }

    /// Publishes what may be published now, as the hourly batch would.
    async fn publish(&mut self) -> anyhow::Result<()> {
        let run = send_json(
            self.http
                .post(self.url("/api/v1/exposure/exports"))
                .bearer_auth(&self.official.token),
        )
        .await
        .context("publishing key exports")?;
        let files = run["files"].as_u64().unwrap_or(0);
        self.exports += files as usize;
        Ok(())
    }

    /// Every phone downloads the index and the files it has not ingested, then matches them;
    /// returns the people whose phones showed a new alert.
    async fn sync(
        &mut self,
        phones: &mut [Option<Device>],
        setup: &ServerSetup,
        now: i64,
    ) -> anyhow::Result<Vec<u32>> {
        let index_url = self.url("/en/exports/index.txt");
        let people: Vec<u32> = (0..phones.len() as u32)
            .filter(|&p| phones[p as usize].is_some())
            .collect();
        // The index: every phone asks (a CDN would answer most), so the server feels the crowd.
        let http = self.http;
        let indexes: Vec<(u32, anyhow::Result<Vec<u8>>)> = stream::iter(people)
            .map(|p| {
                let url = index_url.clone();
                async move { (p, download(http, &url).await) }
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        let mut wanted: Vec<(u32, String)> = Vec::new();
        for (p, index) in indexes {
            let index = index.context("downloading the export index")?;
            self.downloads += 1;
            self.download_bytes += index.len() as u64;
            let text = String::from_utf8_lossy(&index);
            let device = phone(phones, p)?;
            wanted.extend(device.pending_exports(&text).into_iter().map(|n| (p, n)));
        }
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let files: Vec<(u32, String, anyhow::Result<Vec<u8>>)> = stream::iter(wanted)
            .map(|(p, name)| {
                let url = self.url(&format!("/en/exports/{name}"));
                async move { (p, name, download(http, &url).await) }
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        let mut by_phone: BTreeMap<u32, Vec<(String, Vec<u8>)>> = BTreeMap::new();
        for (p, name, zip) in files {
            let zip = zip.with_context(|| format!("downloading {name}"))?;
            self.downloads += 1;
            self.download_bytes += zip.len() as u64;
            by_phone.entry(p).or_default().push((name, zip));
        }
        let mut alerted = Vec::new();
        for (p, mut files) in by_phone {
            // Files in the index's order: names start with the publication time.
            files.sort_by(|a, b| a.0.cmp(&b.0));
            let device = phone(phones, p)?;
            let mut new_alert = false;
            for (name, zip) in &files {
                let outcome = device
                    .ingest_export(name, zip, &setup.verifier, now)
                    .with_context(|| format!("phone {p} ingesting {name}"))?;
                new_alert |= outcome.new_alert;
            }
            if !new_alert {
                continue;
            }
            let seen = Instant::now();
            alerted.push(p);
            let keys = device
                .status()
                .alert
                .map(|a| a.matched_keys)
                .unwrap_or_default();
            for key in keys {
                if let Some(&c) = self.case_of_key.get(&key) {
                    let case = &mut self.cases[c];
                    if case.request.person != p {
                        let waited = seen.duration_since(case.issued).as_secs_f64();
                        case.alerted.entry(p).or_insert(waited);
                    }
                }
            }
        }
        Ok(alerted)
    }

    fn report(
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

fn print_report(r: &HttpReport, official: &Official) {
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

    #[test]
    fn contacts_are_heard_in_time_order_by_both_phones() {
        let dir = tempfile::tempdir().unwrap();
        let mut phones: Vec<Option<Device>> = (0..3)
            .map(|i| Some(Device::open(&dir.path().join(i.to_string())).unwrap()))
            .collect();
        let contact = |a, b, n| RadioContact {
            a,
            b,
            setting: phongdich_sim::Setting::Household,
            scan_seconds: 300,
            a_heard_b: vec![50; n],
            b_heard_a: vec![55; n],
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let day = 20_000 * DAY;
        // 0 meets 1 for 4 scans and 2 for the whole day (288 scans: it must start at midnight).
        hear(
            &mut phones,
            &[contact(0, 1, 4), contact(0, 2, 288)],
            day,
            &mut rng,
        )
        .unwrap();
        let encounters = |i: usize| phones[i].as_ref().unwrap().status().encounters;
        assert_eq!(encounters(0), 4 + 288);
        assert_eq!(encounters(1), 4);
        assert_eq!(encounters(2), 288);
        // A contact with a phone that is not an app user is a bug, and says so.
        phones[2] = None;
        assert!(hear(&mut phones, &[contact(0, 2, 1)], day + DAY, &mut rng).is_err());
    }
}
