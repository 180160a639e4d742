//! Rate limits and failure counters: what is counted, under which key, and where.
//!
//! Every limit keys the client by [`crate::client_addr::ClientAddr`] (the one function that
//! says who the client is: the TCP peer, or the rightmost untrusted `X-Forwarded-For` hop
//! behind a configured trusted proxy; IPv6 by its /64).
//!
//! **In the store** — security limits, counted by one atomic statement each, so they hold under
//! any number of parallel requests and across instances (SPEC §11, §12):
//! - one-time code attempts, 5 per code: an attempt is taken from `otp_codes` by a conditional
//!   `UPDATE … WHERE failed_attempts < 5 … RETURNING` *before* the code is compared;
//! - the resend delay and codes per phone per hour (`otp_requests_per_phone_per_hour`): one
//!   conditional upsert of `otp_codes`;
//! - failed sign-ins per (username, address), per address and per username, and wrong codes
//!   per address (sign-in and exposure upload codes): `limit_counters`, see
//!   [`phongdich_store::Counter`];
//! - per citizen per 24 hours: risk reports and feedback (their rows counted by the insert
//!   itself, under a lock on the citizen's row), F1 reports (a counter, and one per exposure
//!   day by a unique constraint);
//! - one upload per exposure token and one redemption per code: conditional `UPDATE`s.
//!
//! **In process** — coarse flood control only, governor token buckets per instance (with N
//! instances an address gets N times as much): code requests per address per minute, sign-in
//! attempts (passwords and codes) per address per minute.
//!
//! **The failed-sign-in rule** (OWASP Authentication Cheat Sheet) counts failures, not
//! attempts: an attempt holds a slot while it is judged (so parallel guesses cannot overrun a
//! limit) and gives it back when it succeeds.
//! - (username, address): `sign_in_failures_per_username_and_address` failures in the window
//!   refuse that pair (429) until the window ends; a successful sign-in clears the pair.
//! - address: `sign_in_failures_per_address` failures across usernames refuse the address.
//! - username: failures from everywhere never refuse, since that would hand every attacker the
//!   power to lock the owner out. Past `sign_in_failures_per_username`, attempts from addresses
//!   the account has not signed in from in the last 90 days wait before the password is checked
//!   (250 ms, doubling, at most `sign_in_delay_max_ms`); from a known address there is no wait.
//!   So 22 wrong passwords from 22 addresses leave the owner able to sign in: at once from
//!   where they signed in before, after a short wait anywhere else.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jiff::{SignedDuration, Timestamp};
use phongdich_domain::Message;
use phongdich_store::{Counted, Counter};

use crate::client_addr::ClientAddr;
use crate::config::ServerConfig;
use crate::error::ApiError;
use crate::state::AppState;

/// The in-process limiters of one server, keyed by [`ClientAddr::key`].
#[derive(Debug)]
pub struct Limits {
    otp_per_ip: DefaultKeyedRateLimiter<String>,
    login_per_ip: DefaultKeyedRateLimiter<String>,
    /// Keyed by the scanner (`s:STAFF_ID` or `c:CITIZEN_ID`), not the address.
    staff_checkins: DefaultKeyedRateLimiter<String>,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

impl Limits {
    pub(crate) fn new(c: &ServerConfig) -> Self {
        Self {
            otp_per_ip: RateLimiter::keyed(Quota::per_minute(nz(c.otp_requests_per_ip_per_minute))),
            login_per_ip: RateLimiter::keyed(Quota::per_minute(nz(c.logins_per_ip_per_minute))),
            staff_checkins: RateLimiter::keyed(Quota::per_minute(nz(c.staff_checkins_per_minute))),
        }
    }

    pub(crate) fn otp_request(&self, client: &ClientAddr) -> Result<(), ApiError> {
        check(&self.otp_per_ip, &client.key)
    }

