//! `query`, `who` and `stats`: open the index, search, render.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::Result;

use super::{parse_day, Outcome};
use crate::cli::FilterArgs;
use crate::index::{self, Filters, Index, MatchKind};
use crate::render;

fn filters(a: &FilterArgs) -> Result<Filters> {
    Ok(Filters {
        speakers: a.speaker.clone(),
        since: parse_day("since", a.since.as_deref())?,
        until: parse_day("until", a.until.as_deref())?,
        kind: a.kind.clone(),
        source: a.source.clone(),
    })
}

fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    print(&(serde_json::to_string(value)? + "\n"))
}

/// `whosaid query QUERY`
pub fn query(index_dir: &Path, q: &str, f: &FilterArgs, limit: usize, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let result = index::query(&index, q, &filters(f)?, limit)?;
    if as_json {
        json(&result)?;
    } else {
        print(&render::query(&result, io::stdout().is_terminal()))?;
    }
    Ok(if result.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid who PHRASE`
pub fn who(index_dir: &Path, phrase: &str, f: &FilterArgs, limit: usize, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let mut result = index::who(&index, phrase, &filters(f)?)?;
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
