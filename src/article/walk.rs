//! The entry point: walks the paths the user named, picks a reader by extension,
//! and reports every article and every problem through callbacks.
//!
//! Known limits: the format is chosen by extension only (no content sniffing);
//! symbolic links are followed (loops are reported, not followed twice); within a
//! folder, entries are visited in byte order of their names, not locale order.
//! What a walk leaves out (`--exclude`, `.whosaidignore`, README and the like) is
//! decided in `skip.rs`; [`check_paths`] refuses a path that cannot be read at all
//! before anything is read.

use super::date::date_in_path;
use super::file::{FileCtx, Sink};
use super::skip::{Rules, Verdict, IGNORE_FILE};
use super::{csvfile, html, json, markdown, text, Article, ReadOptions, ReadSummary, Warning};
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

type Reader = fn(&FileCtx, &mut Sink) -> anyhow::Result<()>;

/// A file in a known format, about to be read (see [`FileGate`]).
#[derive(Debug)]
pub struct FileRef<'a> {
    /// The path the user named that led to this file.
    pub root: &'a Path,
    /// The file, as `root` joined with its path below it.
    pub path: &'a Path,
    /// Its metadata (symbolic links followed), when the system gave it.
    pub metadata: Option<std::fs::Metadata>,
    /// The ids of its articles start with this: its path below `root` (see
    /// [`relative_id`]). A gate may lengthen it so that no two files share one.
    pub id: String,
}

/// What one file gave: articles passed on, records skipped, or the whole file skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileCounts {
    pub articles: u64,
    pub bad_records: u64,
    pub skipped: bool,
}

/// Lets the caller skip files unread (`ingest` skips those unchanged since it last
/// read them) and learn where each file's articles end.
pub trait FileGate {
    /// Called before a file is read; `false` leaves it unread and uncounted. It may
    /// change `file.id`, the start of its articles' ids.
    fn open(&mut self, file: &mut FileRef) -> anyhow::Result<bool>;
    /// Called after the last article of a file that `open` let through.
    fn done(&mut self, file: &FileRef, counts: FileCounts) -> anyhow::Result<()>;
}

/// Reads every article under `paths` (files, or folders walked recursively).
///
/// Problems with the input are passed to `on_warning` and counted, never returned:
/// one bad file must not stop an ingest of thousands. The only error is one
/// returned by `on_article`, which stops the run at once.
pub fn read_paths(
    paths: &[PathBuf],
    opts: &ReadOptions,
    on_article: &mut dyn FnMut(Article) -> anyhow::Result<()>,
    on_warning: &mut dyn FnMut(&Warning),
) -> anyhow::Result<ReadSummary> {
    read_paths_gated(paths, opts, None, on_article, on_warning)
}

/// [`read_paths`], asking `gate` before each file and telling it after; an error
/// from the gate stops the run like one from `on_article`.
pub fn read_paths_gated(
    paths: &[PathBuf],
    opts: &ReadOptions,
    mut gate: Option<&mut dyn FileGate>,
    on_article: &mut dyn FnMut(Article) -> anyhow::Result<()>,
    on_warning: &mut dyn FnMut(&Warning),
) -> anyhow::Result<ReadSummary> {
    let mut sink = Sink { on_article, on_warning, summary: ReadSummary::default() };
    for root in paths {
        // Checked up front so a typo gets the system's plain message, not walkdir's.
        if let Err(e) = std::fs::metadata(root) {
            sink.skip_file(root, format!("cannot read: {e}"));
            continue;
        }
        walk_root(root, &opts.exclude, &mut |step| match step {
            Step::File(entry) => read_file(root, entry, opts, &mut gate, &mut sink),
            Step::Left(path, Verdict::ProjectFile) => {
                if has_article_extension(path) {
                    sink.summary.project_files.push(path.to_path_buf());
                } else {
                    // LICENSE, COPYING: never read anyway, counted as before.
                    sink.summary.unknown_extension += 1;
                }
                Ok(())
            }
            Step::Left(path, Verdict::WhosaidIndex) => {
                sink.note(path, None, "a whosaid index, not articles: not read".to_string());
                Ok(())
            }
            Step::Left(_, _) => {
                sink.summary.excluded += 1;
                Ok(())
            }
            Step::Problem(path, reason) => {
                sink.skip_file(path, reason);
                Ok(())
            }
            Step::IgnoreFile(path, reason) => {
                sink.note(path, None, format!("{reason}; its other lines apply"));
                Ok(())
            }
        })?;
    }
    Ok(sink.summary)
}

