//! Demo exposure notification: three confirmed cases whose phones (the device SDK, in memory)
//! met demo citizens in the last days; each case uploads its keys through the same validation
//! and store path as the API, the keys are published as a signed export under `/en/exports/`,
//! and the contacts' phones match it and report "I may be F1" to their commune's officials.

use anyhow::Context;
use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use phongdich_device::{meet, Consent, Device, DeviceConfig};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::proximity::{KeyForm, UploadForm};
use phongdich_server::auth::tokens::{new_token, token_hash};
use phongdich_server::key_exports::INDEX_FILE;
use phongdich_server::AppState;
use phongdich_store::{NewEnCode, NewF1Report, Store};

use super::CitizenLogin;

/// (case, contact) positions in the listed citizens, days ago, minutes, attenuation in dB.
const MEETINGS: [(usize, usize, i64, u32, u8); 3] = [
    (14, 15, 1, 25, 50),
    (16, 17, 2, 45, 40),
    (18, 19, 3, 18, 55),
];

pub(super) async fn seed(
    state: &AppState,
    store: &Store,
    citizens: &[CitizenLogin],
) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let rules = &state.profile().exposure;
    let phones = tempfile::tempdir()?;
    let config = DeviceConfig {
        scoring: rules.scoring.clone(),
        ..DeviceConfig::default()
    };
    let mut contacts = Vec::new();
    for (n, (case, contact, days_ago, minutes, attenuation)) in MEETINGS.into_iter().enumerate() {
        let (Some(case), Some(contact)) = (citizens.get(case), citizens.get(contact)) else {
            anyhow::bail!("the demo lists too few citizens for its exposure stories");
        };
        let mut case_phone = Device::open(&phones.path().join(format!("case-{n}")))?;
        let mut contact_phone = Device::open(&phones.path().join(format!("contact-{n}")))?;
        case_phone.set_config(config.clone())?;
        contact_phone.set_config(config.clone())?;
        // 09:00 in Vietnam (02:00 UTC) that day.
        let day = (now - SignedDuration::from_hours(24 * days_ago)).as_second() / 86_400 * 86_400;
        let start = day + 2 * 3600;
        meet(
            &mut case_phone,
            &mut contact_phone,
            start,
            minutes,
            attenuation,
        )?;
        case_phone.set_consent(Consent {
            share_keys: true,
            report_f1: false,
        });
        let keys = case_phone.keys_to_share(now.as_second())?;
        upload(state, store, case, &keys, days_ago + 1, now).await?;
        contacts.push((contact, contact_phone));
    }
    let run = state.publish_key_exports().await?;
    let dir = state.exports_dir()?;
    let index = std::fs::read_to_string(dir.join(INDEX_FILE))?;
    let verifier = *state.export_signer()?.signing_key().verifying_key();
    for (contact, mut phone) in contacts {
        for name in phone.pending_exports(&index) {
            let zip = std::fs::read(dir.join(&name))?;
            phone.ingest_export(&name, &zip, &verifier, now.as_second())?;
        }
        let alert = phone
            .status()
            .alert
            .context("a demo contact's phone found no exposure")?;
        report_f1(store, contact, &alert, now).await?;
    }
    println!(
        "  Bluetooth: {} ca bệnh đã tải khóa / cases uploaded keys; {} khóa trong bản xuất / keys exported; {} báo cáo F1 / F1 reports",
        MEETINGS.len(),
        run.keys,
        MEETINGS.len()
    );
    Ok(())
}

/// Uploads a case's keys as the API would: a code's token, the GAEN validation, the store.
async fn upload(
    state: &AppState,
    store: &Store,
    case: &CitizenLogin,
    keys: &[phongdich_exposure::export::DiagnosisKey],
    onset_days_ago: i64,
    now: Timestamp,
) -> anyhow::Result<()> {
    let phone = PhoneNumber::parse("phone", &case.phone)
        .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
    let citizen = store
        .citizen_by_phone(&phone)
        .await?
        .context("a demo case is not a citizen")?;
    let unit = citizen
        .unit_code
        .clone()
        .context("a demo case has no unit")?;
    let onset = (now - SignedDuration::from_hours(24 * onset_days_ago))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let rules = &state.profile().exposure;
    let token = new_token();
    let code_id = store
        .create_en_code(&NewEnCode {
            code_hash: None,
            report_type: "confirmed_test".into(),
            onset_day: Some(onset.to_string()),
            unit_code: unit,
            citizen_id: Some(citizen.id),
            issued_by: None,
            f1_report_id: None,
            created_at: now,
            expires_at: now,
            token_hash: Some(token_hash(&token)),
            token_expires_at: Some(now + SignedDuration::from_hours(rules.token_hours)),
        })
        .await?;
    let form = UploadForm {
        token,
        keys: keys
            .iter()
            .map(|k| KeyForm {
                key: base64::engine::general_purpose::STANDARD.encode(k.key_data),
                rolling_start_number: i64::from(k.rolling_start_interval_number),
                rolling_period: i64::from(k.rolling_period),
                transmission_risk: 0,
            })
            .collect(),
        symptom_onset_date: None,
        padding: None,
    };
    let code = store
        .en_code_by_token(&token_hash(&form.token))
        .await?
        .with_context(|| format!("demo code {code_id} lost"))?;
    state.accept_upload(&code, &form).await?;
    Ok(())
}

async fn report_f1(
    store: &Store,
    contact: &CitizenLogin,
    alert: &phongdich_device::Alert,
    now: Timestamp,
) -> anyhow::Result<()> {
    let phone = PhoneNumber::parse("phone", &contact.phone)
        .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
    let citizen = store
        .citizen_by_phone(&phone)
        .await?
        .context("a demo contact is not a citizen")?;
    let origin = store
        .key_origin(&alert.matched_keys)
        .await?
        .context("the matched key is not stored")?;
    store
        .create_f1_report(
            &NewF1Report {
                citizen_id: citizen.id,
                unit_code: citizen.unit_code.context("a demo contact has no unit")?,
                level: format!("{:?}", alert.level),
                exposure_day: alert.date.clone(),
                score: alert.score,
                minutes: alert.minutes,
                upload_id: origin.upload_id,
            },
            now,
        )
        .await?;
    Ok(())
}
