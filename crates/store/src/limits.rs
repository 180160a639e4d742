//! Counters behind the security limits (SPEC §11, §12: counted in the database, so they hold
//! under concurrency and across instances).
//!
//! Each counter is one row per (scope, key) with a fixed window. Counting is one statement —
//! an upsert whose update is conditional on the count still being under the limit — so two
//! requests can never both take the last slot: SQLite runs the statement under its single write
//! lock, PostgreSQL's `ON CONFLICT DO UPDATE` locks the row and re-checks the condition on its
//! newest version. Nothing here reads a count and then writes it.

use jiff::{SignedDuration, Timestamp};

use crate::{from_millis, millis, on_pool, Result, Store};

/// One limit to count against: `limit` slots per `window` for `key` in `scope`
/// (`None`: counted, never refused).
#[derive(Debug, Clone, Copy)]
pub struct Counter<'a> {
    pub scope: &'static str,
    pub key: &'a str,
    pub limit: Option<u32>,
    pub window: SignedDuration,
}

/// What counting one attempt against several limits came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// Every counter took the attempt; the counts after it, in the order given.
    Taken(Vec<u32>),
    /// The counter at `index` is full until `until`; no counter was changed.
    Full { index: usize, until: Timestamp },
}

/// The one statement that takes a slot: a new or expired window starts at one, a running one
/// grows only while under the limit. No row back means the counter is full.
const TAKE: &str = "INSERT INTO limit_counters (scope, key, count, window_started_at) \
     VALUES ($1, $2, 1, $3) \
     ON CONFLICT (scope, key) DO UPDATE SET \
       count = CASE WHEN limit_counters.window_started_at <= $4 THEN 1 ELSE limit_counters.count + 1 END, \
       window_started_at = CASE WHEN limit_counters.window_started_at <= $4 \
         THEN excluded.window_started_at ELSE limit_counters.window_started_at END \
     WHERE limit_counters.window_started_at <= $4 OR limit_counters.count < $5 \
     RETURNING count";

impl Store {
    /// Counts one attempt against every counter in `counters`, all or none, in one transaction
    /// (each counter by the one conditional statement [`TAKE`]). Counters are taken in the order
    /// given, so callers that always give them in the same order cannot deadlock.
    pub async fn take_counters(&self, counters: &[Counter<'_>], now: Timestamp) -> Result<Counted> {
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let mut counts = Vec::with_capacity(counters.len());
            let mut full = None;
            for (index, c) in counters.iter().enumerate() {
                let expired_before = millis(now - c.window);
                let count: Option<i64> = sqlx::query_scalar(TAKE)
                    .bind(c.scope)
                    .bind(c.key)
                    .bind(millis(now))
                    .bind(expired_before)
                    .bind(c.limit.map_or(i64::MAX, i64::from))
                    .fetch_optional(&mut *tx)
                    .await?;
                match count {
                    Some(n) => counts.push(u32::try_from(n).unwrap_or(u32::MAX)),
                    None => {
                        let started: Option<i64> = sqlx::query_scalar(
                            "SELECT window_started_at FROM limit_counters WHERE scope = $1 AND key = $2",
                        )
                        .bind(c.scope)
                        .bind(c.key)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let started = started.map_or(now, from_millis);
                        full = Some((index, started + c.window));
                        break;
                    }
                }
            }
            if let Some((index, until)) = full {
                tx.rollback().await?;
                Ok::<_, sqlx::Error>(Counted::Full { index, until })
            } else {
                tx.commit().await?;
                Ok(Counted::Taken(counts))
            }
        })?;
        Ok(result)
    }

    /// Gives back a slot taken by [`Store::take_counters`] for an attempt that turned out to
    /// succeed (limits count failures, and an attempt counts as one until it is judged).
    pub async fn give_back_counter(&self, scope: &str, key: &str) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "UPDATE limit_counters SET count = count - 1 WHERE scope = $1 AND key = $2 AND count > 0",
            )
            .bind(scope)
            .bind(key)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Clears a counter (a successful sign-in resets its (username, address) failures).
    pub async fn reset_counter(&self, scope: &str, key: &str) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("DELETE FROM limit_counters WHERE scope = $1 AND key = $2")
                .bind(scope)
                .bind(key)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Remembers that the member of staff signed in from `address` (a keyed hash).
    pub async fn remember_staff_address(
        &self,
        staff_id: i64,
        address: &str,
        now: Timestamp,
    ) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO staff_known_addresses (staff_id, address, last_sign_in_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (staff_id, address) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at",
            )
            .bind(staff_id)
            .bind(address)
            .bind(millis(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Whether the member of staff signed in from `address` since `since`.
    pub async fn is_known_staff_address(
        &self,
        staff_id: i64,
        address: &str,
        since: Timestamp,
    ) -> Result<bool> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_known_addresses WHERE staff_id = $1 AND address = $2 \
                 AND last_sign_in_at >= $3",
            )
            .bind(staff_id)
            .bind(address)
            .bind(millis(since))
            .fetch_one(p)
            .await
        })?;
        Ok(n > 0)
    }

    /// Deletes counters whose window started before `before` and known addresses not used
    /// since `known_before` (retention); returns the rows gone.
    pub async fn purge_limits(&self, before: Timestamp, known_before: Timestamp) -> Result<u64> {
        let n = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let a = sqlx::query("DELETE FROM limit_counters WHERE window_started_at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let b = sqlx::query("DELETE FROM staff_known_addresses WHERE last_sign_in_at < $1")
                .bind(millis(known_before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(a + b)
        })?;
        Ok(n)
    }
}
