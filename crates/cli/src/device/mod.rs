//! `phongdich device …`: a scripted phone built on the device SDK, talking to a real server
//! through the documented API. Its SDK state is `DIR/device.json`; its server, clock and tokens
//! are `DIR/phone.json`. Tests and demos drive whole exposure-notification stories with it.

pub(crate) mod phone;

use anyhow::{bail, Context};
use base64::Engine as _;
use jiff::Timestamp;
use p256::pkcs8::DecodePublicKey;
use phongdich_device::{meet, Consent, Device, DeviceConfig};
use phongdich_domain::phone::PhoneNumber;
use phongdich_exposure::export::DiagnosisKey;
use serde_json::{json, Value};

use crate::args::DeviceCommand;
use phone::{code_from_outbox, send_json, Phone};

pub(crate) async fn run(command: DeviceCommand) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    match command {
        DeviceCommand::Register {
            device: phone,
            server,
            phone: number,
            sms_outbox,
            unit,
            at,
        } => register(&http, &phone.dir, server, number, sms_outbox, unit, at).await,
        DeviceCommand::Advance {
            device: phone,
            minutes,
            hours,
            days,
        } => {
            let secs = minutes * 60 + hours * 3600 + days * 86_400;
            if secs < 0 {
                bail!("a phone's clock only moves forward");
            }
            let mut p = Phone::load(&phone.dir)?;
            p.now += secs;
            let mut device = Device::open(&phone.dir)?;
            device.rotate(p.now);
            device.save()?;
            p.save()?;
            println!("Đồng hồ / clock: {}", show_time(p.now));
            Ok(())
        }
        DeviceCommand::Meet {
            device: phone,
            other,
            minutes,
            attenuation,
        } => {
            let mut a = Phone::load(&phone.dir)?;
            let mut b = Phone::load(&other)?;
            let mut da = Device::open(&phone.dir)?;
            let mut db = Device::open(&other)?;
            let start = a.now.max(b.now);
            meet(&mut da, &mut db, start, minutes, attenuation)?;
            a.now = start + i64::from(minutes) * 60;
            b.now = a.now;
            da.save()?;
            db.save()?;
            a.save()?;
            b.save()?;
            println!(
                "Gặp nhau / met: {minutes} phút/min ở/at {attenuation} dB từ/from {}",
                show_time(start)
            );
            Ok(())
        }
        DeviceCommand::Upload {
            device: phone,
            code,
            sms_outbox,
            onset,
        } => upload(&http, &phone.dir, code, sms_outbox, onset).await,
        DeviceCommand::Sync { device: phone } => sync(&http, &phone.dir).await,
        DeviceCommand::Status {
            device: phone,
            json,
        } => status(&phone.dir, json),
        DeviceCommand::ReportF1 {
            device: phone,
            share_keys,
        } => report_f1(&http, &phone.dir, share_keys).await,
    }
}

async fn register(
    http: &reqwest::Client,
    dir: &std::path::Path,
    server: String,
    number: Option<String>,
    sms_outbox: Option<std::path::PathBuf>,
    unit: Option<String>,
    at: Option<String>,
) -> anyhow::Result<()> {
    let now = match at {
        Some(t) => phone_clock(&t, Timestamp::now())?.as_second(),
        None => Timestamp::now().as_second(),
    };
    let mut p = Phone::new(dir, server, now);
    let setup = ServerSetup::fetch(http, &p.url("")).await?;
    p.export_key_pem = setup.export_key_pem;
    p.guidance = setup.guidance;
    let mut device = Device::open(dir)?;
    device.set_config(setup.device_config)?;
    device.rotate(now);
    if let Some(number) = number {
        let e164 = PhoneNumber::parse("phone", &number)
            .map_err(|e| anyhow::anyhow!("--phone: {}", e.message.en))?;
        let outbox = sms_outbox.context("--phone needs --sms-outbox to read the sign-in code")?;
        send_json(
            http.post(p.url("/api/v1/auth/otp"))
                .json(&json!({"phone": number})),
        )
        .await?;
        let code = code_from_outbox(&outbox, e164.as_str(), 6)?;
        let session = send_json(
            http.post(p.url("/api/v1/auth/otp/verify"))
                .json(&json!({"phone": number, "code": code})),
        )
        .await?;
        let token = session["token"]
            .as_str()
            .context("no token in the sign-in answer")?
            .to_owned();
        if let Some(unit) = unit {
            send_json(
                http.patch(p.url("/api/v1/me"))
                    .bearer_auth(&token)
                    .json(&json!({"unit_code": unit})),
            )
            .await?;
        }
        p.session = Some(token);
        p.phone = Some(e164.as_str().to_owned());
    }
    device.save()?;
    p.save()?;
    println!(
        "Điện thoại sẵn sàng / phone ready in {} (clock {})",
        dir.display(),
        show_time(now)
    );
    Ok(())
}

