//! A statement as an index document: the fields it is searched, filtered, counted
//! and grouped by, and its JSON in the one stored field. Part of the build
//! fingerprint (see `build/fingerprint.rs`): what it writes is what the index holds.
//!
//! Known limits: a statement whose date is missing or not `YYYY-MM-DD`, or outside
//! the days Tantivy can hold, is indexed without a date, so date filters and date
//! facets skip it.

use anyhow::{bail, Context, Result};
use tantivy::TantivyDocument;

use crate::index::days::{day_to_datetime, in_date_range, parse_day};
use crate::index::schema::Fields;
use crate::statement::Statement;

/// The index documents of `statements`, which must all belong to `article_id`.
pub fn documents(
    fields: &Fields,
    article_id: &str,
    statements: &[Statement],
) -> Result<Vec<TantivyDocument>> {
    if let Some(stray) = statements.iter().find(|s| s.article != article_id) {
        bail!("statement {} belongs to article {}, not {article_id}", stray.id, stray.article);
    }
    // The headline goes on the first statement only (see `index::query::titles`).
    statements.iter().enumerate().map(|(i, s)| document(fields, s, i == 0)).collect()
}

fn document(f: &Fields, s: &Statement, with_title: bool) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.article, &s.article);
    doc.add_text(f.text, &s.text);
    doc.add_text(f.kind, s.kind.as_str());
    if let Some(speaker) = &s.speaker {
        doc.add_text(f.speaker, speaker);
        doc.add_text(f.speaker_name, speaker);
        doc.add_u64(
            f.speaker_key,
            crate::index::speaker_key::key(
                speaker,
                crate::index::speaker_key::is_unnamed(s.speaker_type),
            ),
        );
        // A type without a speaker means nothing, and is not indexed.
        if let Some(ty) = s.speaker_type {
            doc.add_text(f.speaker_type, ty.as_str());
        }
    }
    if let Some(source) = &s.source {
        doc.add_text(f.source, source);
    }
    if let Some(title) = s.title.as_deref().filter(|_| with_title) {
        doc.add_text(f.title, title);
    }
    // A day Tantivy cannot hold stays in the stored statement but is not indexed.
    if let Some(day) = s.date.as_deref().and_then(parse_day).filter(|d| in_date_range(*d)) {
        doc.add_date(f.date, day_to_datetime(day)?);
    }
    // The same bytes as serde_json writes, faster (see statement::json).
    let mut json = Vec::with_capacity(1024);
    s.write_json(&mut json);
    doc.add_text(f.json, String::from_utf8(json).context("statement JSON is not UTF-8")?);
    doc.add_u64(f.quote, crate::index::quote_key::quote_hash(&s.text));
    Ok(doc)
}
