//! Atomic writes of the files whosaid keeps in the index folder beside Tantivy's (the
//! version stamp, the speaker table, the ingested-file list), so a crash at any
//! moment leaves the old file or the new one, never half of one.
//!
//! Known limits: atomic where `rename` is (local file systems; not every network one).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `body` to `path` through a temporary file in the same folder, synced before
/// it is renamed over `path`: readers and a crash see the old file or the new one.
pub fn write_atomic(path: &Path, body: &[u8]) -> Result<()> {
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let mut file = File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    file.write_all(body)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    drop(file);
    std::fs::rename(&tmp, path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    // The rename itself reaches the disk with the folder; a kill needs no sync, a power
    // cut does. Some systems cannot sync a folder: that costs durability, not atomicity.
    if let Some(dir) = path.parent() {
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(!dir.path().join("x.json.tmp").exists());
    }
}
