//! The index's list of ingested files (`ingest-files.json`): for each file, what it was
//! (size, modification time, checksum, the build, `--date` and `--source` that read it) when all
//! of its statements were committed, so the next ingest can skip it unread.
//!
//! The list is a sidecar, not part of Tantivy's commit, and stays correct through a
//! crash at any moment because of one rule, kept by `ingest`: **every entry is true of
//! the committed index at all times.** A *clean* entry says "the index holds exactly
//! the statements of this file as it was then"; a *dirty* entry (`null`) says "the index
//! may hold statements of this file, in an unknown state": never skipped, its statements
//! are deleted before it is read again, and `--prune` can still find it. Before a commit
//! the list is rewritten with every file that has uncommitted work marked dirty; after
//! the commit, with the files it completed marked clean. A crash before the commit
//! leaves dirty marks on files the old index describes (they are redone); a crash
//! after it leaves completed files dirty (redone too, and since re-reading a file
//! replaces its statements, redoing never duplicates). Tantivy's commit payload could
//! hold the list instead, but it sits in `meta.json`, which every query parses.
//!
//! Known limits: the whole list is rewritten at each commit (about 230 bytes a file,
//! 6 MB for 26,000 files): fine for tens of thousands of files, slow for millions. Keys
//! are absolute paths, so a moved corpus is read again (and ids relative to the folder
//! keep the statements from doubling). The list must stay with its index: an index
//! folder restored from a backup without its list is read again in full.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::index::atomic_file::write_atomic;
use crate::index::SCHEMA_VERSION;

/// The list's file name in the index folder.
pub const FILE: &str = "ingest-files.json";
/// Bump when the list's shape changes; a list of another format is ignored (every
/// file is then read again, which is always correct).
const FORMAT: u32 = 1;

/// What a file was when its statements were committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    /// Nanoseconds since 1970; `None` when the system gave no usable time (such a
    /// file is checksummed on every ingest).
    pub mtime_ns: Option<i64>,
    pub crc32: u32,
    /// The build fingerprint of the whosaid that read it: another build may find
    /// other statements in the same bytes.
    pub build: String,
    /// The `--date` it was read with (it dates articles that have no date).
    pub date: Option<String>,
    /// The `--source` it was read with (the publisher of articles that name none);
    /// absent from lists written before the flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub articles: u64,
    pub statements: u64,
    pub bad_records: u64,
}

/// Key → clean state, or `None` for a dirty entry.
pub type Entries = BTreeMap<String, Option<FileState>>;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    schema: u32,
    /// The Tantivy commit the list was written after (or just before); for people
    /// reading the file, nothing depends on it.
    opstamp: u64,
    files: Entries,
}

/// How the list on disk was found.
#[derive(Debug)]
pub enum Loaded {
    Found(Entries),
    Missing,
    /// Present but not readable as a list of this format; the reason.
    Unreadable(String),
}

/// Reads the list of the index in `dir`.
pub fn load(dir: &Path) -> Loaded {
    let path = dir.join(FILE);
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => return Loaded::Unreadable(e.to_string()),
    };
    match serde_json::from_slice::<Stored>(&body) {
        Ok(s) if s.format == FORMAT && s.schema == SCHEMA_VERSION => Loaded::Found(s.files),
        Ok(s) => Loaded::Unreadable(format!("format {} of schema {}", s.format, s.schema)),
        Err(e) => Loaded::Unreadable(e.to_string()),
    }
}

/// Writes the list atomically: `base` with `changes` applied (`None` removes a key).
pub fn save(
    dir: &Path,
    opstamp: u64,
    base: &Entries,
    changes: &BTreeMap<String, Option<Option<FileState>>>,
) -> Result<()> {
    let mut files = base.clone();
    for (key, change) in changes {
        match change {
            Some(entry) => files.insert(key.clone(), entry.clone()),
            None => files.remove(key),
        };
    }
    let body =
        serde_json::to_vec(&Stored { format: FORMAT, schema: SCHEMA_VERSION, opstamp, files })
            .context("serializing the file list")?;
    write_atomic(&dir.join(FILE), &body)
}

/// The checksum of a file's bytes, read in blocks into `buf`, which is kept for the
/// next file: a new zeroed 64 KiB block per file was 330 MB of memset for the 5,102
/// files of the real corpora, on the thread the extraction workers wait for.
pub fn checksum(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<u32> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = crc32fast::Hasher::new();
    buf.resize(1 << 16, 0);
    loop {
        let n = file.read(buf)?;
        if n == 0 {
            return Ok(hasher.finalize());
        }
        hasher.update(&buf[..n]);
    }
}

/// A file's modification time in nanoseconds since 1970, if the system gives one.
pub fn mtime_ns(meta: &std::fs::Metadata) -> Option<i64> {
    let t = meta.modified().ok()?;
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).ok(),
        Err(before) => i64::try_from(before.duration().as_nanos()).ok().map(|n| -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(size: u64) -> FileState {
        FileState {
            size,
            mtime_ns: Some(1),
            crc32: 7,
            build: "b".into(),
            date: None,
            source: None,
            articles: 1,
            statements: 2,
            bad_records: 0,
        }
    }

    #[test]
    fn save_applies_changes_and_load_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(load(dir.path()), Loaded::Missing));
        let base: Entries =
            [("/a".to_string(), Some(state(1))), ("/b".to_string(), Some(state(2)))].into();
        let changes = [
            ("/a".to_string(), None),
            ("/c".to_string(), Some(None)),
            ("/d".to_string(), Some(Some(state(4)))),
        ]
        .into();
        save(dir.path(), 3, &base, &changes).unwrap();
        let Loaded::Found(files) = load(dir.path()) else { panic!("not found") };
        let expected: Entries = [
            ("/b".to_string(), Some(state(2))),
            ("/c".to_string(), None),
            ("/d".to_string(), Some(state(4))),
        ]
        .into();
        assert_eq!(files, expected);
    }

    #[test]
    fn a_damaged_list_is_unreadable_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{\"format\": 1, \"sch").unwrap();
        assert!(matches!(load(dir.path()), Loaded::Unreadable(_)));
        std::fs::write(
            dir.path().join(FILE),
            br#"{"format": 99, "schema": 1, "opstamp": 0, "files": {}}"#,
        )
        .unwrap();
        assert!(matches!(load(dir.path()), Loaded::Unreadable(_)));
    }
}
