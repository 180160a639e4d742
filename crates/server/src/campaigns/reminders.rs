//! Reminders: two days before a reporting date, an SMS to the reporter of every unit of a
//! running campaign that has not yet reported for it. Each (campaign, unit, date) is claimed in
//! the store before sending, so a restart or a second instance never sends one twice.

use phongdich_domain::campaigns::reminder_due;
use phongdich_domain::time::vietnam_date;

use crate::error::ApiResult;
use crate::state::AppState;

impl AppState {
    /// Sends today's reminders for every campaign; returns how many went out.
    pub async fn send_campaign_reminders(&self) -> ApiResult<usize> {
        let now = self.now();
        let today = vietnam_date(now);
        let mut sent = 0;
        for c in self.store().campaigns_visible("VN/").await? {
            let Some(due) = reminder_due(&c.campaign, today) else {
                continue;
            };
            let reports = self.store().campaign_reports(c.id).await?;
            for code in &c.campaign.units {
                let Some(org) = self.store().org_unit(code).await? else {
                    continue;
                };
                let reported = reports
                    .iter()
                    .any(|r| r.org_unit_id == org.id && r.report.date >= due);
                let Some(phone) = org.unit.reporter_phone.as_ref() else {
                    continue;
                };
                if reported || !self.store().claim_reminder(c.id, org.id, due, now).await? {
                    continue;
                }
                let text = format!(
                    "Phong Dich: {} chua bao cao chien dich \"{}\" cho ngay {due}. Vui long bao cao truoc han. \
                     / {} has not reported on \"{}\" for {due}.",
                    org.unit.name, c.campaign.name, org.unit.name, c.campaign.name
                );
                self.inner.sms.send(phone, &text, now).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            tracing::info!(sent, "campaign reminders sent");
        }
        Ok(sent)
    }
}
