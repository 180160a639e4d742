//! `phongdich exposure derive`: the Exposure Notification key schedule of one Temporary
//! Exposure Key, as JSON (SPEC §10), for checking other implementations against ours.

use phongdich_exposure::crypto::{aemk, rpik, rpis, Tek};
use serde_json::json;

/// Prints `{"rpik", "aemk", "rpis": [144 RPIs from interval N]}`, all lowercase hex.
pub(crate) fn derive(tek_hex: &str, interval: u32) -> anyhow::Result<()> {
    let bytes = hex::decode(tek_hex.trim())
        .map_err(|_| anyhow::anyhow!("--tek must be 32 hexadecimal digits (16 bytes)"))?;
    let tek: Tek = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("--tek must be 32 hexadecimal digits (16 bytes)"))?;
    let rpik = rpik(&tek);
    let out = json!({
        "rpik": hex::encode(rpik),
        "aemk": hex::encode(aemk(&tek)),
        "rpis": rpis(&rpik, interval).iter().map(hex::encode).collect::<Vec<_>>(),
    });
    println!("{out}");
    Ok(())
}
