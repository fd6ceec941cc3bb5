//! `query`, `who` and `stats`: open the index, search, render.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use super::{parse_bound, parse_precision, stdout_color, Outcome};
use crate::cli::FilterArgs;
use crate::index::{self, Filters, Highlighter, Index, MatchKind, Sort};
use crate::render::{self, Paint};

pub(super) fn filters(a: &FilterArgs) -> Result<Filters> {
    Ok(Filters {
        speakers: a.speaker.clone(),
        since: parse_bound("since", a.since.as_deref(), false)?,
        until: parse_bound("until", a.until.as_deref(), true)?,
        kind: a.kind.clone(),
        source: a.source.clone(),
    })
}

pub(super) fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    print(&(serde_json::to_string(value)? + "\n"))
}

/// `whosaid query QUERY`
pub fn query(index_dir: &Path, q: &str, f: &FilterArgs, limit: usize, by: Option<&str>, as_json: bool) -> Result<Outcome> {
    let by = by.map(parse_precision).transpose()?;
    let filters = filters(f)?;
    let index = Index::open(index_dir)?;
    let result = index::query_by(&index, q, &filters, limit, by)?;
    if as_json {
        json(&result)?;
    } else {
        // Marks show only in colour; without it the query is not analyzed again.
        let color = stdout_color();
        let marks = if color { Highlighter::for_query(&index, q)? } else { Highlighter::none() };
        print(&render::query(&result, &Paint { color, marks: &|t: &str| marks.ranges(t) }))?;
    }
    Ok(if result.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid who PHRASE`
pub fn who(index_dir: &Path, phrase: &str, f: &FilterArgs, limit: usize, sort: &str, as_json: bool) -> Result<Outcome> {
    let sort = if sort == "date" { Sort::Date(limit.max(1)) } else { Sort::Count };
    let filters = filters(f)?;
    let index = Index::open(index_dir)?;
    let mut result = index::who_sorted(&index, phrase, &filters, sort)?;
    result.speakers.truncate(limit.max(1));
    if as_json {
        json(&result)?;
    } else {
        let color = stdout_color();
        let marks = if color { Highlighter::for_who(&index, phrase, result.matched)? } else { Highlighter::none() };
        print(&render::who(&result, &Paint { color, marks: &|t: &str| marks.ranges(t) }))?;
    }
    Ok(if result.matched == MatchKind::None { Outcome::NoResults } else { Outcome::Results })
}

/// `whosaid stats`
pub fn stats(index_dir: &Path, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let s = index::stats(&index)?;
    if as_json {
        json(&s)?;
    } else {
        print(&render::stats(&s, stdout_color()))?;
    }
    Ok(if s.statements > 0 { Outcome::Results } else { Outcome::NoResults })
}
