//! Job leases (SPEC §12): each background job runs on exactly one instance at a time.
//!
//! A lease is one row per job: who holds it and until when. Taking or renewing it is one
//! conditional upsert — the row is written only when it is free, expired or already ours — so two
//! instances can never both hold a job: SQLite runs the statement under its single write lock,
//! PostgreSQL's `ON CONFLICT DO UPDATE` locks the row and re-checks the condition on its newest
//! version. The holder renews at every run; when it dies, the lease runs out and the next
//! instance to ask takes it over.

use jiff::{SignedDuration, Timestamp};

use crate::{from_millis, millis, on_pool, Result, Store};

/// The statement that takes or renews a lease; a row back means `$2` holds it until `$3`.
const TAKE: &str = "INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
     WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= $4 \
     RETURNING holder";

/// Who holds a job's lease, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub job: String,
    pub holder: String,
    pub expires_at: Timestamp,
}

impl Store {
    /// Takes the lease on `job` for `holder` until `now + period`, or renews it when `holder`
    /// has it already; `false` when another instance holds it and it has not run out.
    pub async fn take_lease(
        &self,
        job: &str,
        holder: &str,
        now: Timestamp,
        period: SignedDuration,
    ) -> Result<bool> {
        let taken: Option<String> = on_pool!(self, p => {
            sqlx::query_scalar(TAKE)
                .bind(job)
                .bind(holder)
                .bind(millis(now + period))
                .bind(millis(now))
                .fetch_optional(p)
                .await?
        });
        Ok(taken.is_some())
    }

    /// Gives the lease up (a clean shutdown), so another instance need not wait for it to run
    /// out. Only the holder's own lease is removed.
    pub async fn release_lease(&self, job: &str, holder: &str) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
                .bind(job)
                .bind(holder)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Every lease, by job (for operators: who runs what).
    pub async fn leases(&self) -> Result<Vec<Lease>> {
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            sqlx::query_as("SELECT job, holder, expires_at FROM job_leases ORDER BY job")
                .fetch_all(p)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(job, holder, expires_at)| Lease {
                job,
                holder,
                expires_at: from_millis(expires_at),
            })
            .collect())
    }
}
