//! Local time in Vietnam (UTC+7, no daylight saving): what "today" means on a form.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::FieldError;

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

/// A `YYYY-MM-DD` date typed for `field`, or its `date_invalid` error.
pub fn parse_date(field: &str, value: &str) -> Result<Date, FieldError> {
    value
        .trim()
        .parse::<Date>()
        .map_err(|_| date_invalid(field))
}

/// The error for a date that is not a valid `YYYY-MM-DD` (or lies outside the calendar).
pub fn date_invalid(field: &str) -> FieldError {
    FieldError::new(
        field,
        "date_invalid",
        "Ngày không hợp lệ (YYYY-MM-DD)",
        "Not a valid date (YYYY-MM-DD)",
    )
}

/// An RFC 3339 time typed for `field`, or its `time_invalid` error.
pub fn parse_instant(field: &str, value: &str) -> Result<Timestamp, FieldError> {
    value.trim().parse().map_err(|_| {
        FieldError::new(
            field,
            "time_invalid",
            "Thời điểm phải theo dạng 2021-07-20T08:00:00+07:00",
            "Give the time as 2021-07-20T08:00:00+07:00",
        )
    })
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
