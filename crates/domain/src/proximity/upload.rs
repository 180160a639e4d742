//! Validation of a phone's diagnosis-key upload, with the rules of the GAEN reference key server:
//! 16-byte keys, rolling periods of 1..=144 intervals, no overlapping keys, nothing older than
//! the retention period or from the future, and keys still in use embargoed until they expire
//! (publishing today's key early would let anyone follow the phone for the rest of the day).
//!
//! Unlike the reference server, a bad key is not silently dropped: the whole upload is refused
//! with every problem named, so the phone (or its tester) learns what is wrong and nothing is
//! half-stored.

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use phongdich_exposure::crypto::{en_interval_number, Tek, INTERVAL_SECS, KEY_ROLLING_PERIOD};
use phongdich_exposure::export::{DiagnosisKey, ReportType};
use serde::Deserialize;

use crate::validation::{Checker, FieldError, Invalid};

/// Keys that share one start interval (a phone that ended a key early may start another in the
/// same interval), as the reference server allows.
const MAX_SAME_START_KEYS: usize = 3;
/// Largest padding string accepted; padding only hides the number of keys and is ignored.
const MAX_PADDING_CHARS: usize = 8192;
/// Intervals per UTC day.
const DAY_INTERVALS: u32 = KEY_ROLLING_PERIOD;

/// An upload as the phone sends it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadForm {
    /// The single-use token the phone got for its verification code.
    pub token: String,
    /// At least one; at most the profile's `max_keys_per_upload`.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub keys: Vec<KeyForm>,
    /// The day symptoms began (`YYYY-MM-DD`), when the phone's user gives it; a date the
    /// official recorded with the code takes precedence.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub symptom_onset_date: Option<String>,
    /// Random filler so uploads of different sizes look alike on the wire; ignored.
    #[serde(default)]
    pub padding: Option<String>,
}

/// One Temporary Exposure Key as uploaded.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyForm {
    /// Standard Base64 (with padding) of the 16 key bytes.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^\\s*[A-Za-z0-9+/]{21}[AQgw]==\\s*$")
    )]
    pub key: String,
    /// ENIntervalNumber at which the key became valid (not in the future, not older than the
    /// keys' retention).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4_294_967_295_i64))]
    pub rolling_start_number: i64,
    /// Number of 10-minute intervals it was valid for, 1..=144.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 144))]
    pub rolling_period: i64,
    /// Deprecated v1 transmission risk, 0..=8; 0 lets the server fill it from the diagnosis.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 8))]
    pub transmission_risk: i64,
}

/// What an upload is judged against.
#[derive(Debug, Clone)]
pub struct UploadRules {
    pub now: Timestamp,
    pub max_keys: usize,
    pub retention_days: i64,
    pub max_days_from_onset: i64,
    /// The diagnosis the verification code certified.
    pub report_type: ReportType,
    /// The onset day the official recorded, if any.
    pub onset_date: Option<jiff::civil::Date>,
}

/// A key that passed: what goes into an export, and when it may first be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedKey {
    pub key: DiagnosisKey,
    pub available_at: Timestamp,
}

/// Validates an upload: `Ok` holds every accepted key (keys too far from symptom onset are left
/// out, as the reference server does); `Err` names every problem and nothing may be stored.
pub fn validate_upload(
    form: &UploadForm,
    rules: &UploadRules,
) -> Result<Vec<AcceptedKey>, Invalid> {
    let mut check = Checker::new();
    if form.keys.is_empty() || form.keys.len() > rules.max_keys {
        check.push(FieldError::new(
            "keys",
            "keys_count",
            format!("Cần từ 1 đến {} khóa", rules.max_keys),
            format!("Send between 1 and {} keys", rules.max_keys),
        ));
    }
    if form
        .padding
        .as_ref()
        .is_some_and(|p| p.len() > MAX_PADDING_CHARS)
    {
        check.push(FieldError::new(
            "padding",
            "too_long",
            format!("Phần đệm tối đa {MAX_PADDING_CHARS} ký tự"),
            format!("Padding is at most {MAX_PADDING_CHARS} characters"),
        ));
    }
    let onset = match (&rules.onset_date, &form.symptom_onset_date) {
        (Some(d), _) => Some(*d),
        (None, Some(s)) => check.check(parse_onset_date(
            s,
            rules.now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        )),
        (None, None) => None,
    };
    let now_interval = en_interval_number(rules.now.as_second());
    let oldest_interval = en_interval_number(
        (rules.now - SignedDuration::from_hours(24 * (rules.retention_days + 1))).as_second(),
    );
    let mut parsed = Vec::with_capacity(form.keys.len());
    for (i, k) in form.keys.iter().enumerate() {
        if let Some(key) = check.check(parse_key(i, k, now_interval, oldest_interval)) {
            parsed.push((i, key));
        }
    }
    check_overlaps(&mut check, &parsed);
    check.finish(|| ())?;
    let onset_day = onset.map(day_number);
    Ok(parsed
        .into_iter()
        .filter_map(|(_, (tek, start, period, risk))| {
            let key_day = i64::from(start / DAY_INTERVALS);
            let days_since_onset = onset_day.map(|o| key_day - o);
            if days_since_onset.is_some_and(|d| d.abs() > rules.max_days_from_onset) {
                return None;
            }
            let available_at = embargo(start, period, now_interval, rules.now);
            Some(AcceptedKey {
                key: DiagnosisKey {
                    key_data: tek,
                    rolling_start_interval_number: start,
                    rolling_period: period,
                    transmission_risk_level: backfilled_risk(risk, rules.report_type),
                    report_type: Some(rules.report_type),
                    days_since_onset_of_symptoms: days_since_onset.map(|d| d as i32),
                },
                available_at,
            })
        })
        .collect())
}

