//! Files the server publishes or keeps in its data folder, written so a crash or a reader at the
//! wrong moment never sees half of one.

use std::path::Path;

use anyhow::Context;

/// Writes `bytes` to a temporary file, syncs it and renames it over `path`: readers see the old
/// file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}
