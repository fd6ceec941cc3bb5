//! CSV articles: a header row names the fields, then one article per row. Quoting
//! (embedded newlines, doubled quotes) is left to the `csv` crate; rows are streamed.
//!
//! Known limits: comma-separated only (no TSV, no delimiter sniffing); a row whose
//! field count differs from the header's is skipped rather than guessed at; a row
//! that is not valid UTF-8 is skipped; one huge field is held in memory whole.

use super::file::{FileCtx, Sink};
use super::record::Fields;
use super::Article;
use serde_json::{Map, Value};

pub(crate) fn read(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let mut reader = match csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(file.path)
    {
        Ok(r) => r,
        Err(e) => {
            sink.skip_file(file.path, format!("cannot open: {e}"));
            return Ok(());
        }
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect(),
        Err(e) => {
            sink.skip_file(file.path, format!("cannot read the header row: {e}"));
            return Ok(());
        }
    };
    sink.summary.files += 1;
    let mut row = csv::StringRecord::new();
    let mut n = 0;
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let line = row.position().map_or(line, |p| p.line());
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
        obj.entry(key.clone())
            .or_insert_with(|| Value::String(value.to_string()));
    }
    Fields::from_json(&obj)?.into_article(file, Some(n))
}
