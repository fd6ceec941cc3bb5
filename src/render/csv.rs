//! Statements as CSV for spreadsheets (`whosaid export --format csv`): one header
//! row, then one statement a row, RFC 4180 (every field that needs it quoted, quotes
//! doubled, CRLF line ends), UTF-8 with a byte-order mark.
//!
//! The mark is what makes a spreadsheet read the file as UTF-8 without asking:
//! Excel takes a CSV without one for the system's code page (so "Brunn’s"
//! comes out as mojibake), and LibreOffice picks UTF-8 from it in its import dialog
//! and its headless conversion. Python reads it with `encoding="utf-8-sig"`.
//!
//! A cell that a spreadsheet would run as a formula (one starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) gets a `'` in front: statement texts and
//! titles come from the articles, which anyone may have written.
//!
//! Known limits: the `'` stays in the cell's text for tools that do not treat it as
//! Calc and Excel do; `date` is the statement's date at its precision (`2025-03-12`,
//! `2025-W11`, `2025-03`, `2025`), which a spreadsheet reads as a date only when it
//! is a day.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::statement::Statement;

/// The columns, in order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "date",
    "date_precision",
    "date_source",
    "speaker",
    "speaker_canonical",
    "speaker_type",
    "kind",
    "text",
    "cue",
    "title",
    "source",
    "url",
    "article",
    "article_date",
    "path",
];

/// Writes statements as CSV rows under one header.
pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// Writes the byte-order mark and the header row.
    pub fn new(mut out: W) -> io::Result<CsvWriter<W>> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        out.write_record(COLUMNS)?;
        Ok(CsvWriter { out })
    }

    /// One statement; `canonical` is its speaker's index-wide name (see
    /// `whosaid speakers`).
    pub fn write(&mut self, st: &Statement, canonical: Option<&str>) -> io::Result<()> {
        let opt = |v: Option<&str>| v.unwrap_or("").to_string();
        let row: [String; 16] = [
            st.id.clone(),
            opt(st.period.as_deref().or(st.date.as_deref())),
            opt(st.date_precision.map(|p| p.as_str())),
            opt(st.date_source.map(|d| d.as_str())),
            opt(st.speaker.as_deref()),
            opt(canonical),
            opt(st.speaker_type.map(|t| t.as_str())),
            st.kind.as_str().to_string(),
            st.text.clone(),
            opt(st.cue.as_deref()),
            opt(st.title.as_deref()),
            opt(st.source.as_deref()),
            opt(st.url.as_deref()),
            st.article.clone(),
            opt(st.article_date.as_deref()),
            st.path.clone(),
        ];
        self.out.write_record(row.iter().map(|cell| defuse(cell).into_owned()))?;
        Ok(())
    }

    /// Flushes the rows written so far.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `cell` with a `'` in front when a spreadsheet would take it for a formula.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Ann Lee said = fine"), "Ann Lee said = fine");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn header_and_quoting() {
        let mut buf = Vec::new();
        let mut w = CsvWriter::new(&mut buf).unwrap();
        let st: Statement = serde_json::from_value(serde_json::json!({
            "id": "s1", "article": "a.txt", "path": "a.txt", "title": "-Budget",
            "text": "a \"b\", c\nd", "kind": "direct", "speaker": "Ann Lee", "span": [0, 9]
        }))
        .unwrap();
        w.write(&st, None).unwrap();
        w.flush().unwrap();
        drop(w);
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("\u{feff}id,date,"));
        assert!(text.contains("\"a \"\"b\"\", c\nd\""), "{text}");
        assert!(text.contains(",'-Budget,"), "{text}");
        assert!(text.ends_with("\r\n"));
    }
}
