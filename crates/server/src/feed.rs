//! Publishing the risky-venue feed: a signed static file (`/feeds/risky-venues.jws`) that phones
//! download with `If-None-Match` and match against their own visit history, so alerts reach
//! people even when the server keeps no visits (on-device mode) and a CDN can carry the reads.

use std::sync::Arc;

use anyhow::Context;
use jiff::SignedDuration;
use phongdich_domain::venues::RiskLevel;
use phongdich_venue_qr::{sign_feed, Feed, FeedEntry};

use crate::state::AppState;

/// The published file and its entity tag.
#[derive(Debug)]
pub(crate) struct FeedFile {
    pub(crate) body: String,
    pub(crate) etag: String,
}

/// The file's path under the data folder and under the server's root.
pub(crate) const FEED_PATH: &str = "feeds/risky-venues.jws";

impl AppState {
    /// The current feed, publishing it first if this process has not yet.
    pub(crate) async fn risky_feed(&self) -> anyhow::Result<Arc<FeedFile>> {
        let current = self
            .inner
            .feed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match current {
            Some(feed) => Ok(feed),
            None => self.publish_feed_file().await,
        }
    }

    /// Republishes the feed (after a change, and periodically so expired windows drop out).
    pub async fn publish_feed(&self) -> anyhow::Result<()> {
        self.publish_feed_file().await.map(|_| ())
    }

    /// Rebuilds the feed from the store (windows still inside the retention period), signs it,
    /// writes it atomically to `DIR/feeds/` and serves it from then on.
    async fn publish_feed_file(&self) -> anyhow::Result<Arc<FeedFile>> {
        let rules = &self.profile().checkin;
        let now = self.now();
        let since = now - SignedDuration::from_hours(24 * rules.retention_days);
        let exposures = self.store().exposures_since(since).await?;
        let entries = exposures
            .into_iter()
            .map(|e| {
                let message = RiskLevel::parse(&e.level)
                    .unwrap_or(RiskLevel::Low)
                    .guidance(rules);
                FeedEntry {
                    id: e.id,
                    venue_id: e.venue_code,
                    venue_name: e.venue_name,
                    starts_at: e.starts_at.0.to_string(),
                    ends_at: e.ends_at.0.to_string(),
                    margin_minutes: rules.overlap_margin_minutes,
                    level: e.level,
                    message_vi: message.vi,
                    message_en: message.en,
                }
            })
            .collect();
        let feed = Feed {
            version: 1,
            generated_at: now.to_string(),
            entries,
        };
        let body = sign_feed(self.venue_keys().signer(), &feed);
        let etag = crate::etag::of(body.as_bytes());
        if let Some(dir) = &self.inner.data_dir {
            let path = dir.join(FEED_PATH);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            crate::files::write_atomically(&path, body.as_bytes())?;
        }
        let file = Arc::new(FeedFile { body, etag });
        *self.inner.feed.write().unwrap_or_else(|e| e.into_inner()) = Some(file.clone());
        Ok(file)
    }
}
