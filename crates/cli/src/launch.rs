//! Opening the store and starting the server from the settings.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use phongdich_domain::profile::Profile;
use phongdich_domain::units::OfficialList;
use phongdich_server::clock::{Clock, SystemClock};
use phongdich_server::shared_keys::{KeyVault, SharedKeys};
use phongdich_server::sms::{ConsoleSender, HttpGatewaySender, SmsSender};
use phongdich_server::{AppState, StateParts};
use phongdich_store::Store;
use tokio::net::TcpListener;

use crate::settings::Settings;

/// Opens (and migrates) the configured store and makes sure the unit list is loaded.
pub(crate) async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&settings.data)
        .with_context(|| format!("creating the data folder {}", settings.data.display()))?;
    let store = if settings.database_url.is_empty() {
        let path = settings.data.join("phongdich.db");
        Store::open_sqlite(&path)
            .await
            .with_context(|| format!("opening {}", path.display()))?
    } else {
        Store::open_postgres(&settings.database_url)
            .await
            .context("opening the PostgreSQL store")?
    };
    let list = OfficialList::from_id(&settings.units).context("unknown unit list")?;
    let loaded = store
        .ensure_units(list)
        .await
        .context("loading the administrative units")?;
    if loaded > 0 {
        tracing::info!(
            units = loaded,
            list = list.id(),
            "administrative units loaded"
        );
    }
    Ok(store)
}

/// Builds the server state for `store` from the settings.
pub(crate) async fn app_state(settings: &Settings, store: Store) -> anyhow::Result<AppState> {
    app_state_with_clock(settings, store, Arc::new(SystemClock)).await
}

/// The vault of the configured key-encryption key; without one, the server's own in the data
/// folder (an embedded server, or a single instance: a second one would be refused at start).
pub(crate) fn key_vault(settings: &Settings) -> anyhow::Result<KeyVault> {
    if !settings.key_encryption_key.trim().is_empty() {
        return KeyVault::from_base64(&settings.key_encryption_key);
    }
    if !settings.database_url.is_empty() {
        tracing::warn!(
            "no key_encryption_key is configured: this instance seals the shared keys with its              own (DIR/secrets/key-encryption.key), so no other instance can join it"
        );
    }
    KeyVault::load_or_create_local(&settings.data)
}

/// The keys shared through the database (made on first start, imported from an older data
/// folder), opened with the configured key-encryption key.
pub(crate) async fn shared_keys(
    settings: &Settings,
    store: &Store,
    profile: &Profile,
) -> anyhow::Result<(KeyVault, SharedKeys)> {
    let vault = key_vault(settings)?;
    let keys = phongdich_server::shared_keys::load(
        store,
        &vault,
        Some(&settings.data),
        jiff::Timestamp::now(),
        profile.health_pass.longest_secs(),
    )
    .await
    .context("loading the shared keys")?;
    Ok((vault, keys))
}

/// Builds the server state with a given clock (the demo seeds the past with a moved clock).
pub(crate) async fn app_state_with_clock(
    settings: &Settings,
    store: Store,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<AppState> {
    let sms: Arc<dyn SmsSender> = match settings.sms.sender.as_str() {
        "http" => HttpGatewaySender::new(
            settings.sms.gateway_url.clone(),
            settings.sms.gateway_token.clone(),
        ),
        _ => ConsoleSender::new(settings.data.join("sms-outbox.jsonl")),
    };
    let profile = load_profile(settings)?;
    let (vault, keys) = shared_keys(settings, &store, &profile).await?;
    Ok(AppState::new(StateParts {
        store,
        clock,
        sms,
        secrets: keys.secrets,
        config: settings.server.clone(),
        profile,
        pass_keys: keys.pass_keys,
        venue_keys: keys.venue_keys,
        export_signer: Some(keys.export_signer),
        vault: Some(vault),
        data_dir: Some(settings.data.clone()),
    }))
}

/// The configured disease profile, or the shipped COVID-19 2021 one.
pub(crate) fn load_profile(settings: &Settings) -> anyhow::Result<Profile> {
    if settings.profile.is_empty() {
        return Ok(Profile::covid19_2021());
    }
    let text = std::fs::read_to_string(&settings.profile)
        .with_context(|| format!("reading the profile {}", settings.profile))?;
    Profile::parse(&text)
        .map_err(|e| anyhow::anyhow!("the profile {} is invalid: {e}", settings.profile))
}

/// Binds the listener (so the real port is known before serving).
pub(crate) async fn bind(settings: &Settings) -> anyhow::Result<TcpListener> {
    TcpListener::bind(&settings.addr)
        .await
        .with_context(|| format!("listening on {}", settings.addr))
}

pub(crate) async fn serve(settings: Settings) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let listener = bind(&settings).await?;
    let addr = listener.local_addr()?;
    println!("Phòng Dịch đang chạy tại / is serving at http://{addr}/");
    run_until_shutdown(listener, app_state(&settings, store.clone()).await?, store).await
}

