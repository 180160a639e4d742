//! Venues: registration (one by one or a district's list at once), lookup by public code, the
//! owner's and the officials' lists, and the staff allowed to scan for a venue.

use jiff::Timestamp;
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::{from_millis, is_unique_violation, millis, on_pool, Result, Store, StoreError};

/// A venue to register, already validated.
#[derive(Debug, Clone)]
pub struct NewVenue {
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_code: String,
    pub street: String,
    pub position: Option<(f64, f64)>,
    pub owner_citizen_id: Option<i64>,
    pub created_at: Timestamp,
}

/// A stored venue with the path of its unit (for jurisdiction checks).
#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_code: String,
    pub unit_path: String,
    pub street: String,
    pub position: Option<(f64, f64)>,
    pub owner_citizen_id: Option<i64>,
    pub status: String,
    pub created_at: Timestamp,
    /// Whether an official approved it (venues imported by officials are approved at once);
    /// staff powers wait for this.
    pub approved: bool,
}

#[derive(sqlx::FromRow)]
struct VenueRow {
    id: i64,
    code: String,
    name: String,
    category: String,
    unit_code: String,
    unit_path: String,
    street: String,
    lat: Option<f64>,
    lon: Option<f64>,
    owner_citizen_id: Option<i64>,
    status: String,
    created_at: i64,
    approved: bool,
}

impl From<VenueRow> for Venue {
    fn from(r: VenueRow) -> Self {
        Venue {
            id: r.id,
            code: r.code,
            name: r.name,
            category: r.category,
            unit_code: r.unit_code,
            unit_path: r.unit_path,
            street: r.street,
            position: r.lat.zip(r.lon),
            owner_citizen_id: r.owner_citizen_id,
            status: r.status,
            created_at: from_millis(r.created_at),
            approved: r.approved,
        }
    }
}

/// A venue with visits its staff typed by phone that await an official's confirmation.
#[derive(Debug, Clone)]
pub struct TypedVisits {
    pub venue: Venue,
    pub unconfirmed: i64,
    pub first_in: Timestamp,
    pub last_in: Timestamp,
}

#[derive(sqlx::FromRow)]
struct TypedVisitsRow {
    #[sqlx(flatten)]
    venue: VenueRow,
    unconfirmed: i64,
    first_in: i64,
    last_in: i64,
}

const SELECT_VENUE: &str =
    "SELECT v.id, v.code, v.name, v.category, v.unit_code, u.path AS unit_path, \
     v.street, v.lat, v.lon, v.owner_citizen_id, v.status, v.created_at, \
     (v.approved_at IS NOT NULL) AS approved \
     FROM venues v JOIN units u ON u.code = v.unit_code";

const INSERT_VENUE: &str =
    "INSERT INTO venues (code, name, category, unit_code, street, lat, lon, \
     owner_citizen_id, created_at, approved_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 IS NULL THEN $9 ELSE NULL END) RETURNING id";

macro_rules! bind_venue {
    ($v:expr) => {
        sqlx::query_scalar::<_, i64>(INSERT_VENUE)
            .bind(&$v.code)
            .bind(&$v.name)
            .bind(&$v.category)
            .bind(&$v.unit_code)
            .bind(&$v.street)
            .bind($v.position.map(|p| p.0))
            .bind($v.position.map(|p| p.1))
            .bind($v.owner_citizen_id)
            .bind(millis($v.created_at))
    };
}

fn venue_conflict(e: sqlx::Error) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict("venue_code_taken")
    } else {
        e.into()
    }
}

