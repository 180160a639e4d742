//! What every handler can reach: the store, the clock, the SMS sender, secrets, limits, the
//! disease profile and the health-pass keys.

use std::sync::{Arc, RwLock};

use phongdich_domain::otp::OtpPolicy;
use phongdich_domain::profile::Profile;
use phongdich_store::Store;

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::health_keys::HealthPassKeys;
use crate::rate_limit::Limits;
use crate::secrets::Secrets;
use crate::sms::SmsSender;

/// Everything a server is built from.
#[derive(Debug)]
pub struct StateParts {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub sms: Arc<dyn SmsSender>,
    pub secrets: Secrets,
    pub config: ServerConfig,
    pub profile: Profile,
    pub pass_keys: HealthPassKeys,
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
    pub(crate) pass_keys: RwLock<Arc<HealthPassKeys>>,
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
        } = parts;
        let limits = Limits::new(&config);
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
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// The current health-pass keys.
    pub fn pass_keys(&self) -> Arc<HealthPassKeys> {
        self.inner
            .pass_keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Starts using rotated keys.
    pub fn replace_pass_keys(&self, keys: HealthPassKeys) {
        *self
            .inner
            .pass_keys
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
    }

    /// The rate limiters (the housekeeping job trims them).
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The current time from the server's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }
}
