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

/// Validates the form, hashes the password off the async threads and stores the account.
pub async fn create_staff(store: &Store, form: StaffForm, now: Timestamp) -> Result<i64, ApiError> {
    let mut c = Checker::new();
    let username = c.check(accounts::username("username", &form.username));
    let password = c.check(accounts::new_password("password", &form.password));
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
    let password_hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let new = NewStaff {
        username,
        password_hash,
        full_name,
        role,
        unit_code,
    };
    Ok(store.create_staff(&new, now).await?)
}
