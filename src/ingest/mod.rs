//! Ingest as a library function: reads the files under some paths into an index,
//! skipping files unchanged since they were last read, replacing the statements of
//! changed ones, removing those of files that are gone (`--prune`), and committing in
//! bounded batches. The file list (`index::files`) is kept true of the committed index
//! at every moment, so a crash (SIGKILL included) at any point leaves an index that
//! answers with its last commit, and the next run completes the work without
//! duplicating or losing a statement.
//!
//! A file is unchanged when its size, modification time (to the nanosecond), the
//! build that read it, `--date` and `--source` are as recorded; when only the time differs, its
//! CRC-32 decides (a `touch` or a copy does not cause a re-read).
//!
//! Known limits: a file that changes while it is read is recorded with the size and
//! time seen before reading, so the next run reads it again; a file changed within the
//! file system's time resolution without changing size is taken as unchanged when the
//! system keeps only seconds (most keep nanoseconds); `--prune` only looks under the
//! paths of the run, so files ingested from elsewhere are never pruned by accident.
//!
//! Only what is really gone is pruned: a file whose path the system says does not
//! exist, below a folder it could list. A file that cannot be reached this time (a
//! folder without permission, a dangling link, a full path too long) or that is there
//! but left out (`--exclude`) keeps its statements and is counted apart; so does a
//! changed file that cannot be opened when it is read.
//!
//! Article ids come from paths below the paths named (`ingest a/x.txt b/x.txt` gives
//! two `x.txt`): the file list records each file's id, and a file whose id another
//! file already has gets a longer one, more of its own path, with a note. Known limit:
//! ids that records give themselves (a JSON `id`) are not checked: an article of the
//! same id from another file replaces it, as the same article saved twice should.

pub mod files;
pub mod lock;
pub mod pipeline;
pub mod repair;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

use crate::article::{indexable, Article, FileCounts, FileRef, ReadOptions, ReadSummary, Warning};
use crate::extract::extract as extract_statements;
use crate::fnv::Fnv1a;
use crate::index::articles;
use crate::index::speaker_table::{self, Speakers};
use crate::index::write::{documents, IndexWriter};
use crate::index::Index;
use crate::progress::{Progress, Warner};
use crate::statement::Statement;
use files::{Entries, FileState, Loaded};
use lock::IngestLock;
use pipeline::{for_each_event, Event};

/// The build's fingerprint (see `build.rs`): statements found by another build may
/// differ, so files it read are read again.
pub const BUILD: &str = env!("WHOSAID_BUILD_FINGERPRINT");

/// What each indexed file records as the build that read it: the build's
/// fingerprint and that of the learned models that ran (`WHOSAID_MODELS` may leave
/// some out), so a file read with other models is read again.
pub fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        format!("{BUILD}-m{:016x}", crate::extract::models::Models::embedded().fingerprint())
    })
}

/// Article text between two commits, unless told otherwise. Each commit stalls the
/// pipeline while the indexing threads write their segments, and leaves segments for
/// the final merge: at 1M articles, 64 MB batches took 141 s and 256 MB ones 96-120 s
/// (see docs/reliability.md). A crash loses at most this much work.
pub const DEFAULT_COMMIT_BYTES: u64 = 256 * 1024 * 1024;

/// How to ingest.
#[derive(Debug, Clone)]
pub struct Options {
    pub read: ReadOptions,
    /// Tantivy's indexing memory, MB: a bound on the writer (at least 16; each
    /// indexing thread needs 16, so a small budget indexes on fewer threads).
    pub memory_mb: usize,
    pub threads: usize,
    /// Remove the statements of files under `paths` that were ingested before and are gone.
    pub prune: bool,
    /// Article text between commits: a crash loses at most this much work.
    pub commit_bytes: u64,
}

/// Files, articles and statements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub files: u64,
    pub articles: u64,
    pub statements: u64,
    pub bad_records: u64,
}

impl Tally {
    fn add(&mut self, s: &FileState) {
        self.files += 1;
        self.articles += s.articles;
        self.statements += s.statements;
        self.bad_records += s.bad_records;
    }

