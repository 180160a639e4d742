//! Exposure windows at venues, the fan-out of alerts to the visitors whose stay overlapped, the
//! citizens' inbox, and the audited visitor lists (for officials and for a venue's owner).

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::venues::ExposureWindow;

use crate::audit::bind_audit;
use crate::checkins::{Flag, Millis};
use crate::venues::Venue;
use crate::{millis, on_pool, Result, Store, StoreError};

/// A stored exposure window with its venue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Exposure {
    pub id: i64,
    pub venue_id: i64,
    pub venue_code: String,
    pub venue_name: String,
    pub unit_code: String,
    #[sqlx(try_from = "i64")]
    pub starts_at: Millis,
    #[sqlx(try_from = "i64")]
    pub ends_at: Millis,
    pub level: String,
    pub case_ref: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Millis,
    /// Number of alerts the window made (0 in on-device mode).
    pub alerted: i64,
}

/// One alert in a citizen's inbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Alert {
    pub id: i64,
    pub member_id: Option<i64>,
    pub kind: String,
    pub exposure_id: Option<i64>,
    pub venue_code: Option<String>,
    pub venue_name: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub level: Option<String>,
    pub visit_in: Option<i64>,
    pub visit_out: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub created_at: Millis,
    pub read_at: Option<i64>,
}

/// A visitor as an official or the venue's owner sees them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Visitor {
    pub visit_id: i64,
    pub citizen_id: i64,
    pub phone: String,
    pub full_name: Option<String>,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    #[sqlx(try_from = "i64")]
    pub in_at: Millis,
    #[sqlx(try_from = "i64")]
    pub out_at: Millis,
    #[sqlx(try_from = "i64")]
    pub out_auto: Flag,
    #[sqlx(try_from = "String")]
    pub method: phongdich_domain::venues::CheckinMethod,
}

const EXPOSURE_COLUMNS: &str = "e.id, e.venue_id, v.code AS venue_code, v.name AS venue_name, \
     v.unit_code, e.starts_at, e.ends_at, e.level, e.case_ref, e.created_at, e.alerted";

const VISITOR_COLUMNS: &str = "c.id AS visit_id, c.citizen_id, z.phone, z.full_name, c.member_id, \
     f.full_name AS member_name, c.in_at, c.out_at, c.out_auto, c.method";

const VISITOR_JOINS: &str = "FROM checkins c JOIN citizens z ON z.id = c.citizen_id \
     LEFT JOIN family_members f ON f.id = c.member_id";

/// An audit row written by a venue owner (a citizen account).
const INSERT_OWNER_AUDIT: &str = "INSERT INTO audit_log \
     (at, citizen_id, username, role, scope_unit, action, subject, unit_code, outcome, actor_unit_path, data_unit_path) \
     VALUES ($1, $2, $3, 'venue_owner', $4, $5, $6, $4, $7, \
     (SELECT u.path FROM units u WHERE u.code = $4), (SELECT u.path FROM units u WHERE u.code = $4))";

impl Store {
    /// Records an exposure window at a venue and, when `fan_out` (central check-in mode),
    /// alerts every visitor whose stay came within `margin` of it, in the same transaction.
    /// Returns the window's id and the number of alerts made.
    pub async fn create_exposure(
        &self,
        actor: &Actor,
        venue: &Venue,
        window: &ExposureWindow,
        margin: SignedDuration,
        fan_out: bool,
        now: Timestamp,
    ) -> Result<(i64, u64)> {
        if !actor.covers(&venue.unit_path) {
            return Err(StoreError::OutOfJurisdiction);
        }
        let from = millis(window.starts_at - margin);
        let to = millis(window.ends_at + margin);
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO venue_exposures (venue_id, starts_at, ends_at, level, case_ref, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(venue.id)
            .bind(millis(window.starts_at))
            .bind(millis(window.ends_at))
            .bind(window.level.as_str())
            .bind(&window.case_ref)
            .bind(actor.staff_id)
            .bind(millis(now))
            .fetch_one(&mut *tx)
            .await?;
            let mut alerted = 0;
            if fan_out {
                alerted = sqlx::query(
                    "INSERT INTO alerts (citizen_id, member_id, person, kind, exposure_id, visit_in, visit_out, created_at) \
                     SELECT citizen_id, member_id, person, 'venue', $1, MIN(in_at), MAX(out_at), $2 \
                     FROM checkins WHERE venue_id = $3 AND in_at < $4 AND out_at > $5 \
                     GROUP BY citizen_id, member_id, person \
                     ON CONFLICT (exposure_id, citizen_id, person) DO NOTHING",
                )
                .bind(id)
                .bind(millis(now))
                .bind(venue.id)
                .bind(to)
                .bind(from)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                sqlx::query("UPDATE venue_exposures SET alerted = $1 WHERE id = $2")
                    .bind(alerted as i64)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            (id, alerted)
        });
        Ok(result)
    }

