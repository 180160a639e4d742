//! The life of a staff account after creation: deactivation and reactivation, password resets by
//! an admin, revoking every session, and the holder's own password change.
//!
//! Each change and its audit row are written in one transaction, and every change that takes a
//! credential away (deactivation, reset) revokes the account's sessions in the same transaction;
//! the session lookup also refuses sessions of inactive accounts, so either guard alone would stop
//! an old token.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::units::ROOT_CODE;

use crate::audit::bind_audit;
use crate::staff::{member_from_row, ActorRow, StaffMember, ACTOR_COLUMNS};
use crate::{millis, on_pool, Result, Store, StoreError};

/// What an admin (or the operator at the shell) does to a staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffChange {
    /// Signs the account out everywhere and refuses further sign-ins.
    Deactivate,
    /// Lets the account sign in again (its old sessions stay revoked).
    Reactivate,
    /// Ends every session of the account.
    RevokeSessions,
    /// Sets a temporary password (already hashed) the holder must change at next sign-in.
    ResetPassword { password_hash: String },
}

impl StaffChange {
    /// The audit action name of this change.
    pub fn action(&self) -> &'static str {
        match self {
            StaffChange::Deactivate => "staff.deactivate",
            StaffChange::Reactivate => "staff.reactivate",
            StaffChange::RevokeSessions => "staff.revoke_sessions",
            StaffChange::ResetPassword { .. } => "staff.reset_password",
        }
    }
}

/// An audit row written by `phongdich admin` at the shell: there is no signed-in actor, so the row
/// names the operator role and the account acted on (the column cannot be empty).
const INSERT_OPERATOR_AUDIT: &str = "INSERT INTO audit_log \
     (at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome, actor_unit_path, data_unit_path) \
     VALUES ($1, $2, 'phongdich-cli', 'operator', $3, $4, $5, $6, 'allowed', \
     (SELECT u.path FROM units u WHERE u.code = $3), (SELECT u.path FROM units u WHERE u.code = $6))";

impl Store {
    /// A staff account by id, active or not.
    pub async fn staff_member(&self, id: i64) -> Result<Option<StaffMember>> {
        let sql = format!(
            "SELECT {ACTOR_COLUMNS} FROM staff s JOIN units u ON u.code = s.unit_code WHERE s.id = $1"
        );
        let row: Option<ActorRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row.map(member_from_row))
    }

    /// A staff account by username, active or not.
    pub async fn staff_member_by_username(&self, username: &str) -> Result<Option<StaffMember>> {
        let sql = format!(
            "SELECT {ACTOR_COLUMNS} FROM staff s JOIN units u ON u.code = s.unit_code WHERE s.username = $1"
        );
        let row: Option<ActorRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(username).fetch_optional(p).await)?;
        Ok(row.map(member_from_row))
    }

    /// Applies `change` to `target` and records it; `by` is the admin, or `None` for the
    /// operator at the shell. The caller has checked the admin's jurisdiction over `target`.
    /// Returns the number of sessions revoked.
    pub async fn change_staff(
        &self,
        by: Option<&Actor>,
        target: &StaffMember,
        change: &StaffChange,
        now: Timestamp,
    ) -> Result<u64> {
        let event = AuditEvent {
            action: change.action(),
            subject: format!("staff:{}", target.id),
            unit_code: Some(target.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let at = millis(now);
        let revoked = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // The audit row first: in SQLite's WAL mode a transaction that reads and then writes
            // can fail when another writer commits in between.
            match by {
                Some(actor) => bind_audit!(actor, event, now).execute(&mut *tx).await?,
                None => sqlx::query(INSERT_OPERATOR_AUDIT)
                    .bind(at)
                    .bind(target.id)
                    .bind(ROOT_CODE)
                    .bind(event.action)
                    .bind(&event.subject)
                    .bind(&event.unit_code)
                    .execute(&mut *tx)
                    .await?,
            };
            let revoke_all = match change {
                StaffChange::Deactivate => {
                    sqlx::query("UPDATE staff SET active = $1, deactivated_at = $2 WHERE id = $3")
                        .bind(false)
                        .bind(at)
                        .bind(target.id)
                        .execute(&mut *tx)
                        .await?;
                    true
                }
                StaffChange::Reactivate => {
                    sqlx::query("UPDATE staff SET active = $1, deactivated_at = NULL WHERE id = $2")
                        .bind(true)
                        .bind(target.id)
                        .execute(&mut *tx)
                        .await?;
                    false
                }
                StaffChange::RevokeSessions => true,
                StaffChange::ResetPassword { password_hash } => {
                    sqlx::query(
                        "UPDATE staff SET password_hash = $1, must_change_password = $2 WHERE id = $3",
                    )
                    .bind(password_hash)
                    .bind(true)
                    .bind(target.id)
                    .execute(&mut *tx)
                    .await?;
                    true
                }
            };
            let mut revoked = 0;
            if revoke_all {
                revoked = sqlx::query(
                    "UPDATE sessions SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL",
                )
                .bind(at)
                .bind(target.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(revoked)
        })?;
        Ok(revoked)
    }

    /// The stored password hash of an active account (to check the old password on a change).
    pub async fn staff_password_hash(&self, staff_id: i64) -> Result<Option<String>> {
        let hash = on_pool!(self, p => {
            sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1 AND active = $2")
                .bind(staff_id)
                .bind(true)
                .fetch_optional(p)
                .await
        })?;
        Ok(hash)
    }

    /// The holder's own new password: clears the forced change, revokes every other session of
    /// the account (a stolen token dies with the old password) and records the change.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        password_hash: &str,
        current_session: &str,
        now: Timestamp,
    ) -> Result<()> {
        let event = AuditEvent {
            action: "staff.password_change",
            subject: format!("staff:{}", actor.staff_id),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let at = millis(now);
        let changed = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let n = sqlx::query(
                "UPDATE staff SET password_hash = $1, must_change_password = $2, password_changed_at = $3 \
                 WHERE id = $4 AND active = $5",
            )
            .bind(password_hash)
            .bind(false)
            .bind(at)
            .bind(actor.staff_id)
            .bind(true)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE sessions SET revoked_at = $1 \
                 WHERE staff_id = $2 AND token_hash <> $3 AND revoked_at IS NULL",
            )
            .bind(at)
            .bind(actor.staff_id)
            .bind(current_session)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n)
        })?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