impl Store {
    /// An official approves a citizen's venue (idempotent); `false` when no such venue.
    pub async fn approve_venue(&self, id: i64, staff_id: i64, now: Timestamp) -> Result<bool> {
        let n = on_pool!(self, p => {
            sqlx::query(
                "UPDATE venues SET approved_at = COALESCE(approved_at, $1), \
                 approved_by = COALESCE(approved_by, $2) WHERE id = $3",
            )
            .bind(millis(now))
            .bind(staff_id)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// An official confirms the visits venue staff typed by phone at this venue so far: they
    /// now count as evidence in case chains. Returns how many were confirmed.
    pub async fn confirm_staff_visits(
        &self,
        venue_id: i64,
        staff_id: i64,
        now: Timestamp,
    ) -> Result<u64> {
        let n = on_pool!(self, p => {
            sqlx::query(
                "UPDATE checkins SET confirmed_at = $1, confirmed_by = $2 \
                 WHERE venue_id = $3 AND method = 'staff_phone' AND confirmed_at IS NULL",
            )
            .bind(millis(now))
            .bind(staff_id)
            .bind(venue_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n)
    }

    /// Venues under `unit_path` whose staff typed visits by phone that no official confirmed
    /// yet, with how many and the first and last arrival: the officials' list to check against
    /// the venues' paper registers. Most visits first.
    pub async fn venues_with_typed_visits(&self, unit_path: &str) -> Result<Vec<TypedVisits>> {
        let (from, to) = subtree_range(unit_path);
        let sql = format!(
            "SELECT x.*, t.unconfirmed, t.first_in, t.last_in FROM ({SELECT_VENUE}) x \
             JOIN (SELECT venue_id, COUNT(*) AS unconfirmed, MIN(in_at) AS first_in, MAX(in_at) AS last_in \
                   FROM checkins WHERE method = 'staff_phone' AND confirmed_at IS NULL GROUP BY venue_id) t \
             ON t.venue_id = x.id WHERE x.unit_path >= $1 AND x.unit_path < $2 \
             ORDER BY t.unconfirmed DESC, x.id LIMIT 1000"
        );
        let rows: Vec<TypedVisitsRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| TypedVisits {
                venue: Venue::from(r.venue),
                unconfirmed: r.unconfirmed,
                first_in: from_millis(r.first_in),
                last_in: from_millis(r.last_in),
            })
            .collect())
    }

    /// Venues waiting for approval under `unit_path`, oldest first.
    pub async fn pending_venues(&self, unit_path: &str) -> Result<Vec<Venue>> {
        let (from, to) = phongdich_domain::jurisdiction::subtree_range(unit_path);
        let sql = format!(
            "{SELECT_VENUE} WHERE v.approved_at IS NULL AND u.path >= $1 AND u.path < $2 \
             ORDER BY v.created_at LIMIT 1000"
        );
        let rows: Vec<VenueRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Venue::from).collect())
    }

    /// Registers a venue. A clash of the random code is `Conflict("venue_code_taken")`: the
    /// caller draws a new code.
    pub async fn create_venue(&self, v: &NewVenue) -> Result<Venue> {
        self.existing_unit(&v.unit_code).await?;
        let id = on_pool!(self, p => bind_venue!(v).fetch_one(p).await).map_err(venue_conflict)?;
        self.venue(id).await?.ok_or(StoreError::NotFound)
    }

    /// Registers many venues in one transaction: all of them or, on any error, none.
    pub async fn import_venues(&self, venues: &[NewVenue]) -> Result<Vec<i64>> {
        for code in venues.iter().map(|v| v.unit_code.as_str()) {
            self.existing_unit(code).await?;
        }
        let ids = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let mut ids = Vec::with_capacity(venues.len());
            for v in venues {
                ids.push(bind_venue!(v).fetch_one(&mut *tx).await.map_err(venue_conflict)?);
            }
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }

    pub async fn venue(&self, id: i64) -> Result<Option<Venue>> {
        let sql = format!("{SELECT_VENUE} WHERE v.id = $1");
        let row: Option<VenueRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row.map(Venue::from))
    }

    /// The venue with this public code.
    pub async fn venue_by_code(&self, code: &str) -> Result<Option<Venue>> {
        let sql = format!("{SELECT_VENUE} WHERE v.code = $1");
        let row: Option<VenueRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(code).fetch_optional(p).await)?;
        Ok(row.map(Venue::from))
    }

    /// The venues a citizen registered, newest first.
    pub async fn venues_of_owner(&self, citizen_id: i64) -> Result<Vec<Venue>> {
        let sql = format!("{SELECT_VENUE} WHERE v.owner_citizen_id = $1 ORDER BY v.id DESC");
        let rows: Vec<VenueRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(citizen_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Venue::from).collect())
    }

    /// The venues a member of staff may scan for.
    pub async fn venues_of_staff(&self, staff_id: i64) -> Result<Vec<Venue>> {
        let sql = format!(
            "{SELECT_VENUE} JOIN venue_staff s ON s.venue_id = v.id WHERE s.staff_id = $1 ORDER BY v.name"
        );
        let rows: Vec<VenueRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(staff_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Venue::from).collect())
    }

    /// Venues inside the actor's jurisdiction (optionally one subtree of it, or a name
    /// search), by name. Venues are not personal data: listing them is not audited.
    pub async fn venues_in_jurisdiction(
        &self,
        actor: &Actor,
        under_path: Option<&str>,
        query: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Venue>> {
        let path = under_path
            .filter(|p| actor.covers(p))
            .unwrap_or(&actor.unit.path);
        self.venues_under(path, query, limit).await
    }

    /// Venues in the unit with this path and below, by name (the operator's poster run).
    pub async fn venues_under(
        &self,
        path: &str,
        query: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Venue>> {
        let (from, to) = subtree_range(path);
        let pattern = query
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_'], "")));
        let sql = format!(
            "{SELECT_VENUE} WHERE u.path >= $1 AND u.path < $2 \
             AND ($3 IS NULL OR LOWER(v.name) LIKE $3 OR v.code = UPPER($4)) ORDER BY v.name, v.id LIMIT $5"
        );
        let rows: Vec<VenueRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(&pattern)
                .bind(query.unwrap_or("").trim())
                .bind(i64::from(limit.clamp(1, 100_000)))
                .fetch_all(p)
                .await
        })?;
        Ok(rows.into_iter().map(Venue::from).collect())
    }

    /// Opens or closes a venue; a closed venue refuses check-ins.
    pub async fn set_venue_status(&self, id: i64, status: &str) -> Result<()> {
        let n = on_pool!(self, p => {
            sqlx::query("UPDATE venues SET status = $1 WHERE id = $2")
                .bind(status)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Lets a staff account scan for a venue (idempotent).
    pub async fn link_venue_staff(&self, venue_id: i64, staff_id: i64) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("INSERT INTO venue_staff (venue_id, staff_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(venue_id)
                .bind(staff_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// May this staff account scan for this venue?
    pub async fn is_venue_staff(&self, venue_id: i64, staff_id: i64) -> Result<bool> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM venue_staff WHERE venue_id = $1 AND staff_id = $2")
                .bind(venue_id)
                .bind(staff_id)
                .fetch_one(p)
                .await
        })?;
        Ok(n > 0)
    }
}