    /// The phone numbers of phone-only visitors (no app, no account) a window alerted: their
    /// alert can only reach them by SMS.
    pub async fn phone_only_alerted(&self, exposure_id: i64) -> Result<Vec<String>> {
        let phones = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT DISTINCT z.phone FROM alerts a JOIN citizens z ON z.id = a.citizen_id \
                 WHERE a.exposure_id = $1 AND z.phone_only = 1 ORDER BY z.phone",
            )
            .bind(exposure_id)
            .fetch_all(p)
            .await
        })?;
        Ok(phones)
    }

    pub async fn exposure(&self, id: i64) -> Result<Option<Exposure>> {
        let sql = format!(
            "SELECT {EXPOSURE_COLUMNS} FROM venue_exposures e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1"
        );
        let row = on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row)
    }

    /// Windows that ended at or after `since`, newest first (the feed and the officials' list).
    pub async fn exposures_since(&self, since: Timestamp) -> Result<Vec<Exposure>> {
        let sql = format!(
            "SELECT {EXPOSURE_COLUMNS} FROM venue_exposures e JOIN venues v ON v.id = e.venue_id \
             WHERE e.ends_at >= $1 ORDER BY e.starts_at DESC, e.id DESC"
        );
        let rows =
            on_pool!(self, p => sqlx::query_as(&sql).bind(millis(since)).fetch_all(p).await)?;
        Ok(rows)
    }

    /// The visitors an exposure window alerted, for an official of the venue's jurisdiction;
    /// the read (or the refusal) is audited in the same transaction.
    pub async fn staff_exposure_visitors(
        &self,
        actor: &Actor,
        exposure: &Exposure,
        unit_path: &str,
        margin: SignedDuration,
        now: Timestamp,
    ) -> Result<Vec<Visitor>> {
        let allowed = actor.covers(unit_path);
        let event = AuditEvent {
            action: "venue.exposure_visitors",
            subject: format!("exposure:{}", exposure.id),
            unit_code: Some(exposure.unit_code.clone()),
            outcome: if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
        };
        let sql = format!(
            "SELECT {VISITOR_COLUMNS} {VISITOR_JOINS} JOIN alerts a ON a.exposure_id = $1 \
             AND a.citizen_id = c.citizen_id AND a.person = c.person \
             WHERE c.venue_id = $2 AND c.in_at < $3 AND c.out_at > $4 ORDER BY c.in_at, c.id"
        );
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows: Vec<Visitor> = if allowed {
                sqlx::query_as(&sql)
                    .bind(exposure.id)
                    .bind(exposure.venue_id)
                    .bind(millis(exposure.ends_at.0 + margin))
                    .bind(millis(exposure.starts_at.0 - margin))
                    .fetch_all(&mut *tx)
                    .await?
            } else {
                Vec::new()
            };
            tx.commit().await?;
            rows
        });
        if !allowed {
            return Err(StoreError::OutOfJurisdiction);
        }
        Ok(rows)
    }

    /// A venue's visitors since `since`, for its owner (a citizen account). Another citizen's
    /// attempt is refused and audited like the allowed read.
    pub async fn owner_venue_log(
        &self,
        citizen_id: i64,
        citizen_label: &str,
        venue: &Venue,
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Visitor>> {
        let allowed = venue.owner_citizen_id == Some(citizen_id);
        let sql = format!(
            "SELECT {VISITOR_COLUMNS} {VISITOR_JOINS} WHERE c.venue_id = $1 AND c.in_at >= $2 \
             ORDER BY c.in_at DESC, c.id DESC LIMIT 5000"
        );
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(INSERT_OWNER_AUDIT)
                .bind(millis(now))
                .bind(citizen_id)
                .bind(citizen_label)
                .bind(&venue.unit_code)
                .bind("venue.visitor_log")
                .bind(format!("venue:{}", venue.code))
                .bind(if allowed { "allowed" } else { "denied" })
                .execute(&mut *tx)
                .await?;
            let rows: Vec<Visitor> = if allowed {
                sqlx::query_as(&sql).bind(venue.id).bind(millis(since)).fetch_all(&mut *tx).await?
            } else {
                Vec::new()
            };
            tx.commit().await?;
            rows
        });
        if !allowed {
            return Err(StoreError::OutOfJurisdiction);
        }
        Ok(rows)
    }

    /// A citizen's inbox (their own alerts and their family's), newest first.
    pub async fn citizen_alerts(&self, citizen_id: i64, limit: u32) -> Result<Vec<Alert>> {
        let rows = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT a.id, a.member_id, a.kind, a.exposure_id, v.code AS venue_code, v.name AS venue_name, \
                 e.starts_at, e.ends_at, e.level, a.visit_in, a.visit_out, a.created_at, a.read_at \
                 FROM alerts a LEFT JOIN venue_exposures e ON e.id = a.exposure_id \
                 LEFT JOIN venues v ON v.id = e.venue_id \
                 WHERE a.citizen_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
            )
            .bind(citizen_id)
            .bind(i64::from(limit.clamp(1, 500)))
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }

    /// Marks an alert of the citizen as read (idempotent).
    pub async fn mark_alert_read(
        &self,
        citizen_id: i64,
        alert_id: i64,
        now: Timestamp,
    ) -> Result<()> {
        let n = on_pool!(self, p => {
            sqlx::query("UPDATE alerts SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND citizen_id = $3")
                .bind(millis(now))
                .bind(alert_id)
                .bind(citizen_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
