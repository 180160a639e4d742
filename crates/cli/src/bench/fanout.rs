//! `phongdich bench venue-fanout` (SPEC §9 P3): an exposure window at a venue with 20,000
//! visits; the time to create every overlapping visitor's alert (the window's row and all its
//! alerts in one committed transaction), against the 200 ms target.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::accounts::Role;
use phongdich_domain::venues::{ExposureWindow, RiskLevel};
use phongdich_store::{NewCheckin, NewStaff};
use serde_json::json;

use super::report::{quantile, result};
use super::rig::Rig;
use crate::args::FanoutBench;

/// SPEC §9 P3.
const TARGET_MS: f64 = 200.0;

pub(super) async fn run(flags: FanoutBench) -> anyhow::Result<()> {
    let rig = Rig::new(flags.database_url.as_deref()).await?;
    eprintln!(
        "bench venue-fanout: {} store, {} visits, {} runs",
        rig.backend, flags.visits, flags.runs
    );
    let venue = rig.venue("market").await?;
    let other = rig.venue("supermarket").await?;
    let people = rig.citizens(flags.visits, false).await?;
    let now = Timestamp::now();
    let day_start = now - SignedDuration::from_hours(20);
    // Every visit overlaps the window (the morning); the same people's visits elsewhere do not
    // count, so the query must pick the venue's visits out of twice as many.
    let mut rows = Vec::with_capacity(2 * people.len());
    for (i, (citizen, _)) in people.iter().enumerate() {
        let in_at = day_start + SignedDuration::from_secs((i % 14_400) as i64);
        for (v, tag) in [(&venue, "a"), (&other, "b")] {
            rows.push(NewCheckin {
                venue_id: v.id,
                origin: format!("c:{citizen}"),
                client_id: format!("fanout-{tag}-{i}"),
                citizen_id: *citizen,
                member_id: None,
                in_at,
                auto_out_at: in_at + SignedDuration::from_mins(90),
                method: phongdich_domain::venues::CheckinMethod::SelfScan,
            });
        }
    }
    for chunk in rows.chunks(5_000) {
        rig.store.record_checkins(chunk).await?;
    }
    let staff_id = rig
        .store
        .create_staff(
            &NewStaff {
                username: "bench.official".into(),
                password_hash: "-".into(),
                full_name: "Bench".into(),
                role: Role::HealthOfficial,
                unit_code: "02839".into(),
            },
            now,
        )
        .await?;
    let actor = rig
        .store
        .actor(staff_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no actor"))?;
    let margin = SignedDuration::from_mins(15);
    let mut times = Vec::new();
    let mut alerted = 0;
    for run in 0..flags.runs {
        let window = ExposureWindow {
            starts_at: day_start,
            ends_at: day_start + SignedDuration::from_hours(6),
            level: RiskLevel::High,
            case_ref: Some(format!("bench-{run}")),
        };
        let t = Instant::now();
        let (_, n) = rig
            .store
            .create_exposure(&actor, &venue, &window, margin, true, now)
            .await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        alerted = n;
    }
    anyhow::ensure!(
        alerted as usize == flags.visits,
        "alerted {alerted} of {} visitors",
        flags.visits
    );
    times.sort_by(f64::total_cmp);
    let (p50, p99) = (quantile(&times, 0.5), quantile(&times, 0.99));
    println!(
        "alerts created per window: {alerted} (every overlapping visitor; {} visits in the store)",
        rows.len()
    );
    println!("time to mark the window and create all alerts: p50 {p50:.1} ms   p99 {p99:.1} ms   over {} runs", flags.runs);
    println!("target (SPEC §9 P3): < {TARGET_MS:.0} ms");
    if flags.json {
        let line = result(
            "venue-fanout",
            p99,
            "ms",
            TARGET_MS,
            "ms",
            json!({"backend": rig.backend, "visits": flags.visits, "alerts": alerted, "p50_ms": p50}),
        );
        println!("{line}");
    }
    rig.finish().await;
    Ok(())
}
