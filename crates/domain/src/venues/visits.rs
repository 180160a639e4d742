//! Time rules of visits: which claimed check-in times are believable, and when two intervals
//! overlap.

use jiff::{SignedDuration, Timestamp};

use crate::profile::CheckinRules;
use crate::FieldError;

/// Why a claimed visit time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeProblem {
    /// Further ahead than the allowed clock skew: the phone's clock is wrong.
    InFuture,
    /// Older than the offline queue may hold.
    TooOld,
}

impl TimeProblem {
    /// The error for the `at` field of a check-in.
    pub fn field_error(self, rules: &CheckinRules) -> FieldError {
        match self {
            TimeProblem::InFuture => FieldError::new(
                "at",
                "time_in_future",
                "Thời điểm ở tương lai: hãy kiểm tra đồng hồ của điện thoại",
                "The time is in the future: check the phone's clock",
            ),
            TimeProblem::TooOld => FieldError::new(
                "at",
                "time_too_old",
                format!(
                    "Chỉ nhận khai báo ngoại tuyến trong vòng {} giờ",
                    rules.max_offline_hours
                ),
                format!(
                    "Offline check-ins are accepted up to {} hours late",
                    rules.max_offline_hours
                ),
            ),
        }
    }
}

/// The time a check-in or check-out is recorded at: the phone's own time for one queued
/// offline (`claimed`), within the profile's bounds, or the server's time.
pub fn accept_visit_time(
    claimed: Option<Timestamp>,
    now: Timestamp,
    rules: &CheckinRules,
) -> Result<Timestamp, TimeProblem> {
    let Some(at) = claimed else { return Ok(now) };
    if at > now + SignedDuration::from_secs(rules.max_future_seconds) {
        return Err(TimeProblem::InFuture);
    }
    if at < now - SignedDuration::from_hours(rules.max_offline_hours) {
        return Err(TimeProblem::TooOld);
    }
    // A slightly fast clock is forgiven, but nothing is recorded after the server's now.
    Ok(at.min(now))
}

/// Does the visit `[in_at, out_at)` come within `margin` of the window `[start, end)`?
pub fn overlaps(
    visit: (Timestamp, Timestamp),
    window: (Timestamp, Timestamp),
    margin: SignedDuration,
) -> bool {
    visit.0 < window.1 + margin && visit.1 > window.0 - margin
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn claimed_times_are_bounded() {
        let rules = Profile::covid19_2021().checkin;
        let now = t("2021-07-20T10:00:00Z");
        assert_eq!(accept_visit_time(None, now, &rules), Ok(now));
        let queued = t("2021-07-20T02:00:00Z");
        assert_eq!(accept_visit_time(Some(queued), now, &rules), Ok(queued));
        let fast = t("2021-07-20T10:03:00Z");
        assert_eq!(accept_visit_time(Some(fast), now, &rules), Ok(now));
        let ahead = t("2021-07-20T11:00:00Z");
        assert_eq!(
            accept_visit_time(Some(ahead), now, &rules),
            Err(TimeProblem::InFuture)
        );
        let stale = t("2021-07-18T10:00:00Z");
        assert_eq!(
            accept_visit_time(Some(stale), now, &rules),
            Err(TimeProblem::TooOld)
        );
    }

    #[test]
    fn overlap_respects_the_margin() {
        let w = (t("2021-07-20T10:00:00Z"), t("2021-07-20T11:00:00Z"));
        let m = SignedDuration::from_mins(15);
        let before = (t("2021-07-20T09:00:00Z"), t("2021-07-20T09:40:00Z"));
        let just = (t("2021-07-20T09:00:00Z"), t("2021-07-20T09:50:00Z"));
        let inside = (t("2021-07-20T10:10:00Z"), t("2021-07-20T10:20:00Z"));
        let after = (t("2021-07-20T11:20:00Z"), t("2021-07-20T12:00:00Z"));
        assert!(!overlaps(before, w, m));
        assert!(overlaps(just, w, m));
        assert!(overlaps(inside, w, m));
        assert!(!overlaps(after, w, m));
        assert!(!overlaps(just, w, SignedDuration::ZERO));
    }
}
