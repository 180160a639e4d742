//! `phongdich bench checkin` (SPEC §9 P2): authenticated check-ins over HTTP on loopback,
//! from concurrent clients, against the same server's `/healthz` rate measured in the same run.
//! A third phase paces check-ins at half the measured rate and reports the latency there.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use super::report::{quantile, result};
use super::rig::Rig;
use crate::args::CheckinBench;

struct Phase {
    count: u64,
    secs: f64,
    latencies_ms: Vec<f64>,
    errors: u64,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.count as f64 / self.secs
    }
}

pub(super) async fn run(flags: CheckinBench) -> anyhow::Result<()> {
    let rig = Rig::new(flags.database_url.as_deref()).await?;
    eprintln!(
        "bench checkin: {} store, {} clients, {} s per phase",
        rig.backend, flags.clients, flags.seconds
    );
    let state = rig.state();
    let venue = rig.venue("market").await?;
    let base = format!("http://{}", rig.serve(state.clone()).await?);
    let link = state.venue_link(&base, &venue.code);
    let (_, sig) = phongdich_venue_qr::parse_link(&link).map_err(|e| anyhow::anyhow!("{e}"))?;
    let sig = sig.to_owned();
    let citizens = rig.citizens(flags.clients, true).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(flags.clients)
        .build()?;
    let seconds = Duration::from_secs_f64(flags.seconds);

    let counter = Arc::new(AtomicU64::new(0));
    let checkin = {
        let (http, base, code, sig) = (http.clone(), base.clone(), venue.code.clone(), sig.clone());
        move |token: String| {
            let (http, base, code, sig, counter) = (
                http.clone(),
                base.clone(),
                code.clone(),
                sig.clone(),
                counter.clone(),
            );
            async move {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let res = http
                    .post(format!("{base}/api/v1/checkins"))
                    .bearer_auth(token)
                    .json(&json!({"client_id": format!("bench-{n:012}"), "venue_id": code, "sig": sig}))
                    .send()
                    .await;
                matches!(res, Ok(r) if r.status() == 201)
            }
        }
    };
    let health = {
        let (http, base) = (http.clone(), base.clone());
        move |_token: String| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let res = http.get(format!("{base}/healthz")).send().await;
                matches!(res, Ok(r) if r.status() == 200)
            }
        }
    };

    // Warm up the connections and the store's caches.
    let _ = drive(&citizens, Duration::from_millis(500), None, checkin.clone()).await;
    let stored_before = rig.store.checkin_count().await?;
    let full = drive(&citizens, seconds, None, checkin.clone()).await;
    let stored = rig.store.checkin_count().await? - stored_before;
    let reference = drive(&citizens, seconds, None, health).await;
    let half = full.rate() / 2.0;
    let paced = drive(&citizens, seconds, Some(half), checkin).await;

    let mut sorted = full.latencies_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let mut paced_sorted = paced.latencies_ms.clone();
    paced_sorted.sort_by(f64::total_cmp);
    let (p50, p99) = (quantile(&sorted, 0.5), quantile(&sorted, 0.99));
    let (half_p50, half_p99) = (quantile(&paced_sorted, 0.5), quantile(&paced_sorted, 0.99));
    println!(
        "check-ins accepted (201): {:>10.0} /s   p50 {p50:.2} ms   p99 {p99:.2} ms   errors {}",
        full.rate(),
        full.errors
    );
    println!(
        "/healthz (same server):   {:>10.0} /s   (the reference)",
        reference.rate()
    );
    println!(
        "ratio check-ins / healthz: {:.3}",
        full.rate() / reference.rate()
    );
    println!("at half that rate ({half:.0}/s offered, {:.0}/s served): p50 {half_p50:.2} ms   p99 {half_p99:.2} ms", paced.rate());
    println!(
        "rows stored during the full-speed phase: {stored} (acknowledged {})",
        full.count
    );
    println!(
        "targets (SPEC §9 P2): ≥ 10,000/s on 2 cores with SQLite; p99 < 20 ms at half the rate"
    );
    if flags.json {
        let line = result(
            "checkin",
            full.rate(),
            "checkins/s",
            reference.rate(),
            "healthz/s",
            json!({"backend": rig.backend, "clients": flags.clients, "p50_ms": p50, "p99_ms": p99,
                "half_rate_p99_ms": half_p99, "half_rate_per_s": paced.rate(), "errors": full.errors}),
        );
        println!("{line}");
    }
    rig.finish().await;
    Ok(())
}

/// Runs one client per token for `duration`, each sending requests back to back or, with
/// `rate`, at its share of that many requests per second; counts successes and latencies.
async fn drive<F, Fut>(
    tokens: &[(i64, String)],
    duration: Duration,
    rate: Option<f64>,
    request: F,
) -> Phase
where
    F: Fn(String) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let start = Instant::now();
    let deadline = start + duration;
    let clients = tokens.len() as f64;
    let per_client_gap = rate.map(|r| Duration::from_secs_f64(tokens.len() as f64 / r.max(1.0)));
    let mut tasks = Vec::new();
    for (i, (_, token)) in tokens.iter().enumerate() {
        let (token, request) = (token.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut next = Instant::now();
            if let Some(gap) = per_client_gap {
                // Spread the clients over one gap so the offered load is smooth.
                next += gap.mul_f64(i as f64 / clients);
            }
            while Instant::now() < deadline {
                if let Some(gap) = per_client_gap {
                    tokio::time::sleep_until(next.into()).await;
                    next += gap;
                }
                let t = Instant::now();
                if request(token.clone()).await {
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut phase = Phase {
        count: 0,
        secs: 0.0,
        latencies_ms: Vec::new(),
        errors: 0,
    };
    for task in tasks {
        if let Ok((latencies, errors)) = task.await {
            phase.count += latencies.len() as u64;
            phase.latencies_ms.extend(latencies);
            phase.errors += errors;
        }
    }
    phase.secs = start.elapsed().as_secs_f64();
    phase
}
