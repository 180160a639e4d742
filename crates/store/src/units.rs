//! Administrative units: import of the official list, lookups, children and accent-free search.

use phongdich_domain::text::fold;
use phongdich_domain::units::{OfficialList, Tier, Unit};

use crate::{on_pool, Result, Store, StoreError};

const META_UNIT_LIST: &str = "unit_list";

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    code: String,
    parent_code: Option<String>,
    tier: String,
    kind: String,
    name: String,
    path: String,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Unit {
        Unit {
            code: r.code,
            parent_code: r.parent_code,
            // Tiers are written by `import_units` from the enum, so they parse.
            tier: r.tier.parse().unwrap_or(Tier::Commune),
            kind: r.kind,
            name: r.name,
            path: r.path,
        }
    }
}

pub(crate) const UNIT_COLUMNS: &str = "code, parent_code, tier, kind, name, path";

/// Rows per INSERT when importing a list (7 parameters each, well under both engines' limits).
const IMPORT_BATCH: usize = 500;

impl Store {
    /// Loads `list` into an empty store, or checks that the store already holds that list.
    /// Returns the number of units imported (0 when they were there already).
    pub async fn ensure_units(&self, list: OfficialList) -> Result<usize> {
        match self.meta(META_UNIT_LIST).await? {
            Some(found) if found == list.id() => return Ok(0),
            Some(found) => {
                return Err(StoreError::UnitListMismatch {
                    found,
                    wanted: list.id().to_owned(),
                })
            }
            None => {}
        }
        let units = list.units();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for batch in units.chunks(IMPORT_BATCH) {
                let mut sql = String::from(
                    "INSERT INTO units (code, parent_code, tier, kind, name, name_folded, path) VALUES ",
                );
                for i in 0..batch.len() {
                    let b = i * 7;
                    if i > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!(
                        "(${},${},${},${},${},${},${})",
                        b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7
                    ));
                }
                let mut q = sqlx::query(&sql);
                for u in batch {
                    q = q
                        .bind(&u.code)
                        .bind(&u.parent_code)
                        .bind(u.tier.as_str())
                        .bind(&u.kind)
                        .bind(&u.name)
                        .bind(u.folded_name())
                        .bind(&u.path);
                }
                q.execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(META_UNIT_LIST)
                .bind(list.id())
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(units.len())
    }

    /// The unit with this code, if the deployment's list has it.
    pub async fn unit(&self, code: &str) -> Result<Option<Unit>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1");
        let row: Option<UnitRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(code).fetch_optional(p).await)?;
        Ok(row.map(Unit::from))
    }

    /// The unit with this code, or [`StoreError::UnknownUnit`].
    pub async fn existing_unit(&self, code: &str) -> Result<Unit> {
        self.unit(code)
            .await?
            .ok_or_else(|| StoreError::UnknownUnit(code.to_owned()))
    }

    /// The paths of the units with these codes (unknown codes are left out).
    pub async fn unit_paths(
        &self,
        codes: &[&str],
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut out = std::collections::HashMap::new();
        for chunk in codes.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT code, path FROM units WHERE code IN ({})",
                marks.join(", ")
            );
            let rows: Vec<(String, String)> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for code in chunk {
                    q = q.bind(*code);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The units directly under `parent`, by name.
    pub async fn unit_children(&self, parent: &str) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE parent_code = $1 ORDER BY name");
        let rows: Vec<UnitRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(parent).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Unit::from).collect())
    }

    /// The ancestors of `unit` from the province down to its parent (the country root left out).
    pub async fn unit_ancestors(&self, unit: &Unit) -> Result<Vec<Unit>> {
        let codes: Vec<&str> = unit
            .path
            .split('/')
            .filter(|c| {
                !c.is_empty() && *c != unit.code && *c != phongdich_domain::units::ROOT_CODE
            })
            .collect();
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            if let Some(u) = self.unit(code).await? {
                out.push(u);
            }
        }
        Ok(out)
    }

    /// Units whose name contains `query`, ignoring case and Vietnamese diacritics; names that
    /// start with the query (after the division type) come first, larger units before smaller.
    pub async fn search_units(&self, query: &str, limit: u32) -> Result<Vec<Unit>> {
        let folded: String = fold(query)
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        let folded = folded.trim();
        if folded.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE name_folded LIKE $1 \
             ORDER BY CASE WHEN name_folded LIKE $2 OR name_folded LIKE $3 THEN 0 ELSE 1 END, \
             CASE tier WHEN 'country' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, \
             name LIMIT $4"
        );
        let rows: Vec<UnitRow> = on_pool!(self, p => {
            sqlx::query_as(&sql)
                .bind(format!("%{folded}%"))
                .bind(format!("{folded}%"))
                .bind(format!("% {folded}%"))
                .bind(i64::from(limit.clamp(1, 100)))
                .fetch_all(p)
                .await
        })?;
        Ok(rows.into_iter().map(Unit::from).collect())
    }

    /// Number of units of each tier, for `phongdich admin units` and the health check.
    pub async fn unit_counts(&self) -> Result<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, p => {
            sqlx::query_as("SELECT tier, COUNT(*) FROM units GROUP BY tier ORDER BY tier")
                .fetch_all(p)
                .await
        })?;
        Ok(rows)
    }
}
