//! The day's traffic with the server: the official issues a code, the case's phone trades it
//! for a token and uploads its keys, the driver asks for an export, and every phone downloads
//! and matches what it has not seen, each alert credited to the cases whose keys it names.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::stream::{self, StreamExt};
use phongdich_device::{Consent, Device};
use phongdich_sim::UploadRequest;
use serde_json::json;

use super::phones::phone;
use super::{Case, Run, DAY};
use crate::device::phone::{json_of, send_json};
use crate::device::{download, wire_keys, ServerSetup};

/// Waits on the server's sign-in limit (code checks share it) before giving up.
const MAX_RATE_LIMIT_WAITS: u32 = 20;

impl Run<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server)
    }

    /// The official issues a code, the case's phone trades it for a token and uploads.
    pub(super) async fn upload(
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
    pub(super) async fn publish(&mut self) -> anyhow::Result<()> {
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
    pub(super) async fn sync(
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
}
