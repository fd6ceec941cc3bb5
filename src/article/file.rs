//! What every format reader shares: the file being read (`FileCtx`), where its
//! articles and warnings go (`Sink`, which also keeps the counts), and size-capped
//! reading.
//!
//! Known limits: the size cap is checked on the bytes actually read, so a file that
//! grows while it is read is cut at the cap and reported as too large.

use super::{Article, ReadSummary, Warning};
use jiff::civil::Date;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whole-file formats (txt, md, json) are read into memory; beyond this they are
/// more likely a mistake (a dump, a disk image) than an article.
pub(crate) const MAX_WHOLE_FILE: u64 = 64 * 1024 * 1024;

/// The longest article text extracted. A news article is well under 1 MiB, and
/// extraction holds every statement of an article at once: about 35 bytes of memory
/// per byte of text made only of statements, so 16 MiB stays near half a GiB.
/// A `.txt` or `.md` file is one article, so it is capped here too.
pub(crate) const MAX_ARTICLE: u64 = 16 * 1024 * 1024;

/// One file being read.
pub(crate) struct FileCtx<'a> {
    pub path: &'a Path,
    /// Path relative to the ingested root, '/'-separated: the default article id.
    pub rel: String,
    pub path_date: Option<Date>,
    pub default_date: Option<Date>,
    /// `--source`.
    pub default_source: Option<&'a str>,
}

impl FileCtx<'_> {
    /// `rel`, plus `#n` for the nth record of a many-record file.
    pub fn record_id(&self, n: Option<u64>) -> String {
        match n {
            Some(n) => format!("{}#{}", self.rel, n),
            None => self.rel.clone(),
        }
    }
}

/// Receives the results of reading, keeps the summary counts in step with what was
/// reported, so no reader can forget to count.
pub(crate) struct Sink<'a> {
    pub on_article: &'a mut dyn FnMut(Article) -> anyhow::Result<()>,
    pub on_warning: &'a mut dyn FnMut(&Warning),
    pub summary: ReadSummary,
}

impl Sink<'_> {
    /// Passes an article on, its quotation marks repaired (see `repair.rs`); the
    /// caller's error aborts the whole run.
    /// A date the index could not filter by is dropped with a warning, as for every
    /// other bad field: before, such an article's statements left date filters,
    /// facets, `stats` and `timeline` without a word.
    pub fn article(&mut self, mut article: Article) -> anyhow::Result<()> {
        self.summary.articles += 1;
        if let Some(day) = article.date.filter(|d| !super::date::indexable(*d)) {
            let path = PathBuf::from(&article.path);
            self.note(
                &path,
                None,
                format!(
                    "article {}: its date {day} is outside the years {} that can be indexed; \
                     read as undated",
                    article.id,
                    super::date::indexed_years()
                ),
            );
            article.date = None;
        }
        if super::repair::repair_article(&mut article) {
            self.summary.repaired += 1;
        }
        (self.on_article)(article)
    }

    /// The whole file is skipped.
    pub fn skip_file(&mut self, path: &Path, reason: impl Into<String>) {
        self.summary.bad_files += 1;
        self.warn(path, None, reason.into(), (true, false));
    }

    /// One record (line, row, array element) is skipped; the rest of the file is read.
    pub fn skip_record(&mut self, path: &Path, line: Option<u64>, reason: impl Into<String>) {
        self.summary.bad_records += 1;
        self.warn(path, line, reason.into(), (false, true));
    }

    /// Something worth knowing that skipped nothing (e.g. lossy UTF-8 decoding).
    pub fn note(&mut self, path: &Path, line: Option<u64>, reason: impl Into<String>) {
        self.warn(path, line, reason.into(), (false, false));
    }

    /// `skipped`: the whole file, one record.
    fn warn(&mut self, path: &Path, line: Option<u64>, reason: String, skipped: (bool, bool)) {
        let (file_skipped, record_skipped) = skipped;
        let warning =
            Warning { path: path.to_path_buf(), line, reason, file_skipped, record_skipped };
        (self.on_warning)(&warning);
    }
}

/// Reads a whole file, refusing files over `limit` bytes; the error is the warning text.
pub(crate) fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("file larger than {} MiB, skipped", limit / (1024 * 1024)));
    }
    Ok(bytes)
}

/// Decodes text, replacing invalid UTF-8 rather than losing the article; the sink
/// is told so the user knows offsets may not match the file byte for byte.
pub(crate) fn decode_lossy(bytes: Vec<u8>, path: &Path, sink: &mut Sink) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            sink.note(path, None, "invalid UTF-8, decoded with replacement characters");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}
