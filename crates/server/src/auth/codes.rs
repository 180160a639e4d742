//! One-time codes by SMS: sending one, and accepting one that a person reads back. Used for
//! citizen sign-in and for a checkpoint declaring on behalf of someone with a basic phone.

use phongdich_domain::otp::{NoCodeReason, OtpPolicy, Verdict};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::FieldError;

use crate::auth::tokens;
use crate::error::ApiError;
use crate::rate_limit::too_many;
use crate::state::AppState;

/// Sends a new code to `phone` if the limits allow; `ip` is the requesting client.
pub(crate) async fn send(state: &AppState, phone: &PhoneNumber, ip: &str) -> Result<(), ApiError> {
    state.inner.limits.otp_request(ip, phone.as_str())?;
    let policy = state.inner.otp;
    let now = state.now();
    let last = state.store().otp(phone).await?;
    policy
        .may_send(last.as_ref().map(|s| &s.state), now)
        .map_err(|e| too_many(e.retry_after.as_secs().unsigned_abs()))?;
    let code = tokens::new_otp_code();
    let hash = state.inner.secrets.otp_hash(phone.as_str(), &code);
    state
        .store()
        .put_otp(phone, &hash, now, now + policy.validity)
        .await?;
    state.inner.sms.send(phone, &sms_text(&code), now).await?;
    tracing::info!(phone = %phone, "one-time code sent");
    Ok(())
}

/// SMS text without diacritics: plain GSM-7 fits one message and every handset shows it.
fn sms_text(code: &str) -> String {
    format!(
        "Ma xac nhan Phong Dich cua ban la {code}, hieu luc 5 phut. Khong chia se ma nay. \
         / Your Phong Dich code is {code} (valid 5 minutes). Do not share it."
    )
}

/// Checks the shape of a typed code (a field error on `field` otherwise).
pub(crate) fn well_formed(field: &str, code: &str) -> Result<(), FieldError> {
    if OtpPolicy::well_formed(code.trim()) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "code_malformed",
            "Mã gồm đúng 6 chữ số",
            "The code has exactly 6 digits",
        ))
    }
}

/// Judges a code for `phone`; on success returns the stored hash the caller consumes.
/// A wrong code counts against the five attempts.
pub(crate) async fn accept(
    state: &AppState,
    phone: &PhoneNumber,
    code: &str,
    field: &str,
    ip: &str,
) -> Result<String, ApiError> {
    state.inner.limits.login_attempt(ip, None)?;
    let stored = state.store().otp(phone).await?;
    let presented = state.inner.secrets.otp_hash(phone.as_str(), code.trim());
    let matches = stored
        .as_ref()
        .is_some_and(|s| same_digest(&s.code_hash, &presented));
    match state
        .inner
        .otp
        .verify(stored.as_ref().map(|s| &s.state), matches, state.now())
    {
        Verdict::Accepted => Ok(presented),
        Verdict::Wrong { attempts_left } => {
            state.store().record_failed_otp(phone).await?;
            Err(ApiError::field(FieldError::new(
                field,
                "code_wrong",
                format!("Mã không đúng; còn {attempts_left} lần thử"),
                format!("Wrong code; {attempts_left} attempts left"),
            )))
        }
        Verdict::NoValidCode { reason } => Err(no_valid_code(field, reason)),
    }
}

/// The error for a code that cannot be used any more (or never existed).
pub(crate) fn no_valid_code(field: &str, reason: NoCodeReason) -> ApiError {
    let (code, vi, en) = match reason {
        NoCodeReason::NeverSent => (
            "code_not_requested",
            "Chưa có mã cho số này; hãy yêu cầu mã",
            "No code was sent to this number; request one",
        ),
        NoCodeReason::Expired => (
            "code_expired",
            "Mã đã hết hạn; hãy yêu cầu mã mới",
            "The code has expired; request a new one",
        ),
        NoCodeReason::TooManyAttempts => (
            "code_locked",
            "Nhập sai quá 5 lần; hãy yêu cầu mã mới",
            "Too many wrong attempts; request a new code",
        ),
    };
    ApiError::field(FieldError::new(field, code, vi, en))
}

/// Equal-time comparison of two hex digests.
fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
