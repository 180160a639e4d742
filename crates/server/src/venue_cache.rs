//! A short-lived cache of venues whose link signature was verified: a busy market sends the
//! same code and signature thousands of times an hour, and each check-in would otherwise pay a
//! signature check and a venue lookup. Entries live a few seconds, and a status change made
//! through this process drops the venue at once, so a closed venue stops taking check-ins.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use phongdich_store::Venue;

/// How long a verified venue is reused (also bounds how late another process's closing of a
/// venue is noticed).
const TTL: Duration = Duration::from_secs(10);
/// Entries kept before the cache is cleared (a few kilobytes each).
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct VenueCache {
    entries: Mutex<HashMap<String, (String, Venue, Instant)>>,
}

impl VenueCache {
    /// The venue for `code` if `sig` was verified for it within the TTL.
    pub(crate) fn get(&self, code: &str, sig: &str) -> Option<Venue> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (known_sig, venue, at) = entries.get(code)?;
        (known_sig == sig && at.elapsed() < TTL).then(|| venue.clone())
    }

    pub(crate) fn put(&self, sig: &str, venue: &Venue) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            venue.code.clone(),
            (sig.to_owned(), venue.clone(), Instant::now()),
        );
    }

    pub(crate) fn forget(&self, code: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(code);
    }
}
