//! `whosaid check`, the index's part: every file of both Tantivy indexes (the
//! statements and the article store) read and verified, and what each damage needs.
//!
//! For each of the two folders: `meta.json` and Tantivy's list of its files
//! (`.managed.json`) must parse; each segment `meta.json` names must have all its
//! files, each whole (Tantivy ends every file with a CRC-32 of its bytes, which is
//! recomputed here: a flipped byte anywhere is found); and a segment whose files
//! are whole must hold as many documents as `meta.json` says. Beside them, the
//! version stamp and the speaker table (`speakers.json`, `speaker-aliases.json`).
//! The file list (`ingest-files.json`) is the ingest's and is checked there
//! (`ingest::repair`).
//!
//! What each damage needs is a [`Fix`]: a wrong document count is written right in
//! `meta.json` (the files are whole, so the count they hold is the true one); a
//! segment with a damaged or missing file is dropped from `meta.json` and the files
//! whose statements it held are read again; an unreadable `meta.json` is set aside
//! and every file read again; an unreadable `.managed.json` is written again from
//! the segment files present. [`apply`] does the index's part of that; reading
//! files again is the ingest's.
//!
//! Known limits: reads every byte of the index (a second or two for the real
//! corpora's 64 MB when cached); checks files against their own checksums, so a
//! file replaced whole by another valid one (an older backup) is not found here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::directory::error::OpenReadError;
use tantivy::index::SegmentComponent;

use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Value as _;
use tantivy::{Searcher, Term};

use super::atomic_file::write_atomic;
use super::directory::{Access, IndexDirectory};
use super::stored::load_statement;
use super::{articles, damage, schema, Index};

/// One of the two Tantivy indexes of an index folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Statements,
    Articles,
}

impl Part {
    /// Its folder: the index folder itself, or `articles/` in it.
    pub fn folder(self, dir: &Path) -> PathBuf {
        match self {
            Part::Statements => dir.to_path_buf(),
            Part::Articles => dir.join(articles::FOLDER),
        }
    }

    /// An indexed field with norms, whose length is the document count.
    fn norms_field(self) -> &'static str {
        match self {
            Part::Statements => "text",
            Part::Articles => "id",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Part::Statements => "statements",
            Part::Articles => "article store",
        }
    }
}

/// What a damage needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "fix")]
pub enum Fix {
    /// Write the segment's document count right in `meta.json`.
    Count { segment: String, max_doc: u32 },
    /// Drop the segment from `meta.json`; read its files' articles again.
    DropSegment { segment: String },
    /// Set `meta.json` aside (the part starts empty); read every file again.
    Rebuild,
    /// Write `.managed.json` again from the segment files present.
    ManagedList,
    /// Rebuild the speaker table from the index.
    SpeakerTable,
    /// Read again the files the file list marks as not completely indexed.
    ReadAgain,
    /// Nothing to repair here: the next `whosaid ingest` of the same folders reads
    /// the files again (the file list cannot tell which).
    NextIngest,
    /// Nothing `check` can do: delete the index and ingest again.
    Reingest,
}

/// One thing found wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Which index: `None` for the files beside both.
    pub part: Option<Part>,
    /// The damaged file, relative to the index folder.
    pub file: String,
    pub what: String,
    #[serde(flatten)]
    pub fix: Fix,
}

/// What was checked in one part.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checked {
    pub segments: usize,
    pub documents: u64,
    pub files: usize,
    pub bytes: u64,
}

/// The index's part of `whosaid check`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub statements: Checked,
    pub articles: Checked,
    pub problems: Vec<Problem>,
}

