//! Retention purges of personal data that has no purge beside its own module: declarations,
//! unhandled reports, inactive citizen accounts and campaign reporting. Each returns the rows
//! deleted per table, so the job can log them table by table.

use jiff::Timestamp;

use crate::{millis, on_pool, Result, Store};

/// Rows deleted (or cleared) per table by one purge.
pub type TableCounts = Vec<(&'static str, u64)>;

/// A person (by citizen account) with an open case or a quarantine order whose monitoring has
/// not ended by `$today`: their data stays until that ends. `$c` is the citizen id column.
fn held_for_tracing(citizen_column: &str, today_param: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM persons p WHERE p.citizen_id = {citizen_column} AND ( \
           EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id AND k.closed_at IS NULL) \
           OR EXISTS (SELECT 1 FROM quarantine_orders q WHERE q.person_id = p.id \
                      AND q.status = 'active' AND q.monitoring_until >= {today_param})))"
    )
}

impl Store {
    /// Deletes declarations made before `before` (entry declarations: whose monitoring ended
    /// before `before_day`), except those of a person held for tracing on `today`.
    pub async fn purge_declarations(
        &self,
        before: Timestamp,
        before_day: &str,
        today: &str,
    ) -> Result<TableCounts> {
        let sql = format!(
            "DELETE FROM declarations WHERE declared_at < $1 \
             AND (monitor_until IS NULL OR monitor_until < $2) \
             AND NOT (citizen_id IS NOT NULL AND {})",
            held_for_tracing("declarations.citizen_id", "$3")
        );
        let n = on_pool!(self, p => {
            sqlx::query(&sql)
                .bind(millis(before))
                .bind(before_day)
                .bind(today)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(vec![("declarations", n)])
    }

    /// Deletes risk reports left open or in progress since before `before`, and feedback never
    /// answered that was sent before it.
    pub async fn purge_unhandled_reports(&self, before: Timestamp) -> Result<TableCounts> {
        let counts = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let a = sqlx::query("DELETE FROM risk_reports WHERE status <> 'closed' AND updated_at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let b = sqlx::query("DELETE FROM facility_feedback WHERE answered_at IS NULL AND created_at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>((a, b))
        })?;
        Ok(vec![
            ("risk_reports", counts.0),
            ("facility_feedback", counts.1),
        ])
    }

    /// Deletes citizen accounts nobody signed in to since `before`, with what hangs off them
    /// (family members, declarations, visits, alerts, sessions cascade), except a person held
    /// for tracing on `today` and accounts the audit log names (a venue owner who read a
    /// visitor log stays as long as that row).
    pub async fn purge_inactive_citizens(
        &self,
        before: Timestamp,
        today: &str,
    ) -> Result<TableCounts> {
        let sql = format!(
            "DELETE FROM citizens WHERE COALESCE(last_sign_in_at, created_at) < $1 \
             AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.citizen_id = citizens.id) \
             AND NOT {}",
            held_for_tracing("citizens.id", "$2")
        );
        let n = on_pool!(self, p => {
            sqlx::query(&sql)
                .bind(millis(before))
                .bind(today)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(vec![("citizens", n)])
    }

    /// Deletes reports and reminders of campaigns whose deadline was before `before_day`, then
    /// clears the reporter's phone of units unchanged since `before` that are in no campaign
    /// with a later deadline.
    pub async fn purge_campaign_reporting(
        &self,
        before: Timestamp,
        before_day: &str,
    ) -> Result<TableCounts> {
        let counts = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let reports = sqlx::query(
                "DELETE FROM campaign_reports WHERE campaign_id IN (SELECT id FROM campaigns WHERE deadline < $1)",
            )
            .bind(before_day)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let reminders = sqlx::query(
                "DELETE FROM campaign_reminders WHERE campaign_id IN (SELECT id FROM campaigns WHERE deadline < $1)",
            )
            .bind(before_day)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let phones = sqlx::query(
                "UPDATE org_units SET reporter_phone = NULL WHERE reporter_phone IS NOT NULL AND updated_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM campaign_units cu JOIN campaigns c ON c.id = cu.campaign_id \
                                 WHERE cu.org_unit_id = org_units.id AND c.deadline >= $2)",
            )
            .bind(millis(before))
            .bind(before_day)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>((reports, reminders, phones))
        })?;
        Ok(vec![
            ("campaign_reports", counts.0),
            ("campaign_reminders", counts.1),
            ("org_units.reporter_phone", counts.2),
        ])
    }
}