    fn add_tally(&mut self, t: &Tally) {
        self.files += t.files;
        self.articles += t.articles;
        self.statements += t.statements;
        self.bad_records += t.bad_records;
    }
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct Report {
    /// What was read this run.
    pub read: ReadSummary,
    /// Statements indexed this run.
    pub statements: u64,
    /// Articles read this run that gave at least one statement (`stats` counts
    /// articles so).
    pub articles_with_statements: u64,
    /// Files left unread because they are as they were when last read.
    pub unchanged: Tally,
    /// Files under the paths that were ingested before and are gone; their statements
    /// were removed when `pruned` (else they stay).
    pub gone: Tally,
    pub pruned: bool,
    /// Files ingested before that could not be reached or opened this time (a folder
    /// without permission, a dangling link): their statements stay, even with --prune.
    pub unreachable: Tally,
    /// Files ingested before that are there but were left out this time (`--exclude`,
    /// `.whosaidignore`): their statements stay.
    pub left_out: Tally,
    /// The file list could not be used: every file was read again.
    pub list_lost: bool,
    pub commits: u64,
}

/// The outcome of [`ingest`]: the index, what was done, and the lock, held until the
/// caller has finished with the index folder (the speaker table is written after).
pub struct Ingested {
    pub index: Index,
    /// The speaker table of the last commit, when this run built it.
    pub speakers: Option<Speakers>,
    pub report: Report,
    pub lock: IngestLock,
}

/// What the reading thread tells the sink about a file it is about to read.
#[derive(Debug)]
struct FileStart {
    key: String,
    state: FileState,
    /// The index may hold statements of this file: delete them first.
    had_entry: bool,
}

/// Reads `paths` into the index in `index_dir` (created if needed), counting articles
/// and printing warnings through `progress`. An error is returned only when the run
/// could not go on, after committing what was read.
pub fn ingest(
    index_dir: &Path,
    paths: &[PathBuf],
    opts: &Options,
    progress: &mut Progress,
) -> Result<Ingested> {
    // A path that cannot be read is a typo to fix, not a run to start: refused
    // before the index is created or locked.
    crate::article::check_paths(paths)?;
    std::fs::create_dir_all(index_dir)
        .with_context(|| format!("creating {}", index_dir.display()))?;
    // Before anything is read or written: a second ingest must fail at once.
    let lock = IngestLock::acquire(index_dir)?;
    let index = Index::open_or_create(index_dir)?;
    let mut report = Report::default();
    let warner = progress.warner();
    let has_segments =
        !index.tantivy().load_metas().context("reading index metadata")?.segments.is_empty();
    // The second part: whether the lost list's files are known (for --prune).
    let (base, lost) = match files::load(index_dir, &files::commits(&index)?) {
        Loaded::Found(entries) => (entries, None),
        // The index lost the commit the list describes (its meta.json deleted, say):
        // none of its entries is true, but its files may still have statements (in
        // a store that was not lost) and are still the files under the paths, so
        // they stay, dirty: each is read again with its statements replaced, and
        // --prune still finds the gone ones.
        Loaded::Mismatch(entries, why) => {
            (entries.into_keys().map(|key| (key, None)).collect(), Some((why, true)))
        }
        // A new index: nothing to know.
        Loaded::Missing if !has_segments => (Entries::new(), None),
        Loaded::Missing => (Entries::new(), Some(("missing".to_string(), false))),
        Loaded::Unreadable(why) if has_segments => {
            (Entries::new(), Some((format!("unreadable ({why})"), false)))
        }
        Loaded::Unreadable(_) => (Entries::new(), None),
    };
    let trust_none = lost.is_some();
    if let Some((why, files_known)) = lost {
        let prune = if opts.prune && !files_known {
            ", and --prune cannot tell which files are gone"
        } else {
            ""
        };
        warner.warn(&Warning {
            path: index_dir.join(files::FILE),
            line: None,
            reason: format!("{why}: every file is read again and its statements replaced{prune}"),
            file_skipped: false,
            record_skipped: false,
        });
        report.list_lost = true;
    }
    let writer = IndexWriter::open_with_threads(&index, heap_bytes(opts.memory_mb)?, opts.threads)?;
    let fields = *index.fields();
    let article_fields = index.articles()?.fields;
    let mut scan = Scan {
        base: &base,
        trust_none,
        date: opts.read.default_date.map(|d| d.to_string()),
        source: opts.read.default_source.clone(),
        roots: HashMap::new(),
        seen: HashSet::new(),
        unchanged: Tally::default(),
        touched: Vec::new(),
        block: Vec::new(),
        owners: owners(&base),
        unopened: Tally::default(),
        warner: &warner,
    };
    let mut batch = Batch {
        dir: index_dir,
        base: &base,
        changes: BTreeMap::new(),
        writer,
        current: None,
        completed: Vec::new(),
        pruning: Vec::new(),
        unsaved_dirty: false,
        pending: false,
        bytes: 0,
        commit_bytes: opts.commit_bytes.max(1),
        statements: 0,
        with_statements: 0,
        commits: 0,
        progress,
        threads: opts.threads,
    };
    let mut open = |file: &mut FileRef| scan.open(file);
    let result = for_each_event(
        paths,
        &opts.read,
        opts.threads,
        &|w| warner.warn(w),
        Some(&mut open),
        // Extraction and document building run on the worker threads...
        |article| {
            let found = extract_statements(article);
            warn_unindexed_dates(article, &found, &warner);
            let count = found.len() as u64;
            let text = articles::document(&article_fields, article)?;
            Ok(Built { count, docs: documents(&fields, &article.id, &found)?, text })
        },
        // ...and only the hand-over to Tantivy, in input order, on this one.
        |event| batch.event(event),
    );
    // Only a complete walk tells which files are gone.
    let gone = if result.is_ok() { scan.gone(paths) } else { Vec::new() };
    // A prune that fails (the article store unreadable) stops pruning; what was
    // done is still committed below.
    let mut pruned = Ok(());
    let mut really_gone = 0;
    for (key, state) in &gone {
        let tally = match presence(&key_path(key)) {
            Presence::Gone => {
                really_gone += 1;
                if opts.prune && pruned.is_ok() {
                    pruned = batch.prune(key);
                }
                &mut report.gone
            }
            Presence::Unreachable => &mut report.unreachable,
            Presence::There => &mut report.left_out,
        };
        match state {
            Some(state) => tally.add(state),
            None => tally.files += 1,
        }
    }
    report.unreachable.add_tally(&scan.unopened);
    report.pruned = opts.prune && really_gone > 0;
    for (key, state) in scan.touched.drain(..) {
        batch.changes.insert(key, Some(Some(state)));
        batch.unsaved_dirty = true;
    }
    report.unchanged = scan.unchanged;
    // What was read before a failure is still committed: nothing indexed is lost.
    let batch_with_statements = batch.with_statements;
    let finished = batch.finish();
    report.read = result?;
    pruned?;
    let (statements, commits, speakers) = finished?;
    report.statements = statements;
    report.articles_with_statements = batch_with_statements;
    report.commits = commits;
    Ok(Ingested { index, report, lock, speakers })
}

/// What the extraction threads make of an article: its statement count, their index
/// documents, and the article's document of the article store.
struct Built {
    count: u64,
    docs: Vec<tantivy::TantivyDocument>,
    text: tantivy::TantivyDocument,
}

/// The reading thread's side: which files to read.
struct Scan<'a> {
    base: &'a Entries,
    /// The index may hold statements of any file (its list was lost).
    trust_none: bool,
    date: Option<String>,
    /// `--source`, folded: like `--date`, a change reads every file again.
    source: Option<String>,
    /// Each path the user named, in canonical form (None: it has none).
    roots: HashMap<PathBuf, Option<PathBuf>>,
    seen: HashSet<String>,
    unchanged: Tally,
    /// Unchanged files whose time changed: their new time, recorded at the end.
    touched: Vec<(String, FileState)>,
    /// The block [`files::checksum`] reads into.
    block: Vec<u8>,
    /// Which file each article id prefix belongs to (hash of the id → file key): the
    /// list's, then this run's.
    owners: HashMap<u64, String>,
    /// Changed files ingested before that could not be opened: left unread, their
    /// statements kept.
    unopened: Tally,
    warner: &'a Warner,
}

