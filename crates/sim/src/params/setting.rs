//! Where people meet: the [`Setting`]s and the physical [`SettingShape`] of each (distance,
//! duration, radio environment), shared by the contact and radio parameter groups.

use serde::Serialize;

/// The kinds of place where two people meet; each has its own transmission weight, distance
/// and duration, and radio environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Everyone in the household, every day.
    Household,
    /// Classmates.
    School,
    /// Colleagues.
    Work,
    /// Markets, shops, restaurants, clinics and other venues with a QR poster.
    Venue,
    /// Buses (venues of category `vehicle`).
    Transport,
    /// Everyone else: neighbours, friends, strangers.
    Random,
}

impl Setting {
    /// All settings, in the order of the per-setting arrays below.
    pub const ALL: [Setting; 6] = [
        Setting::Household,
        Setting::School,
        Setting::Work,
        Setting::Venue,
        Setting::Transport,
        Setting::Random,
    ];

    /// Index into the per-setting arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in CSV headers and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Household => "household",
            Setting::School => "school",
            Setting::Work => "work",
            Setting::Venue => "venue",
            Setting::Transport => "transport",
            Setting::Random => "random",
        }
    }
}

/// How a setting looks physically: how far apart people are, how long they stay close, and
/// how radio waves travel there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SettingShape {
    /// Relative transmission per contact (OpenABM: household 2, occupation and random 1;
    /// Covasim: h 3, s/w 0.6, c 0.3). We take OpenABM's, venues and buses as random.
    pub transmission_weight: f64,
    /// Median distance between the two people in metres (*assumption*; lognormal).
    pub median_distance_m: f64,
    /// Spread of the distance (sdlog of the lognormal; *assumption*).
    pub distance_sdlog: f64,
    /// Mean minutes the two spend near each other in a day (*assumption*; exponential).
    pub mean_minutes: f64,
    /// Path-loss exponent n (sim.md §6.4: ≈ 2 open space, 2.4 measured indoors, 0–1 in metal
    /// vehicles, which reproduces Leith & Farrell's missing distance correlation on buses).
    pub path_loss_exponent: f64,
}

/// A setting's shape from its five numbers, in [`SettingShape`] field order.
pub(super) fn shape(weight: f64, median: f64, sdlog: f64, minutes: f64, n: f64) -> SettingShape {
    SettingShape {
        transmission_weight: weight,
        median_distance_m: median,
        distance_sdlog: sdlog,
        mean_minutes: minutes,
        path_loss_exponent: n,
    }
}
