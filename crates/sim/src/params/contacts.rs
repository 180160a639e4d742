//! How often people meet in each setting, and how a meeting looks there, with their defaults
//! and their checks.

use serde::Serialize;

use super::check::Check;
use super::setting::{shape, Setting, SettingShape};

/// Contacts per day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contacts {
    /// Classmates met per day (OpenABM: children 10 interactions a day).
    pub school_per_day: f64,
    /// Colleagues met per day (OpenABM: adults 7).
    pub work_per_day: f64,
    /// Mean random contacts per day for children, adults and people 60+ (OpenABM 2, 4, 3,
    /// negative binomial with sd equal to the mean, drawn once per person: super-spreaders).
    pub random_per_day: [f64; 3],
    /// Share of random contacts made inside one's own commune (*assumption*).
    pub random_local_share: f64,
    /// Daily chance of visiting a venue of each category: market, supermarket, restaurant,
    /// health facility, other (*assumption*).
    pub venue_visit_prob: [f64; 5],
    /// Venues of each of those categories per 1,000 residents of a commune (*assumption*).
    pub venues_per_1000: [f64; 5],
    /// People met per venue visit among those there in the same hour (*assumption*).
    pub venue_contacts_per_visit: f64,
    /// People met per bus ride (*assumption*).
    pub bus_contacts_per_ride: f64,
    /// Physical shape of each setting, in [`Setting::ALL`] order.
    pub shapes: [SettingShape; 6],
}

impl Contacts {
    /// The literature defaults.
    pub(super) fn defaults() -> Contacts {
        Contacts {
            school_per_day: 10.0,
            work_per_day: 7.0,
            random_per_day: [2.0, 4.0, 3.0],
            random_local_share: 0.8,
            venue_visit_prob: [0.30, 0.10, 0.25, 0.02, 0.05],
            venues_per_1000: [0.3, 0.3, 3.0, 0.2, 0.5],
            venue_contacts_per_visit: 3.0,
            bus_contacts_per_ride: 4.0,
            shapes: [
                // Household: close, long, indoors (walls between rooms included).
                shape(2.0, 1.5, 0.6, 180.0, 2.2),
                shape(1.0, 1.5, 0.5, 90.0, 2.4),
                shape(1.0, 2.0, 0.6, 60.0, 2.4),
                shape(1.0, 2.0, 0.6, 30.0, 2.0),
                shape(1.0, 1.2, 0.5, 30.0, 0.5),
                shape(1.0, 2.5, 0.7, 15.0, 2.0),
            ],
        }
    }

    /// Adds this group's problems to `v`.
    pub(super) fn check(&self, v: &mut Check) {
        let c = self;
        v.range("contacts.school_per_day", c.school_per_day, 0.0, 200.0);
        v.range("contacts.work_per_day", c.work_per_day, 0.0, 200.0);
        for r in c.random_per_day {
            v.range("contacts.random_per_day", r, 0.0, 200.0);
        }
        v.prob("contacts.random_local_share", c.random_local_share);
        for p in c.venue_visit_prob {
            v.prob("contacts.venue_visit_prob", p);
        }
        for n in c.venues_per_1000 {
            v.range("contacts.venues_per_1000", n, 0.0, 1000.0);
        }
        v.range(
            "contacts.venue_contacts_per_visit",
            c.venue_contacts_per_visit,
            0.0,
            100.0,
        );
        v.range(
            "contacts.bus_contacts_per_ride",
            c.bus_contacts_per_ride,
            0.0,
            100.0,
        );
        for (s, sh) in Setting::ALL.iter().zip(&c.shapes) {
            let name = s.as_str();
            v.range(name, sh.transmission_weight, 0.0, 100.0);
            v.range(name, sh.median_distance_m, 0.05, 100.0);
            v.range(name, sh.distance_sdlog, 0.0, 3.0);
            v.range(name, sh.mean_minutes, 1.0, 1440.0);
            v.range(name, sh.path_loss_exponent, 0.0, 6.0);
        }
    }
}
