//! One policy for permissions (issue 15, class 4): every staff operation of the served OpenAPI
//! document × every role × the tiers commune, province and country × inside and outside the
//! jurisdiction, checked against the domain's policy table. An operation with a session that
//! has no entry here fails the test, so a new route cannot skip the policy.

use std::collections::HashMap;

use phongdich_domain::accounts::Role;
use phongdich_domain::policy::{reach, Action, Reach};
use phongdich_domain::units::Tier;
use serde_json::json;

use crate::helpers::{each_backend, relaxed, TestApp};

const INSIDE: &str = "02839"; // Bắc Hà
const OUTSIDE: &str = "03006"; // Sa Pa
const MARK_NAME: &str = "Mốc Bí Mật";
const MARK_PHONE: &str = "0912777001";

/// Who an operation is for.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Staff whose role the policy allows `Action`.
    Staff(Action),
    /// Staff allowed either action (one route serving two kinds of staff).
    Either(Action, Action),
    /// Citizens, or any session (the owner of a venue is a citizen): not staff work.
    Session,
}

use Access::{Either, Session, Staff};

/// Every operation with a session, by `METHOD path` as the document names it.
fn table() -> HashMap<&'static str, Access> {
    use Action::*;
    HashMap::from([
        ("GET /api/v1/audit", Staff(ReadAudit)),
        ("GET /api/v1/audit/export.csv", Staff(ReadAudit)),
        ("GET /api/v1/audit/export.xlsx", Staff(ReadAudit)),
        ("POST /api/v1/auth/logout", Session),
        ("GET /api/v1/campaigns", Staff(ReportCampaigns)),
        ("POST /api/v1/campaigns", Staff(OrganiseCampaigns)),
        ("POST /api/v1/campaigns/reminders", Staff(OrganiseCampaigns)),
        ("GET /api/v1/campaigns/{id}", Staff(ReportCampaigns)),
        (
            "GET /api/v1/campaigns/{id}/report.pdf",
            Staff(ReportCampaigns),
        ),
        (
            "GET /api/v1/campaigns/{id}/report.xlsx",
            Staff(ReportCampaigns),
        ),
        (
            "POST /api/v1/campaigns/{id}/reports",
            Staff(ReportCampaigns),
        ),
        ("GET /api/v1/cases", Staff(TraceCases)),
        ("POST /api/v1/cases", Staff(TraceCases)),
        ("GET /api/v1/cases/{id}", Staff(TraceCases)),
        ("PATCH /api/v1/cases/{id}", Staff(TraceCases)),
        ("GET /api/v1/cases/{id}/chain.csv", Staff(TraceCases)),
        ("POST /api/v1/cases/{id}/contacts", Staff(TraceCases)),
        ("POST /api/v1/cases/{id}/gather", Staff(TraceCases)),
        ("POST /api/v1/checkins", Session),
        ("POST /api/v1/checkins/out", Session),
        (
            "POST /api/v1/checkpoint/declarations",
            Staff(DeclareAtCheckpoint),
        ),
        ("GET /api/v1/citizens", Staff(ReadCitizens)),
        ("GET /api/v1/citizens/{id}", Staff(ReadCitizens)),
        (
            "PUT /api/v1/criteria-sets/{facility_type}",
            Staff(ReviseCriteriaSets),
        ),
        ("GET /api/v1/declarations", Staff(ReadDeclarations)),
        ("POST /api/v1/declarations", Session),
        (
            "GET /api/v1/declarations/export.csv",
            Staff(ReadDeclarations),
        ),
        (
            "GET /api/v1/declarations/export.xlsx",
            Staff(ReadDeclarations),
        ),
        (
            "GET /api/v1/declarations/missed-updates",
            Staff(ReadDeclarations),
        ),
        ("GET /api/v1/declarations/{id}", Staff(ReadDeclarations)),
        ("POST /api/v1/exposure/codes", Staff(IssueCaseCodes)),
        ("POST /api/v1/exposure/exports", Staff(PublishKeyExports)),
        ("GET /api/v1/exposure/f1-reports", Staff(ReadF1Reports)),
        ("POST /api/v1/exposure/f1-reports", Session),
        ("GET /api/v1/exposures", Staff(ManageVenues)),
        ("GET /api/v1/exposures/{id}/visitors", Staff(ManageVenues)),
        ("POST /api/v1/facilities", Staff(ManageFacilities)),
        (
            "POST /api/v1/facilities/{id}/assessments",
            Staff(AssessFacility),
        ),
        ("POST /api/v1/facilities/{id}/feedback", Session),
        (
            "POST /api/v1/facilities/{id}/staff",
            Staff(ManageFacilities),
        ),
        ("GET /api/v1/feedback", Staff(ReadFeedback)),
        ("GET /api/v1/feedback/{id}/photo", Session),
        ("POST /api/v1/feedback/{id}/answer", Staff(AnswerFeedback)),
        (
            "POST /api/v1/health-pass/rotate-keys",
            Staff(RotateSigningKeys),
        ),
        ("GET /api/v1/me", Session),
        ("PATCH /api/v1/me", Session),
        ("DELETE /api/v1/me", Session),
        ("GET /api/v1/me/alerts", Session),
        ("POST /api/v1/me/alerts/{id}/read", Session),
        ("GET /api/v1/me/data", Session),
        ("GET /api/v1/me/declarations", Session),
        ("GET /api/v1/me/exposure-reports", Session),
        ("GET /api/v1/me/facilities", Staff(AssessFacility)),
        ("POST /api/v1/me/family", Session),
        ("DELETE /api/v1/me/family/{id}", Session),
        ("GET /api/v1/me/health-pass", Session),
        ("GET /api/v1/me/health-pass.svg", Session),
        ("PUT /api/v1/me/org-unit", Session),
        ("POST /api/v1/me/password", Session),
        ("GET /api/v1/me/quarantine", Session),
        ("GET /api/v1/me/risk-reports", Session),
        ("GET /api/v1/me/venues", Session),
        ("GET /api/v1/me/visits", Session),
        ("GET /api/v1/org-units", Staff(ReportCampaigns)),
        ("POST /api/v1/org-units", Staff(OrganiseCampaigns)),
        ("POST /api/v1/org-units/import", Staff(OrganiseCampaigns)),
        ("GET /api/v1/quarantine", Staff(ManageQuarantine)),
        ("POST /api/v1/quarantine", Staff(ManageQuarantine)),
        (
            "POST /api/v1/quarantine/{id}/tests",
            Staff(ManageQuarantine),
        ),
        ("GET /api/v1/risk-reports", Staff(HandleRiskReports)),
        ("POST /api/v1/risk-reports", Session),
        (
            "POST /api/v1/risk-reports/{id}/close",
            Staff(HandleRiskReports),
        ),
        ("GET /api/v1/risk-reports/{id}/photo", Session),
        (
            "POST /api/v1/risk-reports/{id}/triage",
            Staff(HandleRiskReports),
        ),
        ("GET /api/v1/staff", Staff(ManageStaff)),
        ("POST /api/v1/staff", Staff(ManageStaff)),
        ("POST /api/v1/staff/{id}/deactivate", Staff(ManageStaff)),
        ("POST /api/v1/staff/{id}/password", Staff(ManageStaff)),
        ("POST /api/v1/staff/{id}/reactivate", Staff(ManageStaff)),
        ("DELETE /api/v1/staff/{id}/sessions", Staff(ManageStaff)),
        ("GET /api/v1/tracing/people", Staff(ReadTracedPeople)),
        ("GET /api/v1/tracing/people.csv", Staff(ReadTracedPeople)),
        ("GET /api/v1/tracing/people.xlsx", Staff(ReadTracedPeople)),
        ("PUT /api/v1/units/{code}/population", Staff(SetPopulation)),
        ("GET /api/v1/venues", Either(ManageVenues, SeeOwnVenues)),
        ("POST /api/v1/venues", Session),
        ("POST /api/v1/venues/import", Staff(ManageVenues)),
        ("GET /api/v1/venues/pending", Staff(ManageVenues)),
        ("POST /api/v1/venues/{id}/approve", Staff(ManageVenues)),
        ("GET /api/v1/venues/staff-visits", Staff(ManageVenues)),
        (
            "POST /api/v1/venues/{id}/staff-visits/confirm",
            Staff(ManageVenues),
        ),
        ("PATCH /api/v1/venues/{id}", Session),
        ("POST /api/v1/venues/{id}/checkins", Session),
        ("POST /api/v1/venues/{id}/exposures", Staff(ManageVenues)),
        ("POST /api/v1/venues/{id}/staff", Session),
        ("GET /api/v1/venues/{id}/visitors", Session),
        ("POST /api/v1/zones", Staff(ManageZones)),
        ("POST /api/v1/zones/{id}/end", Staff(ManageZones)),
    ])
}

