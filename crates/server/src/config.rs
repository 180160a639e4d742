//! Settings of the HTTP server, filled from defaults, the config file, the environment and flags
//! by the `phongdich` binary.

use serde::{Deserialize, Serialize};

/// Settings that shape the server's behaviour (the store and SMS sender are passed in built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Lifetime of a citizen session, in days.
    pub citizen_session_days: i64,
    /// Lifetime of a staff session, in hours.
    pub staff_session_hours: i64,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Code requests accepted per client address per minute (in process; IPv6 by /64).
    pub otp_requests_per_ip_per_minute: u32,
    /// Check-ins one venue scanner (a staff account or the owner) may record per minute (in
    /// process): a queue at the door goes slower, a script walking phone numbers does not.
    pub staff_checkins_per_minute: u32,
    /// Codes sent per phone number per hour, on top of the resend delay (in the store).
    pub otp_requests_per_phone_per_hour: u32,
    /// Sign-in attempts (codes and passwords) per client address per minute (in process).
    pub logins_per_ip_per_minute: u32,
    /// Failed sign-ins per (username, address) in a window before that pair is refused; a
    /// successful sign-in clears the pair (in the store, as are the next four).
    pub sign_in_failures_per_username_and_address: u32,
    /// Failed sign-ins from one address, across usernames, in a window before it is refused.
    pub sign_in_failures_per_address: u32,
    /// Failed sign-ins of one username, from anywhere, in a window before sign-ins from
    /// addresses the account never signed in from are slowed down (never refused: see
    /// `rate_limit`).
    pub sign_in_failures_per_username: u32,
    /// The longest such slow-down, in milliseconds.
    pub sign_in_delay_max_ms: u64,
    /// Wrong one-time codes (sign-in and exposure upload codes) from one address, across
    /// numbers, in a window before it is refused.
    pub code_failures_per_address: u32,
    /// The window of the four counters above, in minutes.
    pub sign_in_failure_window_mins: i64,
    /// Proxies (CIDRs, e.g. `10.0.0.0/8`) whose `X-Forwarded-For` is believed; from any other
    /// peer the header is ignored. Empty: the TCP peer is the client.
    #[serde(deserialize_with = "crate::client_addr::deserialize_cidrs")]
    pub trusted_proxies: Vec<crate::client_addr::Cidr>,
    /// The address citizens reach the server at, printed in venue QR codes
    /// (e.g. `https://phongdich.laocai.gov.vn`); by default the address it listens on.
    pub public_url: Option<String>,
    /// `central`: the server records visits for tracing (retention-limited); `on-device`: it
    /// records nothing personal and phones match the risky-venue feed themselves.
    pub checkin_mode: CheckinMode,
    /// Seconds between exposure-key export batches (GAEN servers publish hourly).
    pub exposure_export_interval_secs: u64,
    /// Region written into key exports (ISO 3166-1 alpha-2).
    pub exposure_region: String,
    /// Exports with fewer real keys are padded with random ones up to this many (plus up to
    /// 100 more), so a file does not tell how many people were diagnosed (GAEN: 1000).
    pub exposure_export_min_keys: usize,
    /// Risk reports ("Phản ánh") one citizen may send per 24 hours.
    pub risk_reports_per_citizen_per_day: u32,
    /// Feedback on facilities one citizen may send per 24 hours.
    pub feedback_per_citizen_per_day: u32,
    /// "I may be F1" reports one citizen may send per 24 hours (at most one per exposure day).
    pub f1_reports_per_citizen_per_day: u32,
    /// Tile URL template of the map's base layer (`https://…/{z}/{x}/{y}.png`); unset: no
    /// tiles, the map draws a plain background and works offline.
    pub map_tile_url: Option<String>,
    /// Attribution shown under the tiles (required by most tile providers).
    pub map_attribution: Option<String>,
    /// Photos decoded at the same time (each may take up to ~64 MB and most of a core).
    pub photo_decodes_at_once: usize,
    /// PDFs, posters and spreadsheets rendered at the same time.
    pub documents_at_once: usize,
    /// How long a request waits for a free photo or document slot before answering 503.
    pub heavy_work_wait_ms: u64,
    /// Open map event streams per client address (IPv6: per /64); past it, 429.
    pub map_streams_per_address: usize,
    /// Open map event streams in all; past it, 503.
    pub map_streams_total: usize,
}

/// Where venue visits are kept (see [`ServerConfig::checkin_mode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckinMode {
    Central,
    OnDevice,
}

impl CheckinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinMode::Central => "central",
            CheckinMode::OnDevice => "on-device",
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            citizen_session_days: 30,
            staff_session_hours: 12,
            max_body_bytes: 64 * 1024,
            otp_requests_per_ip_per_minute: 20,
            staff_checkins_per_minute: 60,
            otp_requests_per_phone_per_hour: 5,
            logins_per_ip_per_minute: 30,
            sign_in_failures_per_username_and_address: 5,
            sign_in_failures_per_address: 30,
            sign_in_failures_per_username: 10,
            sign_in_delay_max_ms: 3000,
            code_failures_per_address: 50,
            sign_in_failure_window_mins: 15,
            trusted_proxies: Vec::new(),
            public_url: None,
            checkin_mode: CheckinMode::Central,
            exposure_export_interval_secs: 3600,
            exposure_region: "VN".into(),
            exposure_export_min_keys: 1000,
            risk_reports_per_citizen_per_day: 5,
            feedback_per_citizen_per_day: 5,
            f1_reports_per_citizen_per_day: 5,
            map_tile_url: None,
            map_attribution: None,
            photo_decodes_at_once: 2,
            documents_at_once: 2,
            heavy_work_wait_ms: 3000,
            map_streams_per_address: 8,
            map_streams_total: 1000,
        }
    }
}
