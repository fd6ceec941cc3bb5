//! `whosaid check --repair`, the ingest's part: after `index::check::apply` has
//! dropped the damaged segments (or set an unreadable `meta.json` aside), the files
//! whose statements or articles went with them are read again, through the same
//! [`ingest`](super::ingest) as always, so ids, dates and sources come out as a
//! clean ingest gives them.
//!
//! Which files: those of the file list (`ingest-files.json`) of which the index now
//! holds fewer statements or articles than the list recorded, and those the list
//! marks dirty. Each is marked dirty first (so a repair killed halfway leaves them
//! for the next ingest), then read again from the folder it was ingested from,
//! which its article ids tell (`a/b.txt#3` was read from the folder holding `a/`),
//! with the `--date` and `--source` recorded for it; the other files of that folder
//! are left out by `--exclude` patterns, so nothing else is read or added.
//!
//! Known limits: a file whose statements and articles are all gone, and whose
//! folder no other damaged file shows, cannot be placed; it stays marked dirty
//! and the report says to run `whosaid ingest` on its folder. A file gone from disk
//! cannot be read again (its statements stay lost until `ingest --prune`). Without a
//! readable file list nothing can be chosen: every file is read again by the next
//! `whosaid ingest` of the user's folders, as after any loss of the list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::files::{self, Commits, Entries, FileState, Loaded};
use super::lock::IngestLock;
use super::{ingest, Options, Report};
use crate::article::ReadOptions;
use crate::index::check::{self, Fix, Holdings, Problem};
use crate::index::speaker_table;
use crate::index::Index;
use crate::progress::Progress;

/// The file list as `check` sees it: a problem when it cannot tell the files.
pub fn check_file_list(dir: &Path) -> Option<Problem> {
    let problem =
        |what: String| Problem { part: None, file: files::FILE.into(), what, fix: Fix::NextIngest };
    let index = Index::open(dir).ok()?;
    let commits = files::commits(&index).ok()?;
    let has_segments = index.tantivy().load_metas().is_ok_and(|m| !m.segments.is_empty());
    match files::load(dir, &commits) {
        Loaded::Found(entries) => {
            let dirty = entries.values().filter(|e| e.is_none()).count();
            (dirty > 0).then(|| Problem {
                what: format!(
                    "{dirty} files are marked as not completely indexed (an ingest was interrupted)"
                ),
                fix: Fix::ReadAgain,
                ..problem(String::new())
            })
        }
        Loaded::Missing if has_segments => Some(problem("missing".into())),
        Loaded::Missing => None,
        Loaded::Unreadable(why) => Some(problem(format!("not readable: {why}"))),
        Loaded::Mismatch(_, why) => Some(problem(why)),
    }
}

/// What a repair did.
#[derive(Debug, Default)]
pub struct Repaired {
    /// Files read again, by the folder they were read from.
    pub reread: Vec<(PathBuf, usize)>,
    /// Statements indexed by the reading again.
    pub statements: u64,
    /// Files that needed reading again but whose folder is not known; left dirty.
    pub unplaced: Vec<String>,
    /// Files that needed reading again but are gone from disk.
    pub gone: Vec<String>,
    /// No file list: nothing could be chosen.
    pub list_lost: bool,
    pub ingests: Vec<Report>,
}

/// Repairs the index in `dir` from `problems` (found by `index::check::check`):
/// the index's fixes, then the files to read again, read with `threads` and
/// reporting through `progress`.
pub fn repair(
    dir: &Path,
    problems: &[Problem],
    threads: usize,
    quiet: bool,
    verbose: bool,
) -> Result<Repaired> {
    let mut repaired = Repaired::default();
    let lock = IngestLock::acquire(dir)?;
    // The list as it is, whatever the index's commits now: the states recorded
    // (dates, sources, counts) are what reading again needs.
    let any_commit = Commits { statements: u64::MAX, articles: Some(u64::MAX) };
    let entries = match files::load(dir, &any_commit) {
        Loaded::Found(entries) | Loaded::Mismatch(entries, _) => Some(entries),
        Loaded::Missing | Loaded::Unreadable(_) => None,
    };
    check::apply(dir, problems)?;
    let index = Index::open_or_create(dir)?;
    let Some(entries) = entries else {
        repaired.list_lost = true;
        speaker_table::rebuild(&index)?;
        return Ok(repaired);
    };
    // Which files, and from where.
    let holdings = Holdings::new(&index)?;
    let mut todo: Vec<(String, Option<FileState>, Option<String>)> = Vec::new();
    for (key, state) in &entries {
        let held = holdings.of(key)?;
        let whole = state
            .as_ref()
            .is_some_and(|s| s.statements == held.statements && s.articles == held.articles);
        if !whole {
            todo.push((key.clone(), state.clone(), holdings.article_id(key)?));
        }
    }
    drop(holdings);
    if todo.is_empty() {
        speaker_table::rebuild(&index)?;
        return Ok(repaired);
    }
    // Dirty first: a repair stopped halfway leaves them to the next ingest.
    let commits = files::commits(&index)?;
    let dirty: BTreeMap<String, Option<Option<FileState>>> =
        todo.iter().map(|(key, _, _)| (key.clone(), Some(None))).collect();
    let base: Entries = entries.clone();
    files::save(dir, &commits, &base, &dirty)?;
    drop(index);
    let known_roots: Vec<PathBuf> = todo
        .iter()
        .filter_map(|(key, _, id)| id.as_deref().and_then(|id| root_of(key, id)))
        .collect();
    // (folder, --date, --source) → files below it.
    let mut groups: BTreeMap<(PathBuf, Option<String>, Option<String>), Vec<String>> =
        BTreeMap::new();
    for (key, state, id) in &todo {
        if !Path::new(key).is_file() {
            repaired.gone.push(key.clone());
            continue;
        }
        let root = id
            .as_deref()
            .and_then(|id| root_of(key, id))
            .or_else(|| deepest_ancestor(key, &known_roots));
        let Some(root) = root else {
            repaired.unplaced.push(key.clone());
            continue;
        };
        let (date, source) =
            state.as_ref().map_or((None, None), |s| (s.date.clone(), s.source.clone()));
        groups.entry((root, date, source)).or_default().push(key.clone());
    }
    drop(lock);
    for ((root, date, source), keys) in groups {
        let read = ReadOptions {
            default_date: date.as_deref().map(|d| d.parse()).transpose().with_context(|| {
                format!("the --date recorded for files under {}", root.display())
            })?,
            default_source: source,
            exclude: only(&root, &keys),
        };
        let opts = Options {
            read,
            memory_mb: (crate::index::DEFAULT_HEAP_BYTES >> 20),
            threads,
            prune: false,
            commit_bytes: super::DEFAULT_COMMIT_BYTES,
        };
        let paths = [root.clone()];
        let mut progress = Progress::start(&paths, &opts.read, quiet, verbose);
        let done = ingest(dir, &paths, &opts, &mut progress);
        progress.finish();
        progress.print_warnings();
        let done = done?;
        if done.speakers.is_none() {
            speaker_table::ensure(&done.index)?;
        }
        repaired.statements += done.report.statements;
        repaired.reread.push((root, keys.len()));
        repaired.ingests.push(done.report);
    }
    if repaired.reread.is_empty() {
        speaker_table::ensure(&Index::open(dir)?)?;
    }
    Ok(repaired)
}