    pub(crate) fn login_attempt(&self, client: &ClientAddr) -> Result<(), ApiError> {
        check(&self.login_per_ip, &client.key)
    }

    pub(crate) fn staff_checkin(&self, scanner: &str) -> Result<(), ApiError> {
        check(&self.staff_checkins, scanner)
    }

    /// Forgets idle keys so the maps do not grow without bound.
    pub fn retain_recent(&self) {
        self.otp_per_ip.retain_recent();
        self.login_per_ip.retain_recent();
        self.staff_checkins.retain_recent();
    }
}

fn check(limiter: &DefaultKeyedRateLimiter<String>, key: &str) -> Result<(), ApiError> {
    limiter.check_key(&key.to_owned()).map_err(|not_until| {
        let wait = not_until
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            + 1;
        too_many(wait)
    })
}

/// The 429 answer, with the wait in both languages.
pub(crate) fn too_many(retry_after_secs: u64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs,
        message: Message::new(
            format!("Quá nhiều yêu cầu; thử lại sau {retry_after_secs} giây"),
            format!("Too many requests; try again in {retry_after_secs} s"),
        ),
    }
}

fn too_many_until(until: Timestamp, now: Timestamp) -> ApiError {
    let secs = until.duration_since(now).as_secs().max(1);
    too_many(secs.unsigned_abs())
}

const PAIR: &str = "signin.pair";
const ADDRESS: &str = "signin.address";
const USERNAME: &str = "signin.username";
const CODE_ADDRESS: &str = "code.address";
const F1_REPORTS: &str = "f1_report.citizen";

/// How long an address where an account signed in stays "known" to it.
const KNOWN_ADDRESS_DAYS: i64 = 90;

/// The first wait of an attempt on a username under attack, from an unknown address.
const FIRST_DELAY_MS: u64 = 250;

/// A password attempt holding its slots in the failure counters until it is judged.
#[derive(Debug)]
pub(crate) struct PasswordAttempt {
    pair: String,
    address: String,
    username: String,
}

/// A code attempt holding its slot in the address's failure counter.
#[derive(Debug)]
pub(crate) struct CodeAttempt {
    address: String,
}

impl AppState {
    fn failure_window(&self) -> SignedDuration {
        SignedDuration::from_mins(self.config().sign_in_failure_window_mins.max(1))
    }

