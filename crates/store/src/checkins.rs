//! Check-ins and check-outs. Writes come in batches (the server groups concurrent requests into
//! one transaction), and every write is keyed by the sender's client id, so a retried request
//! returns the stored visit instead of adding a row.

use jiff::Timestamp;
use phongdich_domain::venues::CheckinMethod;

use crate::{from_millis, millis, on_pool, Result, Store};

/// One person's arrival at a venue, as the server accepted it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckin {
    pub venue_id: i64,
    /// `c:<citizen id>` or `s:<staff id>`: client ids are unique per sender.
    pub origin: String,
    pub client_id: String,
    pub citizen_id: i64,
    pub member_id: Option<i64>,
    pub in_at: Timestamp,
    /// The automatic check-out time (in_at + the category's dwell time).
    pub auto_out_at: Timestamp,
    pub method: CheckinMethod,
}

/// A stored visit.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    pub venue_id: i64,
    pub citizen_id: i64,
    pub member_id: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub in_at: Millis,
    #[sqlx(try_from = "i64")]
    pub out_at: Millis,
    /// True while the end is the automatic one (no check-out yet).
    #[sqlx(try_from = "i64")]
    pub out_auto: Flag,
    #[sqlx(try_from = "String")]
    pub method: CheckinMethod,
}

/// A stored time (wrapper so rows map straight from milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Millis(pub Timestamp);

impl From<i64> for Millis {
    fn from(ms: i64) -> Self {
        Millis(from_millis(ms))
    }
}

/// A stored 0/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(v: i64) -> Self {
        Flag(v != 0)
    }
}

/// A check-out of some people of one account at one venue.
#[derive(Debug, Clone)]
pub struct CheckOut {
    pub venue_id: i64,
    pub citizen_id: i64,
    /// The people leaving: `None` is the account holder, `Some(id)` a family member.
    pub members: Vec<Option<i64>>,
    pub at: Timestamp,
    pub client_id: String,
}

/// A visit with its venue, for the citizen's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VisitWithVenue {
    #[sqlx(flatten)]
    pub visit: Visit,
    pub venue_code: String,
    pub venue_name: String,
}

const VISIT_COLUMNS: &str =
    "c.id, c.venue_id, c.citizen_id, c.member_id, c.in_at, c.out_at, c.out_auto, c.method";

/// The person key of the unique index: NULL members would never be equal.
fn person(member_id: Option<i64>) -> i64 {
    member_id.unwrap_or(0)
}

/// How far back a check-out looks for the visit it ends.
const CHECK_OUT_LOOKBACK_MS: i64 = 24 * 3600 * 1000;

