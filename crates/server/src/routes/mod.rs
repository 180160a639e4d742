//! The router: one module per resource, mounted under `/api/v1`, plus `/healthz` and the web app.

mod audit;
mod auth;
mod campaigns;
pub(crate) mod cases;
mod checkins;
mod checkpoint;
mod citizens;
mod declarations;
mod exposures;
mod f1_reports;
mod facilities;
mod feedback;
mod health;
pub(crate) mod health_pass;
mod keyserver;
mod map;
mod me;
mod me_data;
mod org_units;
mod posters;
mod quarantine;
mod reference;
mod risk_reports;
mod staff;
mod tracing_lists;
mod units;
pub(crate) mod venues;
pub(crate) mod views;
mod zones;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::routing::{delete, get, post, put};

/// Bodies that may carry a photo.
const PHOTO_BODY: usize = crate::photos::MAX_PHOTO_BODY_BYTES;
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

pub(crate) use audit::{__path_export_audit_csv, __path_export_audit_xlsx, __path_list_audit};
pub(crate) use auth::{__path_login, __path_logout, __path_request_otp, __path_verify_otp};
pub(crate) use campaigns::{
    __path_create as __path_create_campaign, __path_list as __path_list_campaigns,
    __path_open as __path_open_campaign, __path_report as __path_report_campaign,
    __path_report_pdf as __path_campaign_pdf, __path_report_xlsx as __path_campaign_xlsx,
    __path_send_reminders,
};
pub(crate) use cases::{
    __path_add_contact as __path_add_case_contact, __path_chain_csv,
    __path_create as __path_create_case, __path_gather as __path_gather_contacts,
    __path_list as __path_list_cases, __path_open as __path_open_case,
    __path_update as __path_update_case,
};
pub(crate) use checkins::{
    __path_check_in, __path_check_out, __path_my_visits, __path_staff_check_in,
};
pub(crate) use checkpoint::__path_declare;
pub(crate) use citizens::{__path_get_citizen, __path_list_citizens};
pub(crate) use declarations::{
    __path_export_csv, __path_export_xlsx, __path_list, __path_mine, __path_missed_updates,
    __path_open, __path_submit,
};
pub(crate) use exposures::{
    __path_create as __path_create_exposure, __path_feed, __path_keys as __path_venue_keys,
    __path_list as __path_list_exposures, __path_my_alerts, __path_read_alert, __path_venue_log,
    __path_visitors,
};
pub(crate) use f1_reports::{
    __path_list as __path_list_f1_reports, __path_mine as __path_my_f1_reports,
    __path_report as __path_report_f1,
};
pub(crate) use health::__path_healthz;
pub(crate) use health_pass::{
    __path_keys, __path_mine as __path_my_pass, __path_mine_svg, __path_rotate, __path_verify_pass,
};
pub(crate) use keyserver::{
    __path_export_key, __path_issue_code, __path_phone_config, __path_publish_now,
    __path_upload_keys, __path_verify_code,
};
pub(crate) use me::{
    __path_add_family_member, __path_change_password, __path_get_me, __path_remove_family_member,
    __path_update_me,
};
pub(crate) use me_data::{__path_delete_me, __path_my_data};
pub(crate) use org_units::{
    __path_import_units, __path_list_units as __path_list_org_units,
    __path_save_unit as __path_save_org_unit, __path_set_my_unit,
};
pub(crate) use posters::{__path_poster_pdf, __path_poster_png, __path_poster_svg};
pub(crate) use quarantine::{
    __path_create as __path_create_quarantine, __path_list as __path_list_quarantine,
    __path_mine as __path_my_quarantine, __path_record_test as __path_record_quarantine_test,
};
pub(crate) use reference::{
    __path_declaration_choices, __path_list_border_gates, __path_list_countries,
};
pub(crate) use staff::{
    __path_create_staff, __path_deactivate_staff, __path_list_staff, __path_reactivate_staff,
    __path_reset_staff_password, __path_revoke_staff_sessions,
};
pub(crate) use tracing_lists::{
    __path_csv as __path_traced_people_csv, __path_list as __path_traced_people,
    __path_xlsx as __path_traced_people_xlsx,
};
pub(crate) use units::{__path_get_unit, __path_list_units, __path_search_units};
pub(crate) use venues::{
    __path_add_staff, __path_approve as __path_approve_venue, __path_categories,
    __path_confirm_staff_visits, __path_import as __path_import_venues,
    __path_list as __path_list_venues, __path_mine as __path_my_venues,
    __path_open as __path_open_venue, __path_pending as __path_pending_venues, __path_register,
    __path_typed_visits, __path_update as __path_update_venue,
};