impl Scan<'_> {
    fn open(&mut self, file: &mut FileRef) -> Result<Option<FileStart>> {
        let root = self
            .roots
            .entry(file.root.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(file.root).ok())
            .clone()
            .unwrap_or_else(|| file.root.to_path_buf());
        let key = file_key(&root, file.root, file.path);
        if !self.seen.insert(key.clone()) {
            // Named twice in one run (`ingest corpus corpus/a`): once is enough.
            return Ok(None);
        }
        let (size, mtime_ns) = match &file.metadata {
            Some(meta) => (meta.len(), files::mtime_ns(meta)),
            None => (0, None),
        };
        let old = self.base.get(&key);
        let same_source = |s: &FileState| {
            s.size == size
                && s.build == build_id()
                && s.date == self.date
                && s.source == self.source
        };
        if let Some(Some(state)) = old {
            if same_source(state) && mtime_ns.is_some() && state.mtime_ns == mtime_ns {
                self.unchanged.add(state);
                return Ok(None);
            }
        }
        // Checksummed before reading, so a file changed while it is read gets the
        // old checksum and is read again next time, never skipped with new content.
        let crc32 = match files::checksum(file.path, &mut self.block) {
            Ok(crc32) => crc32,
            // A file the index has statements of that cannot be opened now (its
            // permissions changed, a link's target is away) keeps them, unread, rather
            // than losing them to a read that fails.
            Err(e) if old.is_some() || self.trust_none => {
                match old {
                    Some(Some(state)) => self.unopened.add(state),
                    _ => self.unopened.files += 1,
                }
                self.warner.warn(&Warning {
                    path: file.path.to_path_buf(),
                    line: None,
                    reason: format!(
                        "cannot open: {e}; not read again, its statements from the last ingest stay"
                    ),
                    file_skipped: true,
                    record_skipped: false,
                });
                return Ok(None);
            }
            // A new file: the reader says why it cannot be read.
            Err(_) => 0,
        };
        if let Some(Some(state)) = old {
            if same_source(state) && state.crc32 == crc32 {
                self.unchanged.add(state);
                self.touched.push((key, FileState { mtime_ns, ..state.clone() }));
                return Ok(None);
            }
        }
        let previous = old.and_then(|s| s.as_ref()).map(|s| s.id.as_str());
        file.id = self.own_id(&key, std::mem::take(&mut file.id), previous, file.path);
        let state = FileState {
            size,
            mtime_ns,
            crc32,
            build: build_id().to_string(),
            date: self.date.clone(),
            source: self.source.clone(),
            articles: 0,
            statements: 0,
            bad_records: 0,
            id: file.id.clone(),
        };
        Ok(Some(FileStart { had_entry: self.trust_none || old.is_some(), key, state }))
    }

    /// `id` for the file `key`, or, when another file has it, the shortest longer tail
    /// of the file's own path that no other file has (`x.txt`, then `b/x.txt`, …),
    /// with a note unless it had that one before. Recorded as this file's.
    fn own_id(&mut self, key: &str, id: String, previous: Option<&str>, path: &Path) -> String {
        let taken = |owners: &HashMap<u64, String>, id: &str| {
            owners.get(&Fnv1a::hash(id.as_bytes())).filter(|owner| *owner != key).cloned()
        };
        let owner = taken(&self.owners, &id);
        let mut chosen = id.clone();
        if owner.is_some() {
            let parts: Vec<String> = key_path(key)
                .iter()
                .filter(|c| *c != std::ffi::OsStr::new("/"))
                .map(crate::article::escape_name)
                .collect();
            let shortest = id.split('/').count() + 1;
            chosen = (shortest..=parts.len())
                .map(|n| parts[parts.len() - n..].join("/"))
                .find(|longer| taken(&self.owners, longer).is_none())
                .unwrap_or_else(|| key.to_string());
        }
        if let Some(owner) = owner.filter(|_| previous != Some(chosen.as_str())) {
            self.warner.warn(&Warning {
                path: path.to_path_buf(),
                line: None,
                reason: format!(
                    "another file ({}) has the article id {id}: this file's articles are {chosen}…",
                    key_path(&owner).display()
                ),
                file_skipped: false,
                record_skipped: false,
            });
        }
        self.owners.insert(Fnv1a::hash(chosen.as_bytes()), key.to_string());
        chosen
    }

    /// Entries under the paths of this run whose files were not found.
    fn gone(&self, paths: &[PathBuf]) -> Vec<(String, Option<FileState>)> {
        let roots: Vec<PathBuf> =
            paths.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
        self.base
            .iter()
            .filter(|(key, _)| {
                !self.seen.contains(*key) && roots.iter().any(|r| key_path(key).starts_with(r))
            })
            .map(|(key, state)| (key.clone(), state.clone()))
            .collect()
    }
}

