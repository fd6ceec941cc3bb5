//! Articles: the unit whosaid reads. One file per input format, plus the folder walk.
//!
//! Known limits: formats are chosen by file extension only.

use jiff::civil::Date;
use serde::Serialize;
use std::path::PathBuf;

mod csvfile;
pub mod date;
pub mod dateline;
mod file;
mod html;
mod json;
mod markdown;
mod record;
mod repair;
pub mod skip;
pub mod source;
mod text;
mod walk;
pub mod warnings;

pub use date::{indexable, indexed_years, parse_date};
pub use source::publisher;
pub use walk::{
    check_paths, escape_name, has_article_extension, list_article_files, read_paths,
    read_paths_gated, FileCounts, FileGate, FileRef,
};

/// One news article, whatever file it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The record's `id`, else the path relative to the ingested root, plus `#N`
    /// for the Nth record (1-based) of a JSON Lines or CSV file.
    pub id: String,
    /// The file the article came from, as the user named it (root joined with the
    /// relative path).
    pub path: String,
    pub title: Option<String>,
    /// Publication day: record field, else a `YYYY-MM-DD` in the path, else a
    /// dateline that gives a year, else `--date`.
    pub date: Option<Date>,
    /// The publisher's name, folded (see [`source`]): the record's own source field,
    /// else `--source`, else the site of `url`.
    pub source: Option<String>,
    /// The article's address as the record gives it (an archive's, if it was saved
    /// from one).
    pub url: Option<String>,
    pub author: Option<String>,
    /// The record's own dateline field ("SALVADOR, Feb 26 -"), when it has one apart
    /// from the body; a dateline that opens the body is found there by `extract`.
    pub dateline: Option<String>,
    /// The text statements are found in; offsets in statements are bytes into it.
    pub body: String,
}

impl Article {
    /// The article as `extract --with-body` prints it, before its statements.
    pub fn body_record(&self) -> BodyRecord<'_> {
        BodyRecord {
            article: &self.id,
            path: &self.path,
            title: self.title.as_deref(),
            source: self.source.as_deref(),
            url: self.url.as_deref(),
            author: self.author.as_deref(),
            article_date: self.date.map(|d| d.to_string()),
            body: &self.body,
        }
    }
}

/// One JSON line of `extract --with-body`: the text statement offsets point into.
/// Told from a statement line by its `body` field (statements have `span`).
#[derive(Debug, Serialize)]
pub struct BodyRecord<'a> {
    /// The article id, as in statements' `article`.
    pub article: &'a str,
    pub path: &'a str,
    pub title: Option<&'a str>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub author: Option<&'a str>,
    /// The publication day, `YYYY-MM-DD`, as in statements' `article_date`.
    pub article_date: Option<String>,
    pub body: &'a str,
}

/// Options shared by `ingest` and `extract` for reading articles.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Last-resort article date (`--date`).
    pub default_date: Option<Date>,
    /// Publisher for articles whose record names none (`--source`); it wins over the
    /// site of an article's URL.
    pub default_source: Option<String>,
    /// `--exclude` patterns (.gitignore syntax), anchored at each path given.
    pub exclude: Vec<String>,
}

/// A problem with one file or one record: reported, counted, and skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub path: PathBuf,
    /// 1-based line (JSON Lines) or line where the row starts (CSV).
    pub line: Option<u64>,
    pub reason: String,
    /// True when the whole file was skipped.
    pub file_skipped: bool,
    /// True when one record (line, row, element) was skipped; neither this nor
    /// `file_skipped` for a note that skipped nothing.
    pub record_skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

/// Counts for the summary printed at the end of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadSummary {
    /// Files read in a known format (including ones that yielded no article).
    pub files: u64,
    pub articles: u64,
    /// Files skipped because their extension is not a known format.
    pub unknown_extension: u64,
    /// Files skipped whole because they could not be read or parsed.
    pub bad_files: u64,
    /// Records (lines, rows) skipped inside files that were otherwise read.
    pub bad_records: u64,
    /// Files and folders left out by `--exclude` or a `.whosaidignore`.
    pub excluded: u64,
    /// README, LICENSE and the like in a known format, left unread (see `skip.rs`).
    pub project_files: Vec<PathBuf>,
    /// Articles whose mangled quotation marks were repaired (see `repair.rs`).
    pub repaired: u64,
}
