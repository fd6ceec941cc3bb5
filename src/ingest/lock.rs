//! The ingest lock: one ingest at a time per index folder.
//!
//! Known limits: the lock is an advisory `flock` on a file in the index folder, which
//! the system releases when its holder dies (even by SIGKILL), so it never goes stale;
//! on network file systems that do not honour `flock` two ingests are not kept apart.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The ingest lock's file name in the index folder.
pub const LOCK_FILE: &str = "whosaid-ingest.lock";

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
