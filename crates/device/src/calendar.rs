//! UTC days: the unit in which keys roll, encounters are kept and exposures are reported.
//!
//! A day is a whole number of days since the Unix epoch; phones show it as a proleptic
//! Gregorian `YYYY-MM-DD` date, computed here so the SDK needs no date library.

use phongdich_exposure::{INTERVAL_SECS, KEY_ROLLING_PERIOD};

/// Seconds in a UTC day (the protocol ignores leap seconds, as Unix time does).
pub(crate) const DAY_SECS: i64 = 86_400;

/// The UTC day of a Unix time, as days since the epoch (negative before 1970).
pub(crate) fn utc_day(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(DAY_SECS)
}

/// The UTC day a key's rolling start interval falls on.
pub(crate) fn day_of_interval(interval: u32) -> i64 {
    i64::from(interval) * i64::from(INTERVAL_SECS) / DAY_SECS
}

/// The first interval of the UTC day of `unix_secs`: where that day's key starts rolling.
pub(crate) fn day_start_interval(unix_secs: i64) -> u32 {
    let interval = phongdich_exposure::crypto::en_interval_number(unix_secs);
    interval - interval % KEY_ROLLING_PERIOD
}

/// A day as `YYYY-MM-DD` (Howard Hinnant's days-to-civil algorithm).
pub(crate) fn date_string(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_string(0), "1970-01-01");
        assert_eq!(date_string(-1), "1969-12-31");
        // 2020-04-02T00:00:00Z, the day of the official test vector.
        assert_eq!(date_string(utc_day(1_585_785_600)), "2020-04-02");
        assert_eq!(date_string(utc_day(1_709_164_800)), "2024-02-29");
        assert_eq!(date_string(utc_day(1_764_460_800)), "2025-11-30");
    }

    #[test]
    fn days_and_intervals() {
        assert_eq!(utc_day(-1), -1);
        assert_eq!(utc_day(DAY_SECS - 1), 0);
        // The official vector's key starts at interval 2 642 976, midnight of 2020-04-02.
        assert_eq!(day_start_interval(1_585_785_600 + 12_345), 2_642_976);
        assert_eq!(day_of_interval(2_642_976), utc_day(1_585_785_600));
        assert_eq!(day_of_interval(2_642_976 + 143), utc_day(1_585_785_600));
    }
}
