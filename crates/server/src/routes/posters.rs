//! Venue posters: the QR code with the venue's name, code and instructions, as SVG, PNG and
//! A4 PDF (SPEC §10). Public: a poster shows only what hangs on the venue's wall anyway.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use phongdich_poster::Poster;

use crate::error::{ApiError, ApiResult};
use crate::heavy::Work;
use crate::input::ApiPath;
use crate::openapi::answers::{Busy, Malformed, NotFound};
use crate::routes::venues::{find_venue, public_base, venue_view};
use crate::routes::views::UnitViews;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// This module's routes and their part of the OpenAPI document (paths under `/api/v1`).
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(poster_svg))
        .routes(routes!(poster_png))
        .routes(routes!(poster_pdf))
}

/// Resolution of the PNG poster: sharp when printed, small enough to send by chat.
const PNG_DPI: u32 = 150;

#[derive(Clone, Copy)]
enum Format {
    Svg,
    Png,
    Pdf,
}

async fn render(
    state: AppState,
    code: String,
    headers: HeaderMap,
    format: Format,
) -> ApiResult<Response> {
    let venue = find_venue(&state, &code).await?;
    let base = public_base(&state, &headers);
    let view = venue_view(&state, venue, &base, &mut UnitViews::default()).await?;
    let file_stem = format!("poster-{}", view.id);
    let bytes = state
        .heavy_work()
        .run(Work::Document, move || {
            let poster = Poster {
                venue_name: &view.name,
                venue_code: &view.id,
                category_vi: &view.category_vi,
                category_en: &view.category_en,
                address: &view.address,
                url: &view.qr_url,
            };
            match format {
                Format::Svg => phongdich_poster::svg(&poster).map(String::into_bytes),
                Format::Png => phongdich_poster::png(&poster, PNG_DPI),
                Format::Pdf => phongdich_poster::pdf(&[poster], &mut |_| {}),
            }
        })
        .await?
        .map_err(|e| ApiError::Internal(e.into()))?;
    let (mime, ext) = match format {
        Format::Svg => ("image/svg+xml", "svg"),
        Format::Png => ("image/png", "png"),
        Format::Pdf => ("application/pdf", "pdf"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file_stem}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The venue's poster as SVG.
#[utoipa::path(get, path = "/venues/{id}/poster.svg", tag = "venues",
    params(("id" = String, Path)), responses((status = 200, content_type = "image/svg+xml"), Malformed, NotFound, Busy))]
pub(crate) async fn poster_svg(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    render(state, code, headers, Format::Svg).await
}

/// The venue's poster as PNG (A4 at 150 dpi).
#[utoipa::path(get, path = "/venues/{id}/poster.png", tag = "venues",
    params(("id" = String, Path)), responses((status = 200, content_type = "image/png"), Malformed, NotFound, Busy))]
pub(crate) async fn poster_png(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    render(state, code, headers, Format::Png).await
}

/// The venue's poster as a printable A4 PDF (QR code 15 cm wide or more).
#[utoipa::path(get, path = "/venues/{id}/poster.pdf", tag = "venues",
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf"), Malformed, NotFound, Busy))]
pub(crate) async fn poster_pdf(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    render(state, code, headers, Format::Pdf).await
}
