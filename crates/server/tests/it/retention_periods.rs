//! Issue 15, class 6: every table with personal data has a period, and the retention job
//! deletes past it and says how many rows per table. The clock is moved; each table is checked
//! kept the day before its period ends and gone the day after.

use jiff::SignedDuration;
use serde_json::{json, Value};

use crate::helpers::{each_backend, relaxed, Now, TestApp};

const BAC_HA: &str = "02839";

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

async fn citizen(app: &TestApp, phone: &str, name: &str) -> (String, i64) {
    let token = app.citizen_token(phone).await;
    let me = app
        .request(
            "PATCH",
            "/api/v1/me",
            Some(&token),
            Some(json!({"full_name": name, "unit_code": BAC_HA})),
        )
        .await;
    assert_eq!(me.status, 200, "{}", me.body);
    (token, me.body["id"].as_i64().unwrap())
}

fn declaration(name: &str) -> Value {
    json!({"kind": "domestic", "consent": true, "health": {},
        "identity": {"full_name": name, "birth_year": 1985, "gender": "male", "nationality": "VN",
            "address": {"unit_code": BAC_HA, "street": "Thôn Nậm Cài"}, "phone": "0912345678"}})
}

/// The citizen's own declarations (signed in afresh: sessions end before the periods do).
async fn declarations_of(app: &TestApp, phone: &str) -> usize {
    let token = app.citizen_token(phone).await;
    let r = app.get("/api/v1/me/declarations", Some(&token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.as_array().unwrap().len()
}

/// The count the job reported for `table`.
fn count(purged: &phongdich_server::retention::Purged, table: &str) -> u64 {
    purged
        .by_table
        .get(table)
        .copied()
        .unwrap_or_else(|| panic!("{table} not purged: {purged:?}"))
}

#[tokio::test]
async fn declarations_go_after_30_days_unless_an_open_case_holds_them() {
    each_backend(relaxed(), |app| async move {
        let (plain, _) = citizen(&app, "0912500001", "Lò Văn Sử").await;
        let (held, _) = citizen(&app, "0912500002", "Giàng Thị Mai").await;
        for (token, name) in [(&plain, "Lò Văn Sử"), (&held, "Giàng Thị Mai")] {
            let r = app.post("/api/v1/declarations", Some(token), declaration(name)).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let official = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let case = app
            .post(
                "/api/v1/cases",
                Some(&official),
                json!({"person": {"full_name": "Giàng Thị Mai", "phone": "0912500002", "unit_code": BAC_HA},
                    "sample_date": "2027-01-14", "confirmed_date": "2027-01-15", "source": "community"}),
            )
            .await;
        assert_eq!(case.status, 201, "{}", case.body);

        app.clock.advance(days(29));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "declarations"), 0, "{}", app.backend);
        assert_eq!(declarations_of(&app, "0912500001").await, 1);
        app.clock.advance(days(2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "declarations"), 1, "{}", app.backend);
        assert_eq!(declarations_of(&app, "0912500001").await, 0);
        // The case is open: its person's declaration stays until it is closed.
        assert_eq!(declarations_of(&app, "0912500002").await, 1);
        let official = app.staff_token("yte.bacha2", "health_official", BAC_HA).await;
        let closed = app
            .request(
                "PATCH",
                &format!("/api/v1/cases/{}", case.body["id"]),
                Some(&official),
                Some(json!({"status": "recovered"})),
            )
            .await;
        assert_eq!(closed.status, 200, "{}", closed.body);
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "declarations"), 1);
        assert_eq!(declarations_of(&app, "0912500002").await, 0);
    })
    .await;
}