/// The file list's key for a file: its absolute path, through the canonical form of
/// the path the user named (`./corpus` and `corpus` agree) but not through links below
/// it (two links to one file are two files, as their article ids are).
fn file_key(canonical_root: &Path, root: &Path, path: &Path) -> String {
    let full = match path.strip_prefix(root) {
        Ok(below) if !below.as_os_str().is_empty() => canonical_root.join(below),
        _ => canonical_root.to_path_buf(),
    };
    match full.to_str() {
        Some(s) => s.to_string(),
        // Not UTF-8: spelled out byte by byte after a NUL, which no path contains,
        // so two such names never share a key.
        None => {
            use std::os::unix::ffi::OsStrExt;
            let hex: String =
                full.as_os_str().as_bytes().iter().map(|b| format!("{b:02x}")).collect();
            format!("\0{hex}")
        }
    }
}

/// Warns of statements dated (from the text: "in 1492, …") to a day the index
/// cannot filter by: they are indexed, searchable by words and speaker, but date
/// filters, the timeline and date facets cannot see them.
fn warn_unindexed_dates(article: &Article, found: &[Statement], warner: &Warner) {
    let outside = |s: &&Statement| {
        s.date.as_deref().and_then(crate::article::parse_date).is_some_and(|d| !indexable(d))
    };
    if let Some(first) = found.iter().find(outside) {
        warner.warn(&Warning {
            path: PathBuf::from(&article.path),
            line: None,
            reason: format!(
                "article {}: {} statements dated outside the years {} (the first {}) are \
                 searchable but not by date",
                article.id,
                found.iter().filter(outside).count(),
                crate::article::indexed_years(),
                first.date.as_deref().unwrap_or_default()
            ),
            file_skipped: false,
            record_skipped: false,
        });
    }
}

