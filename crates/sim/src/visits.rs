//! Venue visits and bus rides of a day, who meets whom there, and the QR check-ins.
//!
//! People out of quarantine visit venues of their commune (market, supermarket, restaurant,
//! clinic, other) with a daily chance per category, arriving in some hour between 7:00 and
//! 20:59 and staying a share of the category's dwell time from the disease profile (the time
//! after which the system checks a visitor out). Bus riders take their route twice. Visitors of
//! one venue in the same hour meet a few of each other. A visit is checked in when the visitor
//! has a smartphone and complies; only checked-in visits exist for the system, so venue
//! exposure alerts reach only them, and reach everyone checked in at overlapping times, met or
//! not, as the real rule does.

use phongdich_domain::profile::Profile;
use phongdich_domain::venues::Category;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::contacts::{initiated, ChunkOut, DayView, OUT};
use crate::params::Setting;
use crate::population::NONE;

/// One visit, minutes of the day `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Visit {
    pub venue: u32,
    pub person: u32,
    pub start: u16,
    pub end: u16,
    pub checked_in: bool,
}

impl Visit {
    /// Sort key: venue, then arrival hour, then person.
    pub(crate) fn key(&self) -> u64 {
        (u64::from(self.venue) << 37) | (u64::from(self.start / 60) << 32) | u64::from(self.person)
    }

    /// Whether `self` and `other` overlap within `margin` minutes (the domain's rule).
    pub(crate) fn overlaps(&self, other: &Visit, margin: u16) -> bool {
        self.start < other.end.saturating_add(margin)
            && other.start < self.end.saturating_add(margin)
    }
}

/// Dwell minutes by category, from the disease profile.
pub(crate) fn dwell_minutes(profile: &Profile, category: Category) -> f64 {
    profile.checkin.dwell(category).as_secs() as f64 / 60.0
}

/// The visits of people `range`.
pub(crate) fn generate(
    v: &DayView<'_>,
    rng: &mut ChaCha8Rng,
    range: std::ops::Range<usize>,
    dwell: &[f64; 5],
    out: &mut Vec<Visit>,
) {
    let c = &v.params.contacts;
    let compliance = v.params.interventions.checkin_compliance;
    for a in range {
        if v.flags[a] & OUT == 0 {
            continue;
        }
        let phone = v.pop.smartphone[a];
        let mut push = |rng: &mut ChaCha8Rng, venue: u32, start: u16, minutes: u16| {
            out.push(Visit {
                venue,
                person: a as u32,
                start,
                end: (start + minutes.max(1)).min(24 * 60),
                checked_in: phone && rng.gen::<f64>() < compliance,
            });
        };
        for (k, (&prob, &dwell)) in c.venue_visit_prob.iter().zip(dwell).enumerate() {
            if rng.gen::<f64>() >= prob {
                continue;
            }
            let venues = v.pop.venues_of(v.pop.commune_of[a], k);
            if venues.is_empty() {
                continue;
            }
            let venue = rng.gen_range(venues);
            let start = rng.gen_range(7 * 60..21 * 60) as u16;
            let minutes = (dwell * rng.gen_range(0.2..0.6)) as u16;
            push(rng, venue, start, minutes);
        }
        let route = v.pop.bus_route[a];
        if route != NONE {
            for base in [6 * 60, 16 * 60] {
                let start = base + rng.gen_range(0..120) as u16;
                push(rng, route, start, 30);
            }
        }
    }
}

/// Splits visits sorted by [`Visit::key`] into venue-hours: `[start, end)` index ranges.
pub(crate) fn venue_hours(visits: &[Visit]) -> Vec<(u32, u32)> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=visits.len() {
        let boundary = i == visits.len()
            || visits[i].venue != visits[start].venue
            || visits[i].start / 60 != visits[start].start / 60;
        if boundary {
            groups.push((start as u32, i as u32));
            start = i;
        }
    }
    groups
}

/// Contacts among the visitors of each venue-hour in `groups`.
pub(crate) fn meet(
    v: &DayView<'_>,
    rng: &mut ChaCha8Rng,
    visits: &[Visit],
    groups: &[(u32, u32)],
    out: &mut ChunkOut,
) {
    let c = &v.params.contacts;
    for &(s, e) in groups {
        let group = &visits[s as usize..e as usize];
        if group.len() < 2 {
            continue;
        }
        let vehicle = v.pop.venues[group[0].venue as usize].category == Category::Vehicle;
        let (setting, per_visit) = if vehicle {
            (Setting::Transport, c.bus_contacts_per_ride)
        } else {
            (Setting::Venue, c.venue_contacts_per_visit)
        };
        for visit in group {
            for _ in 0..initiated(rng, per_visit) {
                let other = group[rng.gen_range(0..group.len())].person;
                if other != visit.person {
                    out.meet(v, rng, visit.person, other, setting);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(venue: u32, person: u32, start: u16, end: u16) -> Visit {
        Visit {
            venue,
            person,
            start,
            end,
            checked_in: true,
        }
    }

    #[test]
    fn groups_by_venue_and_hour() {
        let mut visits = vec![
            visit(2, 1, 600, 630),
            visit(1, 5, 610, 700),
            visit(1, 3, 620, 640),
            visit(1, 4, 700, 720),
        ];
        visits.sort_by_key(Visit::key);
        assert_eq!(venue_hours(&visits), vec![(0, 2), (2, 3), (3, 4)]);
        assert_eq!(venue_hours(&[]), vec![]);
    }

    #[test]
    fn overlap_with_margin() {
        let a = visit(1, 1, 600, 630);
        assert!(a.overlaps(&visit(1, 2, 629, 700), 0));
        assert!(!a.overlaps(&visit(1, 2, 640, 700), 0));
        assert!(a.overlaps(&visit(1, 2, 640, 700), 15));
        assert!(!a.overlaps(&visit(1, 2, 646, 700), 15));
    }
}
