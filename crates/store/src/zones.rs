//! Zones officials draw (lockdown zones, quarantine areas, checkpoints): create, read, list the
//! zones active at a time, and end one early.
//!
//! The geometry is stored as GeoJSON text with its bounding box in four columns, so the SQL
//! filter by place is coarse (boxes meet) and the exact test is the domain's
//! [`ZoneIndex`](phongdich_domain::zones::ZoneIndex). Zones carry no personal data.

use jiff::Timestamp;
use phongdich_domain::jurisdiction::subtree_range;
use phongdich_domain::zones::{Zone, ZoneGeometry, ZoneKind};

use crate::{from_millis, millis, on_pool, Result, Store, StoreError};

/// Most zones one listing returns.
pub const MAX_ZONES_LISTED: u32 = 10_000;

/// A stored zone with who drew it and the path of its unit (for jurisdiction checks).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredZone {
    pub id: i64,
    pub zone: Zone,
    pub unit_path: String,
    pub created_by: i64,
    pub created_at: Timestamp,
    /// Set when an official ended the zone before its planned end.
    pub ended_by: Option<i64>,
    pub ended_at: Option<Timestamp>,
}

impl AsRef<Zone> for StoredZone {
    fn as_ref(&self) -> &Zone {
        &self.zone
    }
}

/// Which active zones to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZoneFilter<'a> {
    /// Only zones of this unit and the units below it.
    pub under_path: Option<&'a str>,
    pub kind: Option<ZoneKind>,
    /// Only zones whose bounding box meets this one: `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// At most this many (capped at [`MAX_ZONES_LISTED`]; `None` is the cap).
    pub limit: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct ZoneRow {
    id: i64,
    kind: String,
    name: String,
    unit_code: String,
    unit_path: String,
    geometry: String,
    valid_from: i64,
    valid_until: Option<i64>,
    note: Option<String>,
    created_by: i64,
    created_at: i64,
    ended_by: Option<i64>,
    ended_at: Option<i64>,
}

impl TryFrom<ZoneRow> for StoredZone {
    type Error = StoreError;

    fn try_from(r: ZoneRow) -> Result<Self> {
        let corrupt = |what: String| StoreError::Database(sqlx::Error::Decode(what.into()));
        let kind = ZoneKind::parse("kind", &r.kind)
            .map_err(|_| corrupt(format!("zone {}: unknown kind {:?}", r.id, r.kind)))?;
        let geometry = ZoneGeometry::from_geojson_text(&r.geometry)
            .map_err(|e| corrupt(format!("zone {}: {e}", r.id)))?;
        Ok(StoredZone {
            id: r.id,
            zone: Zone {
                kind,
                name: r.name,
                unit_code: r.unit_code,
                geometry,
                valid_from: from_millis(r.valid_from),
                valid_until: r.valid_until.map(from_millis),
                note: r.note,
            },
            unit_path: r.unit_path,
            created_by: r.created_by,
            created_at: from_millis(r.created_at),
            ended_by: r.ended_by,
            ended_at: r.ended_at.map(from_millis),
        })
    }
}

const SELECT_ZONE: &str =
    "SELECT z.id, z.kind, z.name, z.unit_code, u.path AS unit_path, z.geometry, z.valid_from, \
     z.valid_until, z.note, z.created_by, z.created_at, z.ended_by, z.ended_at \
     FROM zones z JOIN units u ON u.code = z.unit_code";

impl Store {
    /// Stores a checked zone drawn by the staff member `created_by`.
    pub async fn create_zone(
        &self,
        zone: &Zone,
        created_by: i64,
        now: Timestamp,
    ) -> Result<StoredZone> {
        self.existing_unit(&zone.unit_code).await?;
        let b = zone.geometry.bounding_box();
        let id: i64 = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO zones (kind, name, unit_code, geometry, min_lon, min_lat, max_lon, \
                 max_lat, valid_from, valid_until, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(zone.kind.as_str())
            .bind(&zone.name)
            .bind(&zone.unit_code)
            .bind(zone.geometry.to_geojson_text())
            .bind(b.min().x)
            .bind(b.min().y)
            .bind(b.max().x)
            .bind(b.max().y)
            .bind(millis(zone.valid_from))
            .bind(zone.valid_until.map(millis))
            .bind(&zone.note)
            .bind(created_by)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })?;
        self.zone(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn zone(&self, id: i64) -> Result<Option<StoredZone>> {
        let sql = format!("{SELECT_ZONE} WHERE z.id = $1");
        let row: Option<ZoneRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.map(StoredZone::try_from).transpose()
    }

    /// The zones active at `at` (`valid_from <= at < valid_until`) that pass `filter`, oldest
    /// first.
    pub async fn zones_active_at(
        &self,
        at: Timestamp,
        filter: &ZoneFilter<'_>,
    ) -> Result<Vec<StoredZone>> {
        let (from, to) = match filter.under_path {
            Some(path) => {
                let (from, to) = subtree_range(path);
                (Some(from), Some(to))
            }
            None => (None, None),
        };
        let bbox = filter.bbox;
        let sql = format!(
            "{SELECT_ZONE} WHERE z.valid_from <= $1 AND (z.valid_until IS NULL OR z.valid_until > $1) \
             AND ($2 IS NULL OR (u.path >= $2 AND u.path < $3)) \
             AND ($4 IS NULL OR z.kind = $4) \
             AND ($5 IS NULL OR (z.max_lon >= $5 AND z.max_lat >= $6 AND z.min_lon <= $7 AND z.min_lat <= $8)) \
             ORDER BY z.id LIMIT $9"
        );
        let limit = filter
            .limit
            .unwrap_or(MAX_ZONES_LISTED)
            .clamp(1, MAX_ZONES_LISTED);
        let rows: Vec<ZoneRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(millis(at))
                .bind(&from)
                .bind(&to)
                .bind(filter.kind.map(ZoneKind::as_str))
                .bind(bbox.map(|b| b[0]))
                .bind(bbox.map(|b| b[1]))
                .bind(bbox.map(|b| b[2]))
                .bind(bbox.map(|b| b[3]))
                .bind(i64::from(limit))
                .fetch_all(p)
                .await
        })?;
        rows.into_iter().map(StoredZone::try_from).collect()
    }

    /// Ends a zone at `at` (a zone that has not started yet ends before it starts, so it never
    /// applies). A zone already over is `Conflict("zone_already_ended")`.
    pub async fn end_zone(&self, id: i64, ended_by: i64, at: Timestamp) -> Result<StoredZone> {
        let n = on_pool!(self, p => {
            sqlx::query(
                "UPDATE zones SET valid_until = CASE WHEN valid_from > $1 THEN valid_from ELSE $1 END, \
                 ended_by = $2, ended_at = $1 \
                 WHERE id = $3 AND (valid_until IS NULL OR valid_until > $1)",
            )
            .bind(millis(at))
            .bind(ended_by)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        let zone = self.zone(id).await?.ok_or(StoreError::NotFound)?;
        if n == 0 {
            return Err(StoreError::Conflict("zone_already_ended"));
        }
        Ok(zone)
    }

    /// How many zones are stored, active or not (tests check that refusals store nothing).
    pub async fn zone_count(&self) -> Result<i64> {
        let n = on_pool!(self, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM zones").fetch_one(p).await
        })?;
        Ok(n)
    }
}