/// What a phone takes from its server once: the scoring configuration, the key that signs
/// exports and the guidance words.
pub(crate) struct ServerSetup {
    pub(crate) device_config: DeviceConfig,
    pub(crate) export_key_pem: String,
    pub(crate) verifier: p256::ecdsa::VerifyingKey,
    /// `{"F1": {"vi","en"}, "F2": …}`.
    pub(crate) guidance: Value,
}

impl ServerSetup {
    /// Fetches it from the server at `base` (no trailing slash).
    pub(crate) async fn fetch(http: &reqwest::Client, base: &str) -> anyhow::Result<ServerSetup> {
        let base = base.trim_end_matches('/');
        let config = send_json(http.get(format!("{base}/api/v1/exposure/config"))).await?;
        let pem =
            String::from_utf8(download(http, &format!("{base}/api/v1/exposure/export-key")).await?)
                .context("the server's export key is not text")?;
        let verifier = p256::ecdsa::VerifyingKey::from_public_key_pem(&pem)
            .context("the server's export key is not a P-256 public key")?;
        let device_config = DeviceConfig {
            scoring: serde_json::from_value(config["scoring"].clone())
                .context("the server's scoring configuration")?,
            ..DeviceConfig::default()
        };
        Ok(ServerSetup {
            device_config,
            export_key_pem: pem,
            verifier,
            guidance: json!({"F1": config["guidance_f1"], "F2": config["guidance_f2"]}),
        })
    }
}

/// The body of a GET, failing on an error status.
pub(crate) async fn download(http: &reqwest::Client, url: &str) -> anyhow::Result<Vec<u8>> {
    Ok(http
        .get(url)
        .send()
        .await
        .context("the server did not answer")?
        .error_for_status()?
        .bytes()
        .await?
        .to_vec())
}

/// Diagnosis keys as `/api/v1/exposure/keys` takes them.
pub(crate) fn wire_keys(keys: &[DiagnosisKey]) -> Vec<Value> {
    keys.iter()
        .map(|k| {
            json!({
                "key": base64::engine::general_purpose::STANDARD.encode(k.key_data),
                "rolling_start_number": k.rolling_start_interval_number,
                "rolling_period": k.rolling_period,
            })
        })
        .collect()
}

async fn upload(
    http: &reqwest::Client,
    dir: &std::path::Path,
    code: Option<String>,
    sms_outbox: Option<std::path::PathBuf>,
    onset: Option<String>,
) -> anyhow::Result<()> {
    let mut p = Phone::load(dir)?;
    let code = match (code, sms_outbox) {
        (Some(c), _) => Some(c),
        (None, Some(outbox)) => {
            let phone = p
                .phone
                .clone()
                .context("this phone has no number: pass --code")?;
            Some(code_from_outbox(&outbox, &phone, 8)?)
        }
        (None, None) => None,
    };
    if let Some(code) = code {
        let token = send_json(
            http.post(p.url("/api/v1/exposure/verify"))
                .json(&json!({"code": code})),
        )
        .await?;
        p.upload_token = token["token"].as_str().map(str::to_owned);
        p.save()?;
    }
    let token = p
        .upload_token
        .clone()
        .context("no upload token: pass --code, --sms-outbox, or report-f1 --share-keys first")?;
    let mut device = Device::open(dir)?;
    // Running this command is the user's "yes, share my keys".
    device.set_consent(Consent {
        share_keys: true,
        ..device.consent()
    });
    let keys = device.keys_to_share(p.now)?;
    let wire = wire_keys(&keys);
    let mut body = json!({"token": token, "keys": wire});
    if let Some(onset) = onset {
        body["symptom_onset_date"] = json!(onset);
    }
    let result = send_json(http.post(p.url("/api/v1/exposure/keys")).json(&body)).await?;
    device.save()?;
    p.upload_token = None;
    p.save()?;
    println!(
        "Đã gửi / uploaded {} keys ({} stored)",
        keys.len(),
        result["inserted_exposures"]
    );
    Ok(())
}