    /// Counts a password attempt for `username` (as typed, normalised) from `client` against
    /// the three failure counters, refusing it when its pair or its address is over the limit,
    /// and making it wait when the username is under attack and `client` is not an address
    /// the account (`staff_id`, when the username exists) signed in from.
    pub(crate) async fn begin_password_attempt(
        &self,
        username: &str,
        client: &ClientAddr,
        staff_id: Option<i64>,
    ) -> Result<PasswordAttempt, ApiError> {
        let c = self.config();
        let secrets = &self.inner.secrets;
        let attempt = PasswordAttempt {
            pair: secrets.limit_key(PAIR, &format!("{username}\n{}", client.key)),
            address: secrets.limit_key(ADDRESS, &client.key),
            username: secrets.limit_key(USERNAME, username),
        };
        let window = self.failure_window();
        let now = self.now();
        let counters = [
            Counter {
                scope: PAIR,
                key: &attempt.pair,
                limit: Some(c.sign_in_failures_per_username_and_address),
                window,
            },
            Counter {
                scope: ADDRESS,
                key: &attempt.address,
                limit: Some(c.sign_in_failures_per_address),
                window,
            },
            Counter {
                scope: USERNAME,
                key: &attempt.username,
                limit: None,
                window,
            },
        ];
        let earlier = match self.store().take_counters(&counters, now).await? {
            Counted::Taken(counts) => counts.get(2).copied().unwrap_or(1).saturating_sub(1),
            Counted::Full { until, .. } => return Err(too_many_until(until, now)),
        };
        let excess = earlier.saturating_sub(c.sign_in_failures_per_username);
        if excess > 0 {
            let known = match staff_id {
                Some(id) => {
                    let since = now - SignedDuration::from_hours(24 * KNOWN_ADDRESS_DAYS);
                    self.store()
                        .is_known_staff_address(id, &attempt.address, since)
                        .await?
                }
                None => false,
            };
            if !known {
                let ms = FIRST_DELAY_MS
                    .saturating_mul(1 << (excess - 1).min(16))
                    .min(c.sign_in_delay_max_ms);
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
        }
        Ok(attempt)
    }

    /// The attempt succeeded: its pair's failures are cleared, the slots it held in the
    /// address's and the username's counters are given back, and the address becomes known.
    pub(crate) async fn password_succeeded(
        &self,
        attempt: PasswordAttempt,
        staff_id: i64,
    ) -> Result<(), ApiError> {
        let store = self.store();
        store.reset_counter(PAIR, &attempt.pair).await?;
        store.give_back_counter(ADDRESS, &attempt.address).await?;
        store.give_back_counter(USERNAME, &attempt.username).await?;
        store
            .remember_staff_address(staff_id, &attempt.address, self.now())
            .await?;
        Ok(())
    }

    /// Counts a code attempt (a sign-in code, an exposure upload code) from `client` against
    /// the address's wrong-code counter; refused when it is full.
    pub(crate) async fn begin_code_attempt(
        &self,
        client: &ClientAddr,
    ) -> Result<CodeAttempt, ApiError> {
        self.inner.limits.login_attempt(client)?;
        let attempt = CodeAttempt {
            address: self.inner.secrets.limit_key(CODE_ADDRESS, &client.key),
        };
        let now = self.now();
        let counter = Counter {
            scope: CODE_ADDRESS,
            key: &attempt.address,
            limit: Some(self.config().code_failures_per_address),
            window: self.failure_window(),
        };
        match self.store().take_counters(&[counter], now).await? {
            Counted::Taken(_) => Ok(attempt),
            Counted::Full { until, .. } => Err(too_many_until(until, now)),
        }
    }

    /// The code was right: its slot is given back.
    pub(crate) async fn code_succeeded(&self, attempt: CodeAttempt) -> Result<(), ApiError> {
        self.store()
            .give_back_counter(CODE_ADDRESS, &attempt.address)
            .await?;
        Ok(())
    }

    /// Counts an F1 report of the citizen against the daily limit, before anything is looked
    /// up for it (so parallel reports cannot probe which keys are real).
    pub(crate) async fn count_f1_report(&self, citizen_id: i64) -> Result<(), ApiError> {
        let now = self.now();
        let key = citizen_id.to_string();
        let counter = Counter {
            scope: F1_REPORTS,
            key: &key,
            limit: Some(self.config().f1_reports_per_citizen_per_day),
            window: SignedDuration::from_hours(24),
        };
        match self.store().take_counters(&[counter], now).await? {
            Counted::Taken(_) => Ok(()),
            Counted::Full { until, .. } => Err(ApiError::TooManyRequests {
                retry_after_secs: until.duration_since(now).as_secs().max(1).unsigned_abs(),
                message: Message::new(
                    "Bạn đã gửi quá nhiều báo cáo tiếp xúc trong 24 giờ qua; hãy thử lại sau",
                    "You have sent too many exposure reports in the last 24 hours; try again later",
                ),
            }),
        }
    }

    /// Deletes counters whose window is long over and addresses not signed in from for 90
    /// days (the housekeeping loop runs it).
    pub async fn purge_limit_counters(&self) -> Result<u64, ApiError> {
        let now = self.now();
        let longest = self.failure_window().max(SignedDuration::from_hours(24));
        let n = self
            .store()
            .purge_limits(
                now - longest,
                now - SignedDuration::from_hours(24 * KNOWN_ADDRESS_DAYS),
            )
            .await?;
        Ok(n)
    }
}
