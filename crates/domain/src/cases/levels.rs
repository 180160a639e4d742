//! F-levels along the contact chain. From a case (F0), its close contacts inside its
//! transmission period are F1; the close contacts of an F1 from the time the F1 could have been
//! infected until the F1 was isolated are F2; and so on to the profile's depth. A person reached
//! by several paths gets the lowest level, and among paths of that level the earliest exposure
//! (which widens their own window the most).
//!
//! The expansion runs level by level so the store can fetch one level's contacts in one query:
//! [`next_level`] is the rule, [`expand`] drives it over any fetch function.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

/// A person's id in the tracing registry.
pub type PersonId = i64;

/// One close contact between two people at a time (contacts are symmetric).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub contact_id: i64,
    pub a: PersonId,
    pub b: PersonId,
    pub at: Timestamp,
}

impl Edge {
    /// The other person of the contact, if `p` is one of its two.
    fn other(&self, p: PersonId) -> Option<PersonId> {
        if self.a == p {
            Some(self.b)
        } else if self.b == p {
            Some(self.a)
        } else {
            None
        }
    }
}

/// Where an expansion starts: the case's person and its transmission window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    pub person: PersonId,
    /// Start of the transmission period.
    pub from: Timestamp,
    /// When the case was isolated (its contacts after that do not count).
    pub until: Option<Timestamp>,
}

/// A person reached by the expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub person: PersonId,
    /// 1 for F1, 2 for F2, …
    pub level: u8,
    /// The earliest contact with someone of the level above: when they could have been infected.
    pub exposed_at: Timestamp,
    /// Who of the level above they met then, and the contact.
    pub via: PersonId,
    pub contact_id: i64,
    /// When they were isolated (their quarantine began), which ends their own window.
    pub isolated_at: Option<Timestamp>,
}

/// The people of the next level: close contacts of the `frontier` inside each one's window
/// (from `from(p)` to `until(p)`), who are not in `seen`. `edges` are the contacts touching the
/// frontier; `isolation(p, exposed_at)` gives when `p` was isolated after being exposed then,
/// if they were (an isolation before the exposure, from an earlier episode, does not count).
pub fn next_level(
    frontier: &[(PersonId, Timestamp, Option<Timestamp>)],
    edges: &[Edge],
    seen: &HashSet<PersonId>,
    level: u8,
    isolation: &dyn Fn(PersonId, Timestamp) -> Option<Timestamp>,
) -> Vec<Reached> {
    let windows: HashMap<PersonId, (Timestamp, Option<Timestamp>)> = frontier
        .iter()
        .map(|(p, from, until)| (*p, (*from, *until)))
        .collect();
    let mut best: HashMap<PersonId, Reached> = HashMap::new();
    for edge in edges {
        for (parent, (from, until)) in [edge.a, edge.b]
            .into_iter()
            .filter_map(|p| windows.get(&p).map(|w| (p, *w)))
        {
            let Some(child) = edge.other(parent) else {
                continue;
            };
            if child == parent || seen.contains(&child) || windows.contains_key(&child) {
                continue;
            }
            if edge.at < from || until.is_some_and(|u| edge.at > u) {
                continue;
            }
            let candidate = Reached {
                person: child,
                level,
                exposed_at: edge.at,
                via: parent,
                contact_id: edge.contact_id,
                isolated_at: None,
            };
            best.entry(child)
                .and_modify(|r| {
                    if (candidate.exposed_at, candidate.contact_id) < (r.exposed_at, r.contact_id) {
                        *r = candidate;
                    }
                })
                .or_insert(candidate);
        }
    }
    let mut out: Vec<Reached> = best
        .into_values()
        .map(|r| Reached {
            isolated_at: isolation(r.person, r.exposed_at),
            ..r
        })
        .collect();
    out.sort_by_key(|r| (r.exposed_at, r.person));
    out
}

/// Expands a case to `depth` levels. `fetch` returns the contacts touching any of the given
/// people (both directions); `isolation` as for [`next_level`].
pub fn expand(
    seed: Seed,
    depth: u8,
    mut fetch: impl FnMut(&[PersonId]) -> Vec<Edge>,
    isolation: &dyn Fn(PersonId, Timestamp) -> Option<Timestamp>,
) -> Vec<Reached> {
    let mut seen: HashSet<PersonId> = HashSet::from([seed.person]);
    let mut frontier = vec![(seed.person, seed.from, seed.until)];
    let mut all = Vec::new();
    for level in 1..=depth {
        let people: Vec<PersonId> = frontier.iter().map(|f| f.0).collect();
        let edges = fetch(&people);
        let reached = next_level(&frontier, &edges, &seen, level, isolation);
        if reached.is_empty() {
            break;
        }
        seen.extend(people);
        frontier = reached
            .iter()
            .map(|r| (r.person, r.exposed_at, r.isolated_at))
            .collect();
        all.extend(reached);
    }
    all
}

#[cfg(test)]
mod tests;