#[tokio::test]
async fn unhandled_reports_campaign_reporting_and_idle_accounts_go_after_their_periods() {
    each_backend(relaxed(), |app| async move {
        let (reporter, _) = citizen(&app, "0912500011", "Vàng A Chứ").await;
        let (idle, _) = citizen(&app, "0912500012", "Sùng Thị Dợ").await;
        let r = app
            .request("POST", "/api/v1/me/family", Some(&idle),
                Some(json!({"full_name": "Sùng A Lử", "birth_year": 2015, "relation": "child"})))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let official = app.staff_token("yte.bacha", "health_official", BAC_HA).await;
        let r = app
            .post("/api/v1/risk-reports", Some(&reporter),
                json!({"category": "gathering", "unit_code": BAC_HA, "text": "Tụ tập ở chợ"}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let report = r.body["id"].as_i64().unwrap();
        let f = app
            .post("/api/v1/facilities", Some(&official),
                json!({"name": "Chợ Bắc Hà", "facility_type": "workplace", "unit_code": BAC_HA,
                    "address": "Tổ 1", "lat": 22.54, "lon": 104.29}))
            .await;
        assert_eq!(f.status, 201, "{}", f.body);
        let fb = app
            .post(&format!("/api/v1/facilities/{}/feedback", f.body["id"]), Some(&reporter),
                json!({"text": "Không có nước rửa tay"}))
            .await;
        assert_eq!(fb.status, 201, "{}", fb.body);
        let feedback = fb.body["id"].as_i64().unwrap();
        let csv = "code,name,kind,unit_code,parent_code,reporter_phone,staff,staff_smartphone,residents,smartphone_users,venues\n\
                   BH-UBND,UBND xã Bắc Hà,agency,02839,,0912555001,40,30,0,0,0\n";
        assert_eq!(app.post_csv("/api/v1/org-units/import", &official, csv).await.status, 201);
        let c = app
            .post("/api/v1/campaigns", Some(&official),
                json!({"name": "Cài đặt ứng dụng", "goal": "install_app", "start": "2027-01-01",
                    "deadline": "2027-01-31", "reporting_dates": ["2027-01-10"],
                    "targets": [{"population": "staff_smartphone", "percent": 100}], "units": ["BH-UBND"]}))
            .await;
        assert_eq!(c.status, 201, "{}", c.body);
        let campaign = c.body["id"].as_i64().unwrap();
        let unit_reporter = app.staff_token("baocao.bacha", "unit_reporter", BAC_HA).await;
        let r = app
            .post(&format!("/api/v1/campaigns/{campaign}/reports"), Some(&unit_reporter),
                json!({"unit": "BH-UBND", "date": "2027-01-10", "counts": {"staff_smartphone": 27}}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Open reports and unanswered feedback: 180 days, not forever.
        app.clock.advance(days(179));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "risk_reports"), 0, "{}", app.backend);
        assert!(app.store.risk_report(report).await.unwrap().is_some());
        // Sessions and codes ended long ago.
        assert!(count(&purged, "sessions_and_codes") >= 1, "{purged:?}");
        app.clock.advance(days(2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "risk_reports"), 1, "{}", app.backend);
        assert_eq!(count(&purged, "facility_feedback"), 1);
        assert!(app.store.risk_report(report).await.unwrap().is_none());
        assert!(app.store.feedback(feedback).await.unwrap().is_none());

        // Campaign reports and the reporter's phone: a year after the deadline (2027-01-31).
        assert!(app.store.org_unit("BH-UBND").await.unwrap().unwrap().unit.reporter_phone.is_some());
        app.clock.advance(days(365 + 16 - 181 - 2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "campaign_reports"), 0, "{}", app.backend);
        assert_eq!(app.store.campaign_reports(campaign).await.unwrap().len(), 1);
        app.clock.advance(days(3));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "campaign_reports"), 1, "{}", app.backend);
        assert_eq!(count(&purged, "org_units.reporter_phone"), 1);
        assert!(app.store.campaign_reports(campaign).await.unwrap().is_empty());
        assert!(app.store.org_unit("BH-UBND").await.unwrap().unwrap().unit.reporter_phone.is_none());

        // Accounts nobody signed in to for 730 days, with their family members.
        let idle_phone = phongdich_domain::phone::PhoneNumber::parse("p", "0912500012").unwrap();
        app.clock.advance(days(729 - 382));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "citizens"), 0, "{}", app.backend);
        app.clock.advance(days(2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert!(count(&purged, "citizens") >= 2, "{purged:?}");
        assert!(app.store.citizen_by_phone(&idle_phone).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_goes_after_five_years_but_never_below_the_database_floor() {
    each_backend(relaxed(), |app| async move {
        // The server's clock set back to 2015, so five years on is still in the past for the
        // database, whose own clock decides the floor.
        app.clock
            .advance(SignedDuration::from_hours(-24 * 365 * 12));
        let admin = app.staff_token("qt.laocai", "admin", "15").await;
        let (_, resident) = citizen(&app, "0912500021", "Hầu A Dình").await;
        assert_eq!(
            app.get(&format!("/api/v1/citizens/{resident}"), Some(&admin))
                .await
                .status,
            200
        );
        let actor = match app
            .store
            .session(
                &phongdich_server::auth::tokens::token_hash(&admin),
                app.clock.now_ts(),
            )
            .await
            .unwrap()
        {
            Some(phongdich_store::Subject::Staff(a)) => a,
            other => panic!("{other:?}"),
        };
        // One row written now by the real clock: younger than the floor, it must stay.
        app.store
            .record_audit(
                &actor,
                &phongdich_domain::audit::AuditEvent::allowed("citizen.read", "citizen:0", BAC_HA),
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        let rows = app.store.audit_count().await.unwrap();
        assert!(rows >= 2);

        app.clock.advance(days(1825));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "audit_log"), 0, "{}", app.backend);
        app.clock.advance(days(2));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(
            count(&purged, "audit_log") as i64,
            rows - 1,
            "{}",
            app.backend
        );
        assert_eq!(app.store.audit_count().await.unwrap(), 1);
        // A clock far ahead cannot take the recent row.
        app.clock.advance(days(365 * 30));
        let purged = app.state.enforce_retention().await.unwrap();
        assert_eq!(count(&purged, "audit_log"), 0);
        assert_eq!(app.store.audit_count().await.unwrap(), 1);
    })
    .await;
}
