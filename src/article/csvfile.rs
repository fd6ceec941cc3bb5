//! CSV articles: a header row names the fields, then one article per row. Quoting
//! (embedded newlines, doubled quotes) is left to the `csv` crate; rows are streamed.
//!
//! Known limits: comma-separated only (no TSV, no delimiter sniffing); a row whose
//! field count differs from the header's is skipped rather than guessed at; a row
//! that is not valid UTF-8 is skipped; a row over 32 MiB (most often a quotation
//! mark never closed, which makes the rest of the file one field) ends the reading
//! of its file, as a read error does: the rows before it stand.

use super::file::{FileCtx, Sink};
use super::record::Fields;
use super::Article;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// The longest row: an article's text is at most 16 MiB, and the csv crate holds a
/// row whole, so a row may not grow the memory without bound.
const MAX_ROW: u64 = 32 * 1024 * 1024;

/// A reader that fails once it has read past `limit` bytes of its file: the loop
/// below moves the limit to each row's start plus [`MAX_ROW`].
struct Bounded<R> {
    inner: R,
    read: u64,
    limit: Rc<Cell<u64>>,
    /// Quotation marks read: CSV doubles the ones inside a field, so an odd count
    /// at the end means a field was opened and never closed.
    quotes: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.limit.get().saturating_sub(self.read);
        if left == 0 {
            return Err(std::io::Error::other(format!(
                "a row runs past {} MiB (a quotation mark never closed?)",
                MAX_ROW >> 20
            )));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        self.quotes += buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        Ok(n)
    }
}

pub(crate) fn read(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let limit = Rc::new(Cell::new(MAX_ROW));
    let mut reader = match std::fs::File::open(file.path) {
        Ok(f) => csv::ReaderBuilder::new().flexible(true).from_reader(Bounded {
            inner: f,
            read: 0,
            limit: Rc::clone(&limit),
            quotes: 0,
        }),
        Err(e) => {
            sink.skip_file(file.path, format!("cannot open: {e}"));
            return Ok(());
        }
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect(),
        Err(e) => {
            sink.skip_file(file.path, format!("cannot read the header row: {e}"));
            return Ok(());
        }
    };
    sink.summary.files += 1;
    let mut row = csv::StringRecord::new();
    let mut n = 0;
    // Where the last row read started: the header's line until a row is read.
    let mut last_line = 1;
    loop {
        let line = reader.position().line();
        limit.set(reader.position().byte() + MAX_ROW);
        match reader.read_record(&mut row) {
            Ok(false) => {
                // The csv crate takes an unclosed quotation to run to the end of the
                // file, silently: every row after it would vanish into one field.
                if reader.get_ref().quotes % 2 == 1 {
                    sink.note(
                        file.path,
                        Some(last_line),
                        "a quotation mark in this row is never closed: the rest of the file was read as one field",
                    );
                }
                if n == 0 {
                    let why =
                        if headers.is_empty() { "empty file" } else { "no rows after the header" };
                    sink.note(file.path, None, format!("{why}, no articles"));
                }
                break;
            }
            Ok(true) => {
                n += 1;
                let line = row.position().map_or(line, |p| p.line());
                last_line = line;
                match to_article(&headers, &row, file, n) {
                    Ok(article) => sink.article(article)?,
                    Err(reason) => sink.skip_record(file.path, Some(line), reason),
                }
            }
            Err(e) => {
                n += 1;
                let line = e.position().map_or(line, |p| p.line());
                if e.is_io_error() {
                    sink.skip_record(
                        file.path,
                        Some(line),
                        format!("read error, rest of file skipped: {e}"),
                    );
                    break;
                }
                sink.skip_record(file.path, Some(line), format!("bad row: {e}"));
            }
        }
    }
    Ok(())
}

fn to_article(
    headers: &[String],
    row: &csv::StringRecord,
    file: &FileCtx,
    n: u64,
) -> Result<Article, String> {
    if row.len() != headers.len() {
        return Err(format!(
            "row has {} fields, the header has {}; skipped",
            row.len(),
            headers.len()
        ));
    }
    let mut obj = Map::new();
    for (key, value) in headers.iter().zip(row.iter()) {
        // A repeated column name keeps its first column, as the alias lookup would.
        obj.entry(key.clone()).or_insert_with(|| Value::String(value.to_string()));
    }
    Fields::from_json(&obj)?.into_article(file, Some(n))
}
