//! The folder Tantivy reads and writes, as whosaid opens it: Tantivy's
//! `MmapDirectory` with three changes.
//!
//! - **Read-only folders.** Tantivy's reader takes `.tantivy-meta.lock` while it opens
//!   a commit's segment files (so that an ingest's garbage collection cannot delete
//!   them meanwhile), creating the file for writing; on a read-only mount, or for a
//!   user without write access, that failed and every query with it. Opened for
//!   reading, the lock is taken on the existing file opened read-only (`flock` needs
//!   no write access), and skipped when the file cannot be opened at all: nobody can
//!   then be collecting in that folder through a lock file that is not there, and
//!   [`Index::searcher`](super::Index) tries again if a file went missing meanwhile.
//! - **The umask.** Tantivy writes `meta.json` and `.managed.json` through a temporary
//!   file created with mode 0600, so an index made for a group or a web server was
//!   unreadable to them; here they are written as whosaid's own files are
//!   ([`write_atomic`]), with the mode the umask gives.
//! - **Document stores read with `pread`.** Opened for reading, `.store` files (the
//!   largest, read a block at a time for the life of a `serve`) are read with
//!   positioned reads instead of a memory map, so a store truncated under a running
//!   process is an error for the request that reads past its end, not a SIGBUS that
//!   kills the server. The writer keeps the map: merging stacks whole stores, which
//!   would otherwise be copied into memory.
//!
//! Known limits: the other segment files are still mapped; one truncated under a
//! running process still raises SIGBUS (the binary names it before dying: see
//! `name_bus_errors` in `main.rs`). A reader that finds no lock file to open holds no
//! meta lock; the retry covers a segment deleted between reading `meta.json` and
//! opening it.

use std::fs::{File, OpenOptions};
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::OpenWriteError;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr, META_LOCK,
};
use tantivy::HasLen;

use super::atomic_file::write_atomic;

/// What a process does with an index folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Queries: the folder may be read-only; stores are read with `pread`.
    Read,
    /// `whosaid check`: as `Read`, but every file mapped, since every byte of it is
    /// read once (with `pread` a store would be copied into memory whole).
    Scan,
    /// Ingest: creates and deletes files.
    Write,
}

/// An index folder as Tantivy sees it (see the module comment).
#[derive(Clone, Debug)]
pub struct IndexDirectory {
    mmap: MmapDirectory,
    root: PathBuf,
    access: Access,
}

impl IndexDirectory {
    pub fn open(root: &Path, access: Access) -> Result<IndexDirectory, OpenDirectoryError> {
        let mmap = MmapDirectory::open(root)?;
        Ok(IndexDirectory { mmap, root: root.to_path_buf(), access })
    }

    /// The meta lock for a reader that cannot create or write the lock file: the
    /// existing file, opened read-only and locked; or no lock when there is none.
    fn read_only_meta_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        let path = self.root.join(&lock.filepath);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(_) => return Ok(DirectoryLock::from(Box::new(()))),
        };
        match file.lock() {
            Ok(()) => Ok(DirectoryLock::from(Box::new(file))),
            // Some file systems refuse an exclusive lock on a file opened read-only.
            Err(_) => Ok(DirectoryLock::from(Box::new(()))),
        }
    }
}

/// Errors that say the folder cannot be written, as opposed to a lock held or a
/// failing disk.
fn is_read_only(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem)
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if self.access == Access::Read && path.extension().is_some_and(|e| e == "store") {
            return Ok(Arc::new(PreadFile::open(&self.root.join(path), path)?));
        }
        self.mmap.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mmap.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mmap.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mmap.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mmap.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        write_atomic(&self.root.join(path), data).map_err(|e| {
            let kind = e.downcast_ref::<io::Error>().map_or(io::ErrorKind::Other, io::Error::kind);
            io::Error::new(kind, format!("{e:#}"))
        })
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mmap.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.mmap.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if self.access != Access::Write
                    && lock.filepath == META_LOCK.filepath
                    && is_read_only(&e) =>
            {
                self.read_only_meta_lock(lock)
            }
            other => other,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mmap.watch(callback)
    }
}

/// A file read with positioned reads (`pread`): a range past the end of a file
/// truncated since it was opened is an error, where a memory map would fault.
#[derive(Debug)]
struct PreadFile {
    file: File,
    len: usize,
}

impl PreadFile {
    fn open(full: &Path, rel: &Path) -> Result<PreadFile, OpenReadError> {
        let wrap = |e: io::Error| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(rel.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, rel.to_path_buf())
            }
        };
        let file = OpenOptions::new().read(true).open(full).map_err(wrap)?;
        let len = file.metadata().map_err(wrap)?.len();
        let len = usize::try_from(len).map_err(|_| wrap(io::Error::other("file too large")))?;
        Ok(PreadFile { file, len })
    }
}

impl HasLen for PreadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PreadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("bytes {range:?} are past the end of a {}-byte file", self.len),
            ));
        }
        let mut buf = vec![0; range.len()];
        self.file.read_exact_at(&mut buf, range.start as u64).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => io::Error::new(
                e.kind(),
                format!(
                    "bytes {range:?} are past the end of the file: it was truncated after it \
                     was opened; run whosaid check"
                ),
            ),
            _ => io::Error::new(e.kind(), format!("reading bytes {range:?}: {e}")),
        })?;
        Ok(OwnedBytes::new(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_truncated_after_opening_is_an_error_not_a_fault() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.store"), vec![7u8; 10_000]).unwrap();
        let d = IndexDirectory::open(dir.path(), Access::Read).unwrap();
        let handle = d.get_file_handle(Path::new("x.store")).unwrap();
        assert_eq!(handle.len(), 10_000);
        assert_eq!(handle.read_bytes(9_000..9_010).unwrap().as_slice(), &[7u8; 10]);
        assert!(handle.read_bytes(0..0).unwrap().is_empty());
        File::options().write(true).open(dir.path().join("x.store")).unwrap().set_len(100).unwrap();
        let err = handle.read_bytes(9_000..9_010).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err}");
        assert!(handle.read_bytes(20_000..20_010).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_honour_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let d = IndexDirectory::open(dir.path(), Access::Write).unwrap();
        d.atomic_write(Path::new("meta.json"), b"{}").unwrap();
        let mode = std::fs::metadata(dir.path().join("meta.json")).unwrap().permissions().mode();
        // Whatever the umask, not the 0600 of a temporary file: group or others get
        // what a plain new file gets.
        let plain = dir.path().join("plain");
        File::create(&plain).unwrap();
        let expected = std::fs::metadata(&plain).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, expected & 0o777);
    }
}
