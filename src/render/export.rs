//! Statements as documents for other search engines (`whosaid export`): NDJSON, one
//! document a line, for Quickwit's ingest; and bulk-API lines for OpenSearch and
//! Elasticsearch (and Quickwit's `_elastic/_bulk`), an action line before each one.
//!
//! The document is the statement's JSON with its days as RFC 3339 datetimes
//! (midnight UTC) and the speaker's index-wide name beside the one in the article
//! (an unnamed speaker's among unnamed speakers only, see `index::speaker_key`).
//! The mappings in `scripts/cluster/` name exactly these fields; a test holds them
//! to it.
//!
//! Known limits: a day is midnight UTC, not the day in the article's time zone
//! (whosaid never knew the time of day); `date` is null for days outside the years
//! the local index holds (1678–2261), as it does not index them (`period` keeps
//! the day).

use serde::Serialize;

use crate::statement::{DateSource, Kind, Precision, SpeakerType, Statement};

/// The export document: every field of a statement, plus `speaker_canonical`.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub id: &'a str,
    pub article: &'a str,
    pub path: &'a str,
    pub title: Option<&'a str>,
    pub source: Option<&'a str>,
    pub text: &'a str,
    pub kind: Kind,
    /// The speaker as resolved in the article.
    pub speaker: Option<&'a str>,
    /// `person`, `organization` or `unnamed` (a description nobody is named by).
    pub speaker_type: Option<SpeakerType>,
    /// The name `whosaid speakers` lists the speaker under (variants across
    /// articles merged); equal to `speaker` when nothing was merged.
    pub speaker_canonical: Option<&'a str>,
    pub speaker_mention: Option<&'a str>,
    pub cue: Option<&'a str>,
    /// RFC 3339, only for statements known to the day.
    pub date: Option<String>,
    pub date_precision: Option<Precision>,
    pub date_source: Option<DateSource>,
    /// The date at its precision, as in the statement (`2025-W11`, `2025-03`).
    pub period: Option<&'a str>,
    /// RFC 3339.
    pub article_date: Option<String>,
    pub span: [usize; 2],
    pub speaker_span: Option<[usize; 2]>,
    pub cue_span: Option<[usize; 2]>,
    pub role: Option<&'a str>,
    pub url: Option<&'a str>,
    /// A date the statement's words gave that cannot be when it was said (see
    /// `Statement::date_rejected`).
    pub date_rejected: Option<&'a str>,
    /// A hash of the quotation's words (`index::quote_key`), in decimal: the same
    /// quotation reported by several articles has one, so an engine can count
    /// quotations as `who` does.
    pub quote: String,
}

impl<'a> Document<'a> {
    /// `canonical` maps a speaker name, and whether the speaker is unnamed, to its
    /// index-wide name.
    pub fn new(st: &'a Statement, canonical: impl Fn(&'a str, bool) -> &'a str) -> Document<'a> {
        let unnamed = crate::index::speaker_key::is_unnamed(st.speaker_type);
        Document {
            id: &st.id,
            article: &st.article,
            path: &st.path,
            title: st.title.as_deref(),
            source: st.source.as_deref(),
            text: &st.text,
            kind: st.kind,
            speaker: st.speaker.as_deref(),
            speaker_type: st.speaker_type,
            speaker_canonical: st.speaker.as_deref().map(|name| canonical(name, unnamed)),
            speaker_mention: st.speaker_mention.as_deref(),
            cue: st.cue.as_deref(),
            // A day the local index cannot hold is not indexed there: not here either,
            // so an engine counts and filters by date as whosaid does (`period`
            // keeps it).
            date: st.date.as_deref().filter(|d| indexable(d)).and_then(rfc3339),
            date_precision: st.date_precision,
            date_source: st.date_source,
            period: st.period.as_deref(),
            article_date: st.article_date.as_deref().and_then(rfc3339),
            span: st.span,
            speaker_span: st.speaker_span,
            cue_span: st.cue_span,
            role: st.role.as_deref(),
            url: st.url.as_deref(),
            date_rejected: st.date_rejected.as_deref(),
            quote: crate::index::quote_key::quote_hash(&st.text).to_string(),
        }
    }
}

/// Whether `day` is one the local index holds (see `article::indexable`).
fn indexable(day: &str) -> bool {
    day.parse::<jiff::civil::Date>().is_ok_and(crate::article::indexable)
}

/// `2025-03-12` → `2025-03-12T00:00:00Z`; None for anything but a four-digit-year day.
fn rfc3339(day: &str) -> Option<String> {
    let d: jiff::civil::Date = day.parse().ok()?;
    (1..=9999).contains(&d.year()).then(|| format!("{d}T00:00:00Z"))
}

/// The bulk API's action line for a document.
#[derive(Serialize)]
struct Action<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// `{"create": {"_index": …, "_id": …}}` (or `"index"`), without a newline; `_index`
/// first, as the engines' own documentation writes it.
pub fn bulk_action(action: &str, index: &str, id: &str) -> serde_json::Result<String> {
    Ok(format!(
        "{{{}:{}}}",
        serde_json::to_string(action)?,
        serde_json::to_string(&Action { index, id })?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_midnight_utc() {
        assert_eq!(rfc3339("2025-03-12").as_deref(), Some("2025-03-12T00:00:00Z"));
        assert_eq!(rfc3339("0001-01-01").as_deref(), Some("0001-01-01T00:00:00Z"));
        assert_eq!(rfc3339("2025-W11"), None);
        assert_eq!(rfc3339("-000001-01-01"), None);
    }

    #[test]
    fn action_line_names_index_and_id() {
        assert_eq!(
            bulk_action("create", "whosaid", "06c1").unwrap(),
            r#"{"create":{"_index":"whosaid","_id":"06c1"}}"#
        );
    }
}
