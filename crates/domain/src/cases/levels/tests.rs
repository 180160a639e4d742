use super::*;

fn t(hour: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + hour * 3600).unwrap()
}

fn edge(id: i64, a: PersonId, b: PersonId, hour: i64) -> Edge {
    Edge {
        contact_id: id,
        a,
        b,
        at: t(hour),
    }
}

fn run(edges: &[Edge], seed: Seed, depth: u8, isolated: &[(PersonId, i64)]) -> Vec<Reached> {
    let mut by_person: HashMap<PersonId, Vec<Timestamp>> = HashMap::new();
    for (p, h) in isolated {
        by_person.entry(*p).or_default().push(t(*h));
    }
    expand(
        seed,
        depth,
        |people| {
            edges
                .iter()
                .filter(|e| people.contains(&e.a) || people.contains(&e.b))
                .copied()
                .collect()
        },
        &|p, exposed| {
            let mut times = by_person.get(&p).cloned().unwrap_or_default();
            times.sort();
            times.into_iter().find(|i| *i >= exposed)
        },
    )
}

fn levels(reached: &[Reached]) -> Vec<(PersonId, u8)> {
    let mut v: Vec<_> = reached.iter().map(|r| (r.person, r.level)).collect();
    v.sort_unstable();
    v
}

fn seed(from: i64, until: Option<i64>) -> Seed {
    Seed {
        person: 1,
        from: t(from),
        until: until.map(t),
    }
}

#[test]
fn contacts_outside_the_transmission_period_do_not_count() {
    // 2 met the case before it was infectious, 3 inside the period, 4 after isolation.
    let edges = [edge(1, 1, 2, -5), edge(2, 1, 3, 5), edge(3, 4, 1, 30)];
    let r = run(&edges, seed(0, Some(24)), 3, &[]);
    assert_eq!(levels(&r), [(3, 1)]);
    assert_eq!(r[0].via, 1);
    assert_eq!(r[0].exposed_at, t(5));
}

#[test]
fn an_f2_contact_counts_only_between_the_f1s_exposure_and_isolation() {
    // F1 = 2, exposed at hour 10, isolated at hour 40.
    let edges = [
        edge(1, 1, 2, 10),
        edge(2, 2, 3, 5),  // before 2 could have been infected: not F2
        edge(3, 2, 4, 20), // inside: F2
        edge(4, 2, 5, 50), // after 2 was isolated: not F2
    ];
    let r = run(&edges, seed(0, None), 3, &[(2, 40)]);
    assert_eq!(levels(&r), [(2, 1), (4, 2)]);
}

#[test]
fn a_person_reached_by_several_paths_gets_the_lowest_level() {
    // 3 is an F1 directly and also a contact of F1 2; 4 is reachable at level 2 by two F1s.
    let edges = [
        edge(1, 1, 2, 1),
        edge(2, 1, 3, 2),
        edge(3, 2, 3, 3),
        edge(4, 2, 4, 8),
        edge(5, 3, 4, 6),
        edge(6, 4, 5, 9),
    ];
    let r = run(&edges, seed(0, None), 3, &[]);
    assert_eq!(levels(&r), [(2, 1), (3, 1), (4, 2), (5, 3)]);
    let four = r.iter().find(|x| x.person == 4).unwrap();
    // The earlier of the two level-2 paths wins.
    assert_eq!((four.via, four.exposed_at), (3, t(6)));
}

#[test]
fn cycles_and_depth_limits_end_the_expansion() {
    let edges = [
        edge(1, 1, 2, 1),
        edge(2, 2, 3, 2),
        edge(3, 3, 1, 3),
        edge(4, 3, 4, 4),
        edge(5, 4, 5, 5),
    ];
    let r = run(&edges, seed(0, None), 2, &[]);
    assert_eq!(levels(&r), [(2, 1), (3, 1), (4, 2)]);
    // A self-contact (bad data) never makes anyone a contact of themselves.
    let r = run(&[edge(1, 1, 1, 1)], seed(0, None), 3, &[]);
    assert!(r.is_empty());
}

#[test]
fn an_isolation_from_an_earlier_episode_does_not_close_the_window() {
    // 2 was in quarantine long before (hour -100) and again after this exposure (hour 40).
    let edges = [edge(1, 1, 2, 10), edge(2, 2, 3, 20), edge(3, 2, 4, 50)];
    let r = run(&edges, seed(0, None), 3, &[(2, -100), (2, 40)]);
    assert_eq!(levels(&r), [(2, 1), (3, 2)]);
    assert_eq!(r[0].isolated_at, Some(t(40)));
}
