//! Quarantine orders: one per person and period (overlapping orders are refused), the
//! officials' follow-up list with missing daily updates, and the citizen's own orders.

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::cases::QuarantinePlan;
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::audit::bind_audit;
use crate::{millis, on_pool, Result, Store, StoreError};

/// An order as stored, with the person's name and phone.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuarantineOrder {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub case_id: Option<i64>,
    pub level: i64,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub monitoring_until: String,
    /// JSON array of dates.
    pub tests_on: String,
    pub status: String,
    pub unit_code: String,
    /// Whether the person sent today's daily health update (the follow-up list fills it).
    pub updated_today: i64,
    /// Days of the quarantine before today with an update (the rest were missed).
    pub updated_days_before_today: i64,
}

const ORDER_SELECT: &str = "SELECT q.id, q.person_id, p.full_name, p.phone, q.case_id, q.level, q.kind, \
     q.starts_on, q.ends_on, q.monitoring_until, q.tests_on, q.status, q.unit_code, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM declarations d WHERE d.citizen_id = p.citizen_id \
       AND d.member_id IS NULL AND d.kind = 'daily_update' AND d.day = $1) THEN 1 ELSE 0 END AS BIGINT) AS updated_today, \
     (SELECT COUNT(DISTINCT d.day) FROM declarations d WHERE d.citizen_id = p.citizen_id \
       AND d.member_id IS NULL AND d.kind = 'daily_update' AND d.day >= q.starts_on AND d.day < $1 \
       AND d.day <= q.ends_on) AS updated_days_before_today \
     FROM quarantine_orders q JOIN persons p ON p.id = q.person_id";

/// An order to store.
#[derive(Debug, Clone)]
pub struct NewQuarantine<'a> {
    pub person_id: i64,
    pub case_id: Option<i64>,
    pub level: u8,
    pub plan: &'a QuarantinePlan,
    pub unit_code: &'a str,
}

impl Store {
    /// Orders a person into quarantine; `Conflict("quarantine_overlaps")` when an active order
    /// of theirs shares a day with the plan.
    pub async fn create_quarantine(
        &self,
        actor: &Actor,
        order: &NewQuarantine<'_>,
        now: Timestamp,
    ) -> Result<i64> {
        let NewQuarantine {
            person_id,
            case_id,
            level,
            plan,
            unit_code,
        } = *order;
        let tests = serde_json::to_string(
            &plan
                .tests_on
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into());
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            // Lock the person's row first (PostgreSQL's row lock, SQLite's write lock), so two
            // orders for one person cannot both pass the overlap check.
            sqlx::query("UPDATE persons SET created_at = created_at WHERE id = $1")
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            let overlapping: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM quarantine_orders WHERE person_id = $1 AND status = 'active' \
                 AND starts_on <= $2 AND ends_on >= $3",
            )
            .bind(person_id)
            .bind(plan.ends_on.to_string())
            .bind(plan.starts_on.to_string())
            .fetch_one(&mut *tx)
            .await?;
            if overlapping > 0 {
                return Err(StoreError::Conflict("quarantine_overlaps"));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO quarantine_orders (person_id, case_id, level, kind, starts_on, ends_on, monitoring_until, \
                 tests_on, status, unit_code, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $11) RETURNING id",
            )
            .bind(person_id)
            .bind(case_id)
            .bind(i64::from(level))
            .bind(plan.kind.as_str())
            .bind(plan.starts_on.to_string())
            .bind(plan.ends_on.to_string())
            .bind(plan.monitoring_until.to_string())
            .bind(&tests)
            .bind(unit_code)
            .bind(actor.staff_id)
            .bind(millis(now))
            .fetch_one(&mut *tx)
            .await?;
            // The order's answer names the person (name, phone): the creation is audited.
            let event = AuditEvent::allowed(
                "quarantine.create",
                format!("quarantine:{id} person:{person_id}"),
                unit_code,
            );
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(id)
        })?;
        Ok(id)
    }

    /// Active orders of people whose unit is inside the actor's jurisdiction, with whether each
    /// sent today's update; those without one first (audited).
    pub async fn staff_quarantine_list(
        &self,
        actor: &Actor,
        today: &str,
        now: Timestamp,
    ) -> Result<Vec<QuarantineOrder>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let sql = format!(
            "{ORDER_SELECT} JOIN units u ON u.code = q.unit_code \
             WHERE q.status = 'active' AND q.ends_on >= $1 AND u.path >= $2 AND u.path < $3 \
             ORDER BY updated_today, q.ends_on, q.id LIMIT 2000"
        );
        let event = AuditEvent {
            action: "quarantine.list",
            subject: format!("day={today}"),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows: Vec<QuarantineOrder> = sqlx::query_as(&sql)
                .bind(today)
                .bind(&from)
                .bind(&to)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        })?;
        Ok(rows)
    }

    /// Orders of the given people (the case page shows them beside the chain).
    pub async fn quarantine_of_people(
        &self,
        people: &[i64],
        today: &str,
    ) -> Result<Vec<QuarantineOrder>> {
        let mut out = Vec::new();
        for chunk in people.chunks(400) {
            let list = (2..chunk.len() + 2)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("{ORDER_SELECT} WHERE q.person_id IN ({list}) ORDER BY q.starts_on");
            let rows: Vec<QuarantineOrder> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql).bind(today);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// A citizen's own orders (through their registry person), newest first.
    pub async fn my_quarantine(
        &self,
        citizen_id: i64,
        today: &str,
    ) -> Result<Vec<QuarantineOrder>> {
        let sql = format!("{ORDER_SELECT} WHERE p.citizen_id = $2 ORDER BY q.starts_on DESC");
        let rows = on_pool!(self, p => {
            sqlx::query_as(&sql).bind(today).bind(citizen_id).fetch_all(p).await
        })?;
        Ok(rows)
    }
}

/// A recorded test of a person in quarantine.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QuarantineTest {
    pub order_id: i64,
    pub day: String,
    pub result: String,
}

impl Store {
    /// Records (or corrects) the result of an order's test on `day`.
    pub async fn record_quarantine_test(
        &self,
        actor: &Actor,
        order_id: i64,
        unit_code: &str,
        day: &str,
        result: &str,
        now: Timestamp,
    ) -> Result<()> {
        // A health result of a named person: recorded with its audit row, in one transaction.
        let event = AuditEvent::allowed(
            "quarantine.test",
            format!("quarantine:{order_id} day={day} result={result}"),
            unit_code,
        );
        let staff_id = actor.staff_id;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO quarantine_tests (order_id, day, result, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (order_id, day) DO UPDATE SET result = excluded.result, \
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            )
            .bind(order_id)
            .bind(day)
            .bind(result)
            .bind(staff_id)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// The recorded tests of the given orders.
    pub async fn quarantine_tests(&self, order_ids: &[i64]) -> Result<Vec<QuarantineTest>> {
        let mut out = Vec::new();
        for chunk in order_ids.chunks(400) {
            let sql = format!(
                "SELECT order_id, day, result FROM quarantine_tests WHERE order_id IN ({}) ORDER BY day",
                crate::cases::placeholders(chunk.len())
            );
            let rows: Vec<QuarantineTest> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// One order (with today's update state), for checks before writing to it.
    pub async fn quarantine_order(&self, id: i64, today: &str) -> Result<Option<QuarantineOrder>> {
        let sql = format!("{ORDER_SELECT} WHERE q.id = $2");
        let row =
            on_pool!(self, p => sqlx::query_as(&sql).bind(today).bind(id).fetch_optional(p).await)?;
        Ok(row)
    }
}
