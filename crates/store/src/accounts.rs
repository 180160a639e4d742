//! Citizen accounts (keyed by phone) and their family members.

use jiff::Timestamp;
use phongdich_domain::accounts::FamilyMemberInput;
use phongdich_domain::phone::PhoneNumber;

use crate::{from_millis, lock_citizen, millis, on_pool, Result, Store, StoreError};

/// A citizen account as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: i64,
    pub phone: String,
    pub full_name: Option<String>,
    pub unit_code: Option<String>,
    pub created_at: Timestamp,
}

/// A dependent under a citizen account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyMember {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i64,
    pub relation: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CitizenRow {
    id: i64,
    phone: String,
    full_name: Option<String>,
    unit_code: Option<String>,
    created_at: i64,
}

impl From<CitizenRow> for Citizen {
    fn from(r: CitizenRow) -> Self {
        Citizen {
            id: r.id,
            phone: r.phone,
            full_name: r.full_name,
            unit_code: r.unit_code,
            created_at: from_millis(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct FamilyRow {
    id: i64,
    full_name: String,
    birth_year: i64,
    relation: String,
}

impl From<FamilyRow> for FamilyMember {
    fn from(r: FamilyRow) -> Self {
        FamilyMember {
            id: r.id,
            full_name: r.full_name,
            birth_year: r.birth_year,
            relation: r.relation,
        }
    }
}

pub(crate) const CITIZEN_COLUMNS: &str = "c.id, c.phone, c.full_name, c.unit_code, c.created_at";

/// Most dependents one account may hold; a household register rarely lists more.
pub const MAX_FAMILY_MEMBERS: i64 = 20;

impl Store {
    pub async fn citizen(&self, id: i64) -> Result<Option<Citizen>> {
        let sql = format!("SELECT {CITIZEN_COLUMNS} FROM citizens c WHERE c.id = $1");
        let row: Option<CitizenRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row.map(Citizen::from))
    }

    pub async fn citizen_by_phone(&self, phone: &PhoneNumber) -> Result<Option<Citizen>> {
        let sql = format!("SELECT {CITIZEN_COLUMNS} FROM citizens c WHERE c.phone = $1");
        let row: Option<CitizenRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(phone.as_str()).fetch_optional(p).await)?;
        Ok(row.map(Citizen::from))
    }

    /// Creates a citizen account directly (demo seeding, staff registration of people without
    /// smartphones); sign-in by code creates accounts through [`Store::sign_in_citizen`].
    pub async fn create_citizen(
        &self,
        phone: &PhoneNumber,
        full_name: Option<&str>,
        unit_code: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        if let Some(code) = unit_code {
            self.existing_unit(code).await?;
        }
        let id: std::result::Result<i64, sqlx::Error> = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO citizens (phone, full_name, unit_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(phone.as_str())
            .bind(full_name)
            .bind(unit_code)
            .bind(millis(now))
            .fetch_one(p)
            .await
        });
        id.map_err(|e| {
            if crate::is_unique_violation(&e) {
                StoreError::Conflict("phone_taken")
            } else {
                e.into()
            }
        })
    }

    /// The record of a phone number venue staff typed for a visitor without a smartphone: an
    /// existing account, or a phone-only row made for it (no name, no unit, never signed in,
    /// not counted as an account) that holds the visits and their alerts until the number
    /// signs in by code ([`Store::sign_in_citizen`]) or its last visit is purged.
    pub async fn phone_visitor(&self, phone: &PhoneNumber, now: Timestamp) -> Result<i64> {
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO citizens (phone, created_at, phone_only) VALUES ($1, $2, 1) \
                 ON CONFLICT (phone) DO NOTHING",
            )
            .bind(phone.as_str())
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar("SELECT id FROM citizens WHERE phone = $1")
                .bind(phone.as_str())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Whether the record is a phone-only visitor rather than an account.
    pub async fn is_phone_only(&self, id: i64) -> Result<bool> {
        let flag: Option<i64> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT phone_only FROM citizens WHERE id = $1")
                .bind(id)
                .fetch_optional(p)
                .await
        })?;
        Ok(flag == Some(1))
    }

    /// Sets the citizen's name and home unit; `None` leaves a field as it is.
    pub async fn update_citizen_profile(
        &self,
        id: i64,
        full_name: Option<&str>,
        unit_code: Option<&str>,
    ) -> Result<()> {
        if let Some(code) = unit_code {
            self.existing_unit(code).await?;
        }
        let done = on_pool!(self, p => {
            sqlx::query(
                "UPDATE citizens SET full_name = COALESCE($1, full_name), unit_code = COALESCE($2, unit_code) WHERE id = $3",
            )
            .bind(full_name)
            .bind(unit_code)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn family(&self, citizen_id: i64) -> Result<Vec<FamilyMember>> {
        let rows: Vec<FamilyRow> = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT id, full_name, birth_year, relation FROM family_members WHERE citizen_id = $1 ORDER BY id",
            )
            .bind(citizen_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(FamilyMember::from).collect())
    }

    /// Adds a dependent, refusing more than [`MAX_FAMILY_MEMBERS`] per account.
    pub async fn add_family_member(
        &self,
        citizen_id: i64,
        member: &FamilyMemberInput,
        now: Timestamp,
    ) -> Result<FamilyMember> {
        // The limit is checked by the insert itself, after the citizen's row is locked (see
        // `lock_citizen!`): parallel additions cannot both take the last place.
        let row: Option<FamilyRow> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            lock_citizen!(tx, citizen_id).await?;
            let row: Option<FamilyRow> = sqlx::query_as(
                "INSERT INTO family_members (citizen_id, full_name, birth_year, relation, created_at) \
                 SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS TEXT), CAST($5 AS BIGINT) \
                 WHERE (SELECT COUNT(*) FROM family_members WHERE citizen_id = $1) < $6 \
                 RETURNING id, full_name, birth_year, relation",
            )
            .bind(citizen_id)
            .bind(&member.full_name)
            .bind(i64::from(member.birth_year))
            .bind(member.relation.as_str())
            .bind(millis(now))
            .bind(MAX_FAMILY_MEMBERS)
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        })?;
        row.map(FamilyMember::from)
            .ok_or(StoreError::Conflict("family_full"))
    }

    /// Removes a dependent of this citizen; `NotFound` when it is not theirs.
    pub async fn remove_family_member(&self, citizen_id: i64, member_id: i64) -> Result<()> {
        let done = on_pool!(self, p => {
            sqlx::query("DELETE FROM family_members WHERE id = $1 AND citizen_id = $2")
                .bind(member_id)
                .bind(citizen_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
