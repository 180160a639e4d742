//! Retention: personal data is deleted when the profile's period ends, by the code, not by a
//! promise. The binary runs [`AppState::enforce_retention`] from its housekeeping loop.
//!
//! Every table with personal data has a period (the profile's `[retention]` section names the
//! ones not under `[checkin]`, `[exposure]` or `[tracing]`); each purge logs its table and count
//! (`retention: purged`, fields `table`, `count`, `retention_days`).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::time::vietnam_date;
use phongdich_store::TableCounts;

use crate::state::AppState;

/// What one pass of the retention job deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Purged {
    pub checkins: u64,
    pub alerts: u64,
    /// Diagnosis keys, codes, uploads and export rows.
    pub exposure_rows: u64,
    pub export_files: usize,
    /// Cases, contacts, quarantine orders and people of tracing.
    pub tracing_rows: u64,
    /// Closed risk reports and answered facility feedback (with their photos).
    pub report_rows: u64,
    /// Rows deleted (or, for `org_units.reporter_phone`, cleared) per table, as logged.
    pub by_table: BTreeMap<&'static str, u64>,
}

impl Purged {
    /// Logs and adds up one purge's counts.
    fn add(&mut self, counts: TableCounts, days: i64) -> u64 {
        let mut total = 0;
        for (table, count) in counts {
            tracing::info!(table, count, retention_days = days, "retention: purged");
            *self.by_table.entry(table).or_default() += count;
            total += count;
        }
        total
    }
}

fn days_before(now: Timestamp, days: i64) -> (Timestamp, String) {
    let t = now - SignedDuration::from_hours(24 * days);
    (t, vietnam_date(t).to_string())
}

impl AppState {
    /// Deletes check-ins (and venue alerts) older than the profile's retention period by the
    /// server's clock, logs the counts, and republishes the risky-venue feed so windows past
    /// the period leave it too; then diagnosis keys, export files and tracing records past
    /// theirs, risk reports and feedback handled before tracing's period, and the data of the
    /// profile's `[retention]` section: declarations, unhandled reports, inactive accounts,
    /// campaign reporting, expired sessions and codes, and the audit log.
    pub async fn enforce_retention(&self) -> anyhow::Result<Purged> {
        let mut purged = Purged::default();
        let now = self.now();
        let today = vietnam_date(now).to_string();
        let days = self.profile().checkin.retention_days;
        let before = now - SignedDuration::from_hours(24 * days);
        let (checkins, alerts, phone_only) = self.store().purge_checkins(before).await?;
        purged.add(
            vec![
                ("checkins", checkins),
                ("alerts", alerts),
                ("phone_only_visitors", phone_only),
            ],
            days,
        );
        purged.checkins = checkins;
        purged.alerts = alerts;
        self.publish_feed().await?;
        let (exposure_rows, export_files) = self.purge_exposure_data().await?;
        purged.exposure_rows = exposure_rows;
        purged.export_files = export_files;

        let tracing_days = self.profile().tracing.retention_days;
        let (cutoff, cutoff_day) = days_before(now, tracing_days);
        let counts = self.store().purge_tracing(cutoff, &cutoff_day).await?;
        purged.tracing_rows = purged.add(counts, tracing_days);
        // Risk reports name their reporter: once handled, they follow tracing's period.
        let counts = self.store().purge_handled_reports(cutoff).await?;
        purged.report_rows = purged.add(counts, tracing_days);

        let r = self.profile().retention.clone();
        let (cutoff, cutoff_day) = days_before(now, r.declarations_days);
        let counts = self
            .store()
            .purge_declarations(cutoff, &cutoff_day, &today)
            .await?;
        purged.add(counts, r.declarations_days);
        let (cutoff, _) = days_before(now, r.unhandled_reports_days);
        let counts = self.store().purge_unhandled_reports(cutoff).await?;
        purged.add(counts, r.unhandled_reports_days);
        let (cutoff, _) = days_before(now, r.inactive_account_days);
        let counts = self.store().purge_inactive_citizens(cutoff, &today).await?;
        purged.add(counts, r.inactive_account_days);
        let (cutoff, cutoff_day) = days_before(now, r.campaigns_days);
        let counts = self
            .store()
            .purge_campaign_reporting(cutoff, &cutoff_day)
            .await?;
        purged.add(counts, r.campaigns_days);
        let credentials = self.store().purge_expired_credentials(now).await?;
        purged.add(vec![("sessions_and_codes", credentials)], 0);
        let (cutoff, _) = days_before(now, r.audit_days);
        let audit = self.store().purge_audit(cutoff).await?;
        purged.add(vec![("audit_log", audit)], r.audit_days);
        Ok(purged)
    }
}
