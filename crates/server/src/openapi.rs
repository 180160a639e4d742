//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Phòng Dịch API", description = "Epidemic-prevention platform: accounts, units and (as they land) declarations, check-ins, exposure notification, tracing, map and campaigns. Errors are application/problem+json with messages in Vietnamese and English."),
    paths(
        healthz, request_otp, verify_otp, login, logout, get_me, update_me, add_family_member,
        remove_family_member, list_units, get_unit, search_units, list_citizens, get_citizen,
        list_staff, create_staff, deactivate_staff, reactivate_staff, revoke_staff_sessions,
        reset_staff_password, change_password, my_data, delete_me, list_audit, export_audit_csv, export_audit_xlsx, submit, mine, list, open, export_csv, export_xlsx,
        missed_updates, declare, my_pass, mine_svg, keys, verify_pass, rotate, list_countries,
        list_border_gates, declaration_choices, register, categories, list_venues, my_venues,
        open_venue, update_venue, import_venues, pending_venues, approve_venue, confirm_staff_visits, typed_visits, add_staff, venue_log, poster_svg, poster_png, poster_pdf,
        venue_keys, check_in, check_out, staff_check_in, my_visits, create_exposure,
        list_exposures, visitors, my_alerts, read_alert, feed, issue_code, verify_code,
        upload_keys, export_key, phone_config, publish_now, report_f1, list_f1_reports,
        my_f1_reports, create_case, list_cases, open_case, update_case, add_case_contact, gather_contacts,
        chain_csv, traced_people, traced_people_xlsx, traced_people_csv, create_quarantine, list_quarantine, my_quarantine, record_quarantine_test, create_zone, list_zones, open_zone, end_zone, lookup_zone,
        create_facility, list_facilities, open_facility, add_facility_staff, my_facilities,
        facility_criteria, list_criteria_sets, revise_criteria_set, submit_assessment,
        list_assessments, create_feedback, answer_feedback, list_open_feedback, feedback_photo,
        risk_categories, create_risk_report, my_risk_reports, list_risk_reports,
        triage_risk_report, close_risk_report, risk_report_photo, list_layers, map_layer,
        map_events, area_levels, map_config, set_population,
        save_org_unit, import_units, list_org_units, create_campaign, list_campaigns,
        open_campaign, report_campaign, campaign_xlsx, campaign_pdf, send_reminders, set_my_unit
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "account", description = "The caller's own account"),
        (name = "units", description = "Administrative units"),
        (name = "citizens", description = "Citizens' records for officials (audited)"),
        (name = "staff", description = "Staff accounts and the audit log"),
        (name = "declarations", description = "Health declarations (domestic, travel, entry, daily updates)"),
        (name = "health-pass", description = "The signed personal health QR"),
        (name = "venues", description = "Venues, their signed QR links and posters"),
        (name = "check-in", description = "Check-in and check-out at venues"),
        (name = "exposures", description = "Exposure windows at venues, alerts and the risky-venue feed"),
        (name = "exposure", description = "Bluetooth exposure notification: upload codes, key upload, signed exports, F1 reports"),
        (name = "zones", description = "Lockdown zones, quarantine areas and checkpoints; is a point in an active zone"),
        (name = "facilities", description = "An toàn COVID: facilities, daily self-assessments, criteria sets, citizens' feedback"),
        (name = "risk-reports", description = "Citizens' risk reports (Phản ánh), triaged and closed by officials"),
        (name = "campaigns", description = "Adoption campaigns: units and head counts, targets, reports, dashboard, XLSX/PDF, reminders"),
        (name = "map", description = "The public epidemic map: GeoJSON layers, live change events, area levels"),
        (name = "tracing", description = "Cases (F0), contacts, F-levels and quarantine for health officials"),
        (name = "reference", description = "Countries, border gates, answer choices"),
        (name = "system", description = "Health")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub(crate) fn document_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}

pub(crate) async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
}
