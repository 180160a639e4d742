//! What every handler can reach: the store, the clock, the SMS sender, secrets, limits, the
//! disease profile and the health-pass keys.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use phongdich_domain::otp::OtpPolicy;
use phongdich_domain::profile::Profile;
use phongdich_store::Store;

use crate::checkin_writer::CheckinWriter;
use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::export_signer::ExportSigner;
use crate::feed::FeedFile;
use crate::rate_limit::Limits;
use crate::secrets::Secrets;
use crate::signing_keys::SigningKeys;
use crate::sms::SmsSender;
use crate::venue_cache::VenueCache;

/// Everything a server is built from.
#[derive(Debug)]
pub struct StateParts {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub sms: Arc<dyn SmsSender>,
    pub secrets: Secrets,
    pub config: ServerConfig,
    pub profile: Profile,
    pub pass_keys: SigningKeys,
    /// Signs venue links and the risky-venue feed.
    pub venue_keys: SigningKeys,
    /// Signs key exports; `None` makes one in memory on first use (tests).
    pub export_signer: Option<ExportSigner>,
    /// Seals the keys shared through the database; `None`: keys live in memory only (tests).
    pub vault: Option<crate::shared_keys::KeyVault>,
    /// Where published files (the risky-venue feed) are written; `None` keeps them in memory.
    pub data_dir: Option<PathBuf>,
}

/// Shared state of the server; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sms: Arc<dyn SmsSender>,
    pub(crate) secrets: Secrets,
    pub(crate) config: ServerConfig,
    pub(crate) otp: OtpPolicy,
    pub(crate) limits: Limits,
    pub(crate) profile: Profile,
    /// Swapped whole when the keys are rotated.
    pub(crate) pass_keys: RwLock<Arc<SigningKeys>>,
    pub(crate) venue_keys: SigningKeys,
    pub(crate) data_dir: Option<PathBuf>,
    /// Started on first use (it needs the runtime).
    pub(crate) checkin_writer: OnceLock<CheckinWriter>,
    /// The signed risky-venue feed as last published.
    pub(crate) feed: RwLock<Option<Arc<FeedFile>>>,
    pub(crate) venues: VenueCache,
    /// Shared through the database (or made in memory on first use).
    pub(crate) export_signer: Mutex<Option<ExportSigner>>,
    pub(crate) vault: Option<crate::shared_keys::KeyVault>,
    /// One key-export run at a time.
    pub(crate) export_lock: tokio::sync::Mutex<()>,
    /// Change notices for the map page's live updates.
    pub(crate) map_events: crate::map::MapEvents,
    /// Caps on open map event streams.
    pub(crate) map_streams: crate::map::streams::StreamSlots,
    /// Slots for photo decodes and document rendering.
    pub(crate) heavy: crate::heavy::HeavyWork,
}

impl AppState {
    pub fn new(parts: StateParts) -> Self {
        let StateParts {
            store,
            clock,
            sms,
            secrets,
            config,
            profile,
            pass_keys,
            venue_keys,
            export_signer,
            vault,
            data_dir,
        } = parts;
        let limits = Limits::new(&config);
        let heavy = crate::heavy::HeavyWork::new(&config);
        let map_streams = crate::map::streams::StreamSlots::new(
            config.map_streams_per_address,
            config.map_streams_total,
        );
        let inner = Inner {
            store,
            clock,
            sms,
            secrets,
            config,
            otp: OtpPolicy::default(),
            limits,
            profile,
            pass_keys: RwLock::new(Arc::new(pass_keys)),
            venue_keys,
            data_dir,
            checkin_writer: OnceLock::new(),
            feed: RwLock::new(None),
            venues: VenueCache::default(),
            export_signer: Mutex::new(export_signer),
            vault,
            export_lock: tokio::sync::Mutex::new(()),
            map_events: crate::map::MapEvents::default(),
            map_streams,
            heavy,
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// The current health-pass keys.
    pub fn pass_keys(&self) -> Arc<SigningKeys> {
        self.inner
            .pass_keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Starts a new health-pass signing key for every instance (the old ones keep verifying
    /// what they signed); the keys to use now. Without a vault the keys live in memory: the new
    /// one is this process's alone.
    pub async fn rotate_pass_keys(&self) -> anyhow::Result<Arc<SigningKeys>> {
        let max = self.profile().health_pass.longest_secs();
        let keys = match &self.inner.vault {
            Some(vault) => {
                crate::shared_keys::rotate_pass_keys(self.store(), vault, self.now(), max).await?
            }
            None => SigningKeys::ephemeral(),
        };
        self.replace_pass_keys(keys);
        Ok(self.pass_keys())
    }

    /// Reloads the health-pass keys from the database, to follow another instance's rotation.
    pub async fn refresh_pass_keys(&self) -> anyhow::Result<()> {
        let Some(vault) = &self.inner.vault else {
            return Ok(());
        };
        let max = self.profile().health_pass.longest_secs();
        let keys = crate::shared_keys::pass_ring(self.store(), vault, self.now(), max).await?;
        if keys.signer().kid() != self.pass_keys().signer().kid()
            || keys.ring().keys().len() != self.pass_keys().ring().keys().len()
        {
            tracing::info!(kid = %keys.signer().kid().to_base64url(), "health-pass keys reloaded");
            self.replace_pass_keys(keys);
        }
        Ok(())
    }

    /// Starts using rotated keys.
    pub fn replace_pass_keys(&self, keys: SigningKeys) {
        *self
            .inner
            .pass_keys
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
    }

    /// The keys of venue links and the risky-venue feed.
    pub fn venue_keys(&self) -> &SigningKeys {
        &self.inner.venue_keys
    }

    /// The group-commit writer of check-ins.
    pub(crate) fn checkin_writer(&self) -> &CheckinWriter {
        self.inner
            .checkin_writer
            .get_or_init(|| CheckinWriter::start(self.inner.store.clone()))
    }

    /// The rate limiters (the housekeeping job trims them).
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The key that signs diagnosis-key exports (from `DIR/keys/`, or in memory without a
    /// data folder).
    pub fn export_signer(&self) -> anyhow::Result<ExportSigner> {
        let mut slot = self
            .inner
            .export_signer
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(signer) = slot.as_ref() {
            return Ok(signer.clone());
        }
        let signer = ExportSigner::ephemeral();
        *slot = Some(signer.clone());
        Ok(signer)
    }

    /// The slots of expensive work (public so tests can fill them as a burst of requests would).
    pub fn heavy_work(&self) -> &crate::heavy::HeavyWork {
        &self.inner.heavy
    }

    /// The current time from the server's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }
}
