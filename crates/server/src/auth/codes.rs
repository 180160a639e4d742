//! One-time codes by SMS: sending one, and accepting one that a person reads back. Used for
//! citizen sign-in and for a checkpoint declaring on behalf of someone with a basic phone.

use phongdich_domain::otp::{NoCodeReason, OtpPolicy};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::FieldError;
use phongdich_store::OtpSend;

use crate::auth::tokens;
use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use crate::rate_limit::too_many;
use crate::state::AppState;

/// Sends a new code to `phone` if the limits allow; `client` is the requesting client. The
/// resend delay and the per-phone hourly limit are decided by the store's one conditional
/// write, so parallel requests for one number send one code.
pub(crate) async fn send(
    state: &AppState,
    phone: &PhoneNumber,
    client: &ClientAddr,
) -> Result<(), ApiError> {
    state.inner.limits.otp_request(client)?;
    let policy = state.inner.otp;
    let now = state.now();
    let code = tokens::new_otp_code();
    let hash = state.inner.secrets.otp_hash(phone.as_str(), &code);
    let stored = state
        .store()
        .put_otp_if_allowed(
            phone,
            &hash,
            now,
            now + policy.validity,
            policy.resend_after,
            state.config().otp_requests_per_phone_per_hour,
        )
        .await?;
    if let OtpSend::TooSoon { retry_after } = stored {
        return Err(too_many(retry_after.as_secs().unsigned_abs()));
    }
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
/// An attempt is taken from the code's five before it is compared (one atomic statement in the
/// store), so parallel guesses get five comparisons in all; a wrong one also counts against the
/// client address's wrong-code limit.
pub(crate) async fn accept(
    state: &AppState,
    phone: &PhoneNumber,
    code: &str,
    field: &str,
    client: &ClientAddr,
) -> Result<String, ApiError> {
    let attempt = state.begin_code_attempt(client).await?;
    let policy = state.inner.otp;
    let now = state.now();
    let presented = state.inner.secrets.otp_hash(phone.as_str(), code.trim());
    let Some(taken) = state
        .store()
        .take_otp_attempt(phone, policy.max_attempts, now)
        .await?
    else {
        let stored = state.store().otp(phone).await?;
        return Err(no_valid_code(
            field,
            policy.unusable(stored.as_ref().map(|s| &s.state), now),
        ));
    };
    if same_digest(&taken.code_hash, &presented) {
        state.code_succeeded(attempt).await?;
        return Ok(presented);
    }
    let attempts_left = policy
        .max_attempts
        .saturating_sub(taken.state.failed_attempts);
    Err(ApiError::field(FieldError::new(
        field,
        "code_wrong",
        format!("Mã không đúng; còn {attempts_left} lần thử"),
        format!("Wrong code; {attempts_left} attempts left"),
    )))
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
