//! The key server's tables: upload codes and tokens (one row per code's life), uploads of
//! diagnosis keys, and export files. Codes and tokens are stored only as keyed hashes.

use jiff::Timestamp;

use crate::{millis, on_pool, Result, Store, StoreError};

/// A code to store: issued by an official, or made for an F1 who shares keys (then it has no
/// code, only a token).
#[derive(Debug, Clone)]
pub struct NewEnCode {
    pub code_hash: Option<String>,
    pub report_type: String,
    pub onset_day: Option<String>,
    pub unit_code: String,
    pub citizen_id: Option<i64>,
    pub issued_by: Option<i64>,
    pub f1_report_id: Option<i64>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub token_hash: Option<String>,
    pub token_expires_at: Option<Timestamp>,
}

/// A stored code as the upload path reads it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EnCode {
    pub id: i64,
    pub report_type: String,
    pub onset_day: Option<String>,
    pub unit_code: String,
    pub citizen_id: Option<i64>,
    pub f1_report_id: Option<i64>,
    pub expires_at: i64,
    pub verified_at: Option<i64>,
    pub token_expires_at: Option<i64>,
    pub uploaded_at: Option<i64>,
}

const CODE_COLUMNS: &str = "id, report_type, onset_day, unit_code, citizen_id, f1_report_id, \
     expires_at, verified_at, token_expires_at, uploaded_at";

/// What trading a code for a token came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Redeemed {
    Token(EnCode),
    /// No such code (or a typo).
    Unknown,
    /// The code was traded before: a code works once.
    AlreadyUsed,
    Expired,
}

/// A key to store with its upload.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub key_hex: String,
    pub rolling_start: u32,
    pub rolling_period: u32,
    pub transmission_risk: i32,
    pub report_type: String,
    pub days_since_onset: Option<i32>,
    pub available_at: Timestamp,
}

/// A stored key as an export reads it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredKey {
    pub key_hex: String,
    pub rolling_start: i64,
    pub rolling_period: i64,
    pub transmission_risk: i64,
    pub report_type: String,
    pub days_since_onset: Option<i64>,
}

/// One export file.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportFile {
    pub id: i64,
    pub file: String,
    pub start_at: i64,
    pub end_at: i64,
    pub keys: i64,
    pub created_at: i64,
}

