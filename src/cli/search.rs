//! `query`, `who` and `stats`: build the request (`whosaid::api`), open the index
//! (or the cluster index of `--engine`), answer, render.
//!
//! Known limits: highlights are computed only when the output is coloured; over a
//! cluster, `query` has none (its analyzers are the cluster's).

use anyhow::Result;

use super::args::FilterArgs;
use super::{json, print_human, stdout_color, At, Outcome};
use whosaid::api::{self, Backend, QueryRequest, WhoRequest};
use whosaid::index::Highlighter;
use whosaid::render::{self, Paint};

/// `whosaid query QUERY`
pub fn query(
    at: At,
    q: &str,
    f: &FilterArgs,
    page: (usize, usize),
    sort: &str,
    by: Option<&str>,
    as_json: bool,
) -> Result<Outcome> {
    let request = QueryRequest::parse(q, &f.into(), page, Some(sort), by)?;
    let backend = at.open()?;
    let result = request.on(&backend)?;
    if as_json {
        json(&result)?;
    } else {
        // Marks show only in colour; without it the query is not analyzed again.
        let color = stdout_color();
        let marks = match &backend {
            Backend::Local(index) if color => Highlighter::for_query(index, q)?,
            _ => Highlighter::none(),
        };
        print_human(
            &render::query(&result, &Paint { color, marks: &|t: &str| marks.ranges(t) }),
            color,
        )?;
    }
    Ok(if result.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid who PHRASE`
pub fn who(
    at: At,
    phrase: &str,
    f: &FilterArgs,
    limit: usize,
    sort: &str,
    as_json: bool,
) -> Result<Outcome> {
    let request = WhoRequest::parse(phrase, &f.into(), limit, sort)?;
    let result = request.on(&at.open()?)?;
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
pub fn stats(at: At, as_json: bool) -> Result<Outcome> {
    let s = api::stats_on(&at.open()?)?;
    if as_json {
        json(&s)?;
    } else {
        let color = stdout_color();
        print_human(&render::stats(&s, color), color)?;
    }
    Ok(if s.statements > 0 { Outcome::Results } else { Outcome::NoResults })
}