/// Serves until Ctrl-C or SIGTERM, with the background jobs beside it, then closes the store.
pub(crate) async fn run_until_shutdown(
    listener: TcpListener,
    state: AppState,
    store: Store,
) -> anyhow::Result<()> {
    let instance = instance_id();
    tracing::info!(instance = %instance, "instance started");
    let chores = tokio::spawn(instance_chores(state.clone()));
    let housekeeping = tokio::spawn(leased(
        state.clone(),
        instance.clone(),
        HOUSEKEEPING,
        Duration::from_secs(600),
        |state| async move { housekeeping(&state).await },
    ));
    let export_every = Duration::from_secs(state.config().exposure_export_interval_secs.max(1));
    let exports = tokio::spawn(leased(
        state.clone(),
        instance.clone(),
        KEY_EXPORTS,
        export_every,
        |state| async move {
            if let Err(e) = state.publish_key_exports().await {
                tracing::warn!(error = format!("{e:#}"), "key export failed");
            }
        },
    ));
    phongdich_server::serve(listener, state, shutdown_signal())
        .await
        .context("serving HTTP")?;
    chores.abort();
    housekeeping.abort();
    exports.abort();
    // Hand the jobs over at once rather than when the leases run out.
    for job in [HOUSEKEEPING, KEY_EXPORTS] {
        if let Err(e) = store.release_lease(job, &instance).await {
            tracing::warn!(job, error = %e, "could not release the job lease");
        }
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The lease names of the shared background jobs.
const HOUSEKEEPING: &str = "housekeeping";
const KEY_EXPORTS: &str = "key-exports";

/// This process among the instances sharing the database: host, process id and a random part
/// (a restarted process on the same host is another instance).
fn instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    format!(
        "{host}:{}:{:04x}",
        std::process::id(),
        rand::random::<u16>()
    )
}

/// Runs `job` every `every` on the one instance that holds its lease (SPEC §12). The lease
/// lasts two periods and is renewed before each run, so a holder that is merely slow keeps it;
/// when the holder dies, another instance takes the job over within two periods of its last
/// run. Every job is idempotent, so a run repeated across a takeover does no harm.
async fn leased<F, Fut>(
    state: AppState,
    instance: String,
    job: &'static str,
    every: Duration,
    run: F,
) where
    F: Fn(AppState) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let period = jiff::SignedDuration::try_from(every * 2).unwrap_or(jiff::SignedDuration::MAX);
    let mut tick = tokio::time::interval(every);
    let mut holding = false;
    loop {
        tick.tick().await;
        match state
            .store()
            .take_lease(job, &instance, jiff::Timestamp::now(), period)
            .await
        {
            Ok(true) => {
                if !holding {
                    tracing::info!(job, instance = %instance, "job lease taken: this instance runs the job");
                }
                holding = true;
                run(state.clone()).await;
            }
            Ok(false) => {
                if holding {
                    tracing::warn!(job, instance = %instance, "job lease lost to another instance");
                }
                holding = false;
            }
            Err(e) => tracing::warn!(job, error = %e, "could not take the job lease"),
        }
    }
}

/// Work of this process alone, on every instance: following a key rotation made through
/// another instance (within a minute), forgetting idle in-memory rate-limit keys and rebuilding
/// the risky-venue feed it serves (every ten minutes).
async fn instance_chores(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    let mut minutes = 0u32;
    loop {
        tick.tick().await;
        if let Err(e) = state.refresh_pass_keys().await {
            tracing::warn!(
                error = format!("{e:#}"),
                "reloading the health-pass keys failed"
            );
        }
        minutes += 1;
        if minutes.is_multiple_of(10) {
            state.limits().retain_recent();
            // Each instance serves the feed it built: rebuilt here so expired windows drop out
            // and windows marked through another instance appear, whoever holds the leases.
            if let Err(e) = state.publish_feed().await {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "republishing the risky-venue feed failed"
                );
            }
        }
    }
}

/// The shared housekeeping (one instance at a time): purge expired sessions and codes and old
/// limit counters, delete data past its retention period, and send the day's campaign
/// reminders (each at most once).
async fn housekeeping(state: &AppState) {
    match state
        .store()
        .purge_expired_credentials(jiff::Timestamp::now())
        .await
    {
        Ok(n) if n > 0 => tracing::info!(rows = n, "purged expired sessions and codes"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "purge of expired credentials failed"),
    }
    match state.purge_limit_counters().await {
        Ok(n) if n > 0 => tracing::info!(rows = n, "purged old limit counters"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "purge of limit counters failed"),
    }
    if let Err(e) = state.enforce_retention().await {
        tracing::warn!(error = %e, "retention job failed");
    }
    if let Err(e) = state.send_campaign_reminders().await {
        tracing::warn!(error = %e, "campaign reminders failed");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
