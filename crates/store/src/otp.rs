//! One-time sign-in codes: the stored state per phone, and the sign-in that consumes a code.

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::otp::OtpState;
use phongdich_domain::phone::PhoneNumber;

use crate::{from_millis, millis, on_pool, Result, Store};

/// The stored state of the last code sent to a number, with the code's keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOtp {
    pub state: OtpState,
    pub code_hash: String,
}

#[derive(sqlx::FromRow)]
struct OtpRow {
    code_hash: String,
    sent_at: i64,
    expires_at: i64,
    failed_attempts: i64,
}

impl From<OtpRow> for StoredOtp {
    fn from(r: OtpRow) -> Self {
        StoredOtp {
            code_hash: r.code_hash,
            state: OtpState {
                sent_at: from_millis(r.sent_at),
                expires_at: from_millis(r.expires_at),
                failed_attempts: u32::try_from(r.failed_attempts).unwrap_or(u32::MAX),
            },
        }
    }
}

/// What asking to send a code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpSend {
    /// The code is stored; send it.
    Sent,
    /// The resend delay or the hourly limit of the number holds; nothing was stored.
    TooSoon { retry_after: SignedDuration },
}

impl Store {
    pub async fn otp(&self, phone: &PhoneNumber) -> Result<Option<StoredOtp>> {
        let row: Option<OtpRow> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT code_hash, sent_at, expires_at, failed_attempts FROM otp_codes WHERE phone = $1",
            )
            .bind(phone.as_str())
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(StoredOtp::from))
    }

    /// Records a newly sent code, replacing any earlier one and its attempt count, with no
    /// limit (tests); the server sends through [`Store::put_otp_if_allowed`].
    pub async fn put_otp(
        &self,
        phone: &PhoneNumber,
        code_hash: &str,
        sent_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO otp_codes (phone, code_hash, sent_at, expires_at, failed_attempts) \
                 VALUES ($1, $2, $3, $4, 0) \
                 ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, \
                 sent_at = excluded.sent_at, expires_at = excluded.expires_at, failed_attempts = 0",
            )
            .bind(phone.as_str())
            .bind(code_hash)
            .bind(millis(sent_at))
            .bind(millis(expires_at))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records a newly sent code if the number's limits allow it, in one statement: the last
    /// code was sent at least `resend_after` ago, and fewer than `per_hour` codes were sent in
    /// the running hour-long window. Two requests racing for one number cannot both send.
    pub async fn put_otp_if_allowed(
        &self,
        phone: &PhoneNumber,
        code_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
        resend_after: SignedDuration,
        per_hour: u32,
    ) -> Result<OtpSend> {
        let hour_ago = millis(now - SignedDuration::from_hours(1));
        let sent: Option<String> = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO otp_codes (phone, code_hash, sent_at, expires_at, failed_attempts, \
                 window_started_at, sends_in_window) VALUES ($1, $2, $3, $4, 0, $3, 1) \
                 ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, \
                 sent_at = excluded.sent_at, expires_at = excluded.expires_at, failed_attempts = 0, \
                 window_started_at = CASE WHEN otp_codes.window_started_at <= $5 \
                   THEN excluded.sent_at ELSE otp_codes.window_started_at END, \
                 sends_in_window = CASE WHEN otp_codes.window_started_at <= $5 \
                   THEN 1 ELSE otp_codes.sends_in_window + 1 END \
                 WHERE otp_codes.sent_at <= $6 \
                   AND (otp_codes.window_started_at <= $5 OR otp_codes.sends_in_window < $7) \
                 RETURNING phone",
            )
            .bind(phone.as_str())
            .bind(code_hash)
            .bind(millis(now))
            .bind(millis(expires_at))
            .bind(hour_ago)
            .bind(millis(now - resend_after))
            .bind(i64::from(per_hour.max(1)))
            .fetch_optional(p)
            .await
        })?;
        if sent.is_some() {
            return Ok(OtpSend::Sent);
        }
        let row: Option<(i64, i64, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT sent_at, window_started_at, sends_in_window FROM otp_codes WHERE phone = $1",
            )
            .bind(phone.as_str())
            .fetch_optional(p)
            .await
        })?;
        let (sent_at, window, sends) = row.unwrap_or((millis(now), millis(now), 0));
        let mut until = from_millis(sent_at) + resend_after;
        if sends >= i64::from(per_hour.max(1)) {
            until = until.max(from_millis(window) + SignedDuration::from_hours(1));
        }
        Ok(OtpSend::TooSoon {
            retry_after: until.duration_since(now).max(SignedDuration::from_secs(1)),
        })
    }

    /// Takes one of the outstanding code's attempts before the code is compared, in one
    /// statement: only a code that is unexpired and has attempts left yields a row, so no
    /// number of parallel guesses gets more than `max_attempts` comparisons. Returns the code
    /// with its attempts used counting this one, or `None` when no attempt is left (the caller
    /// reads [`Store::otp`] to say why).
    pub async fn take_otp_attempt(
        &self,
        phone: &PhoneNumber,
        max_attempts: u32,
        now: Timestamp,
    ) -> Result<Option<StoredOtp>> {
        let row: Option<OtpRow> = on_pool!(self, p => {
            sqlx::query_as(
                "UPDATE otp_codes SET failed_attempts = failed_attempts + 1 \
                 WHERE phone = $1 AND failed_attempts < $2 AND expires_at > $3 \
                 RETURNING code_hash, sent_at, expires_at, failed_attempts",
            )
            .bind(phone.as_str())
            .bind(i64::from(max_attempts))
            .bind(millis(now))
            .fetch_optional(p)
            .await
        })?;
        Ok(row.map(StoredOtp::from))
    }

    /// Consumes the code that was just accepted and signs the citizen in, in one transaction:
    /// the code is deleted (it cannot be replayed), the account is created on first sign-in,
    /// and a session with `token_hash` is opened. Returns the citizen id, or `None` when the code
    /// was consumed concurrently by another request.
    pub async fn sign_in_citizen(
        &self,
        phone: &PhoneNumber,
        code_hash: &str,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<Option<i64>> {
        self.consume_otp(phone, code_hash, now, Some((token_hash, expires_at)))
            .await
    }

    /// Consumes an accepted code and returns the phone's citizen account (created if new),
    /// opening a session when `session` is given. `None` when the code was already consumed.
    pub async fn consume_otp(
        &self,
        phone: &PhoneNumber,
        code_hash: &str,
        now: Timestamp,
        session: Option<(&str, Timestamp)>,
    ) -> Result<Option<i64>> {
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let consumed = sqlx::query("DELETE FROM otp_codes WHERE phone = $1 AND code_hash = $2")
                .bind(phone.as_str())
                .bind(code_hash)
                .execute(&mut *tx)
                .await?;
            if consumed.rows_affected() == 0 {
                None
            } else {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO citizens (phone, created_at, last_sign_in_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (phone) DO UPDATE SET last_sign_in_at = COALESCE(excluded.last_sign_in_at, citizens.last_sign_in_at), \
                     phone_only = CASE WHEN excluded.last_sign_in_at IS NULL THEN citizens.phone_only ELSE 0 END \
                     RETURNING id",
                )
                .bind(phone.as_str())
                .bind(millis(now))
                .bind(session.map(|_| millis(now)))
                .fetch_one(&mut *tx)
                .await?;
                if let Some((token_hash, expires_at)) = session {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, citizen_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(token_hash)
                    .bind(id)
                    .bind(millis(now))
                    .bind(millis(expires_at))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Some(id)
            }
        });
        Ok(id)
    }
}
