//! Sealed server keys shared by every instance (SPEC §12). The store keeps them opaque: it never
//! sees a key in clear, only what the server sealed with its key-encryption key.

use jiff::Timestamp;

use crate::{from_millis, millis, on_pool, Result, Store};

/// One sealed key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKey {
    pub name: String,
    pub sealed: String,
    pub created_at: Timestamp,
}

impl Store {
    /// Stores a key under `name` unless one is there already; whether this call stored it.
    /// Two instances creating the same key at once both read back the one that won.
    pub async fn add_server_key(&self, name: &str, sealed: &str, now: Timestamp) -> Result<bool> {
        let added = on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO server_keys (name, sealed, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(sealed)
            .bind(millis(now))
            .execute(p)
            .await?
            .rows_affected()
        });
        Ok(added == 1)
    }

    /// The keys whose names start with `prefix`, by name.
    pub async fn server_keys(&self, prefix: &str) -> Result<Vec<SealedKey>> {
        let pattern = format!(
            "{}%",
            prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT name, sealed, created_at FROM server_keys \
                 WHERE name LIKE $1 ESCAPE '\\' ORDER BY name",
            )
            .bind(&pattern)
            .fetch_all(p)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(name, sealed, created_at)| SealedKey {
                name,
                sealed,
                created_at: from_millis(created_at),
            })
            .collect())
    }
}
