//! Configuration in layers: built-in defaults → TOML file → `PHONGDICH_*` environment → flags.
//! See `phongdich.example.toml` for every key.

use std::path::PathBuf;

use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use phongdich_server::ServerConfig;
use serde::{Deserialize, Serialize};

use crate::args::StoreFlags;

/// Everything the binary needs to start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Settings {
    pub(crate) addr: String,
    pub(crate) data: PathBuf,
    /// Empty for the embedded SQLite store.
    pub(crate) database_url: String,
    /// PostgreSQL: the application role `phongdich migrate` grants the server's rights to (the
    /// migrations run as the owner of `database_url`; the server then connects as this role,
    /// which cannot change or remove audit rows). Empty: no grants (one role for both).
    pub(crate) database_app_role: String,
    /// Base64 of 32 bytes: seals the signing keys and secrets the instances share through the
    /// database, and is never stored there; the same on every instance (prefer the
    /// PHONGDICH_KEY_ENCRYPTION_KEY variable). Empty: the server makes one in
    /// `DIR/secrets/key-encryption.key`, which serves one instance only.
    pub(crate) key_encryption_key: String,
    /// Unit list id: vn-2025.10.1 (current) or vn-0.6.0 (2020–2021 structure).
    pub(crate) units: String,
    /// pretty or json.
    pub(crate) log_format: String,
    /// Disease profile (TOML); empty for the shipped COVID-19 2021 profile.
    pub(crate) profile: String,
    pub(crate) sms: SmsSettings,
    pub(crate) server: ServerConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SmsSettings {
    /// console or http.
    pub(crate) sender: String,
    pub(crate) gateway_url: String,
    /// Bearer token of the gateway; prefer the PHONGDICH_SMS__GATEWAY_TOKEN variable.
    pub(crate) gateway_token: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8080".into(),
            data: PathBuf::from("phongdich-data"),
            database_url: String::new(),
            database_app_role: String::new(),
            key_encryption_key: String::new(),
            units: "vn-2025.10.1".into(),
            log_format: "pretty".into(),
            profile: String::new(),
            sms: SmsSettings {
                sender: "console".into(),
                gateway_url: String::new(),
                gateway_token: String::new(),
            },
            server: ServerConfig::default(),
        }
    }
}

/// Top-level keys read from the environment; other `PHONGDICH_*` variables belong to tools.
const ENV_KEYS: [&str; 9] = [
    "addr",
    "data",
    "database_url",
    "database_app_role",
    "key_encryption_key",
    "units",
    "log_format",
    "sms",
    "server",
];

impl Settings {
    pub(crate) fn load(flags: &StoreFlags) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let data_hint = flags
            .data
            .clone()
            .or_else(|| std::env::var_os("PHONGDICH_DATA").map(PathBuf::from));
        let file = flags.config.clone().or_else(|| {
            data_hint
                .map(|d| d.join("phongdich.toml"))
                .filter(|p| p.exists())
        });
        if let Some(file) = &file {
            anyhow::ensure!(
                file.exists(),
                "config file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        // The filter sees a variable's name as written (`KEY_ENCRYPTION_KEY`): compare without case.
        figment = figment.merge(Env::prefixed("PHONGDICH_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            ENV_KEYS
                .iter()
                .any(|k| key == *k || key.starts_with(&format!("{k}.")))
        }));
        if let Some(addr) = &flags.addr {
            figment = figment.merge(("addr", addr));
        }
        if let Some(data) = &flags.data {
            figment = figment.merge(("data", data));
        }
        if let Some(url) = &flags.database_url {
            figment = figment.merge(("database_url", url));
        }
        if let Some(sms) = &flags.sms {
            figment = figment.merge(("sms.sender", sms));
        }
        let settings: Settings = figment.extract().context("reading the configuration")?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            phongdich_domain::units::OfficialList::from_id(&self.units).is_some(),
            "units = {:?}: choose vn-2025.10.1 or vn-0.6.0",
            self.units
        );
        anyhow::ensure!(
            self.database_url.is_empty()
                || self.database_url.starts_with("postgres://")
                || self.database_url.starts_with("postgresql://"),
            "--database-url must start with postgres://"
        );
        anyhow::ensure!(
            self.database_app_role.is_empty()
                || self
                    .database_app_role
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "database_app_role must be a plain role name (a-z, 0-9, _)"
        );
        anyhow::ensure!(
            matches!(self.sms.sender.as_str(), "console" | "http"),
            "sms sender must be console or http"
        );
        anyhow::ensure!(
            self.sms.sender != "http" || !self.sms.gateway_url.is_empty(),
            "the http SMS sender needs sms.gateway_url"
        );
        Ok(())
    }
}
