//! Sessions: opaque bearer tokens, stored only as hashes, expiring and revocable.

use jiff::Timestamp;
use phongdich_domain::jurisdiction::Actor;

use crate::staff::{actor_from_row, ActorRow, ACTOR_COLUMNS};
use crate::{millis, on_pool, Result, Store};

/// Who a valid session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Citizen { citizen_id: i64 },
    Staff(Actor),
}

/// A valid session: whose it is, and whether it is restricted to choosing a new password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub subject: Subject,
    /// The staff account must change its password before anything else.
    pub must_change_password: bool,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    citizen_id: Option<i64>,
    staff_id: Option<i64>,
    must_change_password: Option<bool>,
}

impl Store {
    /// Opens a session for a member of staff (citizen sessions open in `sign_in_citizen`).
    pub async fn create_staff_session(
        &self,
        staff_id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.open_session("staff_id", staff_id, token_hash, now, expires_at)
            .await
    }

    /// Opens a session for a citizen account directly (benchmarks and load generators, which
    /// sign thousands of accounts in without a code round trip).
    pub async fn create_citizen_session(
        &self,
        citizen_id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.open_session("citizen_id", citizen_id, token_hash, now, expires_at)
            .await
    }

    /// `owner` names the column of the session's holder: `staff_id` or `citizen_id`.
    async fn open_session(
        &self,
        owner: &'static str,
        id: i64,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let sql = format!(
            "INSERT INTO sessions (token_hash, {owner}, created_at, expires_at) VALUES ($1, $2, $3, $4)"
        );
        on_pool!(self, p => {
            sqlx::query(&sql)
                .bind(token_hash)
                .bind(id)
                .bind(millis(now))
                .bind(millis(expires_at))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The subject of the session with this token hash, if it is neither expired nor revoked
    /// (and, for staff, the account is still active).
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<Subject>> {
        Ok(self
            .session_state(token_hash, now)
            .await?
            .map(|s| s.subject))
    }

    /// The session with this token hash, if it is neither expired nor revoked, its staff account
    /// is active and its citizen account not deleted.
    pub async fn session_state(&self, token_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        let row: Option<SessionRow> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT s.citizen_id, s.staff_id, st.must_change_password FROM sessions s \
                 LEFT JOIN staff st ON st.id = s.staff_id \
                 LEFT JOIN citizens c ON c.id = s.citizen_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.revoked_at IS NULL \
                 AND (s.citizen_id IS NULL OR c.deleted_at IS NULL)",
            )
            .bind(token_hash)
            .bind(millis(now))
            .fetch_optional(p)
            .await
        })?;
        let Some(row) = row else { return Ok(None) };
        let must_change_password = row.must_change_password.unwrap_or(false);
        let subject = match row {
            SessionRow {
                citizen_id: Some(citizen_id),
                ..
            } => Some(Subject::Citizen { citizen_id }),
            SessionRow {
                staff_id: Some(staff_id),
                ..
            } => self.actor(staff_id).await?.map(Subject::Staff),
            _ => None,
        };
        Ok(subject.map(|subject| Session {
            subject,
            must_change_password,
        }))
    }

    /// The staff member with this id as an [`Actor`], if the account is active.
    pub async fn actor(&self, staff_id: i64) -> Result<Option<Actor>> {
        let sql = format!(
            "SELECT {ACTOR_COLUMNS} FROM staff s JOIN units u ON u.code = s.unit_code \
             WHERE s.id = $1 AND s.active = $2"
        );
        let row: Option<ActorRow> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(staff_id).bind(true).fetch_optional(p).await
        })?;
        Ok(row.map(actor_from_row))
    }

    /// Revokes a session (logout). Revoking twice is harmless.
    pub async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
                .bind(millis(now))
                .bind(token_hash)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Deletes sessions and one-time codes that expired before `now`; returns how many rows.
    pub async fn purge_expired_credentials(&self, now: Timestamp) -> Result<u64> {
        let n = on_pool!(self, p => {
            let a = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(millis(now))
                .execute(p)
                .await?;
            // A number's row stays for the hour its send count covers, even once its code expired.
            let b = sqlx::query("DELETE FROM otp_codes WHERE expires_at <= $1 AND window_started_at <= $2")
                .bind(millis(now))
                .bind(millis(now - jiff::SignedDuration::from_hours(1)))
                .execute(p)
                .await?;
            a.rows_affected() + b.rows_affected()
        });
        Ok(n)
    }
}
