//! JSON articles: `.json` holds one article object or an array of them; `.jsonl` /
//! `.ndjson` hold one object per line, streamed so files can be large.
//!
//! Known limits: a `.json` file is parsed whole (capped at 64 MiB); a JSON Lines
//! line over 16 MiB is skipped; objects nested inside an article object are not
//! searched for fields.

use super::file::{read_capped, FileCtx, Sink, MAX_WHOLE_FILE};
use super::record::Fields;
use super::Article;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

/// A single line this long is a corrupt file or not JSON Lines at all.
const MAX_LINE: u64 = 16 * 1024 * 1024;

pub(crate) fn read_json(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let value: Value = match read_capped(file.path, MAX_WHOLE_FILE)
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| format!("invalid JSON: {e}")))
    {
        Ok(v) => v,
        Err(reason) => {
            sink.skip_file(file.path, reason);
            return Ok(());
        }
    };
    match value {
        Value::Array(items) => {
            sink.summary.files += 1;
            for (i, item) in items.iter().enumerate() {
                let n = i as u64 + 1;
                match to_article(item, file, Some(n)) {
                    Ok(article) => sink.article(article)?,
                    Err(reason) => {
                        sink.skip_record(file.path, None, format!("element {n}: {reason}"))
                    }
                }
            }
        }
        Value::Object(_) => {
            sink.summary.files += 1;
            match to_article(&value, file, None) {
                Ok(article) => sink.article(article)?,
                Err(reason) => sink.skip_record(file.path, None, reason),
            }
        }
        _ => sink.skip_file(file.path, "expected a JSON object or an array of objects"),
    }
    Ok(())
}

pub(crate) fn read_json_lines(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let mut reader = match std::fs::File::open(file.path) {
        Ok(f) => BufReader::new(f),
        Err(e) => {
            sink.skip_file(file.path, format!("cannot open: {e}"));
            return Ok(());
        }
    };
    sink.summary.files += 1;
    let mut line = Vec::new();
    // Ids count records, not lines, so blank lines do not shift them; bad records
    // still count, so fixing one line does not renumber the rest.
    let mut n = 0;
    for line_no in 1u64.. {
        line.clear();
        let read = (&mut reader).take(MAX_LINE + 1).read_until(b'\n', &mut line);
        match read {
            Ok(0) => {
                if n == 0 {
                    sink.note(
                        file.path,
                        None,
                        "no records (empty or only blank lines), no articles",
                    );
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                // The rest of the file cannot be reached; what was read stands.
                sink.skip_record(
                    file.path,
                    Some(line_no),
                    format!("read error, rest of file skipped: {e}"),
                );
                break;
            }
        }
        if line.len() as u64 > MAX_LINE {
            n += 1;
            sink.skip_record(file.path, Some(line_no), "line longer than 16 MiB, skipped");
            if !line.ends_with(b"\n") && skip_rest_of_line(&mut reader).is_err() {
                break;
            }
            continue;
        }
        // A byte-order mark is not JSON, but some tools write one.
        let text =
            if line_no == 1 { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line) } else { &line };
        if text.trim_ascii().is_empty() {
            continue;
        }
        n += 1;
        let parsed =
            serde_json::from_slice::<Value>(text).map_err(|e| format!("invalid JSON: {e}"));
        match parsed.and_then(|v| to_article(&v, file, Some(n))) {
            Ok(article) => sink.article(article)?,
            Err(reason) => sink.skip_record(file.path, Some(line_no), reason),
        }
    }
    Ok(())
}

fn to_article(value: &Value, file: &FileCtx, n: Option<u64>) -> Result<Article, String> {
    let Value::Object(obj) = value else {
        return Err("expected a JSON object".to_string());
    };
    Fields::from_json(obj)?.into_article(file, n)
}

/// Consumes up to and including the next newline without buffering the line.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let len = buf.len();
                reader.consume(len);
            }
        }
    }
}