pub(crate) use facilities::{
    __path_add_staff as __path_add_facility_staff, __path_assessments as __path_list_assessments,
    __path_create as __path_create_facility, __path_criteria as __path_facility_criteria,
    __path_list as __path_list_facilities, __path_list_sets as __path_list_criteria_sets,
    __path_mine as __path_my_facilities, __path_open as __path_open_facility,
    __path_revise_set as __path_revise_criteria_set, __path_submit_assessment,
};
pub(crate) use feedback::{
    __path_answer as __path_answer_feedback, __path_create as __path_create_feedback,
    __path_list_open as __path_list_open_feedback, __path_photo as __path_feedback_photo,
};
pub(crate) use map::{
    __path_area_levels, __path_events as __path_map_events, __path_layer as __path_map_layer,
    __path_list_layers, __path_map_config, __path_set_population,
};
pub(crate) use risk_reports::{
    __path_categories as __path_risk_categories, __path_close as __path_close_risk_report,
    __path_create as __path_create_risk_report, __path_list as __path_list_risk_reports,
    __path_mine as __path_my_risk_reports, __path_photo as __path_risk_report_photo,
    __path_triage as __path_triage_risk_report,
};
pub(crate) use zones::{
    __path_create as __path_create_zone, __path_end as __path_end_zone,
    __path_list as __path_list_zones, __path_lookup as __path_lookup_zone,
    __path_open as __path_open_zone,
};

