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
//! The list is stamped with the commits it was written at (the statement index's and
//! the article store's opstamps, which only grow and which merges keep) and is
//! trusted only with an index at those commits or later ones: later is the window
//! between a commit and the list's rewrite, whose work the list marks dirty. An index
//! at an *earlier* commit lost the one the list describes (Tantivy's `meta.json`
//! deleted, or `articles/` removed, leaves a new empty index at opstamp 0): its clean
//! entries would skip files whose statements are gone, so [`load`] says
//! [`Loaded::Mismatch`] and the ingest reads every file again.
//!
//! Known limits: the whole list is rewritten at each commit (about 230 bytes a file,
//! 6 MB for 26,000 files): fine for tens of thousands of files, slow for millions. Keys
//! are absolute paths, so a moved corpus is read again (and ids relative to the folder
//! keep the statements from doubling). The list must stay with its index: an index
//! folder restored from a backup without its list is read again in full. The stamps
//! tell a lost commit, not every mismatch: a list restored from an older backup
//! beside a newer index looks like the crash window and is trusted (its files are
//! still compared by size, time and checksum, so only a file changed back to the
//! older bytes in between is skipped with newer statements); lists written before the
//! article store's stamp are checked against the statement index only.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::index::atomic_file::write_atomic;
use crate::index::{Index, SCHEMA_VERSION};

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
    /// What its articles' ids start with (its path below the path named, made longer
    /// when another file had it first); absent from lists written before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
}

/// Key → clean state, or `None` for a dirty entry.
pub type Entries = BTreeMap<String, Option<FileState>>;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    schema: u32,
    /// The statement index's commit the list was written at (or just before).
    opstamp: u64,
    /// The article store's commit it was written at; absent from lists written
    /// before it was recorded (and for an index without a store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    articles_opstamp: Option<u64>,
    files: Entries,
}

/// The commits of an index a list is written at and checked against: Tantivy's
/// opstamps of the statement index and of the article store (`None`: no store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commits {
    pub statements: u64,
    pub articles: Option<u64>,
}

/// The commits `index` is at now, as its `meta.json` files say.
pub fn commits(index: &Index) -> Result<Commits> {
    let statements = index.tantivy().load_metas().context("reading index metadata")?.opstamp;
    let articles = match &index.articles {
        Some(store) => {
            Some(store.inner.load_metas().context("reading the article store's metadata")?.opstamp)
        }
        None => None,
    };
    Ok(Commits { statements, articles })
}

/// How the list on disk was found.
#[derive(Debug)]
pub enum Loaded {
    Found(Entries),
    Missing,
    /// Present but not readable as a list of this format; the reason.
    Unreadable(String),
    /// Readable, but written at a commit the index no longer has (see the module
    /// comment): its entries, none of them true any more, and what is gone.
    Mismatch(Entries, String),
}

/// Reads the list of the index in `dir`, which is at the commits `now`.
pub fn load(dir: &Path, now: &Commits) -> Loaded {
    let path = dir.join(FILE);
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => return Loaded::Unreadable(e.to_string()),
    };
    let stored = match serde_json::from_slice::<Stored>(&body) {
        Ok(s) if s.format == FORMAT && s.schema == SCHEMA_VERSION => s,
        Ok(s) => return Loaded::Unreadable(format!("format {} of schema {}", s.format, s.schema)),
        Err(e) => return Loaded::Unreadable(e.to_string()),
    };
    match mismatch(&stored, now) {
        Some(why) => Loaded::Mismatch(stored.files, why),
        None => Loaded::Found(stored.files),
    }
}

/// Why a list written at `stored`'s commits is not true of an index at `now`, if it
/// is not: a commit it was written at is gone (opstamps only grow).
fn mismatch(stored: &Stored, now: &Commits) -> Option<String> {
    if stored.opstamp > now.statements {
        return Some("does not match the index (its commit is gone)".into());
    }
    match (stored.articles_opstamp, now.articles) {
        (Some(listed), Some(store)) if listed > store => {
            Some("does not match the article store (its commit is gone)".into())
        }
        (Some(_), None) => Some("does not match the index (its article store is gone)".into()),
        _ => None,
    }
}

/// Writes the list atomically, stamped with the commits `at`: `base` with `changes`
/// applied (`None` removes a key).
pub fn save(
    dir: &Path,
    at: &Commits,
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
    let stored = Stored {
        format: FORMAT,
        schema: SCHEMA_VERSION,
        opstamp: at.statements,
        articles_opstamp: at.articles,
        files,
    };
    let body = serde_json::to_vec(&stored).context("serializing the file list")?;
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
            id: "a.txt".into(),
        }
    }

    /// The commits the tests' lists are written at.
    const AT: Commits = Commits { statements: 3, articles: Some(1) };

    #[test]
    fn save_applies_changes_and_load_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(load(dir.path(), &AT), Loaded::Missing));
        let base: Entries =
            [("/a".to_string(), Some(state(1))), ("/b".to_string(), Some(state(2)))].into();
        let changes = [
            ("/a".to_string(), None),
            ("/c".to_string(), Some(None)),
            ("/d".to_string(), Some(Some(state(4)))),
        ]
        .into();
        save(dir.path(), &AT, &base, &changes).unwrap();
        let Loaded::Found(files) = load(dir.path(), &AT) else { panic!("not found") };
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
        assert!(matches!(load(dir.path(), &AT), Loaded::Unreadable(_)));
        std::fs::write(
            dir.path().join(FILE),
            br#"{"format": 99, "schema": 1, "opstamp": 0, "files": {}}"#,
        )
        .unwrap();
        assert!(matches!(load(dir.path(), &AT), Loaded::Unreadable(_)));
    }

    #[test]
    fn a_list_is_trusted_at_its_commits_or_later_ones_never_earlier() {
        let dir = tempfile::tempdir().unwrap();
        let base: Entries = [("/a".to_string(), Some(state(1)))].into();
        save(dir.path(), &AT, &base, &BTreeMap::new()).unwrap();
        let found = |now: Commits| matches!(load(dir.path(), &now), Loaded::Found(_));
        assert!(found(AT));
        // Committed after the list was written (a crash before its rewrite).
        assert!(found(Commits { statements: 9, articles: Some(4) }));
        // A new index, or a new article store, where the list's commits were.
        for now in [
            Commits { statements: 0, articles: Some(1) },
            Commits { statements: 3, articles: Some(0) },
            Commits { statements: 3, articles: None },
        ] {
            let Loaded::Mismatch(files, why) = load(dir.path(), &now) else {
                panic!("{now:?} trusted")
            };
            assert_eq!(files, base);
            assert!(why.contains("is gone"), "{why}");
        }
        // A list from before the article store's stamp: checked on statements only.
        let old = br#"{"format": 1, "schema": SCHEMA, "opstamp": 3, "files": {}}"#;
        let old = String::from_utf8_lossy(old).replace("SCHEMA", &SCHEMA_VERSION.to_string());
        std::fs::write(dir.path().join(FILE), old).unwrap();
        assert!(found(Commits { statements: 3, articles: Some(0) }));
        assert!(!found(Commits { statements: 2, articles: Some(9) }));
    }
}
