//! One-time sign-in codes sent by SMS: the rules for sending and checking them.
//!
//! The store keeps, per phone number, the keyed hash of the last code, when it was sent, when it
//! expires and how many wrong attempts were made. These functions decide; the store applies.

use jiff::{SignedDuration, Timestamp};

/// Numbers that govern one-time codes (SPEC §1: 6 digits, 5 minutes, 5 attempts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpPolicy {
    pub validity: SignedDuration,
    pub max_attempts: u32,
    /// Minimum time between two codes to the same number.
    pub resend_after: SignedDuration,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            validity: SignedDuration::from_mins(5),
            max_attempts: 5,
            resend_after: SignedDuration::from_secs(60),
        }
    }
}

/// What the store remembers of the last code sent to one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpState {
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    pub failed_attempts: u32,
}

/// Why a code may not be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResendTooSoon {
    pub retry_after: SignedDuration,
}

/// The result of presenting a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Wrong code; `attempts_left` more tries before the code is locked.
    Wrong {
        attempts_left: u32,
    },
    /// No code is outstanding, or it has expired or been locked by wrong attempts.
    NoValidCode {
        reason: NoCodeReason,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCodeReason {
    NeverSent,
    Expired,
    TooManyAttempts,
}

impl OtpPolicy {
    /// May a new code be sent to a number whose last code is `last`?
    pub fn may_send(&self, last: Option<&OtpState>, now: Timestamp) -> Result<(), ResendTooSoon> {
        let Some(last) = last else { return Ok(()) };
        let next = last.sent_at + self.resend_after;
        if now < next {
            Err(ResendTooSoon {
                retry_after: next.duration_since(now),
            })
        } else {
            Ok(())
        }
    }

    /// Judges a presented code; `matches` says whether its keyed hash equals the stored one.
    pub fn verify(&self, state: Option<&OtpState>, matches: bool, now: Timestamp) -> Verdict {
        let Some(state) = state else {
            return Verdict::NoValidCode {
                reason: NoCodeReason::NeverSent,
            };
        };
        if state.failed_attempts >= self.max_attempts {
            return Verdict::NoValidCode {
                reason: NoCodeReason::TooManyAttempts,
            };
        }
        if now >= state.expires_at {
            return Verdict::NoValidCode {
                reason: NoCodeReason::Expired,
            };
        }
        if matches {
            Verdict::Accepted
        } else {
            Verdict::Wrong {
                attempts_left: self.max_attempts - state.failed_attempts - 1,
            }
        }
    }

    /// Why no attempt could be taken on the code now stored for a number (`state`): the store
    /// takes an attempt only from an unexpired code with attempts left, so one of these holds.
    pub fn unusable(&self, state: Option<&OtpState>, now: Timestamp) -> NoCodeReason {
        match state {
            None => NoCodeReason::NeverSent,
            Some(s) if s.failed_attempts >= self.max_attempts => NoCodeReason::TooManyAttempts,
            Some(s) if now >= s.expires_at => NoCodeReason::Expired,
            // A new code replaced the old one between the two reads: this attempt was on the old.
            Some(_) => NoCodeReason::Expired,
        }
    }

    /// Is `code` shaped like a code we send (exactly six ASCII digits)?
    pub fn well_formed(code: &str) -> bool {
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn state(failed: u32) -> OtpState {
        OtpState {
            sent_at: t(0),
            expires_at: t(300),
            failed_attempts: failed,
        }
    }

    #[test]
    fn resend_is_throttled() {
        let p = OtpPolicy::default();
        assert!(p.may_send(None, t(0)).is_ok());
        let err = p.may_send(Some(&state(0)), t(10)).unwrap_err();
        assert_eq!(err.retry_after, SignedDuration::from_secs(50));
        assert!(p.may_send(Some(&state(0)), t(60)).is_ok());
    }

    #[test]
    fn fifth_wrong_attempt_locks_the_code() {
        let p = OtpPolicy::default();
        assert_eq!(
            p.verify(Some(&state(0)), false, t(1)),
            Verdict::Wrong { attempts_left: 4 }
        );
        assert_eq!(
            p.verify(Some(&state(4)), false, t(1)),
            Verdict::Wrong { attempts_left: 0 }
        );
        let locked = Verdict::NoValidCode {
            reason: NoCodeReason::TooManyAttempts,
        };
        assert_eq!(p.verify(Some(&state(5)), true, t(1)), locked);
    }

    #[test]
    fn codes_expire_after_five_minutes() {
        let p = OtpPolicy::default();
        assert_eq!(p.verify(Some(&state(0)), true, t(299)), Verdict::Accepted);
        let expired = Verdict::NoValidCode {
            reason: NoCodeReason::Expired,
        };
        assert_eq!(p.verify(Some(&state(0)), true, t(300)), expired);
        assert_eq!(
            p.verify(None, true, t(0)),
            Verdict::NoValidCode {
                reason: NoCodeReason::NeverSent
            }
        );
    }

    #[test]
    fn an_unusable_code_says_why() {
        let p = OtpPolicy::default();
        assert_eq!(p.unusable(None, t(0)), NoCodeReason::NeverSent);
        assert_eq!(
            p.unusable(Some(&state(5)), t(1)),
            NoCodeReason::TooManyAttempts
        );
        assert_eq!(p.unusable(Some(&state(0)), t(300)), NoCodeReason::Expired);
    }

    #[test]
    fn only_six_digits_are_well_formed() {
        assert!(OtpPolicy::well_formed("012345"));
        assert!(!OtpPolicy::well_formed("12345"));
        assert!(!OtpPolicy::well_formed("12345a"));
        assert!(!OtpPolicy::well_formed("١٢٣٤٥٦"));
    }
}
