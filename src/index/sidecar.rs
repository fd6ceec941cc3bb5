//! Files whosaid keeps in the index folder beside Tantivy's (the version stamp, the
//! speaker table, the ingested-file list, the ingest lock): written atomically, so a
//! crash at any moment leaves the old file or the new one, never half of one.
//!
//! Known limits: the lock is an advisory `flock` on a file in the index folder, which
//! the system releases when its holder dies (even by SIGKILL), so it never goes stale;
//! on network file systems that do not honour `flock` two ingests are not kept apart.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The ingest lock's file name in the index folder.
pub const LOCK_FILE: &str = "whosaid-ingest.lock";

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

/// Held for a whole ingest: a second ingest into the same index fails at once instead
/// of waiting or interleaving its commits and file list with the first's.
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
    path: PathBuf,
}

impl IngestLock {
    /// Takes the lock of the index folder `dir` (which must exist), or says who holds it.
    pub fn acquire(dir: &Path) -> Result<IngestLock> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening the ingest lock {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => bail!(
                "index at {} is locked: another ingest is running ({} is held); \
                 wait for it to finish, queries work meanwhile",
                dir.display(),
                path.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
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

    #[test]
    fn second_lock_names_the_file_and_the_first_release_frees_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = IngestLock::acquire(dir.path()).unwrap();
        let err = IngestLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("another ingest is running"), "{err}");
        assert!(err.contains(LOCK_FILE), "{err}");
        drop(first);
        assert!(IngestLock::acquire(dir.path()).is_ok());
    }
}
