//! The exposure-notification key server over HTTP: codes, tokens, uploads, signed exports read
//! back with an independent reader, F1 reports and retention.

use base64::Engine as _;
use jiff::SignedDuration;
use p256::ecdsa::signature::Verifier;
use p256::pkcs8::DecodePublicKey;
use serde_json::{json, Value};

use crate::gaen_reader;
use crate::helpers::{each_backend, relaxed, TestApp};

/// The test clock starts at 1_800_000_000 (2027-01-15 08:00 UTC): interval 3_000_000.
const NOW_INTERVAL: i64 = 3_000_000;
/// First interval of the test clock's UTC day.
const TODAY: i64 = NOW_INTERVAL / 144 * 144;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Keys of the last `days` days (today's included), key bytes `[seed + d; 16]`.
fn keys(seed: u8, days: i64) -> Vec<Value> {
    (0..days)
        .map(|d| {
            json!({"key": b64(&[seed + d as u8; 16]), "rolling_start_number": TODAY - 144 * d,
                   "rolling_period": 144})
        })
        .collect()
}

async fn issue(app: &TestApp, official: &str, body: Value) -> String {
    let r = app
        .post("/api/v1/exposure/codes", Some(official), body)
        .await;
    assert_eq!(r.status, 201, "{}: {}", app.backend, r.body);
    r.body["code"].as_str().unwrap().to_owned()
}

async fn token_for(app: &TestApp, code: &str) -> String {
    let r = app
        .post("/api/v1/exposure/verify", None, json!({"code": code}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

/// Fetches the index and every export, checking each signature with the published key.
async fn exports(app: &TestApp) -> Vec<gaen_reader::Export> {
    let pem = app.get("/api/v1/exposure/export-key", None).await;
    assert_eq!(pem.status, 200);
    let verifier =
        p256::ecdsa::VerifyingKey::from_public_key_pem(pem.body.as_str().unwrap()).unwrap();
    let index = app.get("/en/exports/index.txt", None).await;
    assert_eq!(index.status, 200);
    let mut out = Vec::new();
    for name in index.body.as_str().unwrap().lines() {
        let zip = app
            .client
            .get(format!("{}/en/exports/{name}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(zip.status(), 200);
        let (bin, sig) = gaen_reader::unzip(&zip.bytes().await.unwrap());
        let sigs = gaen_reader::signatures(&sig);
        assert_eq!(sigs.len(), 1);
        let signature = p256::ecdsa::Signature::from_der(&sigs[0]).unwrap();
        verifier.verify(&bin, &signature).unwrap();
        out.push(gaen_reader::parse_bin(&bin));
    }
    out
}

fn real_keys(exports: &[gaen_reader::Export], seed: u8, days: u8) -> Vec<gaen_reader::Key> {
    let wanted: Vec<Vec<u8>> = (0..days).map(|d| vec![seed + d; 16]).collect();
    exports
        .iter()
        .flat_map(|e| e.keys.iter())
        .filter(|k| wanted.contains(&k.key_data))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_case_uploads_once_and_the_signed_export_reads_with_the_published_proto() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let case = app.citizen_token("0912000001").await;
        let _ = case;
        let r = app
            .post(
                "/api/v1/exposure/codes",
                Some(&official),
                json!({"unit_code": "02839", "symptom_onset_date": "2027-01-13",
                       "phone": "0912000001"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["sms_sent"], true);
        let code = r.body["code"].as_str().unwrap().to_owned();
        assert_eq!(code.len(), 8);
        let before = app.sms_count();
        assert!(before >= 2, "the sign-in code and the case code were sent");

        let token = token_for(&app, &code).await;
        // A code works once.
        let again = app
            .post("/api/v1/exposure/verify", None, json!({"code": code}))
            .await;
        assert_eq!(again.status, 409);
        assert_eq!(again.body["code"], "code_used");

        // A bad key refuses the whole upload, and the token stays usable.
        let mut bad = keys(0x10, 14);
        bad[3]["key"] = json!(b64(&[1u8; 15]));
        bad[5]["rolling_period"] = json!(145);
        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": token, "keys": bad}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_code("keys[3].key"), Some("key_malformed"));
        assert_eq!(
            r.field_code("keys[5].rolling_period"),
            Some("rolling_period_range")
        );

        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": token, "keys": keys(0x10, 14), "padding": "QUFBQQ=="}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["inserted_exposures"], 14);
        let twice = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": token, "keys": keys(0x40, 2)}),
            )
            .await;
        assert_eq!(twice.status, 409);
        assert_eq!(twice.body["code"], "token_used");

        // Publish: 13 keys now, today's after it has expired.
        let run = app
            .post("/api/v1/exposure/exports", Some(&official), json!({}))
            .await;
        assert_eq!(run.status, 200, "{}", run.body);
        let files = exports(&app).await;
        assert_eq!(files.len(), 1);
        // The index revalidates cheaply: its ETag answers 304 until it changes.
        let index = app.get("/en/exports/index.txt", None).await;
        let etag = index.headers["etag"].to_str().unwrap().to_owned();
        let again = app
            .client
            .get(format!("{}/en/exports/index.txt", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(
            app.get("/en/exports/..%2Fphongdich.db", None).await.status,
            404
        );
        let file = &files[0];
        assert_eq!(file.region, "VN");
        assert_eq!((file.batch_num, file.batch_size), (1, 1));
        assert_eq!(file.signature_algorithms, ["1.2.840.10045.4.3.2"]);
        assert_eq!(file.key_ids, ["452"]);
        assert!(
            file.keys.len() >= 1000,
            "padded to hide how many cases there are"
        );
        let published = real_keys(&files, 0x10, 14);
        assert_eq!(published.len(), 13);
        assert!(!published
            .iter()
            .any(|k| k.rolling_start_interval_number == TODAY));
        let yesterday = published
            .iter()
            .find(|k| k.rolling_start_interval_number == TODAY - 144)
            .unwrap();
        assert_eq!(yesterday.report_type, Some(1));
        assert_eq!(yesterday.rolling_period, 144);
        // Onset on 2027-01-13; yesterday was 2027-01-14.
        assert_eq!(yesterday.days_since_onset, Some(1));
        assert_eq!(yesterday.transmission_risk_level, 2);
        let sorted: Vec<_> = file.keys.iter().map(|k| k.key_data.clone()).collect();
        let mut by_bytes = sorted.clone();
        by_bytes.sort();
        assert_eq!(
            sorted, by_bytes,
            "keys sorted by bytes hide upload grouping"
        );

        // The next day, an hour after midnight UTC, today's key is published too.
        // (The official's session has expired by then; the hourly job needs none.)
        app.clock
            .advance(SignedDuration::from_hours(17) + SignedDuration::from_mins(1));
        let run = app.state.publish_key_exports().await.unwrap();
        assert_eq!(run.keys, 1);
        let files = exports(&app).await;
        assert_eq!(files.len(), 2);
        assert_eq!(real_keys(&files, 0x10, 14).len(), 14);
    })
    .await;
}

#[tokio::test]
async fn codes_are_scoped_single_use_and_expire() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let citizen = app.citizen_token("0912000002").await;
        let r = app
            .post(
                "/api/v1/exposure/codes",
                Some(&citizen),
                json!({"unit_code": "02839"}),
            )
            .await;
        assert_eq!(r.status, 403);
        let r = app
            .post(
                "/api/v1/exposure/codes",
                Some(&official),
                json!({"unit_code": "03006"}),
            )
            .await;
        assert_eq!(r.status, 403, "Sa Pa is outside Bắc Hà's jurisdiction");
        let r = app
            .post(
                "/api/v1/exposure/codes",
                Some(&official),
                json!({"unit_code": "02839", "report_type": "recursive",
                       "symptom_onset_date": "2027-02-01", "phone": "12"}),
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(r.field_code("report_type"), Some("report_type_unknown"));
        assert_eq!(
            r.field_code("symptom_onset_date"),
            Some("onset_out_of_range")
        );
        assert!(r.field_code("phone").is_some());

        let r = app
            .post("/api/v1/exposure/verify", None, json!({"code": "1234"}))
            .await;
        assert_eq!(r.field_code("code"), Some("code_malformed"));
        let r = app
            .post("/api/v1/exposure/verify", None, json!({"code": "00000000"}))
            .await;
        assert_eq!(r.field_code("code"), Some("code_unknown"));

        let code = issue(&app, &official, json!({"unit_code": "02839"})).await;
        app.clock.advance(SignedDuration::from_mins(61));
        let r = app
            .post("/api/v1/exposure/verify", None, json!({"code": code}))
            .await;
        assert_eq!(r.field_code("code"), Some("code_expired"));

        let code = issue(&app, &official, json!({"unit_code": "02839"})).await;
        let token = token_for(&app, &code).await;
        app.clock.advance(SignedDuration::from_hours(25));
        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": token, "keys": keys(1, 2)}),
            )
            .await;
        assert_eq!(r.field_code("token"), Some("token_expired"));
        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": "pd_nope", "keys": keys(1, 2)}),
            )
            .await;
        assert_eq!(r.field_code("token"), Some("token_unknown"));
    })
    .await;
}

#[tokio::test]
async fn guessing_codes_is_rate_limited() {
    each_backend(
        phongdich_server::ServerConfig::default(),
        |app| async move {
            let mut statuses = Vec::new();
            for i in 0..40 {
                let r = app
                    .post(
                        "/api/v1/exposure/verify",
                        None,
                        json!({"code": format!("{i:08}")}),
                    )
                    .await;
                statuses.push(r.status);
            }
            assert_eq!(statuses[0], 422);
            assert!(statuses.contains(&429), "{statuses:?}");
        },
    )
    .await;
}

#[tokio::test]
async fn an_f1_report_reaches_the_officials_of_the_reporters_unit_only() {
    each_backend(relaxed(), |app| async move {
        let bac_ha = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let sa_pa = app
            .staff_token("yte.sapa", "health_official", "03006")
            .await;
        let code = issue(&app, &bac_ha, json!({"unit_code": "02839"})).await;
        let token = token_for(&app, &code).await;
        app.post(
            "/api/v1/exposure/keys",
            None,
            json!({"token": token, "keys": keys(0x20, 3)}),
        )
        .await;

        let contact = app.citizen_token("0912000003").await;
        let report = json!({"exposure_date": "2027-01-14", "score": 1200.0, "minutes": 20.0,
                            "matched_keys": [hex::encode([0x21u8; 16])], "share_keys": true});
        let r = app
            .post(
                "/api/v1/exposure/f1-reports",
                Some(&contact),
                report.clone(),
            )
            .await;
        assert_eq!(r.status, 422, "a citizen without a unit is asked for it");
        assert_eq!(r.field_code("unit_code"), Some("unit_required"));
        app.request(
            "PATCH",
            "/api/v1/me",
            Some(&contact),
            Some(json!({"full_name": "Hoàng Thị Lan", "unit_code": "03006"})),
        )
        .await;
        let unknown = json!({"exposure_date": "2027-01-14", "score": 1200.0, "minutes": 20.0,
                             "matched_keys": [hex::encode([0x99u8; 16])]});
        let r = app
            .post("/api/v1/exposure/f1-reports", Some(&contact), unknown)
            .await;
        assert_eq!(r.field_code("matched_keys"), Some("matched_keys_unknown"));
        let bad = json!({"exposure_date": "2027-03-01", "score": -1.0, "minutes": 2000.0,
                         "matched_keys": ["zz"]});
        let r = app
            .post("/api/v1/exposure/f1-reports", Some(&contact), bad)
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(r.body["errors"].as_array().unwrap().len(), 4);

        let r = app
            .post(
                "/api/v1/exposure/f1-reports",
                Some(&contact),
                report.clone(),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["level"], "F1");
        let share = r.body["upload_token"].as_str().unwrap().to_owned();
        let again = app
            .post("/api/v1/exposure/f1-reports", Some(&contact), report)
            .await;
        assert_eq!(again.status, 409);

        // Sa Pa's official sees the report (the reporter lives there), Bắc Hà's does not.
        let audit_before = app.store.audit_count().await.unwrap();
        let seen = app.get("/api/v1/exposure/f1-reports", Some(&sa_pa)).await;
        assert_eq!(seen.status, 200);
        let rows = seen.body.as_array().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["full_name"], "Hoàng Thị Lan");
        assert_eq!(rows[0]["exposure_date"], "2027-01-14");
        assert_eq!(rows[0]["case_unit"], "02839");
        assert!(app.store.audit_count().await.unwrap() > audit_before);
        let not_seen = app.get("/api/v1/exposure/f1-reports", Some(&bac_ha)).await;
        assert_eq!(not_seen.body.as_array().unwrap().len(), 0);
        // The citizen sees their report without the case's unit.
        let mine = app.get("/api/v1/me/exposure-reports", Some(&contact)).await;
        assert_eq!(mine.body[0]["level"], "F1");
        assert!(mine.body[0]["case_unit"].is_null());

        // The F1 shares their keys: they are published as recursive (F2 for their contacts).
        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": share, "keys": keys(0x60, 3)}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        app.post("/api/v1/exposure/exports", Some(&bac_ha), json!({}))
            .await;
        let files = exports(&app).await;
        let f1_keys = real_keys(&files, 0x60, 3);
        assert_eq!(f1_keys.len(), 2);
        assert!(f1_keys.iter().all(|k| k.report_type == Some(4)));

        // A phone that matched the F1's key reports as F2.
        let f2 = app.citizen_token("0912000004").await;
        app.request(
            "PATCH",
            "/api/v1/me",
            Some(&f2),
            Some(json!({"unit_code": "02839"})),
        )
        .await;
        let r = app
            .post(
                "/api/v1/exposure/f1-reports",
                Some(&f2),
                json!({"exposure_date": "2027-01-14", "score": 950.0, "minutes": 16.0,
                       "matched_keys": [hex::encode([0x61u8; 16])]}),
            )
            .await;
        assert_eq!(r.body["level"], "F2", "{}", r.body);
        // An F2 does not share keys onward.
        let f2b = app.citizen_token("0912000005").await;
        app.request(
            "PATCH",
            "/api/v1/me",
            Some(&f2b),
            Some(json!({"unit_code": "02839"})),
        )
        .await;
        let r = app
            .post(
                "/api/v1/exposure/f1-reports",
                Some(&f2b),
                json!({"exposure_date": "2027-01-14", "score": 950.0, "minutes": 16.0,
                       "matched_keys": [hex::encode([0x61u8; 16])], "share_keys": true}),
            )
            .await;
        assert_eq!(
            r.field_code("share_keys"),
            Some("share_keys_f2"),
            "{}",
            r.body
        );

        // The F1 tests positive: the same keys uploaded as confirmed revise the recursive ones,
        // which are published again so their contacts learn they are F1.
        let sa_pa_code = issue(&app, &sa_pa, json!({"unit_code": "03006"})).await;
        let token = token_for(&app, &sa_pa_code).await;
        let r = app
            .post(
                "/api/v1/exposure/keys",
                None,
                json!({"token": token, "keys": keys(0x60, 3)}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(
            r.body["inserted_exposures"], 3,
            "two revised, today's replaced too"
        );
        app.post("/api/v1/exposure/exports", Some(&sa_pa), json!({}))
            .await;
        let files = exports(&app).await;
        let latest = files.last().unwrap();
        let revised: Vec<_> = latest
            .keys
            .iter()
            .filter(|k| k.key_data == vec![0x61u8; 16])
            .collect();
        assert_eq!(revised.len(), 1);
        assert_eq!(revised[0].report_type, Some(1));
    })
    .await;
}

#[tokio::test]
async fn keys_and_export_files_are_deleted_after_fourteen_days() {
    each_backend(relaxed(), |app| async move {
        let official = app
            .staff_token("yte.bacha", "health_official", "02839")
            .await;
        let code = issue(&app, &official, json!({"unit_code": "02839"})).await;
        let token = token_for(&app, &code).await;
        app.post(
            "/api/v1/exposure/keys",
            None,
            json!({"token": token, "keys": keys(0x30, 3)}),
        )
        .await;
        app.post("/api/v1/exposure/exports", Some(&official), json!({}))
            .await;
        assert_eq!(exports(&app).await.len(), 1);
        let config = app.get("/api/v1/exposure/config", None).await;
        assert_eq!(config.body["scoring"]["daily_score_threshold"], 900.0);

        app.clock.advance(SignedDuration::from_hours(24 * 15));
        let purged = app.state.enforce_retention().await.unwrap();
        assert!(purged.exposure_rows >= 3, "{purged:?}");
        assert_eq!(purged.export_files, 1);
        assert!(exports(&app).await.is_empty());
        let dir = app.state.exports_dir().unwrap();
        let zips = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "zip")
            })
            .count();
        assert_eq!(zips, 0);
    })
    .await;
}
