//! Creating staff accounts, shared by the API (admins) and the CLI (`phongdich admin`).

use jiff::Timestamp;
use phongdich_domain::accounts::{self, Role, MAX_NAME_CHARS};
use phongdich_domain::units::parse_code;
use phongdich_domain::validation::{required_text, Checker};
use phongdich_store::{NewStaff, Store};

use crate::auth::passwords;
use crate::error::ApiError;

/// A new staff account as typed by an admin.
#[derive(Debug, Clone)]
pub struct StaffForm {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub role: String,
    pub unit_code: String,
}

/// Validates the form, hashes the password off the async threads and stores the account, whose
/// holder may use it at once (the demo seed, tests, venue owners' own staff, the CLI with a
/// password typed by the operator).
pub async fn create_staff(store: &Store, form: StaffForm, now: Timestamp) -> Result<i64, ApiError> {
    create(store, form, false, now).await
}

/// As [`create_staff`], but the holder must choose a new password at first sign-in: for accounts
/// an admin made with a password the admin knows (the admin API, the CLI without `--password`).
pub async fn create_staff_forced_change(
    store: &Store,
    form: StaffForm,
    now: Timestamp,
) -> Result<i64, ApiError> {
    create(store, form, true, now).await
}

async fn create(
    store: &Store,
    form: StaffForm,
    must_change_password: bool,
    now: Timestamp,
) -> Result<i64, ApiError> {
    let mut c = Checker::new();
    let username = c.check(accounts::username("username", &form.username));
    let password = c.check(accounts::new_password(
        "password",
        &form.password,
        form.username.trim(),
    ));
    let full_name = c.check(required_text("full_name", &form.full_name, MAX_NAME_CHARS));
    let role = c.check(Role::parse("role", &form.role));
    let unit_code = c.check(parse_code("unit_code", &form.unit_code));
    let (username, password, full_name, role, unit_code) =
        c.finish(|| (username, password, full_name, role, unit_code))?;
    let (Some(username), Some(password), Some(full_name), Some(role), Some(unit_code)) =
        (username, password, full_name, role, unit_code)
    else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "checked form lost a field"
        )));
    };
    let password_hash = passwords::hash_blocking(password).await?;
    let new = NewStaff {
        username,
        password_hash,
        full_name,
        role,
        unit_code,
    };
    Ok(store
        .create_staff_with(&new, must_change_password, now)
        .await?)
}
