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

/// An expansion in progress, one level at a time, so a caller that fetches contacts
/// asynchronously (the server, over the store) and one that has them at hand ([`expand`]) run
/// the same walk.
#[derive(Debug, Clone)]
pub struct Expansion {
    depth: u8,
    level: u8,
    seen: HashSet<PersonId>,
    frontier: Vec<(PersonId, Timestamp, Option<Timestamp>)>,
    reached: Vec<Reached>,
}

impl Expansion {
    pub fn new(seed: Seed, depth: u8) -> Self {
        Self {
            depth,
            level: 0,
            seen: HashSet::new(),
            frontier: vec![(seed.person, seed.from, seed.until)],
            reached: Vec::new(),
        }
    }

    /// The people whose contacts the next level needs, or `None` when the walk is over.
    pub fn pending(&self) -> Option<Vec<PersonId>> {
        (self.level < self.depth && !self.frontier.is_empty())
            .then(|| self.frontier.iter().map(|f| f.0).collect())
    }

    /// Whether the next level is the last: its people's isolation then changes nothing.
    pub fn next_is_last(&self) -> bool {
        self.level + 1 >= self.depth
    }

    /// The people at the far end of `edges` not yet placed: those whose isolation the next
    /// level needs.
    pub fn newcomers(&self, edges: &[Edge]) -> Vec<PersonId> {
        let mut out: Vec<PersonId> = edges
            .iter()
            .flat_map(|e| [e.a, e.b])
            .filter(|p| !self.seen.contains(p) && !self.frontier.iter().any(|f| f.0 == *p))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Takes the next level from `edges`, the contacts touching [`Expansion::pending`].
    pub fn advance(
        &mut self,
        edges: &[Edge],
        isolation: &dyn Fn(PersonId, Timestamp) -> Option<Timestamp>,
    ) {
        self.level += 1;
        let reached = next_level(&self.frontier, edges, &self.seen, self.level, isolation);
        self.seen.extend(self.frontier.iter().map(|f| f.0));
        self.frontier = reached
            .iter()
            .map(|r| (r.person, r.exposed_at, r.isolated_at))
            .collect();
        self.reached.extend(reached);
    }

    /// Everyone reached, level by level.
    pub fn finish(self) -> Vec<Reached> {
        self.reached
    }
}

/// Expands a case to `depth` levels. `fetch` returns the contacts touching any of the given
/// people (both directions); `isolation` as for [`next_level`].
pub fn expand(
    seed: Seed,
    depth: u8,
    mut fetch: impl FnMut(&[PersonId]) -> Vec<Edge>,
    isolation: &dyn Fn(PersonId, Timestamp) -> Option<Timestamp>,
) -> Vec<Reached> {
    let mut walk = Expansion::new(seed, depth);
    while let Some(people) = walk.pending() {
        let edges = fetch(&people);
        walk.advance(&edges, isolation);
    }
    walk.finish()
}

#[cfg(test)]
mod tests;