type ParsedKey = (Tek, u32, u32, i32);

fn parse_key(
    i: usize,
    k: &KeyForm,
    now_interval: u32,
    oldest_interval: u32,
) -> Result<ParsedKey, FieldError> {
    let field = |name: &str| format!("keys[{i}].{name}");
    let tek: Tek = base64::engine::general_purpose::STANDARD
        .decode(k.key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            FieldError::new(
                field("key"),
                "key_malformed",
                "Khóa phải là Base64 của đúng 16 byte",
                "The key must be Base64 of exactly 16 bytes",
            )
        })?;
    if !(1..=i64::from(KEY_ROLLING_PERIOD)).contains(&k.rolling_period) {
        return Err(FieldError::new(
            field("rolling_period"),
            "rolling_period_range",
            "Số khoảng thời gian phải từ 1 đến 144",
            "The rolling period must be 1 to 144 intervals",
        ));
    }
    if !(0..=8).contains(&k.transmission_risk) {
        return Err(FieldError::new(
            field("transmission_risk"),
            "transmission_risk_range",
            "Mức nguy cơ lây truyền phải từ 0 đến 8",
            "The transmission risk must be 0 to 8",
        ));
    }
    let start = u32::try_from(k.rolling_start_number).map_err(|_| {
        FieldError::new(
            field("rolling_start_number"),
            "rolling_start_range",
            "Số khoảng bắt đầu không hợp lệ",
            "The rolling start number is out of range",
        )
    })?;
    // The range check above makes these casts lossless.
    let period = k.rolling_period as u32;
    if start > now_interval {
        return Err(FieldError::new(
            field("rolling_start_number"),
            "key_from_future",
            "Khóa bắt đầu trong tương lai: kiểm tra đồng hồ điện thoại",
            "The key starts in the future: check the phone's clock",
        ));
    }
    if u64::from(start) + u64::from(period) < u64::from(oldest_interval) {
        return Err(FieldError::new(
            field("rolling_start_number"),
            "key_too_old",
            "Khóa đã quá cũ để công bố",
            "The key is too old to publish",
        ));
    }
    Ok((tek, start, period, k.transmission_risk as i32))
}

/// Keys sorted by start may not overlap, except up to three sharing one start.
fn check_overlaps(check: &mut Checker, parsed: &[(usize, ParsedKey)]) {
    let mut by_start: Vec<_> = parsed
        .iter()
        .map(|(i, (tek, start, period, _))| (*start, *period, *i, *tek))
        .collect();
    by_start.sort_unstable();
    let mut same_start = 1;
    for pair in by_start.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        if next.3 == prev.3 {
            check.push(FieldError::new(
                format!("keys[{}].key", next.2),
                "key_duplicate",
                "Khóa bị gửi hai lần",
                "The key is sent twice",
            ));
        }
        if next.0 == prev.0 {
            same_start += 1;
            if same_start > MAX_SAME_START_KEYS {
                check.push(FieldError::new(
                    format!("keys[{}].rolling_start_number", next.2),
                    "keys_same_start",
                    "Quá nhiều khóa cùng thời điểm bắt đầu",
                    "Too many keys share one start interval",
                ));
            }
        } else {
            same_start = 1;
            if next.0 < prev.0 + prev.1 {
                check.push(FieldError::new(
                    format!("keys[{}].rolling_start_number", next.2),
                    "keys_overlap",
                    "Khóa chồng lấn thời gian với một khóa khác",
                    "The key overlaps another key in time",
                ));
            }
        }
    }
}

/// Reads a symptom onset date (`symptom_onset_date`): `YYYY-MM-DD`, within the 28 days up to
/// `today` (GAEN's bound). Shared by the phone's upload and the official's code request.
pub fn parse_onset_date(
    s: &str,
    today: jiff::civil::Date,
) -> Result<jiff::civil::Date, FieldError> {
    let bad = |code, vi: &str, en: &str| FieldError::new("symptom_onset_date", code, vi, en);
    let date: jiff::civil::Date = s.trim().parse().map_err(|_| {
        bad(
            "date_malformed",
            "Ngày khởi phát phải có dạng YYYY-MM-DD",
            "The onset date must be YYYY-MM-DD",
        )
    })?;
    let earliest = today
        .checked_sub(jiff::Span::new().days(28))
        .unwrap_or(today);
    if date > today || date < earliest {
        return Err(bad(
            "onset_out_of_range",
            "Ngày khởi phát phải trong 28 ngày qua",
            "The onset date must be within the last 28 days",
        ));
    }
    Ok(date)
}

/// Days since the Unix epoch of a UTC date.
fn day_number(date: jiff::civil::Date) -> i64 {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second().div_euclid(86_400))
        .unwrap_or(0)
}

/// A key still valid now is held back until an hour after it expires, on an hour boundary.
fn embargo(start: u32, period: u32, now_interval: u32, now: Timestamp) -> Timestamp {
    let end = u64::from(start) + u64::from(period);
    if end <= u64::from(now_interval) {
        return now;
    }
    let expires = end as i64 * i64::from(INTERVAL_SECS);
    let release = (expires + 3600).div_euclid(3600) * 3600;
    Timestamp::from_second(release).unwrap_or(now)
}

/// The v1 transmission risk older frameworks read, filled from the diagnosis when the phone
/// sent 0, as the reference server does.
fn backfilled_risk(sent: i32, report_type: ReportType) -> i32 {
    match (sent, report_type) {
        (0, ReportType::ConfirmedTest) => 2,
        (0, ReportType::ConfirmedClinicalDiagnosis) => 4,
        (risk, _) => risk,
    }
}

#[cfg(test)]
mod tests;
