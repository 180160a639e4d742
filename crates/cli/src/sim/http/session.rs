//! The server and the health official who issues the codes: where they come from (flags or a
//! demo's `demo.json`) and signing in.

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::args::SimRun;
use crate::device::phone::send_json;

/// Who issues the codes and for which unit.
pub(super) struct Official {
    pub(super) token: String,
    pub(super) unit: String,
    pub(super) username: String,
}

/// The server and the official's username and password, from the flags or `demo.json`.
pub(super) fn server_and_login(flags: &SimRun) -> anyhow::Result<(String, (String, String))> {
    let h = &flags.http;
    if let Some(path) = &h.demo_json {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let demo: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a demo.json", path.display()))?;
        let staff = demo["staff"].as_array().cloned().unwrap_or_default();
        let official = staff
            .iter()
            .find(|s| s["role"] == "health_official")
            .with_context(|| format!("{} lists no health official", path.display()))?;
        let field = |k: &str| official[k].as_str().unwrap_or_default().to_owned();
        let server = match &h.server {
            Some(s) => s.clone(),
            None => demo["url"]
                .as_str()
                .filter(|u| !u.is_empty())
                .with_context(|| format!("{} has no url: pass --server", path.display()))?
                .to_owned(),
        };
        return Ok((
            server.trim_end_matches('/').to_owned(),
            (field("username"), field("password")),
        ));
    }
    match (&h.server, &h.username, &h.password) {
        (Some(s), Some(u), Some(p)) => {
            Ok((s.trim_end_matches('/').to_owned(), (u.clone(), p.clone())))
        }
        _ => bail!(
            "http mode needs a server and a health official: --server URL --username NAME \
             --password PASSWORD, or --demo-json DIR/demo.json of a `phongdich demo`"
        ),
    }
}

/// Signs the official in and checks they may issue codes.
pub(super) async fn sign_in(
    http: &reqwest::Client,
    server: &str,
    username: &str,
    password: &str,
) -> anyhow::Result<Official> {
    let session = send_json(
        http.post(format!("{server}/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password})),
    )
    .await
    .with_context(|| format!("signing in as {username}"))?;
    let token = session["token"]
        .as_str()
        .context("no token in the sign-in answer")?
        .to_owned();
    let me = send_json(http.get(format!("{server}/api/v1/me")).bearer_auth(&token))
        .await
        .context("reading the official's account")?;
    let role = me["role"].as_str().unwrap_or_default();
    if !matches!(role, "health_official" | "admin") {
        bail!("{username} is {role:?}: only a health official or an admin issues case codes");
    }
    let unit = me["unit"]["code"]
        .as_str()
        .context("the official's account has no unit")?
        .to_owned();
    Ok(Official {
        token,
        unit,
        username: username.to_owned(),
    })
}