/// The folder a file with list key `key` was ingested from, told by one of its
/// article ids: the id starts with the file's path below that folder, up to a `#`
/// (a record's number or id) or whole.
fn root_of(key: &str, id: &str) -> Option<PathBuf> {
    let mut candidates: Vec<&str> = id.match_indices('#').map(|(at, _)| &id[..at]).collect();
    candidates.push(id);
    candidates
        .into_iter()
        .rev()
        .filter(|rel| !rel.is_empty())
        .find_map(|rel| key.strip_suffix(rel).and_then(|root| root.strip_suffix('/')))
        .filter(|root| !root.is_empty())
        .map(PathBuf::from)
}

/// The deepest of `roots` that holds `key`.
fn deepest_ancestor(key: &str, roots: &[PathBuf]) -> Option<PathBuf> {
    roots
        .iter()
        .filter(|r| Path::new(key).starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
        .cloned()
}

/// `--exclude` patterns under `root` that leave out everything but `keys`: every
/// name out, every folder back in (so the walk reaches the files), each file back
/// in by its anchored path, its glob characters escaped.
fn only(root: &Path, keys: &[String]) -> Vec<String> {
    let mut patterns = vec!["*".to_string(), "!*/".to_string()];
    for key in keys {
        if let Ok(below) = Path::new(key).strip_prefix(root) {
            patterns.push(format!("!/{}", escape_glob(&below.to_string_lossy())));
        }
    }
    patterns
}

/// `text` matched literally by a .gitignore pattern.
fn escape_glob(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    // Trailing spaces are dropped from a pattern unless escaped.
    if out.ends_with(' ') {
        let trimmed = out.trim_end_matches(' ').len();
        let spaces = out.len() - trimmed;
        out.truncate(trimmed);
        out.push_str(&"\\ ".repeat(spaces));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::skip::{Rules, Verdict};

    #[test]
    fn the_folder_a_file_came_from_is_told_by_its_article_ids() {
        let root = |key, id| root_of(key, id).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(root("/c/reuters.jsonl", "reuters.jsonl#reuters-88"), Some("/c".into()));
        assert_eq!(root("/c/a/b.txt", "a/b.txt"), Some("/c".into()));
        assert_eq!(root("/c/a/b.csv", "a/b.csv#3"), Some("/c".into()));
        // A '#' in the file's own name.
        assert_eq!(root("/c/x#1.jsonl", "x#1.jsonl#2"), Some("/c".into()));
        // A record whose own id says nothing of the path.
        assert_eq!(root("/c/a.json", "story-17"), None);
        assert_eq!(
            deepest_ancestor("/c/a/b.txt", &["/c".into(), "/c/a".into(), "/d".into()]),
            Some("/c/a".into())
        );
    }

    #[test]
    fn only_the_files_to_read_again_pass_the_patterns() {
        let root = Path::new("/c");
        let keys = ["/c/a/b.txt".to_string(), "/c/odd [1]*?.txt".to_string(), "/c/sp .txt ".into()];
        let mut rules = Rules::new(root, &only(root, &keys)).unwrap();
        let verdict =
            |rules: &mut Rules, p: &str, depth, dir| rules.check(Path::new(p), depth, dir);
        assert_eq!(verdict(&mut rules, "/c/a", 1, true), Verdict::Read);
        assert_eq!(verdict(&mut rules, "/c/a/b.txt", 2, false), Verdict::Read);
        assert_eq!(verdict(&mut rules, "/c/a/c.txt", 2, false), Verdict::Excluded);
        assert_eq!(verdict(&mut rules, "/c/b.txt", 1, false), Verdict::Excluded);
        assert_eq!(verdict(&mut rules, "/c/odd [1]*?.txt", 1, false), Verdict::Read);
        assert_eq!(verdict(&mut rules, "/c/odd 1xy.txt", 1, false), Verdict::Excluded);
        assert_eq!(verdict(&mut rules, "/c/sp .txt ", 1, false), Verdict::Read);
    }
}
