//! The scripted phone's own settings beside the SDK's state: which server it talks to, its
//! clock (so a test can replay yesterday), its citizen session and its upload token. Kept in
//! `DIR/phone.json`, written atomically like the SDK's `device.json`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const FILE: &str = "phone.json";

/// What the scripted phone remembers besides its keys and encounters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Phone {
    pub(crate) server: String,
    /// The phone's clock, Unix seconds.
    pub(crate) now: i64,
    pub(crate) phone: Option<String>,
    /// The citizen session (for reporting as F1).
    pub(crate) session: Option<String>,
    /// An upload token not used yet (from a code, or from an F1 report with consent).
    pub(crate) upload_token: Option<String>,
    /// The PEM of the key that signs exports, fetched at registration.
    pub(crate) export_key_pem: String,
    /// Guidance by level from the server's profile, `{"F1": {"vi","en"}, "F2": …}`.
    pub(crate) guidance: Value,
    #[serde(skip)]
    dir: PathBuf,
}

impl Phone {
    pub(crate) fn new(dir: &Path, server: String, now: i64) -> Self {
        Self {
            server,
            now,
            phone: None,
            session: None,
            upload_token: None,
            export_key_pem: String::new(),
            guidance: Value::Null,
            dir: dir.to_path_buf(),
        }
    }

    /// Reads the phone in `dir`; a folder that was never registered is an error that says so.
    pub(crate) fn load(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "{} holds no phone: run `phongdich device register --dir {}` first",
                dir.display(),
                dir.display()
            ),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let mut phone: Phone = serde_json::from_str(&text)
            .with_context(|| format!("{} is damaged", path.display()))?;
        phone.dir = dir.to_path_buf();
        Ok(phone)
    }

    pub(crate) fn save(&self) -> anyhow::Result<()> {
        use std::io::Write;
        let path = self.dir.join(FILE);
        let tmp = self.dir.join("phone.json.tmp");
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        f.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.trim_end_matches('/'))
    }
}

/// Sends a request and returns the JSON body, or an error quoting the server's problem message.
pub(crate) async fn send_json(req: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let res = req.send().await.context("the server did not answer")?;
    json_of(res).await
}

/// The JSON body of a response, or an error quoting the server's problem message.
pub(crate) async fn json_of(res: reqwest::Response) -> anyhow::Result<Value> {
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if !status.is_success() {
        let detail = body["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .map(|e| {
                        format!(
                            "{}: {}",
                            e["field"].as_str().unwrap_or("?"),
                            e["message"]["en"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|d| !d.is_empty())
            .or_else(|| body["detail"].as_str().map(str::to_owned))
            .or_else(|| body["title"].as_str().map(str::to_owned))
            .unwrap_or_else(|| body.to_string());
        bail!("the server refused ({status}): {detail}");
    }
    Ok(body)
}

/// The newest code of `digits` digits that the console SMS sender wrote to `phone` (E.164).
pub(crate) fn code_from_outbox(
    outbox: &Path,
    phone: &str,
    digits: usize,
) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(outbox)
        .with_context(|| format!("reading the SMS outbox {}", outbox.display()))?;
    text.lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["to"] == phone)
        .find_map(|m| {
            m["text"]
                .as_str()?
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == digits)
                .map(str::to_owned)
        })
        .with_context(|| format!("no {digits}-digit code to {phone} in {}", outbox.display()))
}
