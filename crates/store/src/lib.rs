//! Persistence for Phòng Dịch: one storage layer over SQLite (embedded default) and PostgreSQL.
//!
//! Every query is written once, in SQL both engines accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), and compiled against both drivers by [`on_pool!`]; only the migrations differ
//! per backend. Times are stored as milliseconds since the Unix epoch. Staff reads of personal
//! data exist only as methods that take an [`Actor`](phongdich_domain::jurisdiction::Actor),
//! check the jurisdiction and write the audit row in the same transaction (see [`personal`]).

mod accounts;
mod audit;
mod campaigns;
mod cases;
mod checkins;
mod citizen_data;
mod declarations;
mod exposures;
mod f1_reports;
mod facilities;
mod keyserver;
mod leases;
mod limits;
mod otp;
pub mod personal;
mod quarantine;
mod retention;
mod safety_reports;
mod server_keys;
mod sessions;
mod staff;
mod staff_lifecycle;
mod units;
mod venues;
mod zones;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use accounts::{Citizen, FamilyMember, MAX_FAMILY_MEMBERS};
pub use audit::{AuditFilter, AuditRecord, MAX_AUDIT_ROWS};
pub use campaigns::{StoredCampaign, StoredOrgUnit, StoredReport};
pub use cases::{
    BulkContact, CoPresence, NewContact, ProximityReport, StoredCase, StoredContact, StoredPerson,
};
pub use checkins::{CheckOut, Flag, Millis, NewCheckin, Visit, VisitWithVenue};
pub use citizen_data::{Erasure, Hold};
pub use declarations::{DeclarationFilter, MissedUpdate, NewDeclaration, StoredDeclaration};
pub use exposures::{Alert, Exposure, Visitor};
pub use f1_reports::{F1Report, KeyOrigin, NewF1Report};
pub use facilities::{
    Facility, FacilityFilter, StoredAssessment, StoredCriteriaSet, MAX_FACILITIES_LISTED,
};
pub use keyserver::{EnCode, ExportFile, NewEnCode, NewKey, Redeemed, StoredKey};
pub use leases::Lease;
pub use limits::{Counted, Counter};
pub use otp::{OtpSend, StoredOtp};
pub use quarantine::{NewQuarantine, QuarantineOrder, QuarantineTest};
pub use retention::TableCounts;
pub use safety_reports::{Feedback, NewRiskReport, RiskReport, MAX_REPORTS_LISTED};
pub use server_keys::SealedKey;
pub use sessions::{Session, Subject};
pub use staff::{NewStaff, StaffCredentials, StaffMember};
pub use staff_lifecycle::StaffChange;
pub use venues::{NewVenue, TypedVisits, Venue};
pub use zones::{StoredZone, ZoneFilter, MAX_ZONES_LISTED};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to whichever pool the store has; the body is compiled once per
/// backend, so one SQL text serves both.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Locks a citizen's row inside transaction `$tx` until it ends: PostgreSQL's row lock,
/// SQLite's write lock (taken by the first write). Limits that count a citizen's rows take it
/// before their counting insert, since under PostgreSQL's READ COMMITTED two transactions
/// would otherwise both count the same rows and both insert.
macro_rules! lock_citizen {
    ($tx:expr, $citizen_id:expr) => {
        sqlx::query("UPDATE citizens SET created_at = created_at WHERE id = $1")
            .bind($citizen_id)
            .execute(&mut *$tx)
    };
}
pub(crate) use lock_citizen;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names the rule (e.g. `username_taken`).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A member of staff asked for data outside their jurisdiction; the attempt was audited.
    #[error("outside the actor's jurisdiction")]
    OutOfJurisdiction,
    /// A unit code that is not in the deployment's list.
    #[error("unknown unit {0}")]
    UnknownUnit(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Migrations are pending and this connection's role could not apply them (an application
    /// role without the right to change the schema).
    #[error(
        "{count} database migration(s) pending (from {first}) and this role cannot apply them ({cause}); \
         run `phongdich migrate --database-url OWNER_URL` as the owner role first"
    )]
    MigrationsPending {
        count: usize,
        first: i64,
        cause: String,
    },
    #[error("store holds the unit list {found}, configuration asks for {wanted}")]
    UnitListMismatch { found: String, wanted: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The handle every other part holds (cheap to clone: the pools are reference-counted).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` in WAL mode with foreign keys
    /// and a busy timeout, and applies the migrations.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode survives a killed process (the WAL is written before commit
            // returns); only an OS crash or power loss could drop the last transactions.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let store = Self {
            pool: Pool::Sqlite(pool),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Connects to PostgreSQL at `url` and applies the migrations that are pending; a role that
    /// cannot apply them gets [`StoreError::MigrationsPending`] (see [`Store::grant_app_role`]).
    pub async fn open_postgres(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?;
        Self::open_postgres_with(options).await
    }

    /// Drops a schema made by [`Store::open_postgres_in_schema`] (benchmarks clean up after
    /// themselves).
    pub async fn drop_postgres_schema(url: &str, schema: &str) -> Result<()> {
        if !schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::Conflict("schema_name_invalid"));
        }
        let admin = PgPoolOptions::new().max_connections(1).connect(url).await?;
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&admin)
            .await?;
        admin.close().await;
        Ok(())
    }

    /// Connects to PostgreSQL with every table in `schema` (created if missing): one database
    /// can then hold several isolated stores, as the test suite does.
    pub async fn open_postgres_in_schema(url: &str, schema: &str) -> Result<Self> {
        if !schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::Conflict("schema_name_invalid"));
        }
        let admin = PgPoolOptions::new().max_connections(1).connect(url).await?;
        // Created only when missing: an application role may use a schema it cannot create.
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_namespace WHERE nspname = $1")
                .bind(schema)
                .fetch_optional(&admin)
                .await?;
        if exists.is_none() {
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await?;
        }
        admin.close().await;
        let options = PgConnectOptions::from_str(url)?.options([("search_path", schema)]);
        Self::open_postgres_with(options).await
    }

    async fn open_postgres_with(options: PgConnectOptions) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let store = Self {
            pool: Pool::Postgres(pool),
        };
        // An application role may not change the schema: it only checks that the owner applied
        // every migration. With nothing pending no DDL is attempted at all.
        let pending = store.pending_migrations().await?;
        if let Some(&first) = pending.first() {
            if let Err(e) = store.migrate().await {
                return Err(StoreError::MigrationsPending {
                    count: pending.len(),
                    first,
                    cause: e.to_string(),
                });
            }
        }
        Ok(store)
    }

    /// Versions of this backend's migrations not applied yet (PostgreSQL; SQLite always applies
    /// them when it opens, so there they are never pending).
    pub async fn pending_migrations(&self) -> Result<Vec<i64>> {
        let Pool::Postgres(p) = &self.pool else {
            return Ok(Vec::new());
        };
        let exists: Option<String> =
            sqlx::query_scalar("SELECT CAST(to_regclass('_sqlx_migrations') AS TEXT)")
                .fetch_one(p)
                .await?;
        let applied: Vec<i64> = if exists.is_some() {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(p)
                .await?
        } else {
            Vec::new()
        };
        Ok(sqlx::migrate!("./migrations/postgres")
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// Gives the application role `role` what the server needs in this store's schema and no
    /// more: read and write every table, except that audit rows can only be added (no UPDATE,
    /// DELETE or TRUNCATE; old rows go through `audit_log_purge`), and read-only access to the
    /// migration ledger. Run by `phongdich migrate` as the owner after the migrations, so tables
    /// of later migrations are granted too. PostgreSQL only.
    pub async fn grant_app_role(&self, role: &str) -> Result<()> {
        let Pool::Postgres(p) = &self.pool else {
            return Err(StoreError::Conflict("app_role_needs_postgres"));
        };
        if role.is_empty()
            || !role
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::Conflict("app_role_invalid"));
        }
        let schema: String = sqlx::query_scalar("SELECT current_schema()")
            .fetch_one(p)
            .await?;
        let schema = format!("\"{}\"", schema.replace('"', "\"\""));
        let mut tx = p.begin().await?;
        for sql in [
            format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
            format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}"
            ),
            format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"),
            format!("REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.audit_log FROM {role}"),
            format!(
                "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}._sqlx_migrations FROM {role}"
            ),
            format!("GRANT EXECUTE ON FUNCTION {schema}.audit_log_purge(BIGINT) TO {role}"),
        ] {
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Answers when the database answers a trivial query (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A value from the store's key-value table of settings and markers.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let v = on_pool!(self, p => {
            sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(p).await
        })?;
        Ok(v)
    }

    /// Sets a value in the key-value table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Closes every connection, waiting for running queries (graceful shutdown).
    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

/// Milliseconds since the epoch, the stored form of a time.
pub(crate) fn millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// Reads a stored time back; stored values were written by [`millis`], so they are in range.
pub(crate) fn from_millis(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// True when a database error is a violation of a unique constraint.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