/// Checks the index folder `dir` (see the module comment). Errors only when the
/// folder cannot be read at all; everything found wrong is a [`Problem`].
pub fn check(dir: &Path) -> Result<Report> {
    if !dir.is_dir() {
        anyhow::bail!("no index at {}: run 'whosaid ingest PATH' first", dir.display());
    }
    let mut problems = Vec::new();
    if let Err(e) = schema::check_version(dir) {
        problems.push(Problem {
            part: None,
            file: schema::VERSION_FILE.into(),
            what: format!("{e:#}"),
            fix: Fix::Reingest,
        });
        // Another schema: its segments are not this whosaid's to judge.
        return Ok(Report {
            statements: Checked::default(),
            articles: Checked::default(),
            problems,
        });
    }
    let statements = check_part(dir, Part::Statements, &mut problems)?;
    let articles = check_part(dir, Part::Articles, &mut problems)?;
    if !problems.iter().any(|p| p.part == Some(Part::Statements)) {
        if let Some(problem) = check_speaker_table(dir)? {
            problems.push(problem);
        }
    }
    Ok(Report { statements, articles, problems })
}

/// A file of `part` named relative to the index folder.
fn rel(part: Part, file: &str) -> String {
    match part {
        Part::Statements => file.to_string(),
        Part::Articles => format!("{}/{file}", articles::FOLDER),
    }
}

fn check_part(dir: &Path, part: Part, problems: &mut Vec<Problem>) -> Result<Checked> {
    let folder = part.folder(dir);
    let mut checked = Checked::default();
    let problem = |file: &str, what: String, fix: Fix| Problem {
        part: Some(part),
        file: rel(part, file),
        what,
        fix,
    };
    if !folder.join("meta.json").exists() {
        if has_segment_files(&folder) {
            problems.push(problem(
                "meta.json",
                "missing, beside segment files: the commit that named them is lost".into(),
                Fix::Rebuild,
            ));
        }
        return Ok(checked);
    }
    let managed = folder.join(".managed.json");
    if let Ok(body) = std::fs::read(&managed) {
        if let Err(e) = serde_json::from_slice::<Vec<String>>(&body) {
            problems.push(problem(".managed.json", format!("not readable: {e}"), Fix::ManagedList));
            return Ok(checked);
        }
    }
    let directory = IndexDirectory::open(&folder, Access::Scan)
        .with_context(|| format!("opening {}", folder.display()))?;
    let index = match tantivy::Index::open(directory) {
        Ok(index) => index,
        Err(e) => {
            problems.push(problem("meta.json", format!("not readable: {e}"), Fix::Rebuild));
            return Ok(checked);
        }
    };
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => {
            problems.push(problem("meta.json", format!("not readable: {e}"), Fix::Rebuild));
            return Ok(checked);
        }
    };
    let Ok(norms) = metas.schema.get_field(part.norms_field()) else {
        problems.push(problem(
            "meta.json",
            format!("its schema has no field '{}'", part.norms_field()),
            Fix::Rebuild,
        ));
        return Ok(checked);
    };
    for meta in &metas.segments {
        checked.segments += 1;
        checked.documents += u64::from(meta.num_docs());
        let segment = meta.id().uuid_string();
        let mut damaged = None;
        for component in components(meta.has_deletes()) {
            let path = meta.relative_path(component.clone());
            let name = path.to_string_lossy().into_owned();
            let optional = component == SegmentComponent::Positions;
            match index.directory().validate_checksum(&path) {
                Ok(true) => {
                    checked.files += 1;
                    checked.bytes += std::fs::metadata(folder.join(&path)).map_or(0, |m| m.len());
                }
                Ok(false) => {
                    damaged
                        .get_or_insert((name, "its checksum does not match its bytes".to_string()));
                }
                Err(OpenReadError::FileDoesNotExist(_)) if optional => {}
                Err(OpenReadError::FileDoesNotExist(_)) => {
                    damaged.get_or_insert((name, "missing".to_string()));
                }
                Err(e) => {
                    damaged.get_or_insert((name, format!("not readable: {e}")));
                }
            }
        }
        if let Some((file, what)) = damaged {
            problems.push(problem(&file, what, Fix::DropSegment { segment }));
            continue;
        }
        // Whole files: the document count they hold is the true one.
        let opened = damage::guard(|| {
            let reader = tantivy::SegmentReader::open(&index.segment(meta.clone()))?;
            let docs = reader.get_fieldnorms_reader(norms)?.num_docs();
            Ok::<_, anyhow::Error>((docs, reader.num_deleted_docs()))
        });
        match opened {
            Ok((docs, _)) if docs != meta.max_doc() => problems.push(problem(
                "meta.json",
                format!(
                    "says segment {segment} holds {} documents, its files hold {docs}",
                    meta.max_doc()
                ),
                Fix::Count { segment, max_doc: docs },
            )),
            Ok((_, deleted)) if deleted != meta.num_deleted_docs() => problems.push(problem(
                "meta.json",
                format!(
                    "says {} documents of segment {segment} are deleted, its files say {deleted}",
                    meta.num_deleted_docs()
                ),
                Fix::DropSegment { segment },
            )),
            Ok(_) => {}
            Err(e) => problems.push(problem(
                &meta.relative_path(SegmentComponent::Store).to_string_lossy(),
                format!("segment {segment} cannot be opened: {e:#}"),
                Fix::DropSegment { segment },
            )),
        }
    }
    Ok(checked)
}

