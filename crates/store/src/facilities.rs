//! "An toàn COVID" facilities: registration, their staff, officials' versions of the criteria
//! sets, the daily self-assessments, and the populations that turn case counts into area levels.
//!
//! Facilities are institutions, not people: reading them is public and not audited.

use std::collections::BTreeMap;

use jiff::Timestamp;
use phongdich_domain::jurisdiction::subtree_range;
use phongdich_domain::safety::{FacilityInput, FacilityType, SafetyColour};
use phongdich_domain::Message;

use crate::{from_millis, is_unique_violation, millis, on_pool, Result, Store, StoreError};

/// Most facilities one listing returns.
pub const MAX_FACILITIES_LISTED: u32 = 20_000;

/// A stored facility with its last assessment's day and colour and its open feedback.
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    pub id: i64,
    pub name: String,
    pub facility_type: FacilityType,
    pub unit_code: String,
    pub unit_path: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub created_at: Timestamp,
    /// The day (`YYYY-MM-DD`) and colour of the latest assessment.
    pub last_assessment: Option<(String, SafetyColour)>,
    pub open_feedback: i64,
}

/// Which facilities to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacilityFilter<'a> {
    pub under_path: Option<&'a str>,
    pub facility_type: Option<FacilityType>,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
}

/// A self-assessment as stored: the checked answers and the result computed when it was made
/// (kept, not recomputed, so a later version of the set never changes a past day).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    pub facility_id: i64,
    pub day: String,
    pub set_id: String,
    pub set_version: u32,
    pub answers: BTreeMap<String, String>,
    pub colour: SafetyColour,
    pub outcome: serde_json::Value,
    pub reasons: Vec<Message>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Timestamp,
}

/// A criteria set version published by an official (the JSON of the set).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCriteriaSet {
    pub facility_type: FacilityType,
    pub version: u32,
    pub body: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct FacilityRow {
    id: i64,
    name: String,
    facility_type: String,
    unit_code: String,
    unit_path: String,
    address: String,
    lat: f64,
    lon: f64,
    created_at: i64,
    last_day: Option<String>,
    last_colour: Option<String>,
    open_feedback: i64,
}

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}

fn colour(text: &str) -> Result<SafetyColour> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| corrupt(format!("unknown colour {text:?}")))
}

fn facility_type(text: &str) -> Result<FacilityType> {
    FacilityType::parse("facility_type", text)
        .map_err(|_| corrupt(format!("unknown facility type {text:?}")))
}

impl TryFrom<FacilityRow> for Facility {
    type Error = StoreError;

    fn try_from(r: FacilityRow) -> Result<Self> {
        let last_assessment = match (r.last_day, r.last_colour) {
            (Some(day), Some(c)) => Some((day, colour(&c)?)),
            _ => None,
        };
        Ok(Facility {
            id: r.id,
            facility_type: facility_type(&r.facility_type)?,
            name: r.name,
            unit_code: r.unit_code,
            unit_path: r.unit_path,
            address: r.address,
            lat: r.lat,
            lon: r.lon,
            created_at: from_millis(r.created_at),
            last_assessment,
            open_feedback: r.open_feedback,
        })
    }
}

const SELECT_FACILITY: &str = "SELECT f.id, f.name, f.facility_type, f.unit_code, \
     u.path AS unit_path, f.address, f.lat, f.lon, f.created_at, \
     (SELECT a.day FROM assessments a WHERE a.facility_id = f.id ORDER BY a.day DESC LIMIT 1) AS last_day, \
     (SELECT a.colour FROM assessments a WHERE a.facility_id = f.id ORDER BY a.day DESC LIMIT 1) AS last_colour, \
     (SELECT COUNT(*) FROM facility_feedback b WHERE b.facility_id = f.id AND b.answered_at IS NULL) AS open_feedback \
     FROM facilities f JOIN units u ON u.code = f.unit_code";

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    facility_id: i64,
    day: String,
    set_id: String,
    set_version: i64,
    answers: String,
    colour: String,
    outcome: String,
    reasons: String,
    submitted_by: Option<i64>,
    submitted_at: i64,
}

impl TryFrom<AssessmentRow> for StoredAssessment {
    type Error = StoreError;