impl Store {
    /// Stores a batch of check-ins in one transaction and returns the visit of each, in order;
    /// one already stored under the same sender and client id is returned as it was.
    pub async fn record_checkins(&self, batch: &[NewCheckin]) -> Result<Vec<Visit>> {
        let insert = format!(
            "INSERT INTO checkins (venue_id, origin, client_id, citizen_id, member_id, person, in_at, out_at, out_auto, method) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) \
             ON CONFLICT (origin, client_id, person) DO NOTHING RETURNING {}",
            VISIT_COLUMNS.replace("c.", "")
        );
        let existing = format!(
            "SELECT {VISIT_COLUMNS} FROM checkins c WHERE c.origin = $1 AND c.client_id = $2 AND c.person = $3"
        );
        let visits = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let mut visits = Vec::with_capacity(batch.len());
            for c in batch {
                let inserted: Option<Visit> = sqlx::query_as(&insert)
                    .bind(c.venue_id)
                    .bind(&c.origin)
                    .bind(&c.client_id)
                    .bind(c.citizen_id)
                    .bind(c.member_id)
                    .bind(person(c.member_id))
                    .bind(millis(c.in_at))
                    .bind(millis(c.auto_out_at))
                    .bind(c.method.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                let visit = match inserted {
                    Some(v) => v,
                    None => sqlx::query_as(&existing)
                        .bind(&c.origin)
                        .bind(&c.client_id)
                        .bind(person(c.member_id))
                        .fetch_one(&mut *tx)
                        .await?,
                };
                visits.push(visit);
            }
            tx.commit().await?;
            visits
        });
        Ok(visits)
    }

    /// Ends the open visits of the leaving people. Returns one visit per person, or `None` for
    /// a person with no visit to end (no check-in in the last day). A retried check-out (same
    /// client id) returns the visits it ended the first time.
    pub async fn check_out(&self, out: &CheckOut) -> Result<Vec<Option<Visit>>> {
        let repeated = format!(
            "SELECT {VISIT_COLUMNS} FROM checkins c WHERE c.citizen_id = $1 AND c.person = $2 AND c.out_client_id = $3"
        );
        let open = format!(
            "SELECT {VISIT_COLUMNS} FROM checkins c WHERE c.citizen_id = $1 AND c.person = $2 AND c.venue_id = $3 \
             AND c.out_auto = 1 AND c.in_at <= $4 AND c.in_at > $5 ORDER BY c.in_at DESC LIMIT 1"
        );
        let update = format!(
            "UPDATE checkins SET out_at = $1, out_auto = 0, out_client_id = $2 WHERE id = $3 RETURNING {}",
            VISIT_COLUMNS.replace("c.", "")
        );
        let at = millis(out.at);
        let results = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let mut results = Vec::with_capacity(out.members.len());
            for member in &out.members {
                let key = person(*member);
                let done: Option<Visit> = sqlx::query_as(&repeated)
                    .bind(out.citizen_id)
                    .bind(key)
                    .bind(&out.client_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if done.is_some() {
                    results.push(done);
                    continue;
                }
                let visit: Option<Visit> = sqlx::query_as(&open)
                    .bind(out.citizen_id)
                    .bind(key)
                    .bind(out.venue_id)
                    .bind(at)
                    .bind(at - CHECK_OUT_LOOKBACK_MS)
                    .fetch_optional(&mut *tx)
                    .await?;
                let ended = match visit {
                    Some(v) => Some(
                        sqlx::query_as(&update)
                            .bind(at)
                            .bind(&out.client_id)
                            .bind(v.id)
                            .fetch_one(&mut *tx)
                            .await?,
                    ),
                    None => None,
                };
                results.push(ended);
            }
            tx.commit().await?;
            results
        });
        Ok(results)
    }

    /// The visits made under a citizen's account, newest first.
    pub async fn citizen_visits(&self, citizen_id: i64, limit: u32) -> Result<Vec<VisitWithVenue>> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS}, v.code AS venue_code, v.name AS venue_name \
             FROM checkins c JOIN venues v ON v.id = c.venue_id WHERE c.citizen_id = $1 \
             ORDER BY c.in_at DESC, c.id DESC LIMIT $2"
        );
        let rows = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(citizen_id).bind(i64::from(limit.clamp(1, 1000))).fetch_all(p).await
        })?;
        Ok(rows)
    }

    /// The ids of every stored visit under a citizen's account (durability checks).
    pub async fn visit_ids(&self, citizen_id: i64) -> Result<Vec<i64>> {
        let ids = on_pool!(self, p => {
            sqlx::query_scalar("SELECT id FROM checkins WHERE citizen_id = $1 ORDER BY id")
                .bind(citizen_id)
                .fetch_all(p)
                .await
        })?;
        Ok(ids)
    }

    /// Number of stored check-ins (benchmarks, tests, monitoring).
    pub async fn checkin_count(&self) -> Result<i64> {
        let n = on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM checkins").fetch_one(p).await)?;
        Ok(n)
    }

    /// Deletes visits that ended before `before`, venue alerts made before it, and phone-only
    /// visitors left without visits (retention); returns how many visits, alerts and phone-only
    /// visitors went.
    pub async fn purge_checkins(&self, before: Timestamp) -> Result<(u64, u64, u64)> {
        let cutoff = millis(before);
        let counts = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let visits = sqlx::query("DELETE FROM checkins WHERE out_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let alerts = sqlx::query("DELETE FROM alerts WHERE kind = 'venue' AND created_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "DELETE FROM alerts WHERE exposure_id IN (SELECT id FROM venue_exposures WHERE ends_at < $1)",
            )
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM venue_exposures WHERE ends_at < $1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?;
            // A phone-only visitor is nothing but its visits: it goes with the last of them,
            // unless tracing or the audit log still names it.
            let phone_only = sqlx::query(
                "DELETE FROM citizens WHERE phone_only = 1 AND created_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.citizen_id = citizens.id) \
                 AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.citizen_id = citizens.id) \
                 AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.citizen_id = citizens.id)",
            )
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            (visits, alerts, phone_only)
        });
        Ok(counts)
    }
}
