//! `query`, `who` and `stats`: build the request (`whosaid::api`), open the index,
//! answer, render.
//!
//! Known limits: highlights are computed only when the output is coloured.

use std::path::Path;

use anyhow::Result;

use super::args::FilterArgs;
use super::{json, print_human, stdout_color, Outcome};
use whosaid::api::{self, QueryRequest, WhoRequest};
use whosaid::index::{Highlighter, Index};
use whosaid::render::{self, Paint};

/// `whosaid query QUERY`
pub fn query(
    index_dir: &Path,
    q: &str,
    f: &FilterArgs,
    page: (usize, usize),
    sort: &str,
    by: Option<&str>,
    as_json: bool,
) -> Result<Outcome> {
    let request = QueryRequest::parse(q, &f.into(), page, Some(sort), by)?;
    let index = Index::open(index_dir)?;
    let result = request.run(&index)?;
    if as_json {
        json(&result)?;
    } else {
        // Marks show only in colour; without it the query is not analyzed again.
        let color = stdout_color();
        let marks = if color { Highlighter::for_query(&index, q)? } else { Highlighter::none() };
        print_human(
            &render::query(&result, &Paint { color, marks: &|t: &str| marks.ranges(t) }),
            color,
        )?;
    }
    Ok(if result.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid who PHRASE`
pub fn who(
    index_dir: &Path,
    phrase: &str,
    f: &FilterArgs,
    limit: usize,
    sort: &str,
    as_json: bool,
) -> Result<Outcome> {
    let request = WhoRequest::parse(phrase, &f.into(), limit, sort)?;
    let index = Index::open(index_dir)?;
    let result = request.run(&index)?;
    if as_json {
        json(&result)?;
    } else {
        let color = stdout_color();
        let marks =
            if color { Highlighter::for_who(phrase, result.matched) } else { Highlighter::none() };
        print_human(
            &render::who(&result, &Paint { color, marks: &|t: &str| marks.ranges(t) }),
            color,
        )?;
    }
    Ok(if api::who_found(&result) { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid stats`
pub fn stats(index_dir: &Path, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let s = api::stats(&index)?;
    if as_json {
        json(&s)?;
    } else {
        let color = stdout_color();
        print_human(&render::stats(&s, color), color)?;
    }
    Ok(if s.statements > 0 { Outcome::Results } else { Outcome::NoResults })
}
