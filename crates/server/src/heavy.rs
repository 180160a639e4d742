//! Work a request can make expensive — decoding citizens' photos, rendering PDFs and
//! spreadsheets — runs on tokio's blocking pool behind a small semaphore per kind, so it never
//! stalls the async runtime (`/healthz`, sign-ins, check-ins) and never runs more than a few at
//! once, whatever the number of requests.
//!
//! When every slot of a kind is taken, a request waits at most
//! [`ServerConfig::heavy_work_wait_ms`](crate::config::ServerConfig::heavy_work_wait_ms) for
//! one, then answers **503** `server_busy` with `Retry-After`: the server is briefly full, not
//! the client misbehaving (429 is kept for a client's own limits). The slot is held by the
//! blocking task itself, so a request given up by its client still counts until its work ends.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::ServerConfig;
use crate::error::{ApiError, ApiResult};

/// Kinds of expensive work, each with its own slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Decoding and re-encoding a citizen's photo.
    Photo,
    /// Rendering a PDF, PNG or spreadsheet (posters, campaign reports, officials' exports).
    Document,
}

/// The slots of one server.
#[derive(Debug)]
pub struct HeavyWork {
    photos: Arc<Semaphore>,
    documents: Arc<Semaphore>,
    wait: Duration,
}

/// A held slot; the slot is free again when this is dropped.
#[derive(Debug)]
pub struct Slot(#[allow(dead_code)] OwnedSemaphorePermit);

impl HeavyWork {
    pub(crate) fn new(c: &ServerConfig) -> Self {
        Self {
            photos: Arc::new(Semaphore::new(c.photo_decodes_at_once.max(1))),
            documents: Arc::new(Semaphore::new(c.documents_at_once.max(1))),
            wait: Duration::from_millis(c.heavy_work_wait_ms),
        }
    }

    fn slots(&self, work: Work) -> &Arc<Semaphore> {
        match work {
            Work::Photo => &self.photos,
            Work::Document => &self.documents,
        }
    }

    /// Takes a slot of `work`, waiting at most the configured time; 503 `server_busy` when
    /// none came free.
    pub async fn slot(&self, work: Work) -> Result<Slot, ApiError> {
        let slots = self.slots(work).clone();
        let permit = if self.wait.is_zero() {
            slots.try_acquire_owned().ok()
        } else {
            tokio::time::timeout(self.wait, slots.acquire_owned())
                .await
                .ok()
                .and_then(Result::ok)
        };
        permit.map(Slot).ok_or_else(|| {
            tracing::warn!(?work, "heavy work refused: every slot is busy");
            ApiError::busy(2)
        })
    }

    /// Runs `job` on the blocking pool once a slot of `work` is free.
    pub(crate) async fn run<T, F>(&self, work: Work, job: F) -> ApiResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let slot = self.slot(work).await?;
        tokio::task::spawn_blocking(move || {
            let out = job();
            drop(slot);
            out
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))
    }
}