/// Refuses, before anything is read or an index is opened, a path named on the
/// command line that does not exist or cannot be read at all (a folder that cannot
/// be listed, a file that cannot be opened); every such path is named.
pub fn check_paths(paths: &[PathBuf]) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    for path in paths {
        let problem = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Some("no such file or folder".to_string())
            }
            Err(e) => Some(format!("cannot read: {e}")),
            Ok(meta) if meta.is_dir() => {
                std::fs::read_dir(path).err().map(|e| format!("cannot list the folder: {e}"))
            }
            Ok(_) => std::fs::File::open(path).err().map(|e| format!("cannot open: {e}")),
        };
        if let Some(problem) = problem {
            problems.push(format!("{}: {problem}", path.display()));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    anyhow::bail!("{}; nothing was read (correct the path or leave it out)", problems.join("; "))
}

/// What a walk below one root meets, in order.
pub(crate) enum Step<'a> {
    /// A file to read (its extension is not checked yet).
    File(&'a DirEntry),
    /// A file or folder left out, and why (never [`Verdict::Read`]).
    Left(&'a Path, Verdict),
    /// An entry that cannot be walked.
    Problem(&'a Path, String),
    /// A `.whosaidignore` that could not be read whole.
    IgnoreFile(&'a Path, String),
}

/// Walks `root` (a file, or a folder recursively) in name order, following links,
/// leaving out hidden entries and what [`Rules`] leaves out. The root itself is
/// always taken. An error from `step` stops the walk and is returned.
pub(crate) fn walk_root(
    root: &Path,
    exclude: &[String],
    step: &mut dyn FnMut(Step) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut rules = Rules::new(root, exclude)?;
    let mut walk = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let reason = match e.loop_ancestor() {
                    Some(a) => format!("symbolic link loop back to {}, not followed", a.display()),
                    None => format!(
                        "cannot read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    ),
                };
                step(Step::Problem(&path, reason))?;
                continue;
            }
        };
        let is_dir = entry.file_type().is_dir();
        if entry.depth() == 0 && is_dir && super::skip::is_index(entry.path()) {
            step(Step::Left(entry.path(), Verdict::WhosaidIndex))?;
            return Ok(());
        }
        if entry.depth() > 0 {
            if is_hidden(&entry) {
                if is_dir {
                    walk.skip_current_dir();
                }
                continue;
            }
            let verdict = rules.check(entry.path(), entry.depth(), is_dir);
            if verdict != Verdict::Read {
                if is_dir {
                    walk.skip_current_dir();
                }
                step(Step::Left(entry.path(), verdict))?;
                continue;
            }
        }
        if is_dir {
            if let Some(problem) = rules.enter(entry.path(), entry.depth()) {
                step(Step::IgnoreFile(&entry.path().join(IGNORE_FILE), problem))?;
            }
        } else if entry.file_type().is_file() {
            step(Step::File(&entry))?;
        } else {
            // Reading a FIFO would wait for a writer forever, a device could be
            // endless: named and skipped, never silently.
            let reason = "not a regular file (a FIFO, socket or device): not read";
            step(Step::Problem(entry.path(), reason.to_string()))?;
        }
    }
    Ok(())
}

/// The files a run over `paths` would read, in its order, with their sizes: what
/// [`read_paths`] walks, for a progress bar to measure the run ahead. Problems are
/// left for the run itself to report.
pub fn list_article_files(paths: &[PathBuf], opts: &ReadOptions) -> Vec<(PathBuf, u64)> {
    let mut files = Vec::new();
    for root in paths {
        let _ = walk_root(root, &opts.exclude, &mut |step| {
            if let Step::File(entry) = step {
                if has_article_extension(entry.path()) {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    files.push((entry.path().to_path_buf(), size));
                }
            }
            Ok(())
        });
    }
    files
}

fn read_file(
    root: &Path,
    entry: &DirEntry,
    opts: &ReadOptions,
    gate: &mut Option<&mut dyn FileGate>,
    sink: &mut Sink,
) -> anyhow::Result<()> {
    let path = entry.path();
    let Some(reader) = reader_for(path) else {
        sink.summary.unknown_extension += 1;
        // Silently skipping a file the user named outright would look like a bug.
        if entry.depth() == 0 {
            sink.note(
                path,
                None,
                "unknown file extension, skipped (expected txt, md, json, jsonl, ndjson, csv, html or htm)",
            );
        }
        return Ok(());
    };
    let mut file = FileRef { root, path, metadata: None, id: relative_id(root, path) };
    if let Some(gate) = gate.as_mut() {
        file.metadata = entry.metadata().ok();
        if !gate.open(&mut file)? {
            return Ok(());
        }
    }
    let ctx = FileCtx {
        path,
        path_date: date_in_path(&path.to_string_lossy()),
        rel: std::mem::take(&mut file.id),
        default_date: opts.default_date,
        default_source: opts.default_source.as_deref(),
    };
    let Some(gate) = gate.as_mut() else {
        return reader(&ctx, sink);
    };
    let before = sink.summary.clone();
    reader(&ctx, sink)?;
    let counts = FileCounts {
        articles: sink.summary.articles - before.articles,
        bad_records: sink.summary.bad_records - before.bad_records,
        skipped: sink.summary.bad_files > before.bad_files,
    };
    gate.done(&file, counts)
}

/// True for files `read_paths` reads (by extension), e.g. to measure a run ahead.
pub fn has_article_extension(path: &Path) -> bool {
    reader_for(path).is_some()
}

fn reader_for(path: &Path) -> Option<Reader> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" => text::read,
        "md" | "markdown" => markdown::read,
        "json" => json::read_json,
        "jsonl" | "ndjson" => json::read_json_lines,
        "csv" => csvfile::read,
        "html" | "htm" => html::read,
        _ => return None,
    })
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.file_name().to_str().is_some_and(|n| n.starts_with('.'))
}

