//! `query`, `who` and `stats`: open the index, search, render.
//!
//! [`QueryRequest`] and [`WhoRequest`] hold the checked arguments of `query` and
//! `who`; the web API (`crate::web`) builds the same requests from its URL
//! parameters, so both front ends compute, and serialize, the same results.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use super::{bad, parse_bound, parse_precision, stdout_color, Outcome};
use crate::cli::FilterArgs;
use crate::statement::Precision;
use crate::index::{self, Filters, Highlighter, Index, MatchKind, QueryResult, Sort, WhoResult};
use crate::render::{self, Paint};

/// `--kind` values (clap checks the command line's; the web API's arrive unchecked).
const KINDS: [&str; 3] = ["direct", "indirect", "mixed"];
/// `--speaker-type` values, likewise.
pub(crate) const SPEAKER_TYPES: [&str; 3] = ["person", "organization", "unnamed"];

pub(super) fn filters(a: &FilterArgs) -> Result<Filters> {
    if let Some(kind) = a.kind.as_deref().filter(|k| !KINDS.contains(k)) {
        return Err(bad(format!("--kind {kind:?}: use direct, indirect or mixed")));
    }
    if let Some(ty) = a.speaker_type.as_deref().filter(|t| !SPEAKER_TYPES.contains(t)) {
        return Err(bad(format!("--speaker-type {ty:?}: use person, organization or unnamed")));
    }
    let since = parse_bound("since", a.since.as_deref(), false)?;
    let until = parse_bound("until", a.until.as_deref(), true)?;
    if let (Some(s), Some(u), Some(sv), Some(uv)) = (since, until, &a.since, &a.until) {
        if s > u {
            return Err(bad(format!("--since {sv} is after --until {uv}: no day is in both")));
        }
    }
    Ok(Filters {
        speakers: a.speaker.clone(),
        since,
        until,
        kind: a.kind.clone(),
        source: a.source.clone(),
        speaker_type: a.speaker_type.clone(),
    })
}

pub(super) fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    print(&(render::json(value)? + "\n"))
}

/// The checked arguments of `query`.
#[derive(Debug, Clone)]
pub struct QueryRequest {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub by: Option<Precision>,
}

impl QueryRequest {
    pub fn parse(query: &str, f: &FilterArgs, limit: usize, by: Option<&str>) -> Result<QueryRequest> {
        Ok(QueryRequest {
            query: query.to_string(),
            filters: filters(f)?,
            limit,
            by: by.map(parse_precision).transpose()?,
        })
    }

    /// What `query --json` prints.
    pub fn run(&self, index: &Index) -> Result<QueryResult> {
        index::query_by(index, &self.query, &self.filters, self.limit, self.by)
    }
}

/// The checked arguments of `who`.
#[derive(Debug, Clone)]
pub struct WhoRequest {
    pub phrase: String,
    pub filters: Filters,
    pub limit: usize,
    pub sort: Sort,
}

impl WhoRequest {
    pub fn parse(phrase: &str, f: &FilterArgs, limit: usize, sort: &str) -> Result<WhoRequest> {
        let sort = match sort {
            "count" => Sort::Count,
            "date" => Sort::Date(limit.max(1)),
            other => return Err(bad(format!("--sort {other:?}: use count or date"))),
        };
        Ok(WhoRequest { phrase: phrase.to_string(), filters: filters(f)?, limit, sort })
    }

    /// What `who --json` prints: at most `limit` speakers (at least one).
    pub fn run(&self, index: &Index) -> Result<WhoResult> {
        index::who_sorted(index, &self.phrase, &self.filters, self.sort, self.limit.max(1))
    }
}

/// `whosaid query QUERY`
pub fn query(index_dir: &Path, q: &str, f: &FilterArgs, limit: usize, by: Option<&str>, as_json: bool) -> Result<Outcome> {
    let request = QueryRequest::parse(q, f, limit, by)?;
    let index = Index::open(index_dir)?;
    let result = request.run(&index)?;
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
    let request = WhoRequest::parse(phrase, f, limit, sort)?;
    let index = Index::open(index_dir)?;
    let result = request.run(&index)?;
    if as_json {
        json(&result)?;
    } else {
        let color = stdout_color();
        let marks = if color { Highlighter::for_who(phrase, result.matched) } else { Highlighter::none() };
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