/// The path a file list key names (see [`file_key`]).
fn key_path(key: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let Some(hex) = key.strip_prefix('\0') else { return PathBuf::from(key) };
    let bytes = (0..hex.len() / 2)
        .filter_map(|i| hex.get(2 * i..2 * i + 2))
        .filter_map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

/// The article id prefix of each file the list knows (see [`Scan::own_id`]).
fn owners(base: &Entries) -> HashMap<u64, String> {
    base.iter()
        .filter_map(|(key, state)| {
            let id = &state.as_ref()?.id;
            (!id.is_empty()).then(|| (Fnv1a::hash(id.as_bytes()), key.clone()))
        })
        .collect()
}

/// What became of a file ingested before that a walk did not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// Its name is not in its folder, which could be read: deleted or renamed.
    Gone,
    /// It or a folder above it could not be reached: no permission, a dangling link,
    /// a name too long.
    Unreachable,
    /// It is there: the walk left it out (`--exclude`, `.whosaidignore`).
    There,
}

/// Whether the file at `path` is really gone. Only "no such file" on its name, in a
/// folder that can be listed, is gone: anything else may come back.
fn presence(path: &Path) -> Presence {
    match std::fs::symlink_metadata(path) {
        Ok(_) => match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Presence::There,
            // A dangling link, or a folder now where the file was.
            _ => Presence::Unreachable,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // The nearest folder above that exists must be readable (a link to a
            // folder that is away leaves its files "not found" too).
            let mut above = path.parent();
            while let Some(dir) = above {
                match std::fs::symlink_metadata(dir) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => above = dir.parent(),
                    Err(_) => return Presence::Unreachable,
                    Ok(_) => {
                        return match std::fs::read_dir(dir) {
                            Ok(_) => Presence::Gone,
                            // A file where its folder was is a folder gone.
                            Err(_) if std::fs::metadata(dir).is_ok_and(|m| m.is_file()) => {
                                Presence::Gone
                            }
                            Err(_) => Presence::Unreachable,
                        };
                    }
                }
            }
            Presence::Gone
        }
        Err(_) => Presence::Unreachable,
    }
}

