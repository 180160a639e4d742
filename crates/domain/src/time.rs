//! Local time in Vietnam (UTC+7, no daylight saving): what "today" means on a form.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// Vietnam's time zone (Indochina Time).
pub fn vietnam() -> TimeZone {
    TimeZone::fixed(Offset::constant(7))
}

/// The calendar date in Vietnam at instant `t`.
pub fn vietnam_date(t: Timestamp) -> Date {
    t.to_zoned(vietnam()).date()
}

/// A date as people write it in Vietnam: `dd/mm/yyyy`.
pub fn day_month_year(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_the_next_day_in_vietnam() {
        let t: Timestamp = "2021-07-20T17:30:00Z".parse().unwrap();
        assert_eq!(vietnam_date(t), Date::new(2021, 7, 21).unwrap());
        let t: Timestamp = "2021-07-20T16:59:00Z".parse().unwrap();
        assert_eq!(vietnam_date(t), Date::new(2021, 7, 20).unwrap());
    }
}