/// The path below the root with '/' separators, or the file name for a file named
/// directly, so ids do not depend on where the corpus was mounted. Each part is
/// spelled by [`escape_name`], so two names give two ids.
pub fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).ok().filter(|r| !r.as_os_str().is_empty());
    match rel {
        Some(rel) => rel.iter().map(escape_name).collect::<Vec<_>>().join("/"),
        None => path.file_name().map_or_else(|| escape_name(path.as_os_str()), escape_name),
    }
}

/// A file name as text, losslessly: bytes that are not UTF-8 become `\xHH` and a
/// backslash is doubled, so two names that differ only in such bytes (which a
/// replacement character would make one) keep two ids.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::with_capacity(name.len());
    for chunk in name.as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_ids() {
        assert_eq!(relative_id(Path::new("corpus"), Path::new("corpus/a/b.txt")), "a/b.txt");
        assert_eq!(relative_id(Path::new("corpus/b.txt"), Path::new("corpus/b.txt")), "b.txt");
        assert_eq!(relative_id(Path::new("./x/"), Path::new("./x/y.md")), "y.md");
    }

    #[test]
    fn names_that_are_not_utf8_keep_apart() {
        use std::os::unix::ffi::OsStrExt;
        let name = |b: &[u8]| escape_name(std::ffi::OsStr::from_bytes(b));
        assert_eq!(name(b"a\xff.txt"), "a\\xFF.txt");
        assert_ne!(name(b"a\xff.txt"), name(b"a\xfe.txt"));
        // A name that spells an escape is not the byte it spells.
        assert_eq!(name(b"a\\xFF.txt"), "a\\\\xFF.txt");
        assert_eq!(name("Zürich.txt".as_bytes()), "Zürich.txt");
    }

    #[test]
    fn extensions_case_insensitive() {
        assert!(reader_for(Path::new("a.TXT")).is_some());
        assert!(reader_for(Path::new("a.NdJson")).is_some());
        assert!(reader_for(Path::new("a.HTM")).is_some());
        assert!(reader_for(Path::new("a.pdf")).is_none());
        assert!(reader_for(Path::new("txt")).is_none());
    }
}
