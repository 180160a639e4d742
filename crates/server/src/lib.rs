//! The HTTP edge of Phòng Dịch: axum routes, extractors for sessions and roles, problem+json
//! errors, rate limits, the OpenAPI document and the embedded web app.
//!
//! Handlers convert wire types to domain types at the edge, call the store, and convert back.
//! Who may do what is decided in [`auth`] (extractors and guards), never inside a handler.

pub mod auth;
mod campaigns;
pub mod chains;
mod checkin_writer;
pub mod client_addr;
pub mod clock;
pub mod config;
mod csv_upload;
pub mod declaring;
mod error;
mod etag;
pub mod export_signer;
mod exports;
mod feed;
pub mod files;
mod framework_errors;
pub mod heavy;
mod input;
pub mod key_exports;
pub mod key_uploads;
mod map;
mod openapi;
mod photos;
pub mod rate_limit;
pub mod retention;
mod reveal;
mod routes;
pub mod secrets;
mod security_headers;
mod self_assessment;
pub mod shared_keys;
pub mod signing_keys;
pub mod sms;
mod state;
mod venue_cache;
mod web;

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use config::{CheckinMode, ServerConfig};
pub use error::ApiError;
pub use state::{AppState, StateParts};

/// Serves the API and the web app on `listener` until `shutdown` completes, then finishes the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = routes::router(state.clone());
    // Streams that never end by themselves (the map's live events) are closed when the stop
    // begins; otherwise an open map page would hold the graceful stop forever.
    let shutdown = async move {
        shutdown.await;
        state.inner.map_events.close();
    };
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The OpenAPI 3.1 document of the whole API, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    openapi::document_json()
}