/// Records of the inside unit that an outside official must never read, made once per store.
struct Fixture {
    ids: HashMap<&'static str, String>,
}

impl Fixture {
    async fn new(app: &TestApp, official: &str) -> Fixture {
        let citizen = app.citizen_token(MARK_PHONE).await;
        let me = app
            .request(
                "PATCH",
                "/api/v1/me",
                Some(&citizen),
                Some(json!({"full_name": MARK_NAME, "unit_code": INSIDE})),
            )
            .await;
        let citizen_id = me.body["id"].as_i64().unwrap();
        let declared = app
            .post(
                "/api/v1/declarations",
                Some(&citizen),
                json!({"kind": "domestic", "consent": true, "identity": {"full_name": MARK_NAME,
                    "birth_year": 1980, "gender": "male", "nationality": "VN",
                    "address": {"unit_code": INSIDE, "street": "Thôn 1"}}}),
            )
            .await;
        assert_eq!(declared.status, 201, "{}", declared.body);
        let declarations = app.get("/api/v1/declarations", Some(official)).await;
        let declaration = declarations.body[0]["id"].as_i64().unwrap();
        let case = app
            .post(
                "/api/v1/cases",
                Some(official),
                json!({"person": {"full_name": MARK_NAME, "phone": MARK_PHONE, "unit_code": INSIDE},
                    "onset_date": "2027-01-12", "sample_date": "2027-01-13",
                    "confirmed_date": "2027-01-14", "source": "community"}),
            )
            .await;
        assert_eq!(case.status, 201, "{}", case.body);
        let case_id = case.body["id"].as_i64().unwrap();
        let contact = app
            .post(
                &format!("/api/v1/cases/{case_id}/contacts"),
                Some(official),
                json!({"person": {"full_name": format!("{MARK_NAME} Hai"), "unit_code": INSIDE},
                    "setting": "household", "at": "2027-01-13T12:00:00Z", "minutes": 600,
                    "masked": false}),
            )
            .await;
        let order = app
            .post(
                "/api/v1/quarantine",
                Some(official),
                json!({"person_id": contact.body["person_id"], "level": 1}),
            )
            .await;
        assert_eq!(order.status, 201, "{}", order.body);
        let venue = app
            .post(
                "/api/v1/venues",
                Some(&citizen),
                json!({"name": "Chợ Mốc", "category": "market", "unit_code": INSIDE,
                    "street": "Thôn 1"}),
            )
            .await;
        assert_eq!(venue.status, 201, "{}", venue.body);
        let ids = HashMap::from([
            ("citizens", citizen_id.to_string()),
            ("declarations", declaration.to_string()),
            ("cases", case_id.to_string()),
            ("quarantine", order.body["id"].to_string()),
            ("venues", venue.body["id"].as_str().unwrap().to_owned()),
            ("units", INSIDE.to_owned()),
            ("criteria-sets", "school".to_owned()),
        ]);
        Fixture { ids }
    }

