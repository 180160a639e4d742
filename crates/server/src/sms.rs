//! Sending SMS: a console sender that writes `DIR/sms-outbox.jsonl` (demo, tests, field laptops)
//! and an HTTP gateway sender for production.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use jiff::Timestamp;
use phongdich_domain::phone::PhoneNumber;
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

/// Something that delivers a text message to a phone.
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    fn send<'a>(
        &'a self,
        to: &'a PhoneNumber,
        text: &'a str,
        at: Timestamp,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + Send + 'a>>;
}

/// Appends each message as a JSON line `{"to","text","at"}` to a file and logs it (masked).
#[derive(Debug)]
pub struct ConsoleSender {
    path: PathBuf,
    lock: Mutex<()>,
}

impl ConsoleSender {
    pub fn new(path: PathBuf) -> Arc<Self> {
        Arc::new(Self {
            path,
            lock: Mutex::new(()),
        })
    }
}

impl SmsSender for ConsoleSender {
    fn send<'a>(
        &'a self,
        to: &'a PhoneNumber,
        text: &'a str,
        at: Timestamp,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + Send + 'a>> {
        Box::pin(async move {
            let mut line = serde_json::to_string(&serde_json::json!({
                "to": to.as_str(),
                "text": text,
                "at": at.to_string(),
            }))?;
            line.push('\n');
            let _guard = self.lock.lock().await;
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
                .with_context(|| format!("opening {}", self.path.display()))?;
            file.write_all(line.as_bytes()).await?;
            file.sync_data().await?;
            tracing::info!(to = %to, "SMS written to the console outbox");
            Ok(())
        })
    }
}

/// Posts `{"to","text"}` as JSON to an SMS gateway with a bearer token.
#[derive(Debug)]
pub struct HttpGatewaySender {
    url: String,
    token: String,
    client: reqwest::Client,
}

impl HttpGatewaySender {
    pub fn new(url: String, token: String) -> Arc<Self> {
        Arc::new(Self {
            url,
            token,
            client: reqwest::Client::new(),
        })
    }
}

impl SmsSender for HttpGatewaySender {
    fn send<'a>(
        &'a self,
        to: &'a PhoneNumber,
        text: &'a str,
        _at: Timestamp,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + Send + 'a>> {
        Box::pin(async move {
            let response = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token)
                .json(&serde_json::json!({ "to": to.as_str(), "text": text }))
                .timeout(std::time::Duration::from_secs(10))
                .send()
                .await
                .context("SMS gateway unreachable")?;
            let status = response.status();
            anyhow::ensure!(status.is_success(), "SMS gateway answered {status}");
            tracing::info!(to = %to, "SMS handed to the gateway");
            Ok(())
        })
    }
}
