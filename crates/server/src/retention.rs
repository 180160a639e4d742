//! Retention: personal data is deleted when the profile's period ends, by the code, not by a
//! promise. The binary runs [`AppState::enforce_retention`] from its housekeeping loop.

use jiff::SignedDuration;

use crate::state::AppState;

/// What one pass of the retention job deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

impl AppState {
    /// Deletes check-ins (and venue alerts) older than the profile's retention period by the
    /// server's clock, logs the counts, and republishes the risky-venue feed so windows past
    /// the period leave it too; then deletes diagnosis keys, export files and tracing records
    /// past theirs, and risk reports and feedback handled before tracing's period.
    pub async fn enforce_retention(&self) -> anyhow::Result<Purged> {
        let days = self.profile().checkin.retention_days;
        let before = self.now() - SignedDuration::from_hours(24 * days);
        let (checkins, alerts) = self.store().purge_checkins(before).await?;
        tracing::info!(
            checkins,
            alerts,
            retention_days = days,
            "retention: purged check-ins"
        );
        self.publish_feed().await?;
        let (exposure_rows, export_files) = self.purge_exposure_data().await?;
        let tracing_days = self.profile().tracing.retention_days;
        let cutoff = self.now() - SignedDuration::from_hours(24 * tracing_days);
        let cutoff_day = phongdich_domain::time::vietnam_date(cutoff).to_string();
        let tracing_rows = self.store().purge_tracing(cutoff, &cutoff_day).await?;
        tracing::info!(
            rows = tracing_rows,
            retention_days = tracing_days,
            "retention: purged tracing records"
        );
        // Risk reports name their reporter: once handled, they follow tracing's period.
        let report_rows = self.store().purge_handled_reports(cutoff).await?;
        tracing::info!(
            rows = report_rows,
            retention_days = tracing_days,
            "retention: purged handled risk reports and feedback"
        );
        Ok(Purged {
            checkins,
            alerts,
            exposure_rows,
            export_files,
            tracing_rows,
            report_rows,
        })
    }
}