impl Store {
    /// Stores a new code; `Conflict("code_taken")` when its hash collides with a live one.
    pub async fn create_en_code(&self, c: &NewEnCode) -> Result<i64> {
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO en_codes (code_hash, report_type, onset_day, unit_code, citizen_id, issued_by, \
                 f1_report_id, created_at, expires_at, token_hash, token_expires_at, verified_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&c.code_hash)
            .bind(&c.report_type)
            .bind(&c.onset_day)
            .bind(&c.unit_code)
            .bind(c.citizen_id)
            .bind(c.issued_by)
            .bind(c.f1_report_id)
            .bind(millis(c.created_at))
            .bind(millis(c.expires_at))
            .bind(&c.token_hash)
            .bind(c.token_expires_at.map(millis))
            .bind(c.token_hash.as_ref().map(|_| millis(c.created_at)))
            .fetch_one(p)
            .await
        })
        .map_err(|e| {
            if crate::is_unique_violation(&e) {
                StoreError::Conflict("code_taken")
            } else {
                e.into()
            }
        })?;
        Ok(id)
    }

    /// Trades a code for a token, once: the update only matches an unused, unexpired code, so
    /// two phones racing with one code cannot both win.
    pub async fn redeem_en_code(
        &self,
        code_hash: &str,
        token_hash: &str,
        token_expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Redeemed> {
        let sql = format!(
            "UPDATE en_codes SET verified_at = $1, token_hash = $2, token_expires_at = $3 \
             WHERE code_hash = $4 AND verified_at IS NULL AND expires_at > $1 RETURNING {CODE_COLUMNS}"
        );
        let won: Option<EnCode> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(millis(now))
                .bind(token_hash)
                .bind(millis(token_expires_at))
                .bind(code_hash)
                .fetch_optional(p)
                .await
        })?;
        if let Some(code) = won {
            return Ok(Redeemed::Token(code));
        }
        let sql = format!("SELECT {CODE_COLUMNS} FROM en_codes WHERE code_hash = $1");
        let existing: Option<EnCode> = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(code_hash).fetch_optional(p).await
        })?;
        Ok(match existing {
            None => Redeemed::Unknown,
            Some(c) if c.verified_at.is_some() => Redeemed::AlreadyUsed,
            Some(_) => Redeemed::Expired,
        })
    }

    /// The code behind an upload token (used or not; the caller judges).
    pub async fn en_code_by_token(&self, token_hash: &str) -> Result<Option<EnCode>> {
        let sql = format!("SELECT {CODE_COLUMNS} FROM en_codes WHERE token_hash = $1");
        let code = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(token_hash).fetch_optional(p).await
        })?;
        Ok(code)
    }

    /// Stores an upload in one transaction: consumes the token (refused with
    /// `Conflict("token_used")` if another request consumed it first), records the upload and
    /// its keys. A key already published is skipped, except that a confirmed diagnosis revises
    /// a key first shared by an F1 or self-reported (it is published again, as GAEN revisions
    /// are, so its contacts learn they are F1, not F2). Returns the upload's id and
    /// the keys inserted.
    pub async fn store_upload(
        &self,
        code_id: i64,
        keys: &[NewKey],
        now: Timestamp,
    ) -> Result<(i64, u64)> {
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let claimed = sqlx::query(
                "UPDATE en_codes SET uploaded_at = $1 WHERE id = $2 AND uploaded_at IS NULL AND token_expires_at > $1",
            )
            .bind(millis(now))
            .bind(code_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Err(StoreError::Conflict("token_used"));
            }
            let upload: i64 = sqlx::query_scalar(
                "INSERT INTO en_uploads (code_id, created_at, keys) VALUES ($1, $2, 0) RETURNING id",
            )
            .bind(code_id)
            .bind(millis(now))
            .fetch_one(&mut *tx)
            .await?;
            let mut inserted = 0;
            for k in keys {
                inserted += sqlx::query(
                    "INSERT INTO en_keys (key_hex, rolling_start, rolling_period, transmission_risk, report_type, \
                     days_since_onset, upload_id, received_at, available_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (key_hex) DO UPDATE SET report_type = excluded.report_type, \
                       upload_id = excluded.upload_id, transmission_risk = excluded.transmission_risk, \
                       days_since_onset = excluded.days_since_onset, available_at = excluded.available_at, \
                       export_id = NULL \
                     WHERE en_keys.report_type IN ('recursive', 'self_report') \
                       AND excluded.report_type IN ('confirmed_test', 'confirmed_clinical_diagnosis')",
                )
                .bind(&k.key_hex)
                .bind(i64::from(k.rolling_start))
                .bind(i64::from(k.rolling_period))
                .bind(i64::from(k.transmission_risk))
                .bind(&k.report_type)
                .bind(k.days_since_onset.map(i64::from))
                .bind(upload)
                .bind(millis(now))
                .bind(millis(k.available_at))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            sqlx::query("UPDATE en_uploads SET keys = $1 WHERE id = $2")
                .bind(i64::try_from(inserted).unwrap_or(i64::MAX))
                .bind(upload)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok((upload, inserted))
        });
        result
    }

    /// Claims every key that may be published by `now` and is in no export yet for a new export
    /// row (unpublished until [`Store::publish_export`]) and returns the row's id with the keys
    /// in key order. `None` when there is nothing to export.
    pub async fn claim_export(
        &self,
        file: &str,
        start_at: Timestamp,
        now: Timestamp,
    ) -> Result<Option<(i64, Vec<StoredKey>)>> {
        let claimed = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO en_exports (file, start_at, end_at, keys, created_at) VALUES ($1, $2, $3, 0, $3) RETURNING id",
            )
            .bind(file)
            .bind(millis(start_at))
            .bind(millis(now))
            .fetch_one(&mut *tx)
            .await?;
            // The claim returns what it claimed: no second pass over the keys.
            let mut keys: Vec<StoredKey> = sqlx::query_as(
                "UPDATE en_keys SET export_id = $1 WHERE export_id IS NULL AND available_at <= $2 \
                 RETURNING key_hex, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset",
            )
            .bind(id)
            .bind(millis(now))
            .fetch_all(&mut *tx)
            .await?;
            if keys.is_empty() {
                tx.rollback().await?;
                return Ok(None);
            }
            sqlx::query("UPDATE en_exports SET keys = $1 WHERE id = $2")
                .bind(i64::try_from(keys.len()).unwrap_or(i64::MAX))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            keys.sort_unstable_by(|a, b| a.key_hex.cmp(&b.key_hex));
            Ok::<_, StoreError>(Some((id, keys)))
        })?;
        Ok(claimed)
    }

    /// The keys of an export, in key order (to rewrite a file a crash left unpublished; a scan,
    /// since that is rare and an index on `export_id` would slow every claim).
    pub async fn export_keys(&self, export_id: i64) -> Result<Vec<StoredKey>> {
        let keys = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT key_hex, rolling_start, rolling_period, transmission_risk, report_type, days_since_onset \
                 FROM en_keys WHERE export_id = $1 ORDER BY key_hex",
            )
            .bind(export_id)
            .fetch_all(p)
            .await
        })?;
        Ok(keys)
    }

    /// Exports claimed but not published (a crash between the two): their files are rewritten.
    pub async fn unpublished_exports(&self) -> Result<Vec<ExportFile>> {
        self.export_files("published = 0").await
    }

    /// Published exports, oldest first: what `index.txt` lists.
    pub async fn published_exports(&self) -> Result<Vec<ExportFile>> {
        self.export_files("published = 1").await
    }

    async fn export_files(&self, filter: &str) -> Result<Vec<ExportFile>> {
        let sql = format!(
            "SELECT id, file, start_at, end_at, keys, created_at FROM en_exports WHERE {filter} ORDER BY id"
        );
        let files = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(files)
    }

    /// Marks an export's file as written.
    pub async fn publish_export(&self, export_id: i64) -> Result<()> {
        on_pool!(self, p => {
            sqlx::query("UPDATE en_exports SET published = 1 WHERE id = $1")
                .bind(export_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The end of the newest export (the next one starts there).
    pub async fn last_export_end(&self) -> Result<Option<i64>> {
        let end = on_pool!(self, p => {
            sqlx::query_scalar("SELECT MAX(end_at) FROM en_exports").fetch_one(p).await
        })?;
        Ok(end)
    }

    /// Deletes keys whose validity ended before `key_cutoff_interval`, and codes, uploads and
    /// export rows created before `cutoff`; returns the export files to delete and the rows gone.
    pub async fn purge_exposure_data(
        &self,
        key_cutoff_interval: u32,
        cutoff: Timestamp,
    ) -> Result<(Vec<String>, u64)> {
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let files: Vec<String> = sqlx::query_scalar("SELECT file FROM en_exports WHERE created_at < $1")
                .bind(millis(cutoff))
                .fetch_all(&mut *tx)
                .await?;
            let mut rows = sqlx::query("DELETE FROM en_keys WHERE rolling_start + rolling_period < $1")
                .bind(i64::from(key_cutoff_interval))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Keys of a purged file go with it, so none is published a second time.
            rows += sqlx::query(
                "DELETE FROM en_keys WHERE export_id IN (SELECT id FROM en_exports WHERE created_at < $1)",
            )
            .bind(millis(cutoff))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            rows += sqlx::query("DELETE FROM en_f1_reports WHERE created_at < $1")
                .bind(millis(cutoff))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            rows += sqlx::query("DELETE FROM en_exports WHERE created_at < $1")
                .bind(millis(cutoff))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Uploads (and so the keys still in them) go with their code.
            rows += sqlx::query("DELETE FROM en_codes WHERE created_at < $1")
                .bind(millis(cutoff))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, StoreError>((files, rows))
        })?;
        Ok(result)
    }
}