/// The files of a segment, in the order they are checked.
fn components(deletes: bool) -> Vec<SegmentComponent> {
    let mut all = vec![
        SegmentComponent::Terms,
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
        SegmentComponent::Store,
    ];
    if deletes {
        all.push(SegmentComponent::Delete);
    }
    all
}

/// A segment file's name: 32 hexadecimal digits, a dot, an extension.
fn is_segment_file(name: &str) -> bool {
    name.split_once('.')
        .is_some_and(|(id, _)| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn has_segment_files(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|e| e.file_name().to_str().is_some_and(is_segment_file))
    })
}

/// The speaker table: a damaged one is rebuilt by every query that needs it (slowly),
/// so it is worth repairing, not an error.
fn check_speaker_table(dir: &Path) -> Result<Option<Problem>> {
    use super::speaker_table::{ALIASES_FILE, FILE};
    for file in [FILE, ALIASES_FILE] {
        let what = match std::fs::read(dir.join(file)) {
            Ok(body) => match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(_) => continue,
                Err(e) => format!("not readable: {e}"),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing".to_string(),
            Err(e) => format!("not readable: {e}"),
        };
        return Ok(Some(Problem { part: None, file: file.into(), what, fix: Fix::SpeakerTable }));
    }
    Ok(None)
}

/// Applies the index's part of the fixes for `problems`: document counts written
/// right and damaged segments dropped in `meta.json` (whose opstamp is moved on by
/// one, so a running `serve` and the speaker table see a new commit), unreadable
/// `meta.json` files set aside as `meta.json.damaged`, `.managed.json` written
/// again. The caller holds the ingest lock; reading files again and rebuilding the
/// speaker table are its part.
pub fn apply(dir: &Path, problems: &[Problem]) -> Result<()> {
    for part in [Part::Statements, Part::Articles] {
        let folder = part.folder(dir);
        let mine: Vec<&Fix> =
            problems.iter().filter(|p| p.part == Some(part)).map(|p| &p.fix).collect();
        if mine.contains(&&Fix::ManagedList) {
            write_managed_list(&folder)?;
        }
        if mine.contains(&&Fix::Rebuild) {
            let meta = folder.join("meta.json");
            if meta.exists() {
                std::fs::rename(&meta, folder.join("meta.json.damaged"))
                    .with_context(|| format!("setting {} aside", meta.display()))?;
            }
            continue;
        }
        let segments: Vec<&Fix> = mine
            .into_iter()
            .filter(|f| matches!(f, Fix::Count { .. } | Fix::DropSegment { .. }))
            .collect();
        if !segments.is_empty() {
            rewrite_meta(&folder.join("meta.json"), &segments)?;
        }
    }
    Ok(())
}

