//! `phongdich bench trace` (SPEC §9 P4): a tracing registry of 1,000,000 people and 20,000,000
//! contacts, then the F1 + F2 expansion of many cases through the server's real path (one store
//! query per level, the domain's time rules), reporting p50 and p99 against the 50 ms target.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use phongdich_domain::accounts::Role;
use phongdich_domain::cases::{Case, CaseSource, CaseStatus, Person};
use phongdich_server::chains::expand_case;
use phongdich_store::{BulkContact, NewStaff};
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::report::{quantile, result};
use super::rig::Rig;
use crate::args::TraceBench;

/// SPEC §9 P4, in milliseconds.
const TARGET_MS: f64 = 50.0;
/// Contacts are drawn among people within this many ids of each other: people live in
/// households, villages and workplaces, so contacts of contacts overlap as they do in life.
const NEIGHBOURHOOD: i64 = 2_000;

pub(super) async fn run(flags: TraceBench) -> anyhow::Result<()> {
    anyhow::ensure!(flags.people >= 100, "--people must be at least 100");
    anyhow::ensure!(flags.cases >= 1, "--cases must be at least 1");
    let rig = Rig::new(flags.database_url.as_deref()).await?;
    let now = Timestamp::now();
    eprintln!(
        "bench trace: {} store, {} people, {} contacts, {} cases",
        rig.backend, flags.people, flags.contacts, flags.cases
    );
    let t = Instant::now();
    let people = rig
        .store
        .add_people_bulk(flags.people, "02839", now)
        .await?;
    let bar = ProgressBar::new(flags.contacts as u64).with_style(
        ProgressStyle::with_template("contacts {bar:40} {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let n = people.len() as i64;
    let mut written = 0;
    while written < flags.contacts {
        let batch = (flags.contacts - written).min(50_000);
        // Generated person by person (`a` rises through the list), the way a line list is
        // entered, which also keeps the index inserts local.
        let rows: Vec<BulkContact> = (written..written + batch)
            .map(|i| {
                let a = (i as i64 * n / flags.contacts.max(1) as i64).min(n - 1);
                let b = (a + rng.gen_range(1..NEIGHBOURHOOD)) % n;
                BulkContact {
                    a: people[a as usize],
                    b: people[b as usize],
                    at: now - SignedDuration::from_secs(rng.gen_range(0..30 * 86_400)),
                    close: rng.gen_bool(0.8),
                }
            })
            .collect();
        rig.store.add_contacts_bulk(&rows, now).await?;
        written += batch;
        bar.set_position(written as u64);
    }
    bar.finish_and_clear();
    eprintln!("loaded in {:.0} s", t.elapsed().as_secs_f64());

    let staff_id = rig
        .store
        .create_staff(
            &NewStaff {
                username: "bench.tracer".into(),
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
    let unit = rig.store.existing_unit("02839").await?;
    let today = now.to_zoned(phongdich_domain::time::vietnam()).date();
    let mut times = Vec::with_capacity(flags.cases);
    let (mut f1, mut f2) = (0usize, 0usize);
    for _ in 0..flags.cases {
        let person = people[rng.gen_range(0..people.len())];
        let case = Case {
            person: Person {
                full_name: "Bench".into(),
                phone: None,
                id_number: None,
                birth_year: None,
                unit_code: "02839".into(),
            },
            onset: None,
            sample: today,
            confirmed: today,
            source: CaseSource::Community,
            status: CaseStatus::Active,
            transmission_from: now - SignedDuration::from_hours(24 * 16),
            isolated_at: now - SignedDuration::from_hours(24 * 2),
            note: None,
        };
        let id = rig
            .store
            .create_case(&actor, &case, person, &unit.path, now)
            .await?;
        let stored = rig
            .store
            .case(id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case lost"))?;
        let t = Instant::now();
        let reached = expand_case(&rig.store, &stored, 2).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        f1 += reached.iter().filter(|r| r.level == 1).count();
        f2 += reached.iter().filter(|r| r.level == 2).count();
    }
    times.sort_by(f64::total_cmp);
    let (p50, p99) = (quantile(&times, 0.5), quantile(&times, 0.99));
    let cases = flags.cases as f64;
    println!(
        "per case: {:.1} F1 and {:.1} F2 on average",
        f1 as f64 / cases,
        f2 as f64 / cases
    );
    println!(
        "F1 + F2 expansion: p50 {p50:.1} ms   p99 {p99:.1} ms   over {} cases",
        flags.cases
    );
    println!("target (SPEC §9 P4): p99 < {TARGET_MS:.0} ms");
    if flags.json {
        let line = result(
            "trace",
            p99,
            "ms",
            TARGET_MS,
            "ms",
            json!({"backend": rig.backend, "people": flags.people, "contacts": flags.contacts,
                   "cases": flags.cases, "p50_ms": p50, "mean_f1": f1 as f64 / cases, "mean_f2": f2 as f64 / cases}),
        );
        println!("{line}");
    }
    rig.finish().await;
    Ok(())
}
