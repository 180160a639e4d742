//! Adoption campaigns over HTTP, on both stores: units with head counts (one by one and from
//! CSV), a campaign, reports with bad input refused, measured sign-ups, the dashboard, the XLSX
//! and PDF read back with totals equal to the dashboard's, and reminders by SMS.

use std::io::Cursor;

use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, TestApp};

const BAC_HA: &str = "02839";
const SA_PA: &str = "03006";

fn unit(code: &str, unit: &str, staff: i64, smart: i64, residents: i64, users: i64) -> Value {
    json!({"code": code, "name": format!("Đơn vị {code}"), "kind": if residents > 0 { "commune" } else { "agency" },
        "unit_code": unit, "reporter_phone": "0912555000", "staff": staff, "staff_smartphone": smart,
        "residents": residents, "smartphone_users": users})
}

async fn pdf_text(app: &TestApp, token: &str, path: &str) -> String {
    let r = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    doc.extract_text(&[1]).unwrap()
}

async fn xlsx_rows(app: &TestApp, token: &str, path: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let r = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Bao cao").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn a_campaign_from_units_to_printed_report() {
    each_backend(relaxed(), |app| async move {
        let official = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let reporter = app.staff_token("baocao.bacha", "unit_reporter", BAC_HA).await;
        let sa_pa = app.staff_token("baocao.sapa", "unit_reporter", SA_PA).await;
        let sa_pa_official = app.staff_token("yte.sapa", "health_official", SA_PA).await;

        // Units: bad counts are named; another jurisdiction is refused; CSV is all or nothing.
        let r = app.post("/api/v1/org-units", Some(&official), unit("BH-UBND", BAC_HA, 10, 12, 0, -1)).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_code("smartphone_users"), Some("count_negative"));
        let r = app.post("/api/v1/org-units", Some(&official), unit("SP-UBND", SA_PA, 10, 8, 0, 0)).await;
        assert_eq!(r.field_code("unit_code"), Some("out_of_jurisdiction"));
        assert_eq!(app.post("/api/v1/org-units", Some(&reporter), unit("X1", BAC_HA, 1, 1, 0, 0)).await.status, 403);
        let csv = "code,name,kind,unit_code,parent_code,reporter_phone,staff,staff_smartphone,residents,smartphone_users,venues\n\
                   BH-UBND,UBND xã Bắc Hà,agency,02839,,0912555001,40,30,0,0,0\n\
                   BH-XA,Xã Bắc Hà,commune,02839,,0912555002,0,0,9000,4000,0\n\
                   BH-BAD,Sai,agency,02839,,,5,6,0,0,0\n";
        let r = app.post_csv("/api/v1/org-units/import", &official, csv).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_code("line 4: staff_smartphone"), Some("count_above_head_count"));
        assert_eq!(app.get("/api/v1/org-units", Some(&official)).await.body.as_array().unwrap().len(), 0);
        let good: String = csv.lines().take(3).map(|l| format!("{l}\n")).collect();
        let r = app.post_csv("/api/v1/org-units/import", &official, &good).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["imported"], 2);
        let r = app.post_csv("/api/v1/org-units/import", &sa_pa_official, &good).await;
        assert_eq!(r.field_code("line 2: unit_code"), Some("out_of_jurisdiction"));

        // A campaign: a deadline before the start is refused.
        let mut form = json!({"name": "Cài đặt ứng dụng", "goal": "install_app", "start": "2027-01-01",
            "deadline": "2026-12-31", "reporting_dates": ["2027-01-08"],
            "targets": [{"population": "staff_smartphone", "percent": 100}, {"population": "smartphone_users", "percent": 50}],
            "units": ["BH-UBND", "BH-XA"]});
        let r = app.post("/api/v1/campaigns", Some(&official), form.clone()).await;
        assert_eq!(r.field_code("deadline"), Some("deadline_before_start"));
        form["deadline"] = json!("2027-01-31");
        form["reporting_dates"] = json!(["2027-01-10", "2027-01-17"]);
        let r = app.post("/api/v1/campaigns", Some(&official), form).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.body["id"].as_i64().unwrap();
        let reports = format!("/api/v1/campaigns/{id}/reports");

        // Reports: above the head count, negative, a unit outside the reporter's scope, the
        // future; then good ones.
        let r = app.post(&reports, Some(&reporter), json!({"unit": "BH-UBND", "date": "2027-01-10",
            "counts": {"staff_smartphone": 31}})).await;
        assert_eq!(r.field_code("counts.staff_smartphone"), Some("count_above_head_count"));
        let r = app.post(&reports, Some(&reporter), json!({"unit": "BH-XA", "date": "2027-01-10",
            "counts": {"smartphone_users": -5}})).await;
        assert_eq!(r.field_code("counts.smartphone_users"), Some("count_negative"));
        let r = app.post(&reports, Some(&sa_pa), json!({"unit": "BH-UBND", "date": "2027-01-10",
            "counts": {"staff_smartphone": 3}})).await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = app.post(&reports, Some(&reporter), json!({"unit": "BH-UBND", "date": "2027-01-20",
            "counts": {"staff_smartphone": 3}})).await;
        assert_eq!(r.field_code("date"), Some("date_out_of_range"));
        let r = app.post(&reports, Some(&reporter), json!({"unit": "BH-UBND", "date": "2027-01-10",
            "counts": {"staff_smartphone": 27}, "note": "Còn 3 người chưa cài"})).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Two citizens give BH-XA's code: measured.
        for phone in ["0912000201", "0912000202"] {
            let token = app.citizen_token(phone).await;
            let r = app.request("PUT", "/api/v1/me/org-unit", Some(&token), Some(json!({"code": "bh-xa"}))).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let token = app.citizen_token("0912000203").await;
        let r = app.request("PUT", "/api/v1/me/org-unit", Some(&token), Some(json!({"code": "NOPE"}))).await;
        assert_eq!(r.field_code("code"), Some("org_unit_unknown"));

        // The dashboard on the 15th (day 14 of 30): BH-XA has not reported for the 10th (late),
        // BH-UBND has 90% where 46.7% is expected.
        let d = app.get(&format!("/api/v1/campaigns/{id}?date=2027-01-15"), Some(&reporter)).await;
        assert_eq!(d.status, 200, "{}", d.body);
        let units = d.body["units"].as_array().unwrap();
        assert_eq!(units[0]["code"], "BH-XA");
        assert_eq!(units[0]["late"], true);
        assert_eq!(units[0]["targets"][1]["measured"], 2);
        assert_eq!(units[1]["code"], "BH-UBND");
        assert_eq!((units[1]["late"].as_bool(), units[1]["behind"].as_bool()), (Some(false), Some(false)));
        assert_eq!(units[1]["targets"][0]["reported_percent"], 90.0);
        assert_eq!(units[1]["targets"][0]["expected_percent"], 46.7);
        assert_eq!(units[1]["note"], "Còn 3 người chưa cài");
        let totals = &d.body["totals"];
        assert_eq!(totals[0]["head_count"], 30);
        assert_eq!(totals[0]["reported"], 27);
        assert_eq!(totals[1]["head_count"], 4000);
        assert_eq!(totals[1]["measured"], 2);
        assert_eq!(d.body["timeline"].as_array().unwrap().len(), 3);
        assert_eq!(app.get(&format!("/api/v1/campaigns/{id}"), Some(&sa_pa)).await.status, 403);

        // The XLSX and the PDF hold the same totals.
        let rows = xlsx_rows(&app, &reporter, &format!("/api/v1/campaigns/{id}/report.xlsx?date=2027-01-15")).await;
        assert!(rows[0][0].contains("BẮC HÀ"), "{:?}", rows[0]);
        assert!(rows.iter().any(|r| r.iter().any(|c| c == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")));
        let total = rows.iter().find(|r| r.get(1).map(String::as_str) == Some("Tổng cộng")).unwrap();
        // Staff: 27 of 30 reported, none of them signed up with a code; smartphone users: no
        // report, 2 of 4,000 measured.
        assert_eq!(&total[2..7], ["30", "27", "90", "0", "0"]);
        assert_eq!(&total[7..12], ["4000", "–", "–", "2", "0.1"]);
        let text = pdf_text(&app, &reporter, &format!("/api/v1/campaigns/{id}/report.pdf?date=2027-01-15")).await;
        // The extracted text spaces every glyph: compare without any whitespace.
        let squeezed: String = text.split_whitespace().collect();
        assert!(squeezed.contains("Tổngcộng"), "{squeezed}");
        assert!(squeezed.contains("Tổngcộng302790.000.04000––20.1"), "{squeezed}");
        assert!(squeezed.contains("BÁOCÁOTIẾNĐỘ"), "{squeezed}");

        // Reminders: two days before the 17th, to the unit that has not reported for it (once).
        let before = app.sms_count();
        let r = app.post("/api/v1/campaigns/reminders", Some(&official), json!({})).await;
        assert_eq!(r.body["sent"], 2, "{}", r.body);
        assert_eq!(app.sms_count(), before + 2);
        let r = app.post("/api/v1/campaigns/reminders", Some(&official), json!({})).await;
        assert_eq!(r.body["sent"], 0);
    })
    .await;
}