/// `meta.json` with `fixes` applied to its segment list, through serde_json's
/// values so that every field whosaid does not know is kept as it is.
fn rewrite_meta(path: &Path, fixes: &[&Fix]) -> Result<()> {
    let body = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut meta: serde_json::Value =
        serde_json::from_slice(&body).with_context(|| format!("reading {}", path.display()))?;
    let id = |s: &serde_json::Value| {
        s.get("segment_id").and_then(|v| v.as_str()).unwrap_or("").replace('-', "")
    };
    let segments = meta
        .get_mut("segments")
        .and_then(|s| s.as_array_mut())
        .with_context(|| format!("{} has no segment list", path.display()))?;
    for fix in fixes {
        match fix {
            Fix::Count { segment, max_doc } => {
                for s in segments.iter_mut().filter(|s| id(s) == *segment) {
                    s["max_doc"] = (*max_doc).into();
                }
            }
            Fix::DropSegment { segment } => segments.retain(|s| id(s) != *segment),
            _ => {}
        }
    }
    let opstamp = meta.get("opstamp").and_then(|o| o.as_u64()).unwrap_or(0);
    meta["opstamp"] = (opstamp + 1).into();
    let body = serde_json::to_vec_pretty(&meta).context("serializing meta.json")?;
    write_atomic(path, &body)
}

/// Tantivy's list of the files it made, from the segment files present and
/// `meta.json`: it deletes listed files no commit names, so whosaid's own files
/// (in the same folder) must never be in it.
fn write_managed_list(folder: &Path) -> Result<()> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .with_context(|| format!("reading {}", folder.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| is_segment_file(n) || n == "meta.json")
        .collect();
    names.sort();
    let body = serde_json::to_vec(&names).context("serializing .managed.json")?;
    write_atomic(&folder.join(".managed.json"), &body)
}

/// What the index holds of one ingested file: its statements and stored articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    pub statements: u64,
    pub articles: u64,
}

/// Counts what `index` holds of ingested files, on one commit of each part.
pub struct Holdings<'a> {
    index: &'a Index,
    statements: Searcher,
    articles: Option<Searcher>,
}

impl<'a> Holdings<'a> {
    pub fn new(index: &'a Index) -> Result<Holdings<'a>> {
        let articles = match &index.articles {
            Some(store) => Some(store.searcher()?),
            None => None,
        };
        Ok(Holdings { index, statements: index.searcher()?, articles })
    }

    fn by_file(field: tantivy::schema::Field, key: &str) -> TermQuery {
        TermQuery::new(Term::from_field_text(field, key), IndexRecordOption::Basic)
    }

    /// What the index holds of the file with list key `key`.
    pub fn of(&self, key: &str) -> Result<Held> {
        let statements = Self::by_file(self.index.fields.file, key);
        let mut held = Held {
            statements: self.statements.search(&statements, &Count)? as u64,
            ..Held::default()
        };
        if let (Some(store), Some(searcher)) = (&self.index.articles, &self.articles) {
            held.articles = searcher.search(&Self::by_file(store.fields.file, key), &Count)? as u64;
        }
        Ok(held)
    }

    /// The id of one article of the file with list key `key`, from the article store
    /// or else from a statement: it tells the folder the file was ingested from.
    pub fn article_id(&self, key: &str) -> Result<Option<String>> {
        if let (Some(store), Some(searcher)) = (&self.index.articles, &self.articles) {
            let found =
                searcher.search(&Self::by_file(store.fields.file, key), &DocSetCollector)?;
            if let Some(addr) = found.into_iter().next() {
                let doc: tantivy::TantivyDocument = searcher.doc(addr)?;
                if let Some(id) = doc.get_first(store.fields.id).and_then(|v| v.as_str()) {
                    return Ok(Some(id.to_string()));
                }
            }
        }
        let statements = Self::by_file(self.index.fields.file, key);
        let found = self.statements.search(&statements, &DocSetCollector)?;
        match found.into_iter().next() {
            Some(addr) => Ok(Some(load_statement(self.index, &self.statements, addr)?.article)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_files_are_told_from_whosaids_own() {
        assert!(is_segment_file("c05d436fa5c448acb7279e56dc57a2f8.store"));
        assert!(is_segment_file("c05d436fa5c448acb7279e56dc57a2f8.12.del"));
        assert!(!is_segment_file("speakers.json"));
        assert!(!is_segment_file("ingest-files.json"));
        assert!(!is_segment_file("meta.json"));
    }
}
