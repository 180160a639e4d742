//! Staff accounts: username, argon2id password hash, role and the unit they are scoped to.

use jiff::Timestamp;
use phongdich_domain::accounts::Role;
use phongdich_domain::jurisdiction::{subtree_range, Actor};
use phongdich_domain::units::Unit;

use crate::units::UnitRow;
use crate::{millis, on_pool, Result, Store, StoreError};

/// A staff account to create; the password is already hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: Role,
    pub unit_code: String,
}

/// What sign-in needs: the id and the stored hash.
#[derive(Debug, Clone)]
pub struct StaffCredentials {
    pub staff_id: i64,
    pub password_hash: String,
    /// The session sign-in gives may only choose a new password.
    pub must_change_password: bool,
}

/// A staff account as listed to an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit: Unit,
    pub active: bool,
    /// Set when an admin made the account or reset its password: the holder must choose one.
    pub must_change_password: bool,
}

pub(crate) const ACTOR_COLUMNS: &str =
    "s.id AS staff_id, s.username, s.full_name, s.role, s.active, s.must_change_password, \
     u.code, u.parent_code, u.tier, u.kind, u.name, u.path";

#[derive(sqlx::FromRow)]
pub(crate) struct ActorRow {
    staff_id: i64,
    username: String,
    full_name: String,
    role: String,
    active: bool,
    must_change_password: bool,
    #[sqlx(flatten)]
    unit: UnitRow,
}

pub(crate) fn actor_from_row(r: ActorRow) -> Actor {
    Actor {
        staff_id: r.staff_id,
        username: r.username,
        full_name: r.full_name,
        // Roles are written from the enum; an unknown one would mean a hand-edited row, and
        // the least powerful role is the safe reading of it.
        role: r.role.parse().unwrap_or(Role::UnitReporter),
        unit: r.unit.into(),
    }
}

pub(crate) fn member_from_row(r: ActorRow) -> StaffMember {
    StaffMember {
        id: r.staff_id,
        username: r.username,
        full_name: r.full_name,
        role: r.role.parse().unwrap_or(Role::UnitReporter),
        unit: r.unit.into(),
        active: r.active,
        must_change_password: r.must_change_password,
    }
}

impl Store {
    /// Creates a staff account; `Conflict("username_taken")` if the name is in use.
    pub async fn create_staff(&self, new: &NewStaff, now: Timestamp) -> Result<i64> {
        self.create_staff_with(new, false, now).await
    }

    /// Creates a staff account; with `must_change_password` the holder's first sign-in gives a
    /// session that can only choose a new password (accounts an admin made with a password the
    /// admin knows).
    pub async fn create_staff_with(
        &self,
        new: &NewStaff,
        must_change_password: bool,
        now: Timestamp,
    ) -> Result<i64> {
        self.existing_unit(&new.unit_code).await?;
        let id: std::result::Result<i64, sqlx::Error> = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO staff (username, password_hash, full_name, role, unit_code, active, created_at, must_change_password) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&new.username)
            .bind(&new.password_hash)
            .bind(&new.full_name)
            .bind(new.role.as_str())
            .bind(&new.unit_code)
            .bind(true)
            .bind(millis(now))
            .bind(must_change_password)
            .fetch_one(p)
            .await
        });
        id.map_err(|e| {
            if crate::is_unique_violation(&e) {
                StoreError::Conflict("username_taken")
            } else {
                e.into()
            }
        })
    }

    /// The credentials of an active account with this username.
    pub async fn staff_credentials(&self, username: &str) -> Result<Option<StaffCredentials>> {
        let row: Option<(i64, String, bool)> = on_pool!(self, p => {
            sqlx::query_as("SELECT id, password_hash, must_change_password FROM staff WHERE username = $1 AND active = $2")
                .bind(username)
                .bind(true)
                .fetch_optional(p)
                .await
        })?;
        Ok(row.map(
            |(staff_id, password_hash, must_change_password)| StaffCredentials {
                staff_id,
                password_hash,
                must_change_password,
            },
        ))
    }

    /// Staff accounts scoped inside the actor's jurisdiction.
    pub async fn staff_in_scope(&self, actor: &Actor) -> Result<Vec<StaffMember>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let sql = format!(
            "SELECT {ACTOR_COLUMNS} FROM staff s JOIN units u ON u.code = s.unit_code \
             WHERE u.path >= $1 AND u.path < $2 ORDER BY s.username"
        );
        let rows: Vec<ActorRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(p).await)?;
        Ok(rows.into_iter().map(member_from_row).collect())
    }
}
