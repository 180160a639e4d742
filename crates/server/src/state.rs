//! What every handler can reach: the store, the clock, the SMS sender, secrets and limits.

use std::sync::Arc;

use phongdich_domain::otp::OtpPolicy;
use phongdich_store::Store;

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::rate_limit::Limits;
use crate::secrets::Secrets;
use crate::sms::SmsSender;

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
}

impl AppState {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        sms: Arc<dyn SmsSender>,
        secrets: Secrets,
        config: ServerConfig,
    ) -> Self {
        let limits = Limits::new(&config);
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                sms,
                secrets,
                config,
                otp: OtpPolicy::default(),
                limits,
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The rate limiters (the housekeeping job trims them).
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }
}