async fn sync(http: &reqwest::Client, dir: &std::path::Path) -> anyhow::Result<()> {
    let p = Phone::load(dir)?;
    let verifier = p256::ecdsa::VerifyingKey::from_public_key_pem(&p.export_key_pem)
        .context("the stored export key")?;
    let mut device = Device::open(dir)?;
    let index = String::from_utf8(download(http, &p.url("/en/exports/index.txt")).await?)
        .context("the export index is not text")?;
    let pending = device.pending_exports(&index);
    let (mut keys, mut matched) = (0, 0);
    for name in &pending {
        let zip = download(http, &p.url(&format!("/en/exports/{name}"))).await?;
        let outcome = device
            .ingest_export(name, &zip, &verifier, p.now)
            .with_context(|| format!("export {name}"))?;
        keys += outcome.keys;
        matched += outcome.matched_keys;
        // Save after each file: a crash never loses what was matched.
        device.save()?;
    }
    println!(
        "Đã tải / synced {} files, {keys} keys, {matched} matched",
        pending.len()
    );
    Ok(())
}

fn status(dir: &std::path::Path, as_json: bool) -> anyhow::Result<()> {
    let p = Phone::load(dir)?;
    let device = Device::open(dir)?;
    let status = device.status();
    let guidance = status
        .alert
        .as_ref()
        .map(|a| p.guidance[format!("{:?}", a.level)].clone())
        .unwrap_or(Value::Null);
    if as_json {
        let mut out = serde_json::to_value(&status)?;
        out["guidance"] = guidance;
        out["clock"] = json!(show_time(p.now));
        println!("{out}");
        return Ok(());
    }
    match &status.alert {
        None => println!(
            "Không có phơi nhiễm / no exposure ({} encounters logged)",
            status.encounters
        ),
        Some(a) => {
            println!(
                "{:?}: tiếp xúc ngày / exposure on {} — {:.0} phút/min, {:.0} phút có trọng số/weighted min, gần nhất/closest {} dB",
                a.level, a.date, a.minutes, a.weighted_minutes, a.min_attenuation_db
            );
            println!(
                "{}\n{}",
                guidance["vi"].as_str().unwrap_or(""),
                guidance["en"].as_str().unwrap_or("")
            );
        }
    }
    Ok(())
}

async fn report_f1(
    http: &reqwest::Client,
    dir: &std::path::Path,
    share_keys: bool,
) -> anyhow::Result<()> {
    let mut p = Phone::load(dir)?;
    let session = p
        .session
        .clone()
        .context("this phone has no citizen account: register with --phone")?;
    let mut device = Device::open(dir)?;
    let alert = device
        .status()
        .alert
        .context("this phone has no exposure alert to report")?;
    device.set_consent(Consent {
        report_f1: true,
        share_keys: share_keys || device.consent().share_keys,
    });
    let answer = send_json(
        http.post(p.url("/api/v1/exposure/f1-reports"))
            .bearer_auth(session)
            .json(&json!({
                "exposure_date": alert.date,
                "score": alert.score,
                "minutes": alert.minutes,
                "matched_keys": alert.matched_keys,
                "share_keys": share_keys,
            })),
    )
    .await?;
    device.save()?;
    if let Some(token) = answer["upload_token"].as_str() {
        p.upload_token = Some(token.to_owned());
        p.save()?;
    }
    println!(
        "Đã báo cán bộ y tế / reported as {} (report {})",
        answer["level"].as_str().unwrap_or("?"),
        answer["id"]
    );
    Ok(())
}

/// An RFC 3339 time, or a time relative to `now` such as "1 day ago" or "7h ago".
fn phone_clock(text: &str, now: Timestamp) -> anyhow::Result<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let span: jiff::Span = text.parse().with_context(|| {
        format!("--at {text:?} is neither an RFC 3339 time nor a span such as \"1 day ago\"")
    })?;
    now.to_zoned(jiff::tz::TimeZone::UTC)
        .checked_add(span)
        .map(|z| z.timestamp())
        .with_context(|| format!("--at {text:?} is out of range"))
}

fn show_time(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_clocks_are_absolute_or_relative() {
        let now: Timestamp = "2026-11-29T10:00:00Z".parse().unwrap();
        let at = |s: &str| phone_clock(s, now).unwrap().to_string();
        assert_eq!(at("2026-11-28T02:00:00Z"), "2026-11-28T02:00:00Z");
        assert_eq!(at("1 day ago"), "2026-11-28T10:00:00Z");
        assert_eq!(at("7h ago"), "2026-11-29T03:00:00Z");
        assert!(phone_clock("yesterday-ish", now).is_err());
    }
}
