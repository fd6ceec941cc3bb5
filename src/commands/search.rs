//! `query`, `who` and `stats`: open the index, search, render.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Result};

use super::{parse_bound, parse_precision, Outcome};
use crate::cli::FilterArgs;
use crate::index::{self, Filters, Index, MatchKind, Sort};
use crate::render;

pub(super) fn filters(a: &FilterArgs) -> Result<Filters> {
    let since = parse_bound("since", a.since.as_deref(), false)?;
    let until = parse_bound("until", a.until.as_deref(), true)?;
    if let (Some(s), Some(u), Some(sv), Some(uv)) = (since, until, &a.since, &a.until) {
        if s > u {
            bail!("--since {sv} is after --until {uv}: no day is in both");
        }
    }
    Ok(Filters {
        speakers: a.speaker.clone(),
        since,
        until,
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
        print(&render::query(&result, io::stdout().is_terminal()))?;
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
        print(&render::who(&result, io::stdout().is_terminal()))?;
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
        print(&render::stats(&s))?;
    }
    Ok(if s.statements > 0 { Outcome::Results } else { Outcome::NoResults })
}
