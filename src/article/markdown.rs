//! Markdown articles (`.md`, `.markdown`): optional front matter between `---` lines
//! at the very start, then the body.
//!
//! Known limits: front matter is read as flat `key: value` lines, not YAML: no
//! lists, no multi-line values, no escapes inside quotes; lines without a colon
//! are ignored. Without a closing `---` the whole file is body. The body's Markdown
//! markup is kept as written.

use super::file::{FileCtx, Sink, MAX_ARTICLE};
use super::record::Fields;
use super::text::{emit, read_text};
use serde_json::{Map, Value};

pub(crate) fn read(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let Some(text) = read_text(file, sink, MAX_ARTICLE) else {
        return Ok(());
    };
    let (front, body) = split_front_matter(&text);
    // Front matter goes through the same field mapping as JSON, so `publish_date`
    // and friends work here too; but the body is always what follows it.
    let mut fields = match Fields::from_json(&front) {
        Ok(f) => f,
        Err(reason) => {
            sink.skip_record(file.path, None, reason);
            return Ok(());
        }
    };
    fields.body = Some(body.to_string());
    emit(fields, file, sink)
}

/// Splits off the front matter, returning its keys and the body with leading blank
/// lines removed.
fn split_front_matter(text: &str) -> (Map<String, Value>, &str) {
    let mut front = Map::new();
    // Editors on Windows may save a byte-order mark before the opening fence.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_fence = |l: &str| l.trim_end() == "---";
    let Some(opening) = text.split_inclusive('\n').next().filter(|l| is_fence(l)) else {
        return (front, trim_blank_lines(text));
    };
    let mut pos = opening.len();
    for line in text[pos..].split_inclusive('\n') {
        pos += line.len();
        if is_fence(line) {
            return (front, trim_blank_lines(&text[pos..]));
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim();
            if !key.is_empty() && !key.starts_with('#') {
                let value = Value::String(unquote(value.trim()).to_string());
                front.entry(key.to_string()).or_insert(value);
            }
        }
    }
    (Map::new(), trim_blank_lines(text))
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Drops whole blank lines at the start, keeping the first text line's indentation.
fn trim_blank_lines(s: &str) -> &str {
    let mut rest = s;
    while let Some(end) = rest.find('\n') {
        if !rest[..end].trim().is_empty() {
            break;
        }
        rest = &rest[end + 1..];
    }
    if rest.trim().is_empty() {
        ""
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body() {
        let text = "---\ntitle: \"A: B\"\ndate: '2016-10-12'\nauthor: Jo\nnot a field\n---\n\n\n  Body line.\nMore.\n";
        let (front, body) = split_front_matter(text);
        assert_eq!(front["title"], "A: B");
        assert_eq!(front["date"], "2016-10-12");
        assert_eq!(front["author"], "Jo");
        assert_eq!(front.len(), 3);
        assert_eq!(body, "  Body line.\nMore.\n");
    }

    #[test]
    fn crlf_front_matter() {
        let (front, body) = split_front_matter("---\r\ntitle: T\r\n---\r\n\r\nBody\r\n");
        assert_eq!(front["title"], "T");
        assert_eq!(body, "Body\r\n");
    }

    #[test]
    fn no_or_unclosed_front_matter() {
        let (front, body) = split_front_matter("\n# Heading\n---\ntext");
        assert!(front.is_empty());
        assert_eq!(body, "# Heading\n---\ntext");
        let (front, body) = split_front_matter("---\ntitle: T\nno end");
        assert!(front.is_empty());
        assert_eq!(body, "---\ntitle: T\nno end");
        let (_, body) = split_front_matter("---\n---\n");
        assert_eq!(body, "");
    }

    #[test]
    fn unquote_only_matching_pairs() {
        assert_eq!(unquote("\"x\""), "x");
        assert_eq!(unquote("'x'"), "x");
        assert_eq!(unquote("\"x'"), "\"x'");
        assert_eq!(unquote("\""), "\"");
    }
}
