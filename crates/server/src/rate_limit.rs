//! Rate limits on code requests and sign-ins, per client IP and per phone or username.
//!
//! In-process token buckets (governor): with several instances behind a load balancer each one
//! limits on its own, which still bounds abuse; the store's resend delay is global.

use std::num::NonZeroU32;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use phongdich_domain::Message;

use crate::config::ServerConfig;
use crate::error::ApiError;

/// The limiters of one server.
#[derive(Debug)]
pub struct Limits {
    otp_per_ip: DefaultKeyedRateLimiter<String>,
    otp_per_phone: DefaultKeyedRateLimiter<String>,
    login_per_ip: DefaultKeyedRateLimiter<String>,
    login_per_username: DefaultKeyedRateLimiter<String>,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

impl Limits {
    pub(crate) fn new(c: &ServerConfig) -> Self {
        Self {
            otp_per_ip: RateLimiter::keyed(Quota::per_minute(nz(c.otp_requests_per_ip_per_minute))),
            otp_per_phone: RateLimiter::keyed(Quota::per_hour(nz(
                c.otp_requests_per_phone_per_hour
            ))),
            login_per_ip: RateLimiter::keyed(Quota::per_minute(nz(c.logins_per_ip_per_minute))),
            login_per_username: RateLimiter::keyed(Quota::per_hour(nz(
                c.logins_per_username_per_hour
            ))),
        }
    }

    pub(crate) fn otp_request(&self, ip: &str, phone: &str) -> Result<(), ApiError> {
        check(&self.otp_per_ip, ip)?;
        check(&self.otp_per_phone, phone)
    }

    pub(crate) fn login_attempt(&self, ip: &str, account: Option<&str>) -> Result<(), ApiError> {
        check(&self.login_per_ip, ip)?;
        match account {
            Some(name) => check(&self.login_per_username, name),
            None => Ok(()),
        }
    }

    /// Forgets idle keys so the maps do not grow without bound.
    pub fn retain_recent(&self) {
        for limiter in [
            &self.otp_per_ip,
            &self.otp_per_phone,
            &self.login_per_ip,
            &self.login_per_username,
        ] {
            limiter.retain_recent();
        }
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