/// Whether a commit is the batch-size one of a run that goes on, or the last.
#[derive(Clone, Copy)]
enum More {
    Likely,
    No,
}

/// The sink's side: the writer, the batch since the last commit, and the file list.
struct Batch<'a> {
    dir: &'a Path,
    base: &'a Entries,
    /// Changes to `base`: `None` removes the entry, `Some(None)` marks it dirty.
    changes: BTreeMap<String, Option<Option<FileState>>>,
    writer: IndexWriter,
    /// The file being handed over, and its statements so far.
    current: Option<FileStart>,
    /// Files handed over since the last commit: clean once it is done (`None`: skipped
    /// whole, so it has no statements and no entry).
    completed: Vec<(String, Option<FileState>)>,
    /// Files whose statements are deleted in this batch because they are gone.
    pruning: Vec<String>,
    /// An entry was marked dirty since the list was last written.
    unsaved_dirty: bool,
    /// Operations not committed yet.
    pending: bool,
    bytes: u64,
    commit_bytes: u64,
    statements: u64,
    /// Articles with at least one statement.
    with_statements: u64,
    commits: u64,
    progress: &'a mut Progress,
    /// `--threads`: the speaker table at the end is built on as many.
    threads: usize,
}

impl Batch<'_> {
    fn event(&mut self, event: Event<FileStart, Built>) -> Result<()> {
        match event {
            Event::File(start) => {
                if start.had_entry {
                    self.writer.delete_file(&start.key)?;
                    self.pending = true;
                }
                self.changes.insert(start.key.clone(), Some(None));
                self.unsaved_dirty = true;
                self.current = Some(start);
            }
            Event::Article(article, Built { count, docs, text }) => {
                let current = self
                    .current
                    .as_mut()
                    .ok_or_else(|| anyhow!("an article came before its file"))?;
                current.state.statements += count;
                self.progress.article(&article, count);
                self.writer.replace_article_text(&article.id, &current.key, text)?;
                self.writer.replace_article_of_file(&article.id, &current.key, docs)?;
                self.pending = true;
                self.statements += count;
                self.with_statements += u64::from(count > 0);
                self.bytes += article.body.len() as u64;
                if self.bytes >= self.commit_bytes {
                    self.commit(More::Likely)?;
                }
            }
            Event::FileDone(FileCounts { articles, bad_records, skipped }) => {
                let mut done =
                    self.current.take().ok_or_else(|| anyhow!("a file ended before it began"))?;
                done.state.articles = articles;
                done.state.bad_records = bad_records;
                self.completed.push((done.key, (!skipped).then_some(done.state)));
            }
        }
        Ok(())
    }

    /// Deletes the statements of a file that is gone; its entry stays, dirty, until
    /// the deletion is committed.
    fn prune(&mut self, key: &str) -> Result<()> {
        self.writer.delete_file(key)?;
        self.changes.insert(key.to_string(), Some(None));
        self.unsaved_dirty = true;
        self.pending = true;
        self.pruning.push(key.to_string());
        Ok(())
    }

    /// Commits the batch, keeping the file list true on both sides of the commit.
    /// When more is likely to come, the commit's segments merge meanwhile (see
    /// `IndexWriter::commit_and_merge`); a one-batch ingest is left unmerged, as
    /// merging its two segments was an eighth of its time.
    fn commit(&mut self, more: More) -> Result<()> {
        // Files with uncommitted work are marked dirty on disk before the commit...
        if self.unsaved_dirty {
            self.save()?;
            self.unsaved_dirty = false;
        }
        if self.pending {
            match more {
                More::Likely => self.writer.commit_and_merge()?,
                More::No => self.writer.commit()?,
            };
            self.pending = false;
            self.commits += 1;
        }
        // ...and those it completed are marked clean after it.
        let completed = !self.completed.is_empty() || !self.pruning.is_empty();
        for (key, state) in self.completed.drain(..) {
            self.changes.insert(key, state.map(Some));
        }
        for key in self.pruning.drain(..) {
            self.changes.insert(key, None);
        }
        if completed {
            self.save()?;
        }
        self.bytes = 0;
        Ok(())
    }

    /// Writes the list, stamped with the commits the index is at now: the article
    /// store's included, which commits once more after the statements (its stale
    /// articles), and merges, which keep both opstamps.
    fn save(&self) -> Result<()> {
        let at = files::commits(self.writer.index())?;
        files::save(self.dir, &at, self.base, &self.changes)
    }

    /// The last commit, then merges if this run committed anything; the statements
    /// indexed, the commits made, and the speaker table when this run built it.
    ///
    /// The table is built from the last commit while the merges finish: a merge keeps
    /// the commit's statements and opstamp, so the table stays current, and a merge
    /// leaves a core idle (at 1M articles the table took 3 s after the merges).
    fn finish(mut self) -> Result<(u64, u64, Option<Speakers>)> {
        self.progress.stage("committing the index");
        self.commit(More::No)?;
        if self.commits == 0 {
            return Ok((self.statements, self.commits, None));
        }
        let index = self.writer.index().clone();
        // The table's build runs on rayon: held to --threads, as the merges are.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.max(1))
            .build()
            .context("starting the speaker table's threads")?;
        let (merged, table) = std::thread::scope(|s| {
            let table = s.spawn(|| pool.install(|| speaker_table::ensure(&index)));
            let merged = self.writer.merge_segments();
            (merged, table.join())
        });
        merged?;
        let table = table
            .map_err(|_| anyhow!("building the speaker table failed (a thread panicked)"))??;
        Ok((self.statements, self.commits, Some(table)))
    }
}

/// `memory_mb` (at least 16) in bytes, or an error saying the range when it does not
/// fit: a huge `--memory` once wrapped around to 0.
fn heap_bytes(memory_mb: usize) -> Result<usize> {
    memory_mb.max(16).checked_mul(1024 * 1024).with_context(|| {
        format!("--memory {memory_mb} MB is more than this machine can address; use 16 to 1048576")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_go_through_the_canonical_root_only() {
        let root = Path::new("/data/corpus");
        assert_eq!(
            file_key(root, Path::new("corpus"), Path::new("corpus/a/b.txt")),
            "/data/corpus/a/b.txt"
        );
        assert_eq!(
            file_key(Path::new("/data/x.json"), Path::new("x.json"), Path::new("x.json")),
            "/data/x.json"
        );
    }

    #[test]
    fn non_utf8_names_get_distinct_keys() {
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"c/\xff.txt"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"c/\xfe.txt"));
        let (ka, kb) = (
            file_key(Path::new("/c"), Path::new("c"), a),
            file_key(Path::new("/c"), Path::new("c"), b),
        );
        assert_ne!(ka, kb);
        assert!(ka.starts_with('\0'));
    }
}
