//! Whole runs of the engine: determinism, an outbreak that is traced, the tracers' queue,
//! fading recall, phones driven outside, and a mismatched population.

use super::*;
use crate::metrics::Source;
use crate::Province;

fn province() -> Province {
    Province::new(
        "99",
        "Test",
        (0..3)
            .map(|i| (format!("{i:05}"), format!("Xã {i}")))
            .collect(),
    )
    .unwrap()
}

fn run(adoption: f64, seed: u64) -> (Vec<DailyRow>, crate::RunSummary) {
    let mut p = Params::new(6_000, 40, seed);
    p.disease.initial_infections = 30;
    p.interventions.adoption = adoption;
    let pop = Population::build(&p, &province()).unwrap();
    let mut sim = Simulation::new(&pop, p).unwrap();
    sim.run(&mut |_| {});
    (sim.rows().to_vec(), sim.summary())
}

#[test]
fn same_seed_same_output() {
    let a = run(0.6, 4);
    let b = run(0.6, 4);
    assert_eq!(a, b);
    let c = run(0.6, 5);
    assert_ne!(a.0, c.0);
}

#[test]
fn an_outbreak_grows_and_is_traced() {
    let (rows, s) = run(1.0, 3);
    assert!(s.infections > 90, "{s:?}");
    assert!(s.confirmed > 10, "{s:?}");
    assert!(rows.iter().any(|r| r.quarantined > 0));
    let ble = &s.tracing[&Source::Proximity];
    assert!(ble.named > 0 && ble.recall.unwrap_or(0.0) > 0.05, "{ble:?}");
    let interview = &s.tracing[&Source::Interview];
    assert!(interview.recall.unwrap_or(0.0) > ble.recall.unwrap_or(0.0) * 0.5);
    // Without the app nobody is alerted by Bluetooth.
    let (_, none) = run(0.0, 3);
    assert_eq!(none.tracing[&Source::Proximity].named, 0);
    assert_eq!(none.app_users, 0.0);
}

/// Fewer tracers: the same cases wait longer for their interview, and the interviews
/// name fewer of their true contacts.
#[test]
fn a_small_tracing_team_makes_cases_wait_and_find_less() {
    let summary = |capacity: f64| {
        let mut p = Params::new(6_000, 40, 3);
        p.disease.initial_infections = 30;
        p.interventions.adoption = 0.0;
        p.interventions.interview_capacity_per_100k = capacity;
        let pop = Population::build(&p, &province()).unwrap();
        let mut sim = Simulation::new(&pop, p).unwrap();
        sim.run(&mut |_| {});
        sim.summary()
    };
    let ample = summary(100_000.0);
    let few = summary(20.0);
    // Unlimited: everyone is interviewed the day after confirmation.
    assert_eq!(ample.interview_wait_max_days, Some(1.0), "{ample:?}");
    assert!(few.interview_wait_p90_days.unwrap() > 3.0, "{few:?}");
    assert_eq!(ample.interviews_dropped, 0);
    assert!(few.interviews_dropped > 0, "{few:?}");
    // Nobody is interviewed later than the limit after the swab allows.
    assert!(few.interview_wait_max_days.unwrap() <= 14.0, "{few:?}");
    let recall = |s: &crate::RunSummary| s.tracing[&Source::Interview].recall.unwrap();
    assert!(recall(&few) < recall(&ample), "{few:?} vs {ample:?}");
    let hours = |s: &crate::RunSummary| s.tracing[&Source::Interview].median_hours.unwrap();
    assert!(hours(&few) > hours(&ample) + 24.0);
}

/// Memory fades: with a steep decay an interview a day after confirmation still names
/// fewer contacts than with none.
#[test]
fn recall_fades_with_the_days_since_the_contact() {
    let recall = |decay: f64| {
        let mut p = Params::new(6_000, 40, 8);
        p.disease.initial_infections = 30;
        p.interventions.adoption = 0.0;
        p.interventions.interview_capacity_per_100k = 100_000.0;
        p.interventions.interview_recall_decay = decay;
        let pop = Population::build(&p, &province()).unwrap();
        let mut sim = Simulation::new(&pop, p).unwrap();
        sim.run(&mut |_| {});
        sim.summary().tracing[&Source::Interview].recall.unwrap()
    };
    let (none, steep) = (recall(0.0), recall(1.0));
    assert!(steep < none * 0.8, "{steep} vs {none}");
}

/// Phones driven outside: the radio readings are kept, uploads are handed out instead of
/// scored, and until an outside alert comes back the epidemic is exactly the normal run.
#[test]
fn external_phones_see_the_same_world() {
    let mut p = Params::new(3_000, 12, 5);
    p.disease.initial_infections = 30;
    p.interventions.adoption = 0.8;
    let pop = Population::build(&p, &province()).unwrap();
    let mut inside = Simulation::new(&pop, p.clone()).unwrap();
    let mut outside = Simulation::new(&pop, p).unwrap();
    outside.set_external_phones(true);
    let (mut readings, mut uploads) = (0, Vec::new());
    for _ in 0..12 {
        inside.step();
        outside.step();
        assert!(inside.take_radio().is_empty());
        for c in outside.take_radio() {
            assert!(outside.is_app_user(c.a) && outside.is_app_user(c.b));
            assert_eq!(c.a_heard_b.len(), c.b_heard_a.len());
            readings += c.a_heard_b.len();
        }
        uploads.extend(outside.take_uploads());
    }
    assert!(readings > 1_000, "{readings}");
    assert!(!uploads.is_empty());
    for u in &uploads {
        assert!(outside.is_app_user(u.person));
        assert!(u.predicted.iter().all(|&q| outside.is_app_user(q)));
    }
    // No alerts were fed back, so the infections match the run that scored its own
    // proximity alerts only until those alerts started quarantining people.
    let first_alert = inside
        .rows()
        .iter()
        .position(|r| r.alerts[Source::Proximity.index()] > 0)
        .unwrap_or(12);
    assert!(first_alert > 3, "{first_alert}");
    for day in 0..first_alert {
        assert_eq!(
            inside.rows()[day].new_infections,
            outside.rows()[day].new_infections,
            "day {day}"
        );
    }
    assert_eq!(outside.summary().tracing[&Source::Proximity].named, 0);
}

#[test]
fn mismatched_population_is_refused() {
    let p = Params::new(500, 5, 1);
    let pop = Population::build(&p, &province()).unwrap();
    assert!(Simulation::new(&pop, Params::new(501, 5, 1)).is_err());
}