    /// The concrete path of a documented one: the inside unit's record where there is one,
    /// otherwise an id that does not exist.
    fn path(&self, template: &str) -> String {
        let resource = template
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or("");
        let id = self
            .ids
            .get(resource)
            .cloned()
            .unwrap_or_else(|| "999999".into());
        template
            .replace("{id}", &id)
            .replace("{code}", &id)
            .replace("{facility_type}", &id)
    }

    fn has_record(&self, template: &str) -> bool {
        let resource = template
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or("");
        template.contains('{') && self.ids.contains_key(resource) && resource != "criteria-sets"
    }
}

fn policy_refusal(reply: &crate::helpers::Reply) -> bool {
    reply.status == 403
        && matches!(
            reply.body["code"].as_str(),
            Some("role_forbidden" | "tier_too_low")
        )
}

#[tokio::test]
async fn every_staff_route_answers_as_the_policy_says_for_every_role_tier_and_jurisdiction() {
    each_backend(relaxed(), |app| async move {
        let doc = app.get("/api/v1/openapi.json", None).await.body;
        let table = table();
        let mut operations = Vec::new();
        let mut missing = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let key = format!("{} {path}", method.to_uppercase());
                let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
                match table.get(key.as_str()) {
                    Some(access) => operations.push((method.to_uppercase(), path.clone(), *access)),
                    None if secured => missing.push(key),
                    None => {}
                }
            }
        }
        assert!(missing.is_empty(), "operations without a policy entry: {missing:?}");
        let documented: Vec<String> = operations.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
        let stale: Vec<&&str> = table.keys().filter(|k| !documented.iter().any(|d| d == *k)).collect();
        assert!(stale.is_empty(), "policy entries of no documented operation: {stale:?}");

        let inside_official = app.staff_token("yte.moc", "health_official", INSIDE).await;
        let fixture = Fixture::new(&app, &inside_official).await;
        let tiers = [(INSIDE, Tier::Commune), ("15", Tier::Province), ("VN", Tier::Country)];
        let mut tokens = Vec::new();
        for role in Role::ALL {
            for (unit, tier) in tiers {
                let name = format!("m.{}.{}", role.as_str().replace('_', ""), unit.to_lowercase());
                tokens.push((role, tier, app.staff_token(&name, role.as_str(), unit).await));
            }
        }

        let mut wrong = Vec::new();
        for (method, template, access) in &operations {
            let path = fixture.path(template);
            let body = (method != "GET" && method != "DELETE").then(|| json!({}));
            for (role, tier, token) in &tokens {
                let expected = match access {
                    Staff(a) => reach(*role, *tier, *a),
                    Either(a, b) => reach(*role, *tier, *a).or(reach(*role, *tier, *b)),
                    Session => continue,
                };
                let r = app.request(method, &path, Some(token), body.clone()).await;
                let refused = policy_refusal(&r);
                if expected.is_some() == refused {
                    wrong.push(format!(
                        "{method} {path} as {role} of a {tier:?}: policy {expected:?}, answer {} {}",
                        r.status, r.body["code"]
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}: {}", app.backend, wrong.join("\n"));

        // Outside the jurisdiction: a record of the inside unit is refused as such, and no answer
        // of any staff operation carries the inside unit's personal data.
        let mut outside = Vec::new();
        for role in Role::ALL {
            let name = format!("m.{}.out", role.as_str().replace('_', ""));
            outside.push((role, app.staff_token(&name, role.as_str(), OUTSIDE).await));
        }
        for (method, template, access) in &operations {
            let action = match access {
                Staff(a) | Either(a, _) => *a,
                Session => continue,
            };
            let path = fixture.path(template);
            for (role, token) in &outside {
                if reach(*role, Tier::Commune, action) != Some(Reach::Jurisdiction) {
                    continue;
                }
                let body = match (method.as_str(), template.as_str()) {
                    ("PATCH", "/api/v1/cases/{id}") => Some(json!({"status": "recovered"})),
                    ("POST", "/api/v1/quarantine/{id}/tests") => {
                        Some(json!({"date": "2027-01-15", "result": "negative"}))
                    }
                    ("GET" | "DELETE", _) => None,
                    _ => Some(json!({})),
                };
                let r = app.request(method, &path, Some(token), body.clone()).await;
                let text = r.body.to_string();
                if text.contains(MARK_NAME) || text.contains(&MARK_PHONE[1..]) {
                    wrong.push(format!("{method} {path} as {role} of {OUTSIDE} leaked: {text}"));
                }
                if fixture.has_record(template)
                    && (body.is_none() || template.contains("quarantine") || method == "PATCH"
                        || template.ends_with("/gather"))
                    && !(r.status == 403 && r.body["code"] == "out_of_jurisdiction")
                {
                    wrong.push(format!(
                        "{method} {path} as {role} of {OUTSIDE}: {} {}",
                        r.status, r.body["code"]
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}: {}", app.backend, wrong.join("\n"));
    })
    .await;
}