    fn try_from(r: AssessmentRow) -> Result<Self> {
        let json = |what: &str, e: serde_json::Error| corrupt(format!("assessment {what}: {e}"));
        Ok(StoredAssessment {
            facility_id: r.facility_id,
            set_version: u32::try_from(r.set_version)
                .map_err(|_| corrupt(format!("set version {}", r.set_version)))?,
            answers: serde_json::from_str(&r.answers).map_err(|e| json("answers", e))?,
            colour: colour(&r.colour)?,
            outcome: serde_json::from_str(&r.outcome).map_err(|e| json("outcome", e))?,
            reasons: serde_json::from_str(&r.reasons).map_err(|e| json("reasons", e))?,
            day: r.day,
            set_id: r.set_id,
            submitted_by: r.submitted_by,
            submitted_at: from_millis(r.submitted_at),
        })
    }
}

impl Store {
    /// Registers a checked facility.
    pub async fn create_facility(
        &self,
        f: &FacilityInput,
        created_by: Option<i64>,
        now: Timestamp,
    ) -> Result<Facility> {
        self.existing_unit(&f.unit_code).await?;
        let id: i64 = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO facilities (name, facility_type, unit_code, address, lat, lon, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&f.name)
            .bind(f.facility_type.as_str())
            .bind(&f.unit_code)
            .bind(&f.address)
            .bind(f.lat)
            .bind(f.lon)
            .bind(created_by)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })?;
        self.facility(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn facility(&self, id: i64) -> Result<Option<Facility>> {
        let sql = format!("{SELECT_FACILITY} WHERE f.id = $1");
        let row: Option<FacilityRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.map(Facility::try_from).transpose()
    }

    /// Facilities passing `filter`, by name (at most [`MAX_FACILITIES_LISTED`]).
    pub async fn facilities(&self, filter: &FacilityFilter<'_>) -> Result<Vec<Facility>> {
        let (from, to) = match filter.under_path {
            Some(path) => {
                let (from, to) = subtree_range(path);
                (Some(from), Some(to))
            }
            None => (None, None),
        };
        let bbox = filter.bbox;
        let sql = format!(
            "{SELECT_FACILITY} WHERE ($1 IS NULL OR (u.path >= $1 AND u.path < $2)) \
             AND ($3 IS NULL OR f.facility_type = $3) \
             AND ($4 IS NULL OR (f.lon >= $4 AND f.lat >= $5 AND f.lon <= $6 AND f.lat <= $7)) \
             ORDER BY f.name, f.id LIMIT $8"
        );
        let rows: Vec<FacilityRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(&from)
                .bind(&to)
                .bind(filter.facility_type.map(FacilityType::as_str))
                .bind(bbox.map(|b| b[0]))
                .bind(bbox.map(|b| b[1]))
                .bind(bbox.map(|b| b[2]))
                .bind(bbox.map(|b| b[3]))
                .bind(i64::from(MAX_FACILITIES_LISTED))
                .fetch_all(p)
                .await
        })?;
        rows.into_iter().map(Facility::try_from).collect()
    }

    /// Lets a staff account assess (and answer feedback for) a facility; linking twice is fine.
    pub async fn link_facility_staff(&self, facility_id: i64, staff_id: i64) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO facility_staff (facility_id, staff_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(facility_id)
            .bind(staff_id)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn is_facility_staff(&self, facility_id: i64, staff_id: i64) -> Result<bool> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM facility_staff WHERE facility_id = $1 AND staff_id = $2",
            )
            .bind(facility_id)
            .bind(staff_id)
            .fetch_one(p)
            .await
        })?;
        Ok(n > 0)
    }

    /// The facilities a staff account works for, by name.
    pub async fn facilities_of_staff(&self, staff_id: i64) -> Result<Vec<Facility>> {
        let sql = format!(
            "{SELECT_FACILITY} JOIN facility_staff s ON s.facility_id = f.id \
             WHERE s.staff_id = $1 ORDER BY f.name, f.id"
        );
        let rows: Vec<FacilityRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(staff_id).fetch_all(p).await)?;
        rows.into_iter().map(Facility::try_from).collect()
    }

    /// Stores the day's assessment, replacing an earlier one of the same day.
    pub async fn save_assessment(&self, a: &StoredAssessment) -> Result<()> {
        let to_json = |v: serde_json::Result<String>| {
            v.map_err(|e| corrupt(format!("encoding an assessment: {e}")))
        };
        let answers = to_json(serde_json::to_string(&a.answers))?;
        let outcome = to_json(serde_json::to_string(&a.outcome))?;
        let reasons = to_json(serde_json::to_string(&a.reasons))?;
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO assessments (facility_id, day, set_id, set_version, answers, colour, \
                 outcome, reasons, submitted_by, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (facility_id, day) DO UPDATE SET set_id = excluded.set_id, \
                 set_version = excluded.set_version, answers = excluded.answers, \
                 colour = excluded.colour, outcome = excluded.outcome, reasons = excluded.reasons, \
                 submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at",
            )
            .bind(a.facility_id)
            .bind(&a.day)
            .bind(&a.set_id)
            .bind(i64::from(a.set_version))
            .bind(&answers)
            .bind(a.colour.as_str())
            .bind(&outcome)
            .bind(&reasons)
            .bind(a.submitted_by)
            .bind(millis(a.submitted_at))
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// A facility's assessments, newest day first.
    pub async fn assessments(&self, facility_id: i64, limit: u32) -> Result<Vec<StoredAssessment>> {
        let rows: Vec<AssessmentRow> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT facility_id, day, set_id, set_version, answers, colour, outcome, reasons, \
                 submitted_by, submitted_at FROM assessments WHERE facility_id = $1 \
                 ORDER BY day DESC LIMIT $2",
            )
            .bind(facility_id)
            .bind(i64::from(limit.clamp(1, 366)))
            .fetch_all(p)
            .await
        })?;
        rows.into_iter().map(StoredAssessment::try_from).collect()
    }

    /// The newest version an official published for a facility type (`None`: only the shipped
    /// set exists), or a given version.
    pub async fn criteria_set_version(
        &self,
        facility_type: FacilityType,
        version: Option<u32>,
    ) -> Result<Option<StoredCriteriaSet>> {
        let row: Option<(i64, String, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT version, body, created_at FROM criteria_sets WHERE facility_type = $1 \
                 AND ($2 IS NULL OR version = $2) ORDER BY version DESC LIMIT 1",
            )
            .bind(facility_type.as_str())
            .bind(version.map(i64::from))
            .fetch_optional(p)
            .await
        })?;
        row.map(|(version, body, created_at)| {
            Ok(StoredCriteriaSet {
                facility_type,
                version: u32::try_from(version)
                    .map_err(|_| corrupt(format!("criteria set version {version}")))?,
                body,
                created_at: from_millis(created_at),
            })
        })
        .transpose()
    }

    /// Publishes a new version; two officials publishing the same version number at once get
    /// `Conflict("criteria_version_taken")` for the second.
    pub async fn save_criteria_set(
        &self,
        set: &StoredCriteriaSet,
        set_id: &str,
        created_by: i64,
    ) -> Result<()> {
        let result = on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO criteria_sets (facility_type, version, set_id, body, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(set.facility_type.as_str())
            .bind(i64::from(set.version))
            .bind(set_id)
            .bind(&set.body)
            .bind(created_by)
            .bind(millis(set.created_at))
            .execute(p)
            .await
            .map(|_| ())
        });
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => {
                Err(StoreError::Conflict("criteria_version_taken"))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Sets a unit's population (for area levels).
    pub async fn set_population(
        &self,
        unit_code: &str,
        population: i64,
        now: Timestamp,
    ) -> Result<()> {
        self.existing_unit(unit_code).await?;
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO unit_populations (unit_code, population, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (unit_code) DO UPDATE SET population = excluded.population, \
                 updated_at = excluded.updated_at",
            )
            .bind(unit_code)
            .bind(population)
            .bind(millis(now))
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The populations entered for units at or below `path`, by unit code.
    pub async fn populations_under(&self, path: &str) -> Result<BTreeMap<String, i64>> {
        let (from, to) = subtree_range(path);
        let rows: Vec<(String, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT n.unit_code, n.population FROM unit_populations n \
                 JOIN units u ON u.code = n.unit_code WHERE u.path >= $1 AND u.path < $2",
            )
            .bind(&from)
            .bind(&to)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Cases confirmed on `from..=to` (`YYYY-MM-DD`) per unit at or below `path`, counting only
    /// community cases when `community_only` (SPEC §6's area levels).
    pub async fn cases_per_unit(
        &self,
        path: &str,
        from: &str,
        to: &str,
        community_only: bool,
    ) -> Result<BTreeMap<String, i64>> {
        let (lo, hi) = subtree_range(path);
        let rows: Vec<(String, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT c.unit_code, COUNT(*) FROM cases c JOIN units u ON u.code = c.unit_code \
                 WHERE u.path >= $1 AND u.path < $2 AND c.confirmed_day >= $3 \
                 AND c.confirmed_day <= $4 AND ($5 = 0 OR c.source = 'community') \
                 GROUP BY c.unit_code",
            )
            .bind(&lo)
            .bind(&hi)
            .bind(from)
            .bind(to)
            .bind(i64::from(community_only))
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().collect())
    }
}
