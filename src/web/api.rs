//! The JSON API: each route turns its URL parameters into the request the command
//! line builds from its flags, runs it, and answers with the same JSON as `--json`.
//!
//! | route | command | parameters |
//! |---|---|---|
//! | `/api/search` | `query` | `q`, filters, `limit` (10), `offset` (0), `sort`, `by` |
//! | `/api/who` | `who` | `q` (the phrase), filters, `limit` (10), `sort` |
//! | `/api/timeline` | `timeline` | `speaker` (optional here), `q`, filters, `by` (month) |
//! | `/api/speakers` | `speakers` | `prefix`, `limit` (50; 0 for all) |
//! | `/api/stats` | `stats` | none |
//! | `/api/article` | `show` | `id` (404 when no article has it) |
//!
//! Filters are `speaker` (repeatable), `since`, `until`, `kind`, `source`,
//! `speaker_type`; a speaker that is a surname several people share is a 400. Known
//! limits: `limit` is capped at [`MAX_LIMIT`] for search and who, `offset` at
//! [`MAX_OFFSET`]; errors carry the
//! message the command line prints, so they still name its flags ("--since …").

use super::http::Response;
use super::params::{Params, FILTERS};
use crate::api::{
    self, Backend, Error, QueryRequest, Result, SpeakersRequest, TimelineRequest, WhoRequest,
};
use crate::render;

/// The most hits or speakers one search or who answer holds.
pub const MAX_LIMIT: usize = 1000;
/// The deepest page a search skips to: ranking keeps offset + limit hits in memory.
pub const MAX_OFFSET: usize = 100_000;

/// The answer to `GET path?query` for a path under `/api/`.
pub fn respond(index: &Backend, path: &str, query: &str) -> Response {
    let params = match Params::parse(query) {
        Ok(p) => p,
        Err(message) => return Response::error(400, &message),
    };
    let result = match path {
        "/api/search" => search(index, &params),
        "/api/who" => who(index, &params),
        "/api/timeline" => timeline(index, &params),
        "/api/speakers" => speakers(index, &params),
        "/api/stats" => stats(index, &params),
        "/api/article" => article(index, &params),
        _ => return Response::error(404, &format!("not found: {path}")),
    };
    match result {
        Ok(Answer::Found(body)) => Response::json(200, body),
        Ok(Answer::Missing(message)) => Response::error(404, &message),
        Err(e) => {
            let users_fault = e.is_users_fault();
            // Said as `whosaid: error: …` would say it, less the prefix.
            let message = format!("{:#}", anyhow::Error::from(e));
            if !users_fault {
                let line = format!("{path}?{query}: {message}");
                eprintln!("whosaid: error: {}", crate::controls::one_line(&line));
            }
            Response::error(if users_fault { 400 } else { 500 }, &message)
        }
    }
}

/// A parameter that is unknown, doubled or not a number is the user's fault, as a
/// bad flag is.
fn checked(params: &Params, own: &[&str], filters: bool) -> Result<()> {
    let mut allowed = own.to_vec();
    if filters {
        allowed.extend(FILTERS);
    }
    params.check(&allowed, &["speaker"]).map_err(Error::BadArgument)
}

fn count(params: &Params, name: &str, default: usize, max: usize) -> Result<usize> {
    params.count(name, default, max).map_err(Error::BadArgument)
}

fn search(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &["q", "limit", "offset", "sort", "by"], true)?;
    let limit = count(p, "limit", 10, MAX_LIMIT)?;
    let offset = count(p, "offset", 0, MAX_OFFSET)?;
    let (q, filters) = (p.get("q").unwrap_or("*"), p.filters());
    let request = QueryRequest::parse(q, &filters, (limit, offset), p.get("sort"), p.get("by"))?;
    Ok(render::json(&request.on(index)?)?.into())
}

fn who(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &["q", "limit", "sort"], true)?;
    let limit = count(p, "limit", 10, MAX_LIMIT)?;
    let request = WhoRequest::parse(
        p.get("q").unwrap_or(""),
        &p.filters(),
        limit,
        p.get("sort").unwrap_or("count"),
    )?;
    Ok(render::json(&request.on(index)?)?.into())
}

/// The command line's `timeline SPEAKER --speaker B` counts statements by SPEAKER or
/// B; here the first `speaker` is SPEAKER and the others are filters, which counts
/// the same, and with no `speaker` the timeline is everyone's.
fn timeline(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &["q", "by"], true)?;
    let mut filters = p.filters();
    let speaker = (!filters.speaker.is_empty()).then(|| filters.speaker.remove(0));
    let request = TimelineRequest::parse(
        speaker.as_deref(),
        p.get("q").unwrap_or("*"),
        &filters,
        p.get("by").unwrap_or("month"),
    )?;
    Ok(render::json(&request.on(index)?)?.into())
}

fn speakers(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &["prefix", "limit"], false)?;
    let request = SpeakersRequest {
        prefix: p.get("prefix").unwrap_or("").to_string(),
        limit: count(p, "limit", 50, usize::MAX)?,
    };
    Ok(render::json(&request.on(index)?)?.into())
}

fn stats(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &[], false)?;
    Ok(render::json(&api::stats_on(index)?)?.into())
}

/// `show ID`: an unknown id is a 404 whose message names ids like it.
fn article(index: &Backend, p: &Params) -> Result<Answer> {
    checked(p, &["id"], false)?;
    let id = p.get("id").unwrap_or("");
    let index = match index {
        Backend::Local(index) => index,
        Backend::Cluster(engine) => {
            return Ok(Answer::Missing(format!(
                "this server answers from the cluster index {}, which holds statements, not \
                 their articles: a hit's url and path say where its article is",
                engine.client.target.url()
            )))
        }
    };
    Ok(match api::article(index, id)? {
        Some(view) => render::json(&view)?.into(),
        None => Answer::Missing(api::unknown_article(index, id)?),
    })
}

/// A route's answer: JSON, or a 404 saying what is missing.
enum Answer {
    Found(String),
    Missing(String),
}

impl From<String> for Answer {
    fn from(body: String) -> Answer {
        Answer::Found(body)
    }
}