pub(crate) fn router(state: AppState) -> Router {
    let max_body = state.inner.config.max_body_bytes;
    let security = std::sync::Arc::new(crate::security_headers::SecurityHeaders::new(
        &state.inner.config,
    ));
    let api = Router::new()
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/auth/otp", post(auth::request_otp))
        .route("/auth/otp/verify", post(auth::verify_otp))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route(
            "/me",
            get(me::get_me)
                .patch(me::update_me)
                .delete(me_data::delete_me),
        )
        .route("/me/password", post(me::change_password))
        .route("/me/data", get(me_data::my_data))
        .route("/me/family", post(me::add_family_member))
        .route("/me/family/{id}", delete(me::remove_family_member))
        .route("/units", get(units::list_units))
        .route("/units/search", get(units::search_units))
        .route("/units/{code}", get(units::get_unit))
        .route("/citizens", get(citizens::list_citizens))
        .route("/citizens/{id}", get(citizens::get_citizen))
        .route("/staff", get(staff::list_staff).post(staff::create_staff))
        .route("/staff/{id}/deactivate", post(staff::deactivate_staff))
        .route("/staff/{id}/reactivate", post(staff::reactivate_staff))
        .route("/staff/{id}/sessions", delete(staff::revoke_staff_sessions))
        .route("/staff/{id}/password", post(staff::reset_staff_password))
        .route("/audit", get(audit::list_audit))
        .route("/audit/export.csv", get(audit::export_audit_csv))
        .route("/audit/export.xlsx", get(audit::export_audit_xlsx))
        .route(
            "/declarations",
            post(declarations::submit).get(declarations::list),
        )
        .route("/declarations/export.csv", get(declarations::export_csv))
        .route("/declarations/export.xlsx", get(declarations::export_xlsx))
        .route(
            "/declarations/missed-updates",
            get(declarations::missed_updates),
        )
        .route("/declarations/{id}", get(declarations::open))
        .route("/me/declarations", get(declarations::mine))
        .route("/me/health-pass", get(health_pass::mine))
        .route("/me/health-pass.svg", get(health_pass::mine_svg))
        .route("/health-pass/keys", get(health_pass::keys))
        .route("/health-pass/verify", post(health_pass::verify_pass))
        .route("/health-pass/rotate-keys", post(health_pass::rotate))
        .route("/checkpoint/declarations", post(checkpoint::declare))
        .route("/reference/countries", get(reference::list_countries))
        .route("/reference/border-gates", get(reference::list_border_gates))
        .route(
            "/reference/declaration-choices",
            get(reference::declaration_choices),
        )
        .route("/venues", post(venues::register).get(venues::list))
        .route("/venues/categories", get(venues::categories))
        .route("/venues/pending", get(venues::pending))
        .route("/venues/staff-visits", get(venues::typed_visits))
        .route(
            "/venues/import",
            // A district's list is larger than an ordinary request.
            post(venues::import).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route("/venues/keys", get(exposures::keys))
        .route("/venues/{id}", get(venues::open).patch(venues::update))
        .route("/venues/{id}/staff", post(venues::add_staff))
        .route("/venues/{id}/approve", post(venues::approve))
        .route(
            "/venues/{id}/staff-visits/confirm",
            post(venues::confirm_staff_visits),
        )
        .route("/venues/{id}/visitors", get(exposures::venue_log))
        .route("/venues/{id}/checkins", post(checkins::staff_check_in))
        .route("/venues/{id}/exposures", post(exposures::create))
        .route("/venues/{id}/poster.svg", get(posters::poster_svg))
        .route("/venues/{id}/poster.png", get(posters::poster_png))
        .route("/venues/{id}/poster.pdf", get(posters::poster_pdf))
        .route("/me/venues", get(venues::mine))
        .route("/me/visits", get(checkins::my_visits))
        .route("/me/alerts", get(exposures::my_alerts))
        .route("/me/alerts/{id}/read", post(exposures::read_alert))
        .route("/checkins", post(checkins::check_in))
        .route("/checkins/out", post(checkins::check_out))
        .route("/exposures", get(exposures::list))
        .route("/exposures/{id}/visitors", get(exposures::visitors))
        .route("/exposure/codes", post(keyserver::issue_code))
        .route("/exposure/verify", post(keyserver::verify_code))
        .route("/exposure/keys", post(keyserver::upload_keys))
        .route("/exposure/export-key", get(keyserver::export_key))
        .route("/exposure/config", get(keyserver::phone_config))
        .route("/exposure/exports", post(keyserver::publish_now))
        .route(
            "/exposure/f1-reports",
            post(f1_reports::report).get(f1_reports::list),
        )
        .route("/me/exposure-reports", get(f1_reports::mine))
        .route("/cases", post(cases::create).get(cases::list))
        .route("/cases/{id}", get(cases::open).patch(cases::update))
        .route("/cases/{id}/contacts", post(cases::add_contact))
        .route("/cases/{id}/gather", post(cases::gather))
        .route("/cases/{id}/chain.csv", get(cases::chain_csv))
        .route(
            "/quarantine",
            post(quarantine::create).get(quarantine::list),
        )
        .route("/me/quarantine", get(quarantine::mine))
        .route("/quarantine/{id}/tests", post(quarantine::record_test))
        .route("/tracing/people", get(tracing_lists::list))
        .route("/tracing/people.xlsx", get(tracing_lists::xlsx))
        .route("/tracing/people.csv", get(tracing_lists::csv))
        .route(
            "/zones",
            // A drawn outline of up to 5,000 positions is larger than an ordinary request.
            post(zones::create)
                .layer(DefaultBodyLimit::max(512 * 1024))
                .get(zones::list),
        )
        .route("/zones/lookup", get(zones::lookup))
        .route("/zones/{id}", get(zones::open))
        .route("/zones/{id}/end", post(zones::end))
        .route(
            "/facilities",
            post(facilities::create).get(facilities::list),
        )
        .route("/facilities/{id}", get(facilities::open))
        .route("/facilities/{id}/staff", post(facilities::add_staff))
        .route("/facilities/{id}/criteria", get(facilities::criteria))
        .route(
            "/facilities/{id}/assessments",
            post(facilities::submit_assessment).get(facilities::assessments),
        )
        .route(
            "/facilities/{id}/feedback",
            post(feedback::create).layer(DefaultBodyLimit::max(PHOTO_BODY)),
        )
        .route("/me/facilities", get(facilities::mine))
        .route("/criteria-sets", get(facilities::list_sets))
        .route(
            "/criteria-sets/{facility_type}",
            put(facilities::revise_set).layer(DefaultBodyLimit::max(512 * 1024)),
        )
        .route("/feedback", get(feedback::list_open))
        .route("/feedback/{id}/answer", post(feedback::answer))
        .route("/feedback/{id}/photo", get(feedback::photo))
        .route(
            "/risk-reports",
            post(risk_reports::create)
                .layer(DefaultBodyLimit::max(PHOTO_BODY))
                .get(risk_reports::list),
        )
        .route("/risk-reports/categories", get(risk_reports::categories))
        .route("/risk-reports/{id}/triage", post(risk_reports::triage))
        .route("/risk-reports/{id}/close", post(risk_reports::close))
        .route("/risk-reports/{id}/photo", get(risk_reports::photo))
        .route("/me/risk-reports", get(risk_reports::mine))
        .route("/map/layers", get(map::list_layers))
        .route("/map/layers/{file}", get(map::layer))
        .route("/map/events", get(map::events))
        .route("/map/area-levels", get(map::area_levels))
        .route("/config/map", get(map::map_config))
        .route("/units/{code}/population", put(map::set_population))
        .route(
            "/org-units",
            post(org_units::save_unit).get(org_units::list_units),
        )
        .route(
            "/org-units/import",
            post(org_units::import_units).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route("/campaigns", post(campaigns::create).get(campaigns::list))
        .route("/campaigns/reminders", post(campaigns::send_reminders))
        .route("/campaigns/{id}", get(campaigns::open))
        .route("/campaigns/{id}/reports", post(campaigns::report))
        .route("/campaigns/{id}/report.xlsx", get(campaigns::report_xlsx))
        .route("/campaigns/{id}/report.pdf", get(campaigns::report_pdf))
        .route("/me/org-unit", put(org_units::set_my_unit))
        .fallback(|| async { crate::error::ApiError::NotFound });
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/feeds/risky-venues.jws", get(exposures::feed))
        .route("/en/exports/{file}", get(keyserver::export_file))
        .nest("/api/v1", api)
        .fallback(crate::web::serve)
        .layer(DefaultBodyLimit::max(max_body))
        // Inside the headers: every error answer, the framework's too, is problem+json.
        .layer(axum::middleware::from_fn(
            crate::framework_errors::as_problem,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security,
            crate::security_headers::add,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The span names the route, not the raw path: ids and queries stay out of the log.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("-", |m| m.as_str());
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}
